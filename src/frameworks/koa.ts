/**
 * Koa with @koa/router (or koa-router): `app.use(mw)` layers in order, `router.post(path, ...mw, handler)`
 * (also named routes, `router.post('name', path, ...)`), `router.use(path?, ...mw)`, routers mounted with
 * `app.use(router.routes())` or nested with `router.use('/prefix', sub.routes())`, and router prefixes.
 */
import ts from '../typescript.cjs';
import { objectProperty, propertyValue, stringValue, unwrap, walk } from '../semantic/ast.js';
import type { FrameworkContext, FrameworkPlugin } from './types.js';
import {
  type LayeredApp,
  appFor,
  expandLayeredApps,
  flattenArguments,
  isPathArgument,
  pathText,
  positionOf,
  prefixCovers,
  registrationAnchor,
} from './layered.js';
import type { ProtectionLibraries } from '../semantic/libraries.js';

const ROUTER_MODULES = new Set(['@koa/router', 'koa-router']);
const KOA_PACKAGES = ['koa', ...ROUTER_MODULES];
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options']);
/** Router methods that return the router, so registrations can be chained. */
const CHAINABLE = new Set([...ROUTE_METHODS, 'use', 'prefix', 'param']);

/** The authentication and rate-limit middleware of the Koa ecosystem, and its harmless plumbing. */
const KOA_LIBRARIES: ProtectionLibraries = {
  authMiddleware: [{ module: 'koa-jwt', signature: /^\(\)(\.unless\.\(\))?$/, name: 'koa-jwt' }],
  middlewareLimiters: [{ module: 'koa-ratelimit', keyOption: 'id', defaultKey: 'ip' }],
  harmless: [{ module: /^(koa|koa-(bodyparser|body|logger|helmet|compress|static|router|mount)|@koa\/(cors|bodyparser|router|multer))$/ }],
};

export const koaFramework: FrameworkPlugin = {
  name: 'koa',
  libraries: KOA_LIBRARIES,
  triggers: { packages: KOA_PACKAGES, crossFile: { packages: ['koa', '@koa/*', 'koa-router'], mounts: true } },
  findRoutes(context) {
    return expandLayeredApps(collectApps(context), {
      name: 'koa',
      project: context.project,
      mounted: (handler) => mountedRouter(handler, context),
      covers: (scope, path) => prefixCovers(scope, path),
    });
  },
};

function collectApps(context: FrameworkContext): Map<ts.Node, LayeredApp> {
  const apps = new Map<ts.Node, LayeredApp>();
  for (const sourceFile of context.routeFiles) {
    if (!context.mayImport(sourceFile, KOA_PACKAGES)) continue;
    walk(sourceFile, (node) => {
      if (ts.isNewExpression(node)) {
        const router = routerOf(node, context);
        if (router) {
          const prefix = routerPrefix(node);
          if (prefix) appFor(apps, router).prefix = prefix;
        }
        return;
      }
      if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
      const method = node.expression.name.text;
      if (!CHAINABLE.has(method)) return;
      const receiver = node.expression.expression;
      const koaApp = appOf(receiver, context);
      const creation = koaApp ?? routerOf(receiver, context);
      if (!creation) return;
      const app = appFor(apps, creation);
      app.isRouter = koaApp === undefined;
      const args = [...node.arguments];
      const position = positionOf(node.expression.name);
      const anchor = registrationAnchor(node);
      if (method === 'prefix') {
        app.prefix = stringValue(args[0]) ?? app.prefix;
      } else if (method === 'use') {
        const hasPath = isPathArgument(args[0]);
        app.registrations.push({ kind: 'use', scope: hasPath ? pathText(args[0]) : '', handlers: withoutAllowedMethods(flattenArguments(hasPath ? args.slice(1) : args)), position });
      } else if (ROUTE_METHODS.has(method)) {
        // router.post('chat', '/chat', handler): a named route.
        const named = args.length >= 3 && stringValue(args[0]) !== undefined && isPathArgument(args[1]);
        const pathIndex = named ? 1 : 0;
        if (!isPathArgument(args[pathIndex]) || args.length < pathIndex + 2) return;
        const verb = method === 'del' ? 'DELETE' : method.toUpperCase();
        app.registrations.push({ kind: 'route', method: verb, path: pathText(args[pathIndex]), handlers: flattenArguments(args.slice(pathIndex + 1)), anchor, position });
      }
    });
  }
  return apps;
}

/** `new Koa()`, also followed by chained `use` calls. */
function appOf(expression: ts.Expression, context: FrameworkContext): ts.Node | undefined {
  return creationOf(expression, context, new Set(['koa']), 'Koa', new Set(['use']));
}

/** `new Router()` from @koa/router or koa-router, also followed by chained registrations. */
function routerOf(expression: ts.Expression, context: FrameworkContext): ts.Node | undefined {
  return creationOf(expression, context, ROUTER_MODULES, 'Router', CHAINABLE);
}

function creationOf(expression: ts.Expression, context: FrameworkContext, modules: Set<string>, className: string, chainable: Set<string>): ts.Node | undefined {
  const path = context.resolver.moduleValue(context.resolver.resolve(expression));
  if (!path || path.root.kind !== 'module' || !modules.has(path.root.module)) return undefined;
  const segments = path.segments.filter((s) => !(s.kind === 'member' && (s.name === 'default' || s.name === className)));
  const creation = segments[0];
  if (creation?.kind !== 'new' || !creation.call) return undefined;
  for (let i = 1; i < segments.length; i += 2) {
    const name = segments[i];
    if (name?.kind !== 'member' || !chainable.has(name.name) || segments[i + 1]?.kind !== 'call') return undefined;
  }
  return creation.call;
}

/** `router.routes()` / `router.middleware()`: the router it mounts. */
function mountedRouter(handler: ts.Expression, context: FrameworkContext): ts.Node | undefined {
  const e = unwrap(handler);
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return undefined;
  if (e.expression.name.text !== 'routes' && e.expression.name.text !== 'middleware') return undefined;
  return routerOf(e.expression.expression, context);
}

function routerPrefix(creation: ts.NewExpression): string | undefined {
  const options = creation.arguments?.[0] && unwrap(creation.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  return stringValue(propertyValue(objectProperty(options, 'prefix')));
}

/** `router.allowedMethods()` answers OPTIONS and 405s after the routes: not a layer before them. */
function withoutAllowedMethods(handlers: ts.Expression[]): ts.Expression[] {
  return handlers.filter((h) => {
    const e = unwrap(h);
    return !(ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'allowedMethods');
  });
}
