/**
 * Stage 7, facts: for one route, the paid calls it reaches and, for each, the protections that stand before
 * it. How the calls of one route add up to a verdict is the rules' policy (rules/least-protected.ts).
 */
import type { AiCall, Endpoint, EndpointFacts, Framework, LayerFile } from '../model.js';
import type { ParsedProject } from '../parse/program.js';
import type { RouteEntry } from '../frameworks/types.js';
import type { Provider } from '../providers/index.js';
import ts from '../typescript.cjs';
import { type FunctionNode, locationOf, propertyNameText, unwrap } from '../semantic/ast.js';
import { authFacts } from './auth.js';
import { presenceOnlyAuth } from './presence.js';
import { unboundedInputFacts } from './input-bounds.js';
import { rateLimitFacts } from './rate-limit.js';
import { reachAiCalls } from '../reach/reach.js';
import { CallContext, type Resolver } from '../semantic/resolve.js';
import type { KnownLibraries } from '../semantic/libraries.js';
import { buildScope } from './scope.js';
import { type CustomFunctions, NO_CUSTOM_FUNCTIONS, customAuthFacts, customRateLimitFacts, customSpendCapFacts } from './custom-functions.js';
import { clientParamFacts } from './cost-params.js';
import { failOpenSpendCapFacts, spendCapFacts } from './spend-cap.js';
import { setsOutputCap, type AiCallMatch } from '../providers/index.js';
import { type Evidence, type Exposure, placeKey, type UncappedOutput } from '../model.js';
import { exposureOf } from './exposure.js';
import { type AttackerAssumptions, DEFAULT_ATTACKERS } from '../pricing/estimate.js';
import { unseenElements } from './unseen.js';

/**
 * Paid calls analysed per route. What stands before a call is searched for each call, in the code before it, so
 * the cost grows with the square of the calls: 3,000 calls in one handler took minutes and a gigabyte.
 */
export const MAX_PAID_CALLS_PER_ROUTE = 64;

export function analyzeRoute(
  route: RouteEntry,
  project: ParsedProject,
  resolver: Resolver,
  providers: readonly Provider[],
  libraries: KnownLibraries,
  custom: CustomFunctions = NO_CUSTOM_FUNCTIONS,
  attackers: AttackerAssumptions = DEFAULT_ATTACKERS,
  onBudgetHit: (message: string) => void = () => undefined,
): Omit<Endpoint, 'id' | 'facts'> | undefined {
  const handlerLink = route.chain[route.chain.length - 1];
  const handler = resolveHandler(handlerLink.expression, resolver, handlerLink.context ?? CallContext.ROOT);
  if (!handler || !mayReachPaidCall(route, handler.fn, handler.context, resolver)) return undefined;
  const allReached = reachAiCalls(handler.fn, handler.context.enter(handler.fn, undefined), resolver, providers);
  if (allReached.length === 0) return undefined;
  const reached = allReached.slice(0, MAX_PAID_CALLS_PER_ROUTE);
  if (allReached.length > reached.length) {
    onBudgetHit(`${route.method} ${route.path} reaches ${allReached.length} paid calls: only the first ${reached.length} analysed, findings on the others may be missing`);
  }

  const exposures: Exposure[] = [];
  const unpriced = new Set<string>();
  const callFacts: EndpointFacts[] = reached.map((call) => {
    const scope = buildScope(project, resolver, route.chain, call, libraries, custom, route.path);
    const dismissedLimiters: Evidence[] = [];
    const protections = {
      auth: [...authFacts(scope), ...customAuthFacts(scope)],
      presenceOnlyAuth: presenceOnlyAuth(scope),
      rateLimits: [...rateLimitFacts(scope, dismissedLimiters), ...customRateLimitFacts(scope)],
      spendCaps: [...spendCapFacts(scope), ...customSpendCapFacts(scope)],
    };
    const facts: EndpointFacts = {
      ...protections,
      failOpenSpendCaps: failOpenSpendCapFacts(scope),
      unboundedInputs: unboundedInputFacts(scope),
      clientParams: clientParamFacts(scope),
      uncappedOutputs: uncappedOutput(call.match, project),
      unseen: [...(route.unseen ?? []), ...unseenElements(scope, protections, dismissedLimiters)],
    };
    const exposure = exposureOf(scope, facts, attackers);
    if (exposure && 'priceUnknown' in exposure) unpriced.add(exposure.priceUnknown);
    else if (exposure) exposures.push(exposure);
    return facts;
  });
  // The costliest paid call of the route sets its exposure.
  const exposure = exposures.sort((a, b) => b.usdPerDay - a.usdPerDay)[0];

  const aiCalls: AiCall[] = [];
  const seen = new Set<string>();
  for (const { match } of reached) {
    const location = locationOf(project, match.call);
    const key = placeKey(location);
    if (seen.has(key)) continue;
    seen.add(key);
    aiCalls.push({ location, provider: match.provider, api: match.api, ...(match.model ? { model: match.model } : {}) });
  }

  return {
    framework: route.framework as Framework,
    method: route.method,
    path: route.path,
    location: locationOf(project, route.anchor),
    ...(route.mount ? { mount: route.mount } : {}),
    aiCalls,
    callFacts,
    ...(exposure ? { exposure } : {}),
    ...(unpriced.size ? { priceUnknown: [...unpriced].sort() } : {}),
    layerFiles: layerFiles(route, resolver, project),
  };
}

