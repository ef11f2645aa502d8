/**
 * Dollar exposure of one endpoint: what an abuser can spend through it in 24 hours, from the model's price,
 * the largest input the route accepts, the output cap, and the request rate its limiters allow. The
 * arithmetic and the price table live in `src/pricing`; this module reads the figures out of the code.
 */
import ts from '../typescript.cjs';
import type { EndpointFacts, Exposure, RateLimitKey } from '../model.js';
import { type AttackerAssumptions, DEFAULT_ATTACKERS, type ExposureEstimate, estimateDailyExposure, formatUsd, PriceUnknownError, parseDurationMs, requestsPerDayFromTokenBucket, requestsPerDayFromWindow, tokensFromCharacters } from '../pricing/index.js';
import { outputCapValue, type AiCallMatch } from '../providers/index.js';
import { calleeName, locationOf, objectProperty, propertyValue, unwrap } from '../semantic/ast.js';
import { numericValue } from './numbers.js';
import type { AccessPath } from '../semantic/resolve.js';
import type { ProtectionScope } from './scope.js';
import { methodChain, schemaDefinition } from './schema-chain.js';
import { dailySpendCapUsd } from './spend-cap.js';

/** Why a paid call has no dollar figure: the price table has no price for its provider or its unit. */
export interface PriceUnknown {
  priceUnknown: string;
}

export function exposureOf(scope: ProtectionScope, facts: EndpointFacts, attackers: AttackerAssumptions = DEFAULT_ATTACKERS): Exposure | PriceUnknown | undefined {
  const { match } = scope.reached;
  const modelChosenByClient = facts.clientParams.some((p) => p.parameter === 'model');
  const cap = dailySpendCapUsd(scope, facts);
  const capLocation = cap && locationOf(scope.project, cap.node);
  const input = {
    provider: providerOf(match, scope),
    model: match.model,
    modelChosenByClient,
    inputCapTokens: facts.unboundedInputs.length ? undefined : inputCapTokens(scope),
    outputCapTokens: facts.clientParams.some((p) => p.parameter !== 'model') ? undefined : outputCap(match, scope),
    limits: limiterRates(scope, facts),
    billedBy: match.billedBy,
    attackers,
    ...(cap && capLocation ? { dailySpendCap: { usd: cap.usd, where: `${capLocation.file}:${capLocation.line}`, perAccount: cap.perAccount } } : {}),
  };
  let estimate: ExposureEstimate;
  try {
    estimate = estimateDailyExposure(input);
  } catch (error) {
    if (!(error instanceof PriceUnknownError)) return undefined;
    if (match.billedBy) return { priceUnknown: `${match.provider} ${match.api}, billed by ${match.billedBy}` };
    return { priceUnknown: `${match.provider} ${match.api}${match.model ? ` (${match.model})` : ''}: no list price for ${input.provider}; ${tokenBounds(input.inputCapTokens, input.outputCapTokens)}` };
  }
  const cents = (n: number) => Math.round(n * 100) / 100;
  const range = estimate.priceRange;
  return {
    usdPerDay: cents(estimate.usdPerDay),
    display: formatUsd(estimate.usdPerDay),
    model: estimate.model,
    inputTokens: estimate.inputTokens,
    outputTokens: estimate.outputTokens,
    requestsPerDay: estimate.requestsPerDay,
    priceDate: estimate.priceDate,
    assumptions: estimate.assumptions,
    usdPerRequest: estimate.usdPerRequest,
    rate: estimate.rate,
    attackerIps: estimate.attackers.ips,
    attackerAccounts: estimate.attackers.accounts,
    ...(estimate.dailySpendCap && capLocation
      ? { dailySpendCap: { usd: estimate.dailySpendCap.usd, file: capLocation.file, line: capLocation.line, applied: estimate.dailySpendCap.applied } }
      : {}),
    ...(range
      ? {
          priceRange: {
            cheapest: { ...range.cheapest, usdPerDay: cents(range.cheapest.usdPerDay) },
            costliest: { ...range.costliest, usdPerDay: cents(range.costliest.usdPerDay) },
          },
        }
      : {}),
  };
}

/** The per-request token bounds the code sets, shown where no price can be put on them. */
function tokenBounds(inputCap: number | undefined, outputCap: number | undefined): string {
  const side = (cap: number | undefined, what: string) => (cap === undefined ? `${what} unbounded` : `at most ${cap.toLocaleString('en-US')} ${what} tokens`);
  return `${side(inputCap, 'input')} and ${side(outputCap, 'output')} per request`;
}

