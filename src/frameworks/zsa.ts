/**
 * zsa server actions: `procedure.createServerAction().input(schema).handler(fn)`, where a procedure is
 * `createServerActionProcedure(parent?).handler(check)`. The procedure's checks run before the action's
 * handler, the parent's first; a check refuses by throwing. The actions are Next.js server actions.
 */
import ts from '../typescript.cjs';
import { unwrap } from '../semantic/ast.js';
import type { FrameworkContext, RouteLink } from './types.js';
import { initializerOf } from './module-exports.js';

const ZSA_MODULE = /^zsa$/;
const MAX_STEPS = 40;

/** The chain of an exported zsa action (its procedures' checks, then its handler), when `call` builds one. */
export function zsaActionChain(call: ts.CallExpression, context: FrameworkContext): RouteLink[] | undefined {
  const terminal = methodCall(call, 'handler');
  if (!terminal || !isZsa(call, context)) return undefined;
  const schemas: ts.Expression[] = [];
  const checks: ts.Expression[] = [];
  let current: ts.Expression = terminal.receiver;
  for (let step = 0; step < MAX_STEPS; step++) {
    const e = initializerOf(current, context);
    if (!ts.isCallExpression(e)) break;
    const callee = unwrap(e.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    if (callee.name.text === 'input' && e.arguments[0]) schemas.unshift(e.arguments[0]);
    if (callee.name.text === 'createServerAction') {
      checks.push(...procedureChecks(callee.expression, context, 0));
      break;
    }
    current = callee.expression;
  }
  return [
    ...checks.map((expression): RouteLink => ({ role: 'middleware', expression })),
    { role: 'handler', expression: terminal.argument, validates: schemas.map((schema) => ({ part: 'body', schema })) },
  ];
}

/** The checks of a procedure, its parent's first: `createServerActionProcedure(parent).handler(check)`. */
function procedureChecks(procedure: ts.Expression, context: FrameworkContext, depth: number): ts.Expression[] {
  const e = initializerOf(procedure, context);
  if (depth > 8 || !ts.isCallExpression(e)) return [];
  const step = methodCall(e, 'handler');
  if (!step) {
    const callee = unwrap(e.expression);
    // `createServerActionProcedure(parent)`: the parent's checks; other chained calls (`.input`) are passed through.
    if (ts.isPropertyAccessExpression(callee)) return procedureChecks(callee.expression, context, depth + 1);
    return e.arguments[0] ? procedureChecks(e.arguments[0], context, depth + 1) : [];
  }
  return [...procedureChecks(step.receiver, context, depth + 1), step.argument];
}

function methodCall(call: ts.CallExpression, name: string): { receiver: ts.Expression; argument: ts.Expression } | undefined {
  const callee = unwrap(call.expression);
  const argument = call.arguments[call.arguments.length - 1];
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== name || !argument) return undefined;
  return { receiver: callee.expression, argument };
}

function isZsa(call: ts.CallExpression, context: FrameworkContext): boolean {
  const path = context.resolver.resolve(call.expression);
  return path?.root.kind === 'module' && ZSA_MODULE.test(path.root.module);
}
