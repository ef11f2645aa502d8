/**
 * Rate-limit facts: express-rate-limit (and express-slow-down) middleware, @upstash/ratelimit `limit(key)`,
 * rate-limiter-flexible `consume(key)`, and hand-written counters that refuse with 429. Each limiter's key
 * is traced back to what it is made of: the client address, a verified user, a constant, or a value the
 * client sends and can rotate.
 */
import { ts } from 'ts-morph';
import type { RateLimitFact, RateLimitKey } from '../model.js';
import { calleeName, locationOf, objectProperty, propertyValue, unwrap } from './ast.js';
import { isRateGuard } from './guards.js';
import { requestOrigin, type RequestSource } from './request.js';
import { type AccessPath, CallContext, memberNames, returnExpressions, segmentSignature } from './resolve.js';
import type { ProtectionScope } from './scope.js';

const MIDDLEWARE_LIMITERS = new Set(['express-rate-limit', 'express-slow-down']);
const CALL_LIMITERS: { module: string; signature: RegExp }[] = [
  { module: '@upstash/ratelimit', signature: /(^|\.)new\.limit$/ },
  { module: 'rate-limiter-flexible', signature: /(^|\.)new\.(consume|penalty)$/ },
];
const IP_HELPERS: { module: string; names: RegExp }[] = [
  { module: '@vercel/functions', names: /^ipAddress$/ },
  { module: '@vercel/edge', names: /^ipAddress$/ },
  { module: 'request-ip', names: /^(getClientIp|default)?$/ },
];
const USER_NAMES = /^(user|users|userid|user_id|uid|sub|account|accountid|member|memberid|org|orgid|organization|team|teamid|tenant|tenantid|workspace|workspaceid|customer|customerid|owner|ownerid)$/i;

export function rateLimitFacts(scope: ProtectionScope): RateLimitFact[] {
  const facts: RateLimitFact[] = [];
  for (const link of scope.libraryLinks) {
    const path = link.path;
    if (path?.root.kind !== 'module' || !MIDDLEWARE_LIMITERS.has(path.root.module)) continue;
    const creation = [...path.segments].reverse().find((s) => s.kind === 'call');
    const call = creation?.kind === 'call' ? creation.call : undefined;
    facts.push(middlewareLimiter(scope, path.root.module, call, link.expression));
  }
  for (const { call, region } of scope.calls) {
    const path = scope.resolver.resolve(call.expression, region.context);
    if (path?.root.kind !== 'module') continue;
    const module = path.root.module;
    const signature = segmentSignature(path.segments);
    if (!CALL_LIMITERS.some((l) => l.module === module && l.signature.test(signature))) continue;
    const keyExpression = call.arguments[0];
    const key = keyExpression ? classifyKey(scope, keyExpression, region.context) : { key: 'global' as const };
    facts.push({
      library: module,
      key: key.key,
      description: `${module} ${calleeName(call)}() keyed on ${describeKey(key.key)}`,
      location: locationOf(scope.project, call),
      keyLocation: keyExpression ? locationOf(scope.project, keyExpression) : undefined,
      keyDescription: keyExpression?.getText(),
    });
  }
  if (facts.length === 0) facts.push(...counterLimiters(scope));
  return facts;
}

function middlewareLimiter(scope: ProtectionScope, module: string, call: ts.CallExpression | undefined, registered: ts.Expression): RateLimitFact {
  const options = call?.arguments[0] && unwrap(call.arguments[0]);
  const keyGenerator = options && ts.isObjectLiteralExpression(options) ? objectProperty(options, 'keyGenerator') : undefined;
  const location = locationOf(scope.project, call ?? registered);
  if (!keyGenerator) {
    return { library: module, key: 'ip', description: `${module} keyed on the client IP (its default)`, location };
  }
  const generator =
    ts.isMethodDeclaration(keyGenerator) ? { fn: keyGenerator, context: CallContext.ROOT } : scope.resolver.resolveFunction(propertyValue(keyGenerator)!);
  if (!generator) return { library: module, key: 'unknown', description: `${module} with a custom key`, location };
  scope.requestParams.add(generator.fn);
  const context = generator.context.enter(generator.fn, undefined);
  const key = combine(returnExpressions(generator.fn).map((e) => classifyKey(scope, e, context)));
  const keyNode = returnExpressions(generator.fn)[0];
  return {
    library: module,
    key: key.key,
    description: `${module} keyed on ${describeKey(key.key)}`,
    location,
    keyLocation: keyNode ? locationOf(scope.project, keyNode) : undefined,
    keyDescription: keyNode?.getText(),
  };
}

/** A hand-written limiter: a guard that refuses with 429 (or reads a request counter), keyed on its counter. */
function counterLimiters(scope: ProtectionScope): RateLimitFact[] {
  const facts: RateLimitFact[] = [];
  for (const guard of scope.guards) {
    if (!isRateGuard(guard)) continue;
    const counter = scope.calls.find(({ call }) => /^(incr|incrby|increment|hincrby|zadd|zcard)$/i.test(calleeName(call) ?? ''));
    const key = counter?.call.arguments[0] ? classifyKey(scope, counter.call.arguments[0], counter.region.context) : undefined;
    facts.push({
      library: 'counter',
      key: key?.key ?? 'unknown',
      description: `a request counter that refuses with ${guard.statuses.join('/') || 'an error'}`,
      location: locationOf(scope.project, guard.node),
      keyLocation: counter ? locationOf(scope.project, counter.call.arguments[0] ?? counter.call) : undefined,
      keyDescription: counter?.call.arguments[0]?.getText(),
    });
  }
  return facts;
}

interface KeyClass {
  key: RateLimitKey;
}

const PRIORITY: RateLimitKey[] = ['client', 'user', 'ip', 'unknown', 'global'];

function combine(parts: KeyClass[]): KeyClass {
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
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind)) {
    return combine([next(e.left), next(e.right)]);
  }
  if (ts.isConditionalExpression(e)) return combine([next(e.whenTrue), next(e.whenFalse)]);
  if (ts.isArrayLiteralExpression(e)) return combine(e.elements.map((x) => next(x)));
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'join') return next(e.expression.expression);
  if (ts.isCallExpression(e)) {
    const fn = scope.resolver.resolveFunction(e.expression, context);
    if (fn) {
      const inner = context.enter(fn.fn, e);
      const returned = returnExpressions(fn.fn);
      if (returned.length) return combine(returned.map((r) => next(r, inner)));
    }
  }
  const path = scope.resolver.resolve(e, context);
  return classifyPath(scope, path);
}

function classifyPath(scope: ProtectionScope, path: AccessPath | undefined): KeyClass {
  if (!path) return { key: 'unknown' };
  const origin = requestOrigin(path, scope.requestParams);
  if (origin) return { key: SOURCE_KEY[origin.source] };
  if (path.root.kind === 'module') {
    const module = path.root.module;
    const names = memberNames(path.segments);
    if (IP_HELPERS.some((h) => h.module === module && h.names.test(names[0] ?? ''))) return { key: 'ip' };
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
