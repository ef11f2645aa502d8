/**
 * tRPC: every procedure of a router (`t.router({...})`, `createTRPCRouter({...})`, nested routers and plain
 * nested objects, wherever they are defined) is an endpoint named `trpc.<router>.<procedure>`. Its chain is
 * the middleware its procedure builder was made with (`t.procedure.use(isAuthed)`, base first), then the
 * resolver; its `.input(schema)` validates the input the resolver gets as `input`.
 */
import ts from '../typescript.cjs';
import { callsIn, calleeName, propertyNameText, propertyValue, unwrap } from '../semantic/ast.js';
import type { FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';
import { type Definer, initializerOf, isDefinerCall } from './module-exports.js';
import { type BuilderMethods, procedureOf } from './procedure-chain.js';

const TRPC_MODULE = /^@trpc\/server(\/.*)?$/;
/** Procedure builders that name the package nowhere in the file (create-t3-app's `createTRPCRouter`). */
const TRPC_BUILDERS = /\b(?:createTRPCRouter|publicProcedure|protectedProcedure)\b/;
const ROUTER: Definer[] = [{ module: TRPC_MODULE, signature: /(^|\.)(router|createRouter)$/ }];
const MERGE: Definer[] = [{ module: TRPC_MODULE, signature: /(^|\.)mergeRouters$/ }];

const METHODS: Record<string, string> = { mutation: 'POST', query: 'GET', subscription: 'GET' };

export const TRPC_BUILDER: BuilderMethods = {
  terminals: new Set(Object.keys(METHODS)),
  middleware: new Set(['use']),
  schemas: new Set(['input']),
  middlewareDefiners: [
    { module: TRPC_MODULE, signature: /(^|\.)middleware$/ },
    { module: TRPC_MODULE, signature: /(^|\.)experimental_standaloneMiddleware\.\(\)\.create$/ },
  ],
};

export const trpcFramework: FrameworkPlugin = {
  name: 'trpc',
  triggers: {
    packages: ['@trpc/server/*'],
    markers: [TRPC_BUILDERS],
    crossFile: { packages: ['@trpc/*'], markers: [TRPC_BUILDERS], mounts: true },
  },
  findRoutes(context) {
    const routers = findRouters(context);
    const nested = new Set<ts.Node>();
    for (const router of routers) for (const child of childRouters(router, context)) nested.add(child);
    const routes: RouteEntry[] = [];
    for (const router of routers) {
      if (!nested.has(router)) expandRouter(router, 'trpc', context, routes, new Set());
    }
    return routes;
  },
};

function findRouters(context: FrameworkContext): ts.CallExpression[] {
  const routers: ts.CallExpression[] = [];
  for (const sourceFile of context.routeFiles) {
    for (const call of callsIn(sourceFile)) if (isRouterCall(call, context)) routers.push(call);
  }
  return routers;
}

function isRouterCall(call: ts.CallExpression, context: FrameworkContext): boolean {
  // Cheap test first: `router`, `t.router`, `createTRPCRouter`, `mergeRouters`.
  if (!/router/i.test(calleeName(call) ?? '')) return false;
  const first = call.arguments[0] && unwrap(call.arguments[0]);
  if (first && ts.isObjectLiteralExpression(first) && isDefinerCall(call, context, ROUTER)) return true;
  return isDefinerCall(call, context, MERGE);
}

/** The routers a router mounts, as their `router(...)` calls. */
function childRouters(router: ts.CallExpression, context: FrameworkContext): ts.CallExpression[] {
  const children: ts.CallExpression[] = [];
  const visit = (value: ts.Expression, depth: number) => {
    const e = initializerOf(value, context);
    if (ts.isCallExpression(e) && isRouterCall(e, context)) children.push(e);
    else if (ts.isObjectLiteralExpression(e) && depth < 5) for (const v of propertyValues(e)) visit(v.value, depth + 1);
  };
  if (isDefinerCall(router, context, MERGE)) router.arguments.forEach((a) => visit(a, 0));
  else for (const { value } of propertyValues(unwrap(router.arguments[0]) as ts.ObjectLiteralExpression)) visit(value, 0);
  return children;
}

function expandRouter(router: ts.CallExpression, prefix: string, context: FrameworkContext, routes: RouteEntry[], visiting: Set<ts.Node>): void {
  if (visiting.has(router)) return;
  visiting.add(router);
  if (isDefinerCall(router, context, MERGE)) {
    for (const argument of router.arguments) {
      const child = initializerOf(argument, context);
      if (ts.isCallExpression(child) && isRouterCall(child, context)) expandRouter(child, prefix, context, routes, visiting);
    }
  } else {
    expandRecord(unwrap(router.arguments[0]) as ts.ObjectLiteralExpression, prefix, context, routes, visiting);
  }
  visiting.delete(router);
}

function expandRecord(record: ts.ObjectLiteralExpression, prefix: string, context: FrameworkContext, routes: RouteEntry[], visiting: Set<ts.Node>): void {
  for (const { name, value, property } of propertyValues(record)) {
    const path = `${prefix}.${name}`;
    const e = initializerOf(value, context);
    if (ts.isObjectLiteralExpression(e)) {
      expandRecord(e, path, context, routes, visiting);
      continue;
    }
    if (!ts.isCallExpression(e)) continue;
    if (isRouterCall(e, context)) {
      expandRouter(e, path, context, routes, visiting);
      continue;
    }
    const procedure = procedureOf(e, context, TRPC_BUILDER);
    if (!procedure) continue;
    const chain: RouteLink[] = procedure.middleware.map((expression) => ({ role: 'middleware', expression }));
    chain.push({
      role: 'handler',
      expression: procedure.handler,
      validates: procedure.schemas.map((schema) => ({ part: 'body', schema })),
    });
    routes.push({ framework: 'trpc', method: METHODS[procedure.terminal], path, anchor: property, chain });
  }
}

function propertyValues(record: ts.ObjectLiteralExpression): { name: string; value: ts.Expression; property: ts.ObjectLiteralElementLike }[] {
  return record.properties.flatMap((property) => {
    const name = property.name && propertyNameText(property.name);
    const value = propertyValue(property);
    return name && value ? [{ name, value, property }] : [];
  });
}
