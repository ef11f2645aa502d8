/**
 * Rate-limit facts: limiter middleware and plugins (express-rate-limit, express-slow-down, @fastify/rate-limit,
 * koa-ratelimit, hono-rate-limiter, NestJS's ThrottlerGuard), @upstash/ratelimit `limit(key)`,
 * rate-limiter-flexible `consume(key)`, and hand-written counters that refuse with 429. Each limiter's key
 * is traced back to what it is made of: the client address, a verified user, a constant, or a value the
 * client sends and can rotate.
 */
import ts from '../typescript.cjs';
import type { Evidence, RateLimitFact, RateLimitKey } from '../model.js';
import { calleeName, isFunctionNode, locationOf, objectProperty, propertyNameText, propertyValue, unwrap } from './ast.js';
import { type Guard, type Region, isRateGuard } from './guards.js';
import { limiterCall } from './limiter-calls.js';
import { dependencyMajor, platformSetsHeader, proxyTrust } from './deployment.js';
import { disabledByOptions, envGate, strictest } from './limiter-conditions.js';
import { requestOrigin, type RequestOrigin, type RequestSource } from './request.js';
import { type AccessPath, CallContext, memberNames, returnExpressions, segmentSignature } from './resolve.js';
import type { MiddlewareLimiterLibrary } from './libraries.js';
import type { LibraryLink, ProtectionScope } from './scope.js';

const USER_NAMES = /^(user|users|userid|user_id|uid|sub|account|accountid|member|memberid|org|orgid|organization|team|teamid|tenant|tenantid|workspace|workspaceid|customer|customerid|owner|ownerid)$/i;

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
