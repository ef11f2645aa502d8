/**
 * Rate-limit facts: limiter middleware and plugins (express-rate-limit, express-slow-down, @fastify/rate-limit,
 * koa-ratelimit, hono-rate-limiter, NestJS's ThrottlerGuard), @upstash/ratelimit `limit(key)`,
 * rate-limiter-flexible `consume(key)`, and hand-written counters that refuse with 429. Each limiter's key
 * is traced back to what it is made of: the client address, a verified user, a constant, or a value the
 * client sends and can rotate.
 */
import ts from '../typescript.cjs';
import type { Evidence, RateLimitFact } from '../model.js';
import { calleeName, isFunctionNode, locationOf, objectProperty, propertyNameText, propertyValue, unwrap } from '../semantic/ast.js';
import { type Guard, type Region, isRateGuard } from './checks.js';
import { limiterCall } from './limiter-calls.js';
import { classifyKey, combine, describeKey, USER_NAMES } from './limiter-keys.js';
import { dependencyMajor, proxyTrust } from './deployment.js';
import { disabledByOptions, envGate, strictest } from './limiter-conditions.js';
import { type AccessPath, CallContext, returnExpressions, segmentSignature } from '../semantic/resolve.js';
import type { MiddlewareLimiterLibrary } from '../semantic/libraries.js';
import type { LibraryLink, ProtectionScope } from './scope.js';

/**
 * The limiters that hold before the paid call. Limiters seen but judged to limit nothing (switched off by their
 * options, never run in production, an answer nobody reads) are added to `dismissed`: seen, not unknown.
 */
export function rateLimitFacts(scope: ProtectionScope, dismissed: Evidence[] = []): RateLimitFact[] {
  const facts: RateLimitFact[] = [];
  const dismiss = (node: ts.Node, why: string) => dismissed.push({ location: locationOf(scope.project, node), description: why });
  let droppedLimiterCall = false;
  for (const link of scope.libraryLinks) {
    const path = link.path;
    if (path?.root.kind !== 'module') continue;
    const module = path.root.module;
    const signature = segmentSignature(path.segments).replace(/^default\.?/, '');
    const limiter = scope.libraries.middlewareLimiters.find((l) => l.module === module && (!l.signature || l.signature.test(signature)));
    if (!limiter) continue;
    const creation = [...path.segments].reverse().find((s) => s.kind === 'call');
    const call = creation?.kind === 'call' ? creation.call : undefined;
    const fact = middlewareLimiter(scope, limiter, call, link);
    if (fact) facts.push(...gated(scope, fact, dismiss, link.expression, call));
    else dismiss(link.expression, `${module} switched off by its options`);
  }
  for (const { call, region } of scope.calls) {
    const path = scope.resolver.resolve(call.expression, region.context);
    const shaped = limiterCall(scope, call, region, path, path ? segmentSignature(path.segments) : '');
    if (shaped) {
      facts.push(...gated(scope, shaped, dismiss, call));
      continue;
    }
    if (path?.root.kind !== 'module') continue;
    const module = path.root.module;
    const signature = segmentSignature(path.segments);
    if (!scope.libraries.callLimiters.some((l) => l.module === module && l.signature.test(signature))) continue;
    if (neverLimits(scope, call, path)) {
      // Its `if (!success) return 429` refuses nobody either: not a hand-written counter.
      droppedLimiterCall = true;
      dismiss(call, `${module} ${calleeName(call)}() that cannot refuse`);
      continue;
    }
    const keyExpression = call.arguments[0];
    const key = keyExpression ? classifyKey(scope, keyExpression, region.context) : { key: 'global' as const };
    facts.push(...gated(scope, {
      library: module,
      key: key.key,
      description: `${module} ${calleeName(call)}() keyed on ${describeKey(key.key)}`,
      location: locationOf(scope.project, call),
      keyLocation: keyExpression ? locationOf(scope.project, keyExpression) : undefined,
      keyDescription: keyExpression?.getText(),
    }, dismiss, call));
  }
  if (facts.length === 0 && !droppedLimiterCall) facts.push(...counterLimiters(scope, dismiss));
  return facts;
}

/**
 * A limiter call that cannot refuse: its answer is thrown away (`await ratelimit.limit(ip);`, a `success` nobody
 * reads), or the limiter was built with no limit (`Ratelimit.slidingWindow(Infinity, '1 m')`, `points: Infinity`).
 * rate-limiter-flexible's `consume` refuses by throwing, so its result need not be read.
 */