/** The AI SDK's model factory names the real provider: `anthropic('claude-...')` from `@ai-sdk/anthropic`. */
function providerOf(match: AiCallMatch, scope: ProtectionScope): string {
  if (match.provider !== 'vercel-ai' || !match.options) return match.provider;
  const model = propertyValue(objectProperty(match.options, 'model'));
  const factory = model && ts.isCallExpression(unwrap(model)) ? scope.resolver.resolve((unwrap(model) as ts.CallExpression).expression) : undefined;
  const module = factory?.root.kind === 'module' ? factory.root.module : '';
  return /^@ai-sdk\/(.+)$/.exec(module)?.[1] ?? match.provider;
}

/** Caps may be nested (`config.maxOutputTokens`) or set where the model was configured: the provider says where. */
function outputCap(match: AiCallMatch, scope: ProtectionScope): number | undefined {
  return largestValue(outputCapValue(match, scope.resolver), scope, 0);
}

/** A number, or the largest branch of a conditional (`premium ? 2000 : 200`), directly or through a const. */
function largestValue(expression: ts.Expression | undefined, scope: ProtectionScope, depth: number): number | undefined {
  const e = expression && unwrap(expression);
  if (!e || depth > 4) return undefined;
  if (ts.isConditionalExpression(e)) {
    const branches = [largestValue(e.whenTrue, scope, depth + 1), largestValue(e.whenFalse, scope, depth + 1)];
    return branches.some((b) => b === undefined) ? undefined : Math.max(...(branches as number[]));
  }
  const declaration = ts.isIdentifier(e) ? scope.resolver.declarationOf(e) : undefined;
  const initializer = declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer && unwrap(declaration.initializer) : undefined;
  if (initializer && ts.isConditionalExpression(initializer)) return largestValue(initializer, scope, depth + 1);
  return numericValue(e, scope.resolver);
}

/**
 * The largest input the caps allow, in characters turned into tokens: the sum of the `.max()` values of the
 * validated fields that reach the model (arrays multiply by their item size).
 */
function inputCapTokens(scope: ProtectionScope): number | undefined {
  let chars = 0;
  let found = false;
  for (const { call } of scope.calls) {
    const path = scope.resolver.resolve(call);
    if (path?.root.kind !== 'validated') continue;
    const size = schemaChars(path.root.schema, scope, 0);
    if (size === undefined) return undefined;
    chars += size;
    found = true;
  }
  return found ? tokensFromCharacters(chars) : undefined;
}

/** Characters a schema admits at most; undefined when some string or array in it is unbounded. */
function schemaChars(expression: ts.Expression, scope: ProtectionScope, depth: number): number | undefined {
  if (depth > 8) return undefined;
  const definition = schemaDefinition(expression, scope.resolver);
  const chain = definition ? methodChain(definition) : [];
  const base = chain[chain.length - 1];
  if (!base) return undefined;
  const name = calleeName(base) ?? '';
  const max = chain.map((c) => (['max', 'length', 'maxLength'].includes(calleeName(c) ?? '') ? numericValue(c.arguments[0], scope.resolver) : undefined)).find((n) => n !== undefined);
  if (['enum', 'literal', 'number', 'boolean', 'uuid', 'int', 'nativeEnum'].includes(name)) return 40;
  if (name === 'string') return max;
  if (name === 'array') {
    const item = base.arguments[0] ? schemaChars(base.arguments[0], scope, depth + 1) : undefined;
    return max !== undefined && item !== undefined ? max * item : undefined;
  }
  if (name === 'union' || name === 'discriminatedUnion') {
    const options = base.arguments[name === 'union' ? 0 : 1];
    const list = options && unwrap(options);
    if (!list || !ts.isArrayLiteralExpression(list)) return undefined;
    const sizes = list.elements.map((o) => schemaChars(o, scope, depth + 1));
    return sizes.some((s) => s === undefined) ? undefined : Math.max(...(sizes as number[]));
  }
  const object = chain.map((c) => c.arguments[0] && unwrap(c.arguments[0])).find((a): a is ts.ObjectLiteralExpression => !!a && ts.isObjectLiteralExpression(a));
  if (object && ['object', 'strictObject', 'extend'].some((n) => chain.some((c) => calleeName(c) === n))) {
    let total = 0;
    for (const property of object.properties) {
      const value = propertyValue(property);
      const size = value ? schemaChars(value, scope, depth + 1) : undefined;
      if (size === undefined) return undefined;
      total += size;
    }
    return total;
  }
  return undefined;
}

