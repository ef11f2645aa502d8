/**
 * What a limiter's key is made of: the client address (as far as the deployment makes it one the client cannot
 * forge), a verified user, a constant, or a value the client sends and can rotate. A part the client controls
 * makes the whole key client-controlled.
 */
import ts from '../typescript.cjs';
import type { RateLimitKey } from '../model.js';
import { unwrap } from '../semantic/ast.js';
import { platformSetsHeader, proxyTrust } from './deployment.js';
import { requestOrigin, type RequestOrigin, type RequestSource } from './request.js';
import { type AccessPath, CallContext, memberNames, returnExpressions } from '../semantic/resolve.js';
import type { ProtectionScope } from './scope.js';

/** Names that speak of a user or an account: a key or a counter read under them is per user. */
export const USER_NAMES = /^(user|users|userid|user_id|uid|sub|account|accountid|member|memberid|org|orgid|organization|team|teamid|tenant|tenantid|workspace|workspaceid|customer|customerid|owner|ownerid)$/i;

export interface KeyClass {
  key: RateLimitKey;
}

const PRIORITY: RateLimitKey[] = ['client', 'user', 'ip', 'unknown', 'global'];

export function combine(parts: KeyClass[]): KeyClass {
  if (parts.length === 0) return { key: 'unknown' };
  for (const key of PRIORITY) if (parts.some((p) => p.key === key)) return { key };
  return { key: 'unknown' };
}

/** What a limiter key is made of. A part the client controls makes the whole key client-controlled. */
export function classifyKey(scope: ProtectionScope, expression: ts.Expression, context: CallContext, depth = 0): KeyClass {
  if (depth > 8) return { key: 'unknown' };
  const e = unwrap(expression);
  const next = (x: ts.Expression, ctx = context) => classifyKey(scope, x, ctx, depth + 1);
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e)) return { key: 'global' };
  if (ts.isTemplateExpression(e)) return combine(e.templateSpans.map((span) => next(span.expression)));
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return combine([next(e.left), next(e.right)]);
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind)) {
    // `ip ?? sessionId`: the fallback only applies when the platform sends no address; the key is the IP.
    const first = next(e.left);
    return first.key === 'ip' || first.key === 'user' ? first : combine([first, next(e.right)]);
  }
  if (ts.isConditionalExpression(e)) return combine([next(e.whenTrue), next(e.whenFalse)]);
  if (ts.isArrayLiteralExpression(e)) return combine(e.elements.map((x) => next(x)));
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ['join', 'toString'].includes(e.expression.name.text)) return next(e.expression.expression);
  // `String(req.headers['x-real-ip'] ?? 'anon')`: a conversion keys on what it converts.
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'String' && e.arguments[0]) return next(e.arguments[0]);
  if (ts.isCallExpression(e)) {
    const fn = scope.resolver.resolveFunction(e.expression, context);
    if (fn) {
      const inner = context.enter(fn.fn, e);
      const returned = returnExpressions(fn.fn);
      if (returned.length) return combine(returned.map((r) => next(r, inner)));
    }
  }
  const path = scope.resolver.resolve(e, context);
  // `const key = \`chat:${user.id}\``: a key built from parts in a local is classified by its parts.
  const built = path?.root.kind === 'local' && path.segments.length === 0 ? path.root.node : undefined;
  if (built && built !== e && (ts.isTemplateExpression(built) || ts.isBinaryExpression(built) || ts.isArrayLiteralExpression(built))) {
    return next(built, path!.context);
  }
  const classified = classifyPath(scope, path, readingFiles(e, context));
  // `user.id`, `session.user.id` of a user the code obtained itself: keyed on the user.
  if (classified.key === 'unknown' && ts.isPropertyAccessExpression(e) && /^(id|sub|uid|userId)$/.test(e.name.text) && isUserObject(e.expression)) {
    return { key: 'user' };
  }
  return classified;
}

function isUserObject(expression: ts.Expression): boolean {
  const e = unwrap(expression);
  const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
  return name !== undefined && /^(user|currentUser|viewer|account|member|principal)$/.test(name);
}

function classifyPath(scope: ProtectionScope, path: AccessPath | undefined, files: ts.SourceFile[]): KeyClass {
  if (!path) return { key: 'unknown' };
  const origin = requestOrigin(path, scope.requestParams);
  if (origin) return { key: originKey(scope, origin, files) };
  if (path.root.kind === 'module') {
    const module = path.root.module;
    const names = memberNames(path.segments);
    if (scope.libraries.clientAddress.some((h) => h.module === module && h.names.test(names[0] ?? ''))) return { key: 'ip' };
    if (names.some((n) => USER_NAMES.test(n))) return { key: 'user' };
    return { key: 'unknown' };
  }
  if (path.root.kind === 'local') {
    const node = path.root.node;
    if (path.segments.length === 0 && (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node))) return { key: 'global' };
  }
  if (path.root.kind === 'validated') return { key: 'client' };
  const names = memberNames(path.segments);
  if (names.some((n) => USER_NAMES.test(n))) return { key: 'user' };
  return { key: 'unknown' };
}

/** Session ids the server mints for any caller: a client that drops the cookie gets a new one. */
const ROTATABLE_SESSION_IDS = new Set(['sessionID', 'session.id', 'sessionId']);

/** A client address is only what sets it: a header the platform overwrites, `req.ip` without `trust proxy: true`. */
function originKey(scope: ProtectionScope, origin: RequestOrigin, files: ts.SourceFile[]): RateLimitKey {
  if (origin.source === 'other' && ROTATABLE_SESSION_IDS.has(origin.key)) return 'client';
  if (origin.source !== 'ip') return SOURCE_KEY[origin.source];
  if (origin.key.startsWith('header.')) {
    const header = origin.key.slice('header.'.length);
    if (platformSetsHeader(scope.project, files, header)) return 'ip';
    return header === 'x-real-ip' && proxyTrust(scope.project).bounded ? 'ip' : 'client';
  }
  return /^ips?$/.test(origin.key) && proxyTrust(scope.project).all ? 'client' : 'ip';
}

/** The file a value is read in, and the files of the calls that handed it there (`headerValue(req.headers[...])`). */
function readingFiles(at: ts.Node, context: CallContext): ts.SourceFile[] {
  const files = new Set([at.getSourceFile()]);
  for (let frame: CallContext | undefined = context; frame?.call; frame = frame.parent) files.add(frame.call.getSourceFile());
  return [...files];
}


const SOURCE_KEY: Record<RequestSource, RateLimitKey> = {
  body: 'client',
  query: 'client',
  params: 'client',
  header: 'client',
  cookie: 'client',
  url: 'client',
  other: 'unknown',
  ip: 'ip',
  user: 'user',
  credential: 'user',
};

export function describeKey(key: RateLimitKey): string {
  switch (key) {
    case 'ip':
      return 'the client IP';
    case 'user':
      return 'the verified user';
    case 'global':
      return 'a constant (a global limit)';
    case 'client':
      return 'a value the client sends and can rotate';
    default:
      return 'a value the scanner could not trace';
  }
}
