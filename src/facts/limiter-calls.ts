/**
 * Rate limiters called in code whose key is not simply their first argument:
 * - Arcjet `aj.protect(req, { userId })`: a limiter only with a `fixedWindow` / `slidingWindow` / `tokenBucket`
 *   rule (`shield()` or `detectBot()` alone limit nothing), keyed on its `characteristics` (the client IP by
 *   default; a custom characteristic is the value passed to `protect` under that name).
 * - Cloudflare's rate-limiting binding `env.LIMITER.limit({ key })`.
 * - next-rate-limit `limiter.checkNext(request, n)`, keyed on the client IP.
 */
import ts from '../typescript.cjs';
import type { RateLimitFact, RateLimitKey } from '../model.js';
import { calleeName, locationOf, objectProperty, propertyValue, stringValue, unwrap } from '../semantic/ast.js';
import type { Region } from './checks.js';
import { classifyKey, describeKey } from './limiter-keys.js';
import type { AccessPath, CallContext } from '../semantic/resolve.js';
import type { ProtectionScope } from './scope.js';

const ARCJET_MODULE = /^(@arcjet\/[\w-]+|arcjet)$/;
const ARCJET_RATE_RULES = new Set(['fixedWindow', 'slidingWindow', 'tokenBucket']);
const FIXED_KEY_LIMITERS: { module: RegExp; signature: RegExp; key: RateLimitKey; name: string }[] = [
  { module: /^next-rate-limit$/, signature: /^\(\)\.(checkNext|check)\.\(\)$/, key: 'ip', name: 'next-rate-limit' },
];

/** A limiter call of one of the shapes above, with its key traced. */
export function limiterCall(scope: ProtectionScope, call: ts.CallExpression, region: Region, callee: AccessPath | undefined, signature: string): RateLimitFact | undefined {
  if (callee?.root.kind === 'module') {
    const module = callee.root.module;
    if (ARCJET_MODULE.test(module) && calleeName(call) === 'protect') return arcjetLimiter(scope, call, region.context, callee, module);
    const fixed = FIXED_KEY_LIMITERS.find((l) => l.module.test(module) && l.signature.test(`${signature}.()`));
    if (fixed) return { library: fixed.name, key: fixed.key, description: `${fixed.name} keyed on ${describeKey(fixed.key)}`, location: locationOf(scope.project, call) };
    return undefined;
  }
  return bindingLimiter(scope, call, region.context);
}

/** `env.CHAT_LIMITER.limit({ key: ip })`: a Workers rate-limiting binding (not a module import). */
function bindingLimiter(scope: ProtectionScope, call: ts.CallExpression, context: CallContext): RateLimitFact | undefined {
  if (calleeName(call) !== 'limit' || call.arguments.length !== 1) return undefined;
  const options = unwrap(call.arguments[0]);
  const keyExpression = ts.isObjectLiteralExpression(options) ? propertyValue(objectProperty(options, 'key')) : undefined;
  if (!keyExpression) return undefined;
  const { key } = classifyKey(scope, keyExpression, context);
  return {
    library: 'cloudflare-rate-limiting',
    key,
    description: `Cloudflare rate-limiting binding keyed on ${describeKey(key)}`,
    location: locationOf(scope.project, call),
    keyLocation: locationOf(scope.project, keyExpression),
    keyDescription: keyExpression.getText(),
  };
}

function arcjetLimiter(scope: ProtectionScope, call: ts.CallExpression, context: CallContext, callee: AccessPath, module: string): RateLimitFact | undefined {
  // The client's creation options and every rule added with `withRule(...)` on the way to `protect`.
  const creations = callee.segments.flatMap((s) => (s.kind === 'call' ? [s.call] : []));
  const rules: ts.CallExpression[] = [];
  const characteristics: string[] = [];
  for (const creation of creations) {
    const options = creation.arguments[0] && unwrap(creation.arguments[0]);
    if (calleeName(creation) === 'withRule') {
      rules.push(...ruleCalls(creation.arguments[0], scope));
    } else if (options && ts.isObjectLiteralExpression(options)) {
      rules.push(...ruleCalls(propertyValue(objectProperty(options, 'rules')), scope));
      characteristics.push(...stringList(propertyValue(objectProperty(options, 'characteristics'))));
    }
  }
  const rateRules = rules.filter((rule) => ARCJET_RATE_RULES.has(calleeName(rule) ?? ''));
  if (rateRules.length === 0) return undefined;
  for (const rule of rateRules) {
    const options = rule.arguments[0] && unwrap(rule.arguments[0]);
    if (options && ts.isObjectLiteralExpression(options)) characteristics.push(...stringList(propertyValue(objectProperty(options, 'characteristics'))));
  }
  const details = call.arguments[1] && unwrap(call.arguments[1]);
  const keys = (characteristics.length ? characteristics : ['ip.src']).map((name): RateLimitKey => {
    if (name === 'ip.src') return 'ip';
    if (name.startsWith('http.')) return 'client';
    const value = details && ts.isObjectLiteralExpression(details) ? propertyValue(objectProperty(details, name)) : undefined;
    return value ? classifyKey(scope, value, context).key : 'unknown';
  });
  const key = (['client', 'user', 'ip', 'unknown', 'global'] as RateLimitKey[]).find((k) => keys.includes(k)) ?? 'unknown';
  return {
    library: module,
    key,
    description: `Arcjet ${rateRules.map((r) => calleeName(r)).join('/')} rule keyed on ${describeKey(key)}`,
    location: locationOf(scope.project, call),
  };
}

/** Rule calls in an array (or a single rule), following constants: `rules: [shield(), tokenBucket({...})]`. */
function ruleCalls(expression: ts.Expression | undefined, scope: ProtectionScope): ts.CallExpression[] {
  if (!expression) return [];
  let e = unwrap(expression);
  if (ts.isIdentifier(e)) {
    const declaration = scope.resolver.declarationOf(e);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) e = unwrap(declaration.initializer);
  }
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((element) => ruleCalls(element, scope));
  return ts.isCallExpression(e) ? [e] : [];
}

function stringList(expression: ts.Expression | undefined): string[] {
  const e = expression && unwrap(expression);
  if (!e || !ts.isArrayLiteralExpression(e)) return [];
  return e.elements.flatMap((element) => {
    const text = stringValue(element);
    return text === undefined ? [] : [text];
  });
}