/** Requests per day each limiter allows, when its configuration is static. */
function limiterRates(scope: ProtectionScope, facts: EndpointFacts): { requestsPerDay: number; key: RateLimitKey }[] {
  const keyAt = (node: ts.Node): RateLimitKey | undefined => {
    const location = locationOf(scope.project, node);
    return facts.rateLimits.find((f) => f.location.file === location.file && f.location.line === location.line)?.key;
  };
  const rates: { requestsPerDay: number; key: RateLimitKey }[] = [];
  for (const link of scope.libraryLinks) {
    const creation = lastCall(link.path);
    const options = creation?.arguments[0] && unwrap(creation.arguments[0]);
    if (!creation || !options || !ts.isObjectLiteralExpression(options)) continue;
    const limit = numericValue(propertyValue(objectProperty(options, 'limit') ?? objectProperty(options, 'max')), scope.resolver);
    const windowValue = propertyValue(objectProperty(options, 'windowMs') ?? objectProperty(options, 'timeWindow'));
    const windowMs = windowValue && ts.isStringLiteralLike(unwrap(windowValue)) ? parseDurationMs((unwrap(windowValue) as ts.StringLiteral).text) : numericValue(windowValue, scope.resolver) ?? (limit ? 60_000 : undefined);
    const key = keyAt(creation) ?? keyAt(link.expression);
    if (limit && windowMs && key) rates.push({ requestsPerDay: requestsPerDayFromWindow(limit, windowMs), key });
  }
  for (const { call, region } of scope.calls) {
    const receiver = ts.isPropertyAccessExpression(unwrap(call.expression)) ? (unwrap(call.expression) as ts.PropertyAccessExpression).expression : undefined;
    const path = receiver ? scope.resolver.resolve(receiver, region.context) : undefined;
    const key = keyAt(call);
    if (!path || path.root.kind !== 'module' || !key) continue;
    const construction = path.segments.find((s) => s.kind === 'new');
    const options = construction?.kind === 'new' && construction.call?.arguments?.[0] ? unwrap(construction.call.arguments[0]) : undefined;
    if (!options || !ts.isObjectLiteralExpression(options)) continue;
    const perDay = path.root.module === '@upstash/ratelimit' ? upstashRate(options, scope) : flexibleRate(options, scope);
    if (perDay) rates.push({ requestsPerDay: perDay, key });
  }
  return rates;
}

function lastCall(path: AccessPath | undefined): ts.CallExpression | undefined {
  const segment = path ? [...path.segments].reverse().find((s) => s.kind === 'call') : undefined;
  return segment?.kind === 'call' ? segment.call : undefined;
}

/** `limiter: Ratelimit.slidingWindow(20, '1 h')`, `fixedWindow(...)`, `tokenBucket(refill, '1 m', max)`. */
function upstashRate(options: ts.ObjectLiteralExpression, scope: ProtectionScope): number | undefined {
  const limiter = propertyValue(objectProperty(options, 'limiter'));
  const call = limiter && unwrap(limiter);
  if (!call || !ts.isCallExpression(call)) return undefined;
  const kind = calleeName(call);
  const [a, b, c] = call.arguments;
  const duration = (x: ts.Expression | undefined) => (x && ts.isStringLiteralLike(unwrap(x)) ? parseDurationMs((unwrap(x) as ts.StringLiteral).text) : numericValue(x, scope.resolver));
  if (kind === 'tokenBucket') {
    const refill = numericValue(a, scope.resolver);
    const interval = duration(b);
    return refill && interval ? requestsPerDayFromTokenBucket(refill, interval, numericValue(c, scope.resolver) ?? 0) : undefined;
  }
  const tokens = numericValue(a, scope.resolver);
  const window = duration(b);
  return tokens && window ? requestsPerDayFromWindow(tokens, window) : undefined;
}

/** rate-limiter-flexible: `{ points: 10, duration: 60 }` (duration in seconds). */
function flexibleRate(options: ts.ObjectLiteralExpression, scope: ProtectionScope): number | undefined {
  const points = numericValue(propertyValue(objectProperty(options, 'points')), scope.resolver);
  const seconds = numericValue(propertyValue(objectProperty(options, 'duration')), scope.resolver);
  return points && seconds ? requestsPerDayFromWindow(points, seconds * 1000) : undefined;
}
