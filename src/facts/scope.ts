/**
 * The code that runs before one paid call of one route: the bodies of its middleware and wrappers, the part
 * of each function on the way that precedes the call site, and the helpers called there. Protections are
 * looked for only here.
 */
import ts from '../typescript.cjs';
import type { ParsedProject } from '../parse/program.js';
import type { Evidence } from '../model.js';
import type { DeclaredValidation, RouteLink } from '../frameworks/types.js';
import { type FunctionNode, isFunctionNode, unwrap } from '../semantic/ast.js';
import { type Guard, type Region, findGuards, regionCalls } from './checks.js';
import { type CustomFunctions, NO_CUSTOM_FUNCTIONS } from './custom-functions.js';
import { type PathPlacement, pathConditionHolds, placementForPath, undecidedPathPart } from './path-conditions.js';
import type { ReachedAiCall } from '../reach/reach.js';
import { RequestParameters } from './request.js';
import { type AccessPath, CallContext, type Resolver } from '../semantic/resolve.js';
import type { KnownLibraries } from '../semantic/libraries.js';

export interface LibraryLink {
  expression: ts.Expression;
  path: AccessPath | undefined;
  origin: Region['origin'];
  /** The chain link as the framework declared it (registration options...). */
  link: RouteLink;
}

export interface ScopedCall {
  call: ts.CallExpression;
  region: Region;
}

export interface ProtectionScope {
  project: ParsedProject;
  resolver: Resolver;
  requestParams: RequestParameters;
  regions: Region[];
  guards: Guard[];
  /** Chain links that are not project functions: library middleware such as `rateLimit({...})`. */
  libraryLinks: LibraryLink[];
  /** Calls made before the paid call, e.g. `ratelimit.limit(ip)`. */
  calls: ScopedCall[];
  /** Request parts the framework validates against a declared schema (a Fastify route schema, a NestJS DTO). */
  validations: DeclaredValidation[];
  /** Authentication the platform enforces, declared outside the code (an API Gateway authorizer). */
  platformAuth: Evidence[];
  reached: ReachedAiCall;
  /** The expressions registered before the handler (middleware, wrappers), in order. */
  links: ts.Expression[];
  /** The project's own helpers named in the config file. */
  custom: CustomFunctions;
  /** The protection libraries the frameworks and the analysis know. */
  libraries: KnownLibraries;
  /** Checks and calls of a layer under a condition on the request path the analysis cannot evaluate for this route. */
  pathUndecided: PathUndecided[];
}

/** A check or call that may or may not run for this route: the path condition it sits under, and the guard if any. */
export interface PathUndecided {
  condition: ts.Expression;
  guard?: Guard;
}

const HELPER_DEPTH = 2;

export function buildScope(
  project: ParsedProject,
  resolver: Resolver,
  links: RouteLink[],
  reached: ReachedAiCall,
  libraries: KnownLibraries,
  custom: CustomFunctions = NO_CUSTOM_FUNCTIONS,
  routePath?: string,
): ProtectionScope {
  const requestParams = new RequestParameters();
  const regions: Region[] = [];
  const libraryLinks: LibraryLink[] = [];
  const onPath = new Set<FunctionNode>(reached.steps.map((s) => s.fn));

  for (const link of links.slice(0, -1)) {
    const origin: Region['origin'] = link.source === 'next-middleware' ? 'next-middleware' : 'middleware';
    const expression = unwrap(link.expression);
    const callee = link.role === 'wrapper' && ts.isCallExpression(expression) ? expression.expression : expression;
    const registeredIn = link.context ?? CallContext.ROOT;
    const fn = resolver.resolveFunction(callee, registeredIn);
    if (fn) {
      requestParams.add(fn.fn, link.requestParts);
      const cut = link.handsOnAt ? { before: link.handsOnAt.getStart(), site: link.handsOnAt } : { includeNested: true };
      regions.push({ fn: fn.fn, context: fn.context.enter(fn.fn, undefined), ...cut, origin, refusesOnFalse: link.refusesOnFalse });
    }
    const path = fn ? undefined : resolver.resolve(expression, registeredIn);
    if (!fn) libraryLinks.push({ expression, path, origin, link });
    // Callbacks given to library middleware run as part of it: clerkMiddleware(async (auth, req) => ...), also
    // when the middleware was made elsewhere: `export const requireUser = createMiddleware(async (c, next) => ...)`.
    const creation = ts.isCallExpression(expression) ? expression : creationCall(path);
    if (!fn && creation) {
      for (const argument of creation.arguments) {
        const callback = resolver.resolveFunction(argument, registeredIn);
        if (callback) {
          requestParams.add(callback.fn);
          regions.push({ fn: callback.fn, context: callback.context.enter(callback.fn, undefined), includeNested: true, origin });
        }
      }
    }
  }

  reached.steps.forEach((step, i) => {
    if (i === 0) requestParams.add(step.fn, links[links.length - 1]?.requestParts);
    regions.push({ fn: step.fn, context: step.context, before: step.site.getStart(), site: step.site, origin: 'handler' });
  });

  addHelperRegions(regions, resolver, onPath);
  // A layer's check under a condition on the request path counts only where that condition holds.
  // Only URL paths: server actions and RPC procedures are named otherwise and reached under other URLs.
  const urlPath = routePath?.startsWith('/') ? routePath : undefined;
  const placement = (node: ts.Node, region: Region): PathPlacement =>
    region.origin === 'handler' || urlPath === undefined ? { runs: true } : placementForPath(node, region.fn, urlPath, { resolver, requestParams });
  const pathUndecided: PathUndecided[] = [];
  const runs = (node: ts.Node, region: Region, guard?: Guard): boolean => {
    const placed = placement(node, region);
    if (!placed.runs && placed.condition) pathUndecided.push({ condition: placed.condition, guard });
    return placed.runs;
  };
  const guards = regions
    .flatMap((region) => findGuards(region, resolver))
    .filter((guard) => {
      if (!runs(guard.node, guard.region, guard)) return false;
      const own = ownPathCondition(guard, urlPath, { resolver, requestParams });
      if (own === 'undecided') pathUndecided.push({ condition: guard.condition!, guard });
      return own === 'check';
    });
  const calls = regions.flatMap((region) => regionCalls(region).map((call) => ({ call, region }))).filter(({ call, region }) => runs(call, region));
  const validations = links.flatMap((link) => link.validates ?? []);
  const before = links.slice(0, -1).map((link) => link.expression);
  const platformAuth = links.flatMap((link) => link.platformAuth ?? []);
  return { project, resolver, requestParams, regions, guards, libraryLinks, calls, reached, validations, platformAuth, links: before, custom, libraries, pathUndecided };
}

