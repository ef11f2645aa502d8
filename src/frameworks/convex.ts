/**
 * Convex functions: `export const name = action({ args, handler })` (also `mutation`, `query`, `httpAction`) from
 * the project's `convex/_generated/server`, or made through a wrapper around one (convex-helpers'
 * `customAction(action, ...)`). Clients call them by name over Convex's API, so the path is `<module>:<name>`
 * (`notes:summarize`); the handler's second parameter is what the client sent. `internalAction` and the other
 * internal functions are not client-callable and are not endpoints.
 */
import path from 'node:path';
import ts from '../typescript.cjs';
import { accessChain, objectProperty, stringValue, unwrap } from '../semantic/ast.js';
import { importedSpecifier } from '../semantic/bindings.js';
import type { Resolver, Segment } from '../semantic/resolve.js';
import type { FrameworkContext, FrameworkPlugin, RouteEntry } from './types.js';
import { exportNamed, moduleExports } from './module-exports.js';

const CONVEX_FILE = /(?:^|\/)convex\/((?!_generated\/)[^.]+)\.(?:ts|js|mjs)$/;
const PUBLIC_FUNCTIONS = new Set(['action', 'mutation', 'query', 'httpAction']);
const GENERIC_FUNCTIONS: Record<string, string> = { actionGeneric: 'action', mutationGeneric: 'mutation', queryGeneric: 'query', httpActionGeneric: 'httpAction' };
/** `(ctx, args)`: the arguments are the client's. */
const ARGS_FROM_CLIENT = new Map<number, Segment[]>([[1, [{ kind: 'member', name: 'body' }]]]);

export const convexFramework: FrameworkPlugin = {
  name: 'convex',
  triggers: {
    packages: ['convex/*'],
    routeFiles: CONVEX_FILE,
    ownRouteFiles: CONVEX_FILE,
    // A function scheduled or run by reference (`internal.notes.summarize`): no import shows where it runs.
    callsWithoutImports: { markers: [/_generated\/api(?:\.js)?['"][\s\S]*\.(?:runAfter|runAt|runAction|runMutation|runQuery)\s*\(/] },
  },
  findRoutes(context) {
    const routes: RouteEntry[] = [];
    for (const sourceFile of context.routeFiles) {
      const module = CONVEX_FILE.exec(context.project.relative(sourceFile.fileName))?.[1];
      if (!module) continue;
      for (const exported of moduleExports(sourceFile)) {
        const call = unwrap(exported.value);
        if (!ts.isCallExpression(call)) continue;
        const checks: ts.Expression[] = [];
        const kind = functionKind(call.expression, context, 0, checks);
        const handler = kind && PUBLIC_FUNCTIONS.has(kind) ? handlerOf(call, kind) : undefined;
        if (!handler) continue;
        const parts = kind === 'httpAction' ? undefined : ARGS_FROM_CLIENT;
        routes.push({
          framework: 'convex',
          method: 'POST',
          path: `${module}:${exported.name}`,
          anchor: ts.isVariableDeclaration(exported.value.parent) ? exported.value.parent : exported.anchor,
          chain: [
            ...checks.map((expression) => ({ role: 'middleware' as const, expression })),
            { role: 'handler', expression: handler, ...(parts ? { requestParts: parts } : {}) },
          ],
        });
      }
    }
    return routes;
  },
};

/**
 * `action`, `mutation`... for a builder from `_generated/server` or `convex/server`, or a wrapper made from one;
 * the functions a wrapper runs first (convex-helpers' `customCtx(async (ctx) => ...)`) are added to `checks`.
 */
function functionKind(expression: ts.Expression, context: FrameworkContext, depth: number, checks: ts.Expression[]): string | undefined {
  const e = unwrap(expression);
  if (depth > 4 || !ts.isIdentifier(e)) return undefined;
  // Through the generated `export const action = actionGeneric`, when the generated code is there.
  const made = context.resolver.resolve(e);
  const names = made?.root.kind === 'module' && made.root.module === 'convex/server' && made.segments.every((s) => s.kind === 'member') ? made.segments : [];
  if (names.length === 1 && names[0].kind === 'member') return GENERIC_FUNCTIONS[names[0].name];
  // Imported from `_generated/server` when the generated code is not in the tree.
  const declaration = context.resolver.declarationOf(e);
  const specifier = declaration ? stringValue(importedSpecifier(declaration)) : undefined;
  if (declaration && specifier !== undefined && /(?:^|\/)_generated\/server(?:\.js)?$/.test(specifier)) {
    return ts.isImportSpecifier(declaration) ? (declaration.propertyName ?? declaration.name).text : e.text;
  }
  // `export const actionWithUser = customAction(action, { ... })`, here or in a module it is imported from: a
  // wrapper keeps the kind of what it wraps.
  const wrapper = wrapperCall(e, context);
  if (!wrapper?.arguments[0]) return undefined;
  for (const argument of wrapper.arguments.slice(1)) checks.unshift(...functionsIn(argument));
  return functionKind(wrapper.arguments[0], context, depth + 1, checks);
}

/** The call that made a wrapper: `customAction(action, ...)`, found where the name is declared, in this file or another. */
function wrapperCall(identifier: ts.Identifier, context: FrameworkContext): ts.CallExpression | undefined {
  const made = context.resolver.resolve(identifier);
  if (made?.root.kind === 'local' && made.segments.length === 0) {
    const node = unwrap(made.root.node as ts.Expression);
    return ts.isCallExpression(node) ? node : undefined;
  }
  const calls = (made?.segments ?? []).flatMap((segment) => (segment.kind === 'call' ? [segment.call] : []));
  return calls[calls.length - 1];
}

/** The functions written in an argument: `customCtx(async (ctx) => ...)` holds one. */
function functionsIn(argument: ts.Expression): ts.Expression[] {
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) found.push(node);
    else ts.forEachChild(node, visit);
  };
  visit(argument);
  return found;
}

/** The handler: the `handler` of the definition object, the function itself for `httpAction(fn)` or `query(fn)`. */
function handlerOf(call: ts.CallExpression, kind: string): ts.Expression | undefined {
  const argument = call.arguments[0] && unwrap(call.arguments[0]);
  if (!argument) return undefined;
  if (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) return argument;
  if (kind === 'httpAction' || !ts.isObjectLiteralExpression(argument)) return undefined;
  const property = objectProperty(argument, 'handler');
  if (property && ts.isMethodDeclaration(property)) return property as unknown as ts.Expression;
  return property && ts.isPropertyAssignment(property) ? unwrap(property.initializer) : undefined;
}

/** Calls that run another Convex function by reference: scheduled, or run from an action. */
const RUNNERS = new Set(['runAfter', 'runAt', 'runAction', 'runMutation', 'runQuery']);

/**
 * The handlers a call runs by reference: `ctx.scheduler.runAfter(0, internal.notes.summarize, args)` and
 * `ctx.runAction(api.ai.explain, args)` run the function `summarize` exported by `convex/notes.ts`.
 */
export function convexFunctionsRun(call: ts.CallExpression, resolver: Resolver): ts.Expression[] {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !RUNNERS.has(callee.name.text)) return [];
  return call.arguments.flatMap((argument) => {
    const handler = referencedHandler(argument, resolver);
    return handler ? [handler] : [];
  });
}

