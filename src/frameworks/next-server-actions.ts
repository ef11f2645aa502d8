/**
 * Next.js Server Actions: every export of a `'use server'` module that client code can reach
 * (server-action-exposure.ts), and every function whose body starts with `'use server'` (inline actions in
 * components), is a public POST endpoint: anyone can call it with any arguments. Its arguments are client
 * input. A route file or middleware that starts with `'use server'` is that route, not actions.
 * next-safe-action clients (`client.use(mw).inputSchema(schema).action(fn)`) and zsa procedures
 * (`procedure.createServerAction().handler(fn)`) add their middleware and schema.
 * A Next.js middleware counts only when it runs on every path: an action answers on whatever page posts it.
 */
import ts from '../typescript.cjs';
import { type FunctionNode, isFunctionNode, unwrap, walk } from '../semantic/ast.js';
import { type Segment, member } from '../semantic/resolve.js';
import type { FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';
import { declarationAnchor, moduleExports } from './module-exports.js';
import { ActionExposure, isServerEntry } from './server-action-exposure.js';
import { handlerChain } from './nextjs-app.js';
import { nextMiddlewareLinks, nextMiddlewareRoots } from './nextjs-middleware.js';
import { type BuilderMethods, procedureOf } from './procedure-chain.js';
import { zsaActionChain } from './zsa.js';

const SAFE_ACTION_MODULE = /^next-safe-action$/;
const USE_SERVER = /['"]use server['"]/;

const SAFE_ACTION_BUILDER: BuilderMethods = {
  terminals: new Set(['action', 'stateAction']),
  middleware: new Set(['use']),
  schemas: new Set(['schema', 'inputSchema']),
  middlewareDefiners: [{ module: SAFE_ACTION_MODULE, signature: /(^|\.)createMiddleware\.\(\)\.define$/ }],
};

export const nextServerActionsFramework: FrameworkPlugin = {
  name: 'nextjs-server-action',
  triggers: { packages: ['next-safe-action', 'zsa'], markers: [USE_SERVER], crossFile: { packages: [], markers: [USE_SERVER] } },
  findRoutes(context) {
    const routes: RouteEntry[] = [];
    const layersOf = everyPathMiddleware(context);
    const exposure = new ActionExposure(context.project);
    for (const sourceFile of context.routeFiles) {
      const relative = context.project.relative(sourceFile.fileName);
      const layers = layersOf(relative);
      if (hasUseServer(sourceFile.statements)) {
        if (isServerEntry(relative)) continue;
        for (const exported of moduleExports(sourceFile)) {
          if (!exposure.isServed(sourceFile.fileName, exported.name)) continue;
          const chain = actionChain(exported.value, context);
          if (chain) routes.push(action(exported.name, exported.anchor, [...layers, ...chain]));
        }
        continue;
      }
      // Inline actions carry the directive in their body: no walk for files without it.
      if (!sourceFile.text.includes('use server')) continue;
      walk(sourceFile, (node) => {
        if (!isFunctionNode(node) || !node.body || !ts.isBlock(node.body) || !hasUseServer(node.body.statements)) return;
        routes.push(action(functionName(node), declarationAnchor(node), [...layers, { role: 'handler', expression: node as unknown as ts.Expression, requestParts: argumentParts(node) }]));
        return false;
      });
    }
    return routes;
  },
};

function action(name: string, anchor: ts.Node, chain: RouteLink[]): RouteEntry {
  return { framework: 'nextjs-server-action', method: 'POST', path: `action:${name}`, anchor, chain };
}

/** The chain of an exported action: a next-safe-action procedure, or a (possibly wrapped) function. */
function actionChain(value: ts.Expression, context: FrameworkContext): RouteLink[] | undefined {
  const e = unwrap(value);
  if (ts.isCallExpression(e)) {
    const procedure = procedureOf(e, context, SAFE_ACTION_BUILDER);
    if (procedure && isSafeActionClient(e, context)) {
      return [
        ...procedure.middleware.map((expression): RouteLink => ({ role: 'middleware', expression })),
        { role: 'handler', expression: procedure.handler, validates: procedure.schemas.map((schema) => ({ part: 'body', schema })) },
      ];
    }
    const zsa = zsaActionChain(e, context);
    if (zsa) return zsa;
  }
  const chain = handlerChain(value, context);
  const handler = chain[chain.length - 1];
  const fn = context.resolver.resolveFunction(handler.expression);
  if (!fn) return undefined;
  // Wrapped (`withAuth(async (user, input) => ...)`), the function gets what the wrapper passes, not the client's arguments.
  chain[chain.length - 1] = { ...handler, requestParts: chain.length === 1 ? argumentParts(fn.fn) : new Map() };
  return chain;
}

/** Does the builder chain start at a next-safe-action client (`createSafeActionClient()`)? */
function isSafeActionClient(call: ts.CallExpression, context: FrameworkContext): boolean {
  const path = context.resolver.resolve(call.expression);
  return path?.root.kind === 'module' && SAFE_ACTION_MODULE.test(path.root.module);
}

/** Every argument of a server action is a value the client sends. */
function argumentParts(fn: FunctionNode): Map<number, Segment[]> {
  return new Map(fn.parameters.map((_, i) => [i, [member('body')]]));
}

function hasUseServer(statements: ts.NodeArray<ts.Statement>): boolean {
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === 'use server') return true;
  }
  return false;
}

function functionName(fn: FunctionNode): string {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  if (ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return 'inline';
}

/**
 * Next.js middleware that runs on every path (no matcher, or one matching any page), for an action in a file.
 * Actions live anywhere in their app, so a file belongs to the app of the nearest middleware folder holding it.
 */
function everyPathMiddleware(context: FrameworkContext): (file: string) => RouteLink[] {
  const forPath = nextMiddlewareLinks(context);
  const roots = nextMiddlewareRoots(context).sort((a, b) => b.length - a.length);
  return (file) => {
    const appRoot = roots.find((root) => root === '' || file.startsWith(`${root}/`));
    if (appRoot === undefined) return [];
    const deep = new Set(forPath('/any/page/path', appRoot).map((link) => link.expression));
    return forPath('/', appRoot).filter((link) => deep.has(link.expression));
  };
}