function neverLimits(scope: ProtectionScope, call: ts.CallExpression, path: AccessPath): boolean {
  if (calleeName(call) === 'limit' && resultIgnored(call)) return true;
  const creation = path.segments.find((s) => s.kind === 'new');
  const options = creation?.kind === 'new' ? creation.call?.arguments?.[0] : undefined;
  const object = options && unwrap(options);
  if (!object || !ts.isObjectLiteralExpression(object)) return false;
  const algorithm = propertyValue(objectProperty(object, 'limiter'));
  const tokens = algorithm && ts.isCallExpression(unwrap(algorithm)) ? (unwrap(algorithm) as ts.CallExpression).arguments[0] : undefined;
  if (tokens && /^(Infinity|Number\.POSITIVE_INFINITY|Number\.MAX_SAFE_INTEGER|Number\.MAX_VALUE)$/.test(unwrap(tokens).getText())) return true;
  return disabledByOptions([object], false, scope.resolver) !== undefined;
}

function resultIgnored(call: ts.CallExpression): boolean {
  let outer: ts.Node = call;
  while (ts.isAwaitExpression(outer.parent) || ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  if (ts.isExpressionStatement(outer.parent) || ts.isVoidExpression(outer.parent)) return true;
  const declaration = outer.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== outer) return false;
  const names: ts.Identifier[] = [];
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.push(name);
    else for (const element of name.elements) if (ts.isBindingElement(element)) collect(element.name);
  };
  collect(declaration.name);
  const body = ts.findAncestor(declaration, isFunctionNode) ?? declaration.getSourceFile();
  return !names.some((name) => isReferenced(name, body));
}

/** Is the declared name read anywhere in the function besides its declaration? */
function isReferenced(name: ts.Identifier, within: ts.Node): boolean {
  const visit = (node: ts.Node): boolean =>
    (ts.isIdentifier(node) && node !== name && node.text === name.text && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) || !!ts.forEachChild(node, visit);
  return visit(within);
}

/** The fact as it holds in production: dropped when it never runs there, marked when an env var decides. */
function gated(scope: ProtectionScope, fact: RateLimitFact, dismiss: Dismiss, ...nodes: (ts.Node | undefined)[]): RateLimitFact[] {
  const gate = strictest(...nodes.map((node) => node && envGate(node, scope.resolver)));
  if (gate?.kind === 'never') {
    dismiss(nodes.find((node) => node !== undefined)!, `${fact.library} limiter that never runs in production`);
    return [];
  }
  return [gate ? { ...fact, conditional: gate.condition } : fact];
}

function middlewareLimiter(scope: ProtectionScope, limiter: MiddlewareLimiterLibrary, call: ts.CallExpression | undefined, link: LibraryLink): RateLimitFact | undefined {
  const module = limiter.module;
  const registered = link.expression;
  const argument = call?.arguments[0] && unwrap(call.arguments[0]);
  // The creation call's options, then options the framework recorded (a Fastify route's, then the plugin's).
  const options = [...(argument && ts.isObjectLiteralExpression(argument) ? [argument] : []), ...(link.link.options ?? [])];
  if (disabledByOptions(options, zeroMeansUnlimited(scope, module, call ?? registered), scope.resolver)) return undefined;
  const keyGenerator = limiter.keyOption ? options.map((o) => objectProperty(o, limiter.keyOption!)).find(Boolean) : undefined;
  const keyMethod = limiter.keyMethod ? subclassMethod(registered, limiter.keyMethod) : undefined;
  const location = locationOf(scope.project, call ?? registered);
  if (!keyGenerator && !keyMethod) {
    if (limiter.defaultKey === 'ip' && proxyTrust(scope.project).all) {
      const keyDescription = "req.ip under trust proxy: true, the left-most X-Forwarded-For entry the client writes";
      return { library: module, key: 'client', description: `${module} keyed on ${keyDescription} (its default)`, location, keyDescription };
    }
    const key = limiter.defaultKey;
    return { library: module, key, description: `${module} keyed on ${describeKey(key)}${key === 'ip' ? ' (its default)' : ''}`, location };
  }
  const generator = keyMethod
    ? { fn: keyMethod, context: CallContext.ROOT }
    : ts.isMethodDeclaration(keyGenerator!) ? { fn: keyGenerator, context: CallContext.ROOT } : scope.resolver.resolveFunction(propertyValue(keyGenerator)!);
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

/** express-rate-limit before v7 reads a limit of 0 as "no limit"; from v7 it refuses every request. */
function zeroMeansUnlimited(scope: ProtectionScope, module: string, at: ts.Node): boolean {
  if (module !== 'express-rate-limit') return false;
  const major = dependencyMajor(scope.project, at.getSourceFile().fileName, module);
  return major !== undefined && major < 7;
}

/** `class UserThrottlerGuard extends ThrottlerGuard { getTracker(req) {...} }`: the override of `name`. */
function subclassMethod(heritageExpression: ts.Expression, name: string): ts.MethodDeclaration | undefined {
  const parent = heritageExpression.parent;
  if (!parent || !ts.isExpressionWithTypeArguments(parent) || !ts.isHeritageClause(parent.parent)) return undefined;
  const declaration = parent.parent.parent;
  return declaration.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && propertyNameText(m.name) === name && !!m.body);
}

