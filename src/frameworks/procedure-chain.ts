/**
 * Procedure builders: `base.use(mw).input(schema).mutation(fn)` (tRPC) and `client.use(mw).inputSchema(schema)
 * .action(fn)` (next-safe-action). A procedure's chain is its builder's middleware, base first, then the
 * handler; its schemas validate the input before the handler runs. Builders are followed through the
 * constants they are stored in (`export const protectedProcedure = t.procedure.use(isAuthed)`), across files.
 */
import ts from '../typescript.cjs';
import { isFunctionNode, unwrap } from '../semantic/ast.js';
import { returnExpressions } from '../semantic/resolve.js';
import type { FrameworkContext } from './types.js';
import { type Definer, definedFunction, initializerOf } from './module-exports.js';

export interface BuilderMethods {
  /** Methods that end a procedure with its handler: `mutation`, `query`, `action`. */
  terminals: ReadonlySet<string>;
  /** Methods that add a middleware: `use`. */
  middleware: ReadonlySet<string>;
  /** Methods that add an input schema: `input`, `schema`, `inputSchema`. */
  schemas: ReadonlySet<string>;
  /** Library calls that wrap a middleware function: `t.middleware(fn)`, `createMiddleware().define(fn)`. */
  middlewareDefiners: readonly Definer[];
}

export interface Procedure {
  terminal: string;
  handler: ts.Expression;
  /** Middleware functions (or library middleware expressions), in the order they run. */
  middleware: ts.Expression[];
  schemas: ts.Expression[];
}

const MAX_STEPS = 40;

/** The procedure a terminal call (`....mutation(fn)`) builds, when `call` is one. */
export function procedureOf(call: ts.CallExpression, context: FrameworkContext, methods: BuilderMethods): Procedure | undefined {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !methods.terminals.has(callee.name.text)) return undefined;
  const handler = call.arguments[call.arguments.length - 1];
  if (!handler) return undefined;
  const middleware: ts.Expression[] = [];
  const schemas: ts.Expression[] = [];
  let current: ts.Expression = callee.expression;
  for (let step = 0; step < MAX_STEPS; step++) {
    const e = initializerOf(current, context);
    if (!ts.isCallExpression(e)) break;
    const method = unwrap(e.expression);
    if (!ts.isPropertyAccessExpression(method)) break;
    const name = method.name.text;
    if (methods.middleware.has(name) && e.arguments[0]) middleware.unshift(middlewareFunction(e.arguments[0], context, methods));
    if (methods.schemas.has(name) && e.arguments[0]) schemas.unshift(e.arguments[0]);
    current = method.expression;
  }
  return { terminal: callee.name.text, handler, middleware, schemas };
}

/**
 * The function behind a middleware argument: inline, `t.middleware(fn)` stored in a constant, or a project
 * factory returning one (`rateLimited({ max: 10 })`).
 */
function middlewareFunction(argument: ts.Expression, context: FrameworkContext, methods: BuilderMethods): ts.Expression {
  const defined = definedFunction(argument, context, methods.middlewareDefiners);
  if (defined) return defined;
  const e = initializerOf(argument, context);
  if (isFunctionNode(e)) return e;
  if (ts.isCallExpression(e)) {
    const factory = context.resolver.resolveFunction(e.expression);
    for (const returned of factory ? returnExpressions(factory.fn) : []) {
      const inner = definedFunction(returned, context, methods.middlewareDefiners);
      if (inner) return inner;
    }
  }
  return argument;
}