/** The call that made a library middleware stored in a constant: `createMiddleware(fn)` in `const auth = createMiddleware(fn)`. */
function creationCall(path: AccessPath | undefined): ts.CallExpression | undefined {
  const segments = path?.root.kind === 'module' ? path.segments : [];
  const last = segments[segments.length - 1];
  return last?.kind === 'call' ? last.call : undefined;
}

/**
 * A layer's `if` on the request path: `if (pathname.startsWith('/api/')) return 401` refuses this route only
 * when the condition holds for it; an `if` on the path whose branch holds another check is not a check itself
 * (the nested guard is). A refusal under a path condition the analysis cannot evaluate is `undecided`.
 */
function ownPathCondition(guard: Guard, urlPath: string | undefined, reading: Parameters<typeof pathConditionHolds>[2]): 'check' | 'skip' | 'undecided' {
  if (urlPath === undefined || guard.region.origin === 'handler' || !guard.condition || !ts.isIfStatement(guard.node)) return 'check';
  const holds = pathConditionHolds(guard.condition, urlPath, reading);
  let nested = false;
  const visit = (node: ts.Node): void => {
    if (ts.isIfStatement(node)) nested = true;
    if (!nested) ts.forEachChild(node, visit);
  };
  visit(guard.node.thenStatement);
  if (holds === undefined) return !undecidedPathPart(guard.condition, urlPath, reading) ? 'check' : nested ? 'skip' : 'undecided';
  return !holds || nested ? 'skip' : 'check';
}

/** `fastify.getUser(request)`, the one function the project stores under that name (`fastify.decorate('getUser', fn)`). */
function storedHelper(call: ts.CallExpression, resolver: Resolver): FunctionNode | undefined {
  const callee = unwrap(call.expression);
  return ts.isPropertyAccessExpression(callee) ? resolver.fields?.onlyFunctionNamed(callee.name.text) : undefined;
}

/** Helpers called before the paid call run their checks before it too: `await assertUnderDailyCap()`. */
function addHelperRegions(regions: Region[], resolver: Resolver, onPath: Set<FunctionNode>): void {
  const seen = new Set<FunctionNode>(regions.map((r) => r.fn));
  let frontier = regions.slice();
  for (let depth = 0; depth < HELPER_DEPTH && frontier.length; depth++) {
    const next: Region[] = [];
    for (const region of frontier) {
      for (const call of regionCalls(region)) {
        const fn = resolver.resolveFunction(call.expression, region.context)?.fn ?? storedHelper(call, resolver);
        if (!fn || seen.has(fn) || onPath.has(fn) || !isFunctionNode(fn)) continue;
        seen.add(fn);
        next.push({ fn, context: region.context.enter(fn, call), origin: region.origin });
      }
    }
    regions.push(...next);
    frontier = next;
  }
}
