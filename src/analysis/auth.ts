/**
 * Authentication facts: library middleware that rejects anonymous callers, library calls that refuse by
 * themselves (`auth.protect()`), and any guard that refuses when the credential or session is missing.
 */
import { ts } from 'ts-morph';
import type { AuthFact } from '../model.js';
import { locationOf, objectProperty, propertyValue, stringValue, unwrap } from './ast.js';
import { isAuthGuard } from './guards.js';
import { segmentSignature } from './resolve.js';
import type { LibraryLink, ProtectionScope } from './scope.js';

/** Library middleware that authenticates: module → signatures of the registered value. */
const AUTH_MIDDLEWARE: { module: string; signature: RegExp; name: string }[] = [
  { module: 'passport', signature: /^authenticate\.\(\)$/, name: 'passport.authenticate' },
  { module: 'express-jwt', signature: /^(expressjwt\.)?\(\)$/, name: 'express-jwt' },
  { module: 'express-openid-connect', signature: /^requiresAuth\.\(\)$/, name: 'express-openid-connect requiresAuth' },
  { module: '@clerk/express', signature: /^requireAuth\.\(\)$/, name: 'Clerk requireAuth' },
  { module: '@clerk/clerk-sdk-node', signature: /^ClerkExpressRequireAuth\.\(\)$/, name: 'Clerk ClerkExpressRequireAuth' },
  { module: 'express-oauth2-jwt-bearer', signature: /^auth\.\(\)$/, name: 'express-oauth2-jwt-bearer' },
  { module: 'express-basic-auth', signature: /^\(\)$/, name: 'express-basic-auth' },
  { module: 'next-auth/middleware', signature: /^(withAuth(\.\(\))?)?$/, name: 'next-auth middleware' },
];

/** Calls that refuse an anonymous caller on their own. */
const REFUSING_AUTH_CALLS: { module: RegExp; signature: RegExp; name: string }[] = [
  { module: /^@clerk\//, signature: /protect\.\(\)$/, name: 'Clerk auth.protect()' },
  { module: /^@auth0\/nextjs-auth0/, signature: /^withApiAuthRequired\.\(\)$/, name: 'Auth0 withApiAuthRequired' },
];

export function authFacts(scope: ProtectionScope): AuthFact[] {
  const facts: AuthFact[] = [];
  for (const link of scope.libraryLinks) {
    const name = authMiddlewareName(link);
    if (name) facts.push({ kind: kindOf(link.origin), description: `${name} middleware`, location: locationOf(scope.project, link.expression) });
  }
  for (const { call, region } of scope.calls) {
    const path = scope.resolver.resolve(call.expression, region.context);
    if (path?.root.kind !== 'module') continue;
    const module = path.root.module;
    const signature = segmentSignature(path.segments);
    const known = REFUSING_AUTH_CALLS.find((c) => c.module.test(module) && c.signature.test(signature));
    if (known) facts.push({ kind: kindOf(region.origin), description: known.name, location: locationOf(scope.project, call) });
  }
  for (const guard of scope.guards) {
    if (!isAuthGuard(guard)) continue;
    const what = guard.statuses.length ? `refuses with ${guard.statuses.join('/')}` : guard.refusal === 'redirect' ? 'redirects' : guard.refusal === 'precondition' ? 'runs only' : 'throws';
    facts.push({
      kind: kindOf(guard.region.origin),
      description: `${what} when the caller is not authenticated`,
      location: locationOf(scope.project, guard.node),
    });
  }
  return facts;
}

function kindOf(origin: string): AuthFact['kind'] {
  return origin === 'next-middleware' ? 'next-middleware' : origin === 'middleware' ? 'middleware' : 'handler-check';
}

function authMiddlewareName(link: LibraryLink): string | undefined {
  const path = link.path;
  if (path?.root.kind !== 'module') return undefined;
  const signature = segmentSignature(path.segments).replace(/^default\.?/, '');
  const known = AUTH_MIDDLEWARE.find((m) => m.module === (path.root as { module: string }).module && m.signature.test(signature));
  if (!known) return undefined;
  const call = unwrap(link.expression);
  if (ts.isCallExpression(call)) {
    if (known.module === 'passport' && stringValue(call.arguments[0]) === 'anonymous') return undefined;
    const options = call.arguments[0] && unwrap(call.arguments[0]);
    if (options && ts.isObjectLiteralExpression(options)) {
      const required = propertyValue(objectProperty(options, 'credentialsRequired'));
      if (required && required.kind === ts.SyntaxKind.FalseKeyword) return undefined;
    }
  }
  return known.name;
}
