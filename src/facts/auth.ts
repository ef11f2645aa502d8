/**
 * Authentication facts: library middleware that rejects anonymous callers, library calls that refuse by
 * themselves (`auth.protect()`), and any guard that refuses when the credential or session is missing.
 */
import ts from '../typescript.cjs';
import type { AuthFact } from '../model.js';
import { enclosingCatch, isFunctionNode, locationOf, objectProperty, propertyValue, stringValue, unwrap } from '../semantic/ast.js';
import { caughtAndReturned, isAuthGuard, refusalOf } from './checks.js';
import { isPresenceOnly } from './presence.js';
import { type AccessPath, segmentSignature } from '../semantic/resolve.js';
import type { LibraryLink, ProtectionScope } from './scope.js';

/** Options that turn an authentication middleware into one that lets anonymous callers through. */
const OPTIONAL_AUTH_OPTIONS: { name: string; value: ts.SyntaxKind }[] = [
  { name: 'credentialsRequired', value: ts.SyntaxKind.FalseKeyword },
  { name: 'passthrough', value: ts.SyntaxKind.TrueKeyword },
  { name: 'addHook', value: ts.SyntaxKind.FalseKeyword },
];

export function authFacts(scope: ProtectionScope): AuthFact[] {
  const facts: AuthFact[] = scope.platformAuth.map((declared) => ({ kind: 'middleware', ...declared }));
  for (const link of scope.libraryLinks) {
    const name = authMiddlewareName(scope, link);
    if (name) facts.push({ kind: kindOf(link.origin), description: `${name} middleware`, location: locationOf(scope.project, link.expression) });
  }
  for (const { call, region } of scope.calls) {
    const path = scope.resolver.resolve(call.expression, region.context);
    const verifying = path && verifyingRequestMethod(scope, path, call);
    if (verifying) facts.push({ kind: kindOf(region.origin), description: verifying, location: locationOf(scope.project, call) });
    if (path?.root.kind !== 'module') continue;
    const module = path.root.module;
    const signature = segmentSignature(path.segments);
    const refusing = scope.libraries.refusingAuthCalls.find((c) => c.module.test(module) && c.signature.test(signature) && (!c.option || hasOption(call, c.option)));
    if (refusing) facts.push({ kind: kindOf(region.origin), description: refusing.name, location: locationOf(scope.project, call) });
    const verifier = scope.libraries.throwingVerifiers.find((c) => c.module.test(module) && c.signature.test(signature));
    if (verifier && throwsToCaller(call) && !caughtAndReturned(call, region.context, scope.resolver)) facts.push({ kind: kindOf(region.origin), description: `${verifier.name} throws when the token does not verify`, location: locationOf(scope.project, call) });
  }
  facts.push(...clerkMiddlewareProtect(scope));
  for (const guard of scope.guards) {
    if (!isAuthGuard(guard) || isPresenceOnly(guard, scope)) continue;
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

/** The last argument is an object literal with this option: remix-auth `isAuthenticated(request, { failureRedirect })`. */
function hasOption(call: ts.CallExpression, option: string): boolean {
  const options = call.arguments[call.arguments.length - 1];
  const object = options && unwrap(options);
  return !!object && ts.isObjectLiteralExpression(object) && !!objectProperty(object, option);
}

function authMiddlewareName(scope: ProtectionScope, link: LibraryLink): string | undefined {
  const path = link.path;
  if (path?.root.kind !== 'module') return undefined;
  const signature = segmentSignature(path.segments).replace(/^default\.?/, '');
  const known = scope.libraries.authMiddleware.find((m) => m.module === (path.root as { module: string }).module && m.signature.test(signature));
  if (!known) return undefined;
  const call = creationCall(link);
  if (call && known.anonymousStrategy && stringValue(call.arguments[0]) === 'anonymous') return undefined;
  const argument = call?.arguments[0] && unwrap(call.arguments[0]);
  const options = [...(argument && ts.isObjectLiteralExpression(argument) ? [argument] : []), ...(link.link.options ?? [])];
  for (const object of options) {
    for (const optional of OPTIONAL_AUTH_OPTIONS) {
      const value = propertyValue(objectProperty(object, optional.name));
      if (value && unwrap(value).kind === optional.value) return undefined;
    }
  }
  return known.name;
}

/** The call that created a library middleware: `jwt({...})` in `jwt({...}).unless({...})` too. */
function creationCall(link: LibraryLink): ts.CallExpression | undefined {
  const segments = link.path?.segments ?? [];
  const first = segments.find((s) => s.kind === 'call');
  if (first?.kind === 'call') return first.call;
  const call = unwrap(link.expression);
  return ts.isCallExpression(call) ? call : undefined;
}

/** A verifier's failure reaches the caller: not swallowed by a try/catch, no `.catch()`, no error callback. */
function throwsToCaller(call: ts.CallExpression): boolean {
  const last = call.arguments[call.arguments.length - 1];
  if (last && isFunctionNode(unwrap(last))) return false;
  let outer: ts.Node = call;
  while (ts.isAwaitExpression(outer.parent) || ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  if (ts.isPropertyAccessExpression(outer.parent) && ['catch', 'then'].includes(outer.parent.name.text)) return false;
  return !failureSwallowed(call) && !isConditional(call);
}

/** `if (token) { jwt.verify(token, key) }`: verification that only runs when a credential is sent refuses nobody. */
function isConditional(node: ts.Node): boolean {
  for (let current = node; current.parent && !isFunctionNode(current); current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.expression !== current) return true;
    if (ts.isConditionalExpression(parent) && parent.condition !== current) return true;
    if (ts.isBinaryExpression(parent) && parent.right === current && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return true;
  }
  return false;
}

/** `clerkMiddleware(async (auth, req) => { await auth.protect() })`: the callback's `auth` protects. */
function clerkMiddlewareProtect(scope: ProtectionScope): AuthFact[] {
  const facts: AuthFact[] = [];
  for (const { call, region } of scope.calls) {
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'protect') continue;
    const path = scope.resolver.resolve(callee.expression, region.context);
    if (path?.root.kind !== 'param') continue;
    const callback = path.root.param.parent;
    const registration = callback.parent;
    if (!ts.isCallExpression(registration) || !registration.arguments.includes(callback as ts.Expression)) continue;
    const middleware = scope.resolver.resolve(registration.expression);
    if (middleware?.root.kind === 'module' && /^@clerk\//.test(middleware.root.module) && segmentSignature(middleware.segments) === 'clerkMiddleware') {
      facts.push({ kind: kindOf(region.origin), description: 'Clerk auth.protect() in clerkMiddleware', location: locationOf(scope.project, call) });
    }
  }
  return facts;
}

/** `await request.jwtVerify()`, unless a surrounding try/catch swallows the failure. */
function verifyingRequestMethod(scope: ProtectionScope, path: AccessPath, call: ts.CallExpression): string | undefined {
  if (path.root.kind !== 'param' || !scope.requestParams.has(path.root.param) || path.segments.length !== 1) return undefined;
  const method = path.segments[0];
  const known = method.kind === 'member' ? scope.libraries.verifyingRequestMethods.find((m) => m.method === method.name) : undefined;
  return known && !failureSwallowed(call) ? known.name : undefined;
}

/** Is the call inside a try whose catch neither refuses nor hands the error on (`reply.send(err)`, `done(err)`)? */
function failureSwallowed(call: ts.Node): boolean {
  const clause = enclosingCatch(call);
  if (!clause || refusalOf(clause.block)) return false;
  const variable = clause.variableDeclaration?.name;
  if (!variable || !ts.isIdentifier(variable)) return true;
  let forwarded = false;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n.arguments.some((a) => ts.isIdentifier(unwrap(a)) && (unwrap(a) as ts.Identifier).text === variable.text)) forwarded = true;
    if (!forwarded) ts.forEachChild(n, visit);
  };
  visit(clause.block);
  return !forwarded;
}