/** A hand-written limiter: a guard that refuses with 429 (or reads a request counter), keyed on its counter. */
const COUNTER_CALL = /^(incr|incrby|increment|hincrby|zadd|zcard)$/i;

/** The counter call whose result the guard's condition reads (`const hits = await redis.incr(key)`). */
function counterReadBy(guard: Guard, counters: ProtectionScope['calls']): ProtectionScope['calls'][number] | undefined {
  if (!guard.condition) return undefined;
  const names = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, collect);
  };
  collect(guard.condition);
  return counters.find(({ call }) => {
    const declaration = ts.findAncestor(call, ts.isVariableDeclaration);
    return !!declaration && ts.isIdentifier(declaration.name) && names.has(declaration.name.text);
  });
}

type Dismiss = (node: ts.Node, why: string) => void;

function counterLimiters(scope: ProtectionScope, dismiss: Dismiss): RateLimitFact[] {
  const facts: RateLimitFact[] = [];
  for (const guard of scope.guards) {
    if (!isRateGuard(guard)) continue;
    const counters = scope.calls.filter(({ call }) => COUNTER_CALL.test(calleeName(call) ?? ''));
    // Each check goes with the counter it reads: in its own function first, then the nearest before it.
    const counter = counterReadBy(guard, counters) ?? counters.find((c) => c.region === guard.region) ?? counters[0] ?? counterWriteBack(scope, guard);
    const key = counter?.call.arguments[0] ? classifyKey(scope, counter.call.arguments[0], counter.region.context) : undefined;
    // Without a visible counter key, a count looked up per user (getMessageCountByUserId) is keyed on the user.
    const perUser = [...guard.words].some((w) => USER_NAMES.test(w));
    facts.push(...gated(scope, {
      library: 'counter',
      key: key?.key ?? (perUser ? 'user' : 'unknown'),
      description: `a request counter that refuses with ${guard.statuses.join('/') || 'an error'}`,
      location: locationOf(scope.project, guard.node),
      keyLocation: counter ? locationOf(scope.project, counter.call.arguments[0] ?? counter.call) : undefined,
      keyDescription: counter?.call.arguments[0]?.getText(),
    }, dismiss, guard.node));
  }
  return facts;
}

/**
 * A counter kept in a store without an increment command: the value the guard compares is written back under
 * a key, `storage.setItem(key, hits + 1, { ttl })`, `env.KV.put(key, String(count + 1), ...)`,
 * `hits.set(ip, [...recent, now])`.
 */
function counterWriteBack(scope: ProtectionScope, guard: Guard): ProtectionScope['calls'][number] | undefined {
  const compared = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) compared.add(node.text);
    ts.forEachChild(node, collect);
  };
  if (guard.condition) collect(guard.condition);
  const mentionsCompared = (node: ts.Node): boolean => (ts.isIdentifier(node) && compared.has(node.text)) || !!ts.forEachChild(node, mentionsCompared);
  const writes = (call: ts.CallExpression) =>
    /^(set|setItem|put|setex|hset)$/.test(calleeName(call) ?? '') && call.arguments.length >= 2 && call.arguments.slice(1).some(mentionsCompared);
  return scope.calls.find(({ call }) => writes(call)) ?? scope.regions.flatMap((region) => writesAfter(region, guard, writes)).at(0);
}

/** Writes after the guard in the same function: the count is stored once the request is let through. */
function writesAfter(region: Region, guard: Guard, writes: (call: ts.CallExpression) => boolean): ProtectionScope['calls'] {
  if (region !== guard.region) return [];
  const found: ProtectionScope['calls'] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.getStart() > guard.node.getEnd() && writes(node)) found.push({ call: node, region });
    ts.forEachChild(node, visit);
  };
  if (region.fn.body) visit(region.fn.body);
  return found;
}
