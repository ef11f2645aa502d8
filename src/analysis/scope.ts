/**
 * The code that runs before one paid call of one route: the bodies of its middleware and wrappers, the part
 * of each function on the way that precedes the call site, and the helpers called there. Protections are
 * looked for only here.
 */
import { ts } from 'ts-morph';
import type { ParsedProject } from '../engine/program.js';
import type { RouteLink } from '../frameworks/types.js';
import { type FunctionNode, isFunctionNode, unwrap } from './ast.js';
import { type Guard, type Region, findGuards, regionCalls } from './guards.js';
import type { ReachedAiCall } from './reach.js';
import { RequestParameters } from './request.js';
import { type AccessPath, CallContext, type Resolver } from './resolve.js';

export interface LibraryLink {
  expression: ts.Expression;
  path: AccessPath | undefined;
  origin: Region['origin'];
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
  reached: ReachedAiCall;
}

const HELPER_DEPTH = 2;

export function buildScope(
  project: ParsedProject,
  resolver: Resolver,
  links: RouteLink[],
  reached: ReachedAiCall,
): ProtectionScope {
  const requestParams = new RequestParameters();
  const regions: Region[] = [];
  const libraryLinks: LibraryLink[] = [];
  const onPath = new Set<FunctionNode>(reached.steps.map((s) => s.fn));

  for (const link of links.slice(0, -1)) {
    const origin: Region['origin'] = link.source === 'next-middleware' ? 'next-middleware' : 'middleware';
    const expression = unwrap(link.expression);
    const callee = link.role === 'wrapper' && ts.isCallExpression(expression) ? expression.expression : expression;
    const fn = resolver.resolveFunction(callee);
    if (fn) {
      requestParams.add(fn.fn);
      regions.push({ fn: fn.fn, context: fn.context.enter(fn.fn, undefined), includeNested: true, origin });
    } else {
      libraryLinks.push({ expression, path: resolver.resolve(expression), origin });
    }
    // Callbacks given to library middleware run as part of it: clerkMiddleware(async (auth, req) => ...).
    if (!fn && ts.isCallExpression(expression)) {
      for (const argument of expression.arguments) {
        const callback = resolver.resolveFunction(argument);
        if (callback) {
          requestParams.add(callback.fn);
          regions.push({ fn: callback.fn, context: CallContext.ROOT.enter(callback.fn, undefined), includeNested: true, origin });
        }
      }
    }
  }

  reached.steps.forEach((step, i) => {
    if (i === 0) requestParams.add(step.fn);
    regions.push({ fn: step.fn, context: step.context, before: step.site.getStart(), site: step.site, origin: 'handler' });
  });

  addHelperRegions(regions, resolver, onPath);
  const guards = regions.flatMap((region) => findGuards(region, resolver));
  const calls = regions.flatMap((region) => regionCalls(region).map((call) => ({ call, region })));
  return { project, resolver, requestParams, regions, guards, libraryLinks, calls, reached };
}

/** Helpers called before the paid call run their checks before it too: `await assertUnderDailyCap()`. */
function addHelperRegions(regions: Region[], resolver: Resolver, onPath: Set<FunctionNode>): void {
  const seen = new Set<FunctionNode>(regions.map((r) => r.fn));
  let frontier = regions.slice();
  for (let depth = 0; depth < HELPER_DEPTH && frontier.length; depth++) {
    const next: Region[] = [];
    for (const region of frontier) {
      for (const call of regionCalls(region)) {
        const target = resolver.resolveFunction(call.expression, region.context);
        if (!target || seen.has(target.fn) || onPath.has(target.fn) || !isFunctionNode(target.fn)) continue;
        seen.add(target.fn);
        next.push({ fn: target.fn, context: region.context.enter(target.fn, call), origin: region.origin });
      }
    }
    regions.push(...next);
    frontier = next;
  }
}
