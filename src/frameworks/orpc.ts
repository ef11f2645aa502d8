/**
 * oRPC: every procedure of a router served by an `RPCHandler` or `OpenAPIHandler` (or, when none is found, of
 * an `os.router({...})`) is an RPC endpoint named `rpc:<router>.<procedure>`. Its chain is the middleware its
 * builder was made with (`os.use(requireUser)`, base first), then the handler; `.input(schema)` validates what
 * the handler gets as `input`.
 */
import ts from '../typescript.cjs';
import { calleeName, callsIn, propertyNameText, propertyValue, unwrap } from '../semantic/ast.js';
import { segmentSignature } from '../semantic/resolve.js';
import type { FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';
import { initializerOf } from './module-exports.js';
import { type BuilderMethods, procedureOf } from './procedure-chain.js';

const ORPC_MODULE = /^@orpc\//;
const ORPC_PACKAGES = ['@orpc/server', '@orpc/openapi'];
const SERVING = /^(RPCHandler|OpenAPIHandler)$/;
const ROUTER = /(^|\.)router$/;
const MAX_DEPTH = 8;

const ORPC_BUILDER: BuilderMethods = {
  terminals: new Set(['handler']),
  middleware: new Set(['use']),
  schemas: new Set(['input']),
  middlewareDefiners: [{ module: ORPC_MODULE, signature: /(^|\.)middleware$/ }],
};

export const orpcFramework: FrameworkPlugin = {
  name: 'orpc',
  triggers: { packages: ['@orpc/*'], crossFile: { packages: ['@orpc/*'], mounts: true } },
  findRoutes(context) {
    const files = context.routeFiles.filter((file) => context.mayImport(file, ORPC_PACKAGES));
    const served = files.flatMap((file) => servedRouters(file, context));
    const roots = served.length > 0 ? served : files.flatMap((file) => topLevelRouters(file, context));
    const routes: RouteEntry[] = [];
    const seen = new Set<string>();
    for (const root of roots) expand(root, '', context, routes, seen, 0);
    return routes;
  },
};

/** `new RPCHandler(router)`, `new OpenAPIHandler(router)`: the routers a server answers with. */
function servedRouters(file: ts.SourceFile, context: FrameworkContext): ts.Expression[] {
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.arguments?.[0] && SERVING.test(calleeName(node) ?? '') && isOrpc(node.expression, context)) found.push(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** `os.router({...})` calls that no other router nests. */
function topLevelRouters(file: ts.SourceFile, context: FrameworkContext): ts.Expression[] {
  return callsIn(file).filter((call) => isRouterCall(call, context) && !isNested(call, context));
}

function isNested(call: ts.CallExpression, context: FrameworkContext): boolean {
  for (let node: ts.Node = call.parent; node; node = node.parent) {
    if (ts.isCallExpression(node) && isRouterCall(node, context)) return true;
  }
  return false;
}

function isRouterCall(call: ts.CallExpression, context: FrameworkContext): boolean {
  if (calleeName(call) !== 'router') return false;
  const path = context.resolver.resolve(call.expression);
  return path?.root.kind === 'module' && ORPC_MODULE.test(path.root.module) && ROUTER.test(segmentSignature(path.segments));
}

function isOrpc(expression: ts.Expression, context: FrameworkContext): boolean {
  const path = context.resolver.resolve(expression);
  return path?.root.kind === 'module' && ORPC_MODULE.test(path.root.module);
}

/** What a name stands for, across files: `router` → the object literal or call it was declared with. */
function valueOf(expression: ts.Expression, context: FrameworkContext): ts.Expression {
  let e = initializerOf(expression, context);
  for (let i = 0; i < 4 && ts.isIdentifier(e); i++) {
    const declaration = context.resolver.declarationOf(e);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) break;
    e = initializerOf(declaration.initializer, context);
  }
  return unwrap(e);
}

function expand(value: ts.Expression, prefix: string, context: FrameworkContext, routes: RouteEntry[], seen: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH) return;
  const e = valueOf(value, context);
  if (ts.isCallExpression(e) && isRouterCall(e, context) && e.arguments[0]) {
    expand(e.arguments[0], prefix, context, routes, seen, depth + 1);
    return;
  }
  if (ts.isObjectLiteralExpression(e)) {
    for (const property of e.properties) {
      const name = property.name && propertyNameText(property.name);
      const inner = propertyValue(property);
      if (name && inner) expandProperty(inner, prefix ? `${prefix}.${name}` : name, property, context, routes, seen, depth);
    }
  }
}

function expandProperty(value: ts.Expression, path: string, property: ts.Node, context: FrameworkContext, routes: RouteEntry[], seen: Set<string>, depth: number): void {
  const e = valueOf(value, context);
  const procedure = ts.isCallExpression(e) && isOrpc(e.expression, context) ? procedureOf(e, context, ORPC_BUILDER) : undefined;
  if (!procedure) {
    expand(value, path, context, routes, seen, depth + 1);
    return;
  }
  const key = `${path} ${e.getSourceFile().fileName}:${e.getStart()}`;
  if (seen.has(key)) return;
  seen.add(key);
  const chain: RouteLink[] = procedure.middleware.map((expression) => ({ role: 'middleware', expression }));
  chain.push({ role: 'handler', expression: procedure.handler, validates: procedure.schemas.map((schema) => ({ part: 'body', schema })) });
  routes.push({ framework: 'orpc', method: 'POST', path: `rpc:${path}`, anchor: property, chain });
}