/** Where the route's layers and handler were registered, and the files of the functions they resolve to. */
function layerFiles(route: RouteEntry, resolver: Resolver, project: ParsedProject): LayerFile[] {
  const files = new Map<string, LayerFile>();
  const add = (fileName: string, via: LayerFile['via']) => {
    const file = project.relative(fileName);
    if (!files.has(`${via} ${file}`)) files.set(`${via} ${file}`, { file, via });
  };
  for (const link of route.chain) {
    add(link.expression.getSourceFile().fileName, 'registration');
    const resolved = resolveHandler(link.expression, resolver, link.context ?? CallContext.ROOT);
    if (resolved) add(resolved.fn.getSourceFile().fileName, 'function');
    // A middleware made elsewhere by a library wrapper: `export const requireUser = createMiddleware(async (c, next) => ...)`.
    const made = resolved ? undefined : resolver.resolve(link.expression, link.context ?? CallContext.ROOT);
    if (made?.root.kind === 'local') add(made.root.node.getSourceFile().fileName, 'function');
    for (const segment of made?.segments ?? []) if (segment.kind === 'call') add(segment.call.getSourceFile().fileName, 'function');
  }
  return [...files.values()];
}

/**
 * The function that handles the request, through the shapes handlers are registered in: a reference, a
 * factory's result, `controller.handle.bind(controller)`, a library wrapper such as `asyncHandler(fn)`.
 */
function resolveHandler(expression: ts.Expression, resolver: Resolver, context: CallContext): { fn: FunctionNode; context: CallContext } | undefined {
  let current = unwrap(expression);
  for (let depth = 0; depth < 5; depth++) {
    const fn = resolver.resolveFunction(current, context);
    if (fn) return fn;
    // `const controller = asyncHandler(async (req, res) => ...)`, registered by name: the wrapping call.
    if (!ts.isCallExpression(current)) {
      const made = wrappingCall(current, resolver, context);
      if (!made) return undefined;
      current = made;
      continue;
    }
    const callee = unwrap(current.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') {
      current = unwrap(callee.expression);
      continue;
    }
    const inner = [...current.arguments].reverse().find((argument) => {
      const a = unwrap(argument);
      return ts.isArrowFunction(a) || ts.isFunctionExpression(a) || ts.isCallExpression(a) || resolver.resolveFunction(a, context) !== undefined;
    });
    if (!inner) return undefined;
    current = unwrap(inner);
  }
  return undefined;
}

/** The call a name's value was made by (`asyncHandler(fn)` behind `const controller`), wherever it was declared. */
function wrappingCall(expression: ts.Expression, resolver: Resolver, context: CallContext): ts.CallExpression | undefined {
  const path = resolver.resolve(expression, context);
  const last = path?.segments[path.segments.length - 1];
  return last?.kind === 'call' ? last.call : undefined;
}

/**
 * Nothing in the import closure of the handler's file, nor of the file that registers it, nor of the files whose
 * calls passed the app in (any of which may hand the handler a client), mentions an AI SDK or provider: the route
 * cannot reach a paid call.
 */
function mayReachPaidCall(route: RouteEntry, handler: FunctionNode, context: CallContext, resolver: Resolver): boolean {
  const graph = resolver.importGraph;
  if (!graph) return true;
  const files = [handler.getSourceFile(), route.anchor.getSourceFile()];
  for (let frame: CallContext | undefined = context; frame?.call; frame = frame.parent) files.push(frame.call.getSourceFile());
  if (files.some((file) => graph.reaches(file.fileName))) return true;
  // A client attached to a shared object in another file (a decoration, a context key) is read by name.
  return files.some((file) => resolver.fields?.readsAttachedAiValue(file.text) === true);
}

/** The paid call when its options, as written, set none of the provider's output-cap options. */
function uncappedOutput(match: AiCallMatch, project: ParsedProject): UncappedOutput[] {
  // A model configured once and called without per-call options (`new ChatOpenAI({...})`, then `chain.invoke(x)`).
  const options = match.options ?? match.modelOptions;
  if (!options || match.outputCapProperties.length === 0) return [];
  if (options.properties.some((p) => ts.isSpreadAssignment(p))) return [];
  const names = new Set(options.properties.map((p) => (p.name ? propertyNameText(p.name) : undefined)));
  if (match.outputCapProperties.some((cap) => names.has(cap)) || setsOutputCap(match)) return [];
  return [{ location: locationOf(project, match.call), description: `${match.provider} ${match.api} sets no output-token limit`, provider: match.provider }];
}
