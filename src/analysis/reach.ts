/**
 * Stage 6, reach: from a handler, follow calls into project functions (across files) to the paid AI calls
 * they make, bounded in depth and in functions visited. Each reached call keeps the path of call sites that
 * led to it, so the analyses know what ran before it in every function on the way.
 */
import { ts } from 'ts-morph';
import type { AiCallMatch, Provider } from '../providers/index.js';
import type { FunctionNode } from './ast.js';
import { CallContext, type Resolver } from './resolve.js';

/** One function on the way to a paid call, and the call site in it that leads on (or the paid call itself). */
export interface Step {
  fn: FunctionNode;
  site: ts.CallExpression;
  context: CallContext;
}

export interface ReachedAiCall {
  match: AiCallMatch;
  /** Handler first; the last step's site is the paid call. */
  steps: Step[];
}

const MAX_DEPTH = 12;
const MAX_FUNCTIONS = 400;

export function reachAiCalls(
  handler: FunctionNode,
  context: CallContext,
  resolver: Resolver,
  providers: readonly Provider[],
): ReachedAiCall[] {
  const reached: ReachedAiCall[] = [];
  const visited = new Set<FunctionNode>();
  const visit = (fn: FunctionNode, ctx: CallContext, steps: Step[]): void => {
    if (visited.has(fn) || visited.size >= MAX_FUNCTIONS || steps.length > MAX_DEPTH || !fn.body) return;
    visited.add(fn);
    forEachCall(fn.body, (call) => {
      const match = matchAiCall(call, ctx, resolver, providers);
      if (match) {
        reached.push({ match, steps: [...steps, { fn, site: call, context: ctx }] });
        return;
      }
      const step = { fn, site: call, context: ctx };
      const target = resolver.resolveFunction(call.expression, ctx);
      if (target && !target.fn.getSourceFile().isDeclarationFile) {
        visit(target.fn, ctx.enter(target.fn, call), [...steps, step]);
      }
      // Functions passed by reference run too: `withRetry(callModel)`, `items.map(summarize)`.
      for (const argument of call.arguments) {
        if (!ts.isIdentifier(argument) && !ts.isPropertyAccessExpression(argument)) continue;
        const passed = resolver.resolveFunction(argument, ctx);
        if (passed) visit(passed.fn, ctx.enter(passed.fn, undefined), [...steps, step]);
      }
    });
  };
  visit(handler, context, []);
  return reached;
}

export function matchAiCall(
  call: ts.CallExpression,
  context: CallContext,
  resolver: Resolver,
  providers: readonly Provider[],
): AiCallMatch | undefined {
  const callee = resolver.resolve(call.expression, context);
  for (const provider of providers) {
    const match = provider.matchCall(call, callee, resolver);
    if (match) return match;
  }
  return undefined;
}

/** Every call in a function body, including inside callbacks defined there. */
function forEachCall(body: ts.Node, visit: (call: ts.CallExpression) => void): void {
  const recurse = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) visit(node);
    if (ts.isClassLike(node)) return;
    ts.forEachChild(node, recurse);
  };
  recurse(body);
}