/** `internal.notes.summarize` (or `api.`), with `internal` imported from `_generated/api`: its handler. */
function referencedHandler(reference: ts.Expression, resolver: Resolver): ts.Expression | undefined {
  const { root: current, names } = accessChain(reference);
  if (!ts.isIdentifier(current) || names.length < 2) return undefined;
  const convexDir = generatedApiFolder(current, resolver);
  if (!convexDir) return undefined;
  const exported = names[names.length - 1];
  const moduleBase = path.join(convexDir, ...names.slice(0, -1));
  for (const extension of ['.ts', '.js', '.mjs']) {
    const file = resolver.project.sourceFile(moduleBase + extension);
    const definition = file && exportNamed(file, exported)?.value;
    const call = definition && unwrap(definition);
    if (call && ts.isCallExpression(call)) return handlerOf(call, 'action');
  }
  return undefined;
}

/** The `convex/` folder whose `_generated/api` declares `identifier` (`internal`, `api`), whether or not it is generated yet. */
function generatedApiFolder(identifier: ts.Identifier, resolver: Resolver): string | undefined {
  const declaration = resolver.declarationOf(identifier);
  if (!declaration) return undefined;
  const generated = /^(.*)[\\/]_generated[\\/]api(?:\.d)?\.(?:js|ts)$/.exec(declaration.getSourceFile().fileName);
  if (generated) return generated[1];
  const specifier = stringValue(importedSpecifier(declaration));
  if (!specifier || !/(?:^|\/)_generated\/api(?:\.js)?$/.test(specifier)) return undefined;
  return path.dirname(path.resolve(path.dirname(identifier.getSourceFile().fileName), specifier, '..'));
}
