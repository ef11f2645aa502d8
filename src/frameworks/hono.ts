/**
 * Hono, on Node, Bun, Deno and Cloudflare Workers alike: `app.get/post/...(path, ...middleware, handler)`,
 * `app.on(method, path, ...)`, `app.use(path?, ...middleware)` in registration order, sub-apps mounted with
 * `app.route('/prefix', sub)` and `basePath('/api')`. How the app is served (`export default app`,
 * `export default { fetch: app.fetch }`, `serve(app)`) does not change its routes.
 */
import ts from '../typescript.cjs';
import { callsIn, stringValue, unwrap } from '../semantic/ast.js';
import type { FrameworkContext, FrameworkPlugin } from './types.js';
import {
  type LayeredApp,
  appFor,
  expandLayeredApps,
  flattenArguments,
  isPathArgument,
  joinPath,
  pathText,
  positionOf,
  prefixCovers,
  registrationAnchor,
} from './layered.js';
import type { ProtectionLibraries } from '../semantic/libraries.js';

const HONO_MODULES = new Set(['hono', 'hono/tiny', 'hono/quick', '@hono/zod-openapi']);
const HONO_PACKAGES = [...HONO_MODULES];
const APP_CLASSES = new Set(['Hono', 'OpenAPIHono']);
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'all']);
/** Methods that return the app itself, so registrations can be chained. */
const CHAINABLE = new Set([...ROUTE_METHODS, 'use', 'route', 'on', 'basePath', 'openapi', 'doc']);

interface AppRef {
  creation: ts.Node;
  /** The `basePath(...)` the expression adds to every path it registers. */
  basePath: string;
}

const HONO_AUTH_MODULES = /^hono\/(jwt|jwk|bearer-auth|basic-auth)$/;
/** Hono's authentication, rate-limit, client-address and validator middleware, and its harmless plumbing. */
const HONO_LIBRARIES: ProtectionLibraries = {
  authMiddleware: [
    { module: 'hono/jwt', signature: /^jwt\.\(\)$/, name: 'hono/jwt' },
    { module: 'hono/jwk', signature: /^jwk\.\(\)$/, name: 'hono/jwk' },
    { module: 'hono/bearer-auth', signature: /^bearerAuth\.\(\)$/, name: 'hono/bearer-auth' },
    { module: 'hono/basic-auth', signature: /^basicAuth\.\(\)$/, name: 'hono/basic-auth' },
    { module: '@hono/auth-js', signature: /^verifyAuth\.\(\)$/, name: 'Auth.js verifyAuth' },
  ],
  // Middleware built per request and invoked inline, as Workers do to read secrets from c.env:
  // `(c, next) => jwt({ secret: c.env.JWT_SECRET })(c, next)`.
  refusingAuthCalls: [{ module: HONO_AUTH_MODULES, signature: /^(jwt|jwk|bearerAuth|basicAuth)\.\(\)$/, name: 'Hono auth middleware' }],
  middlewareLimiters: [{ module: 'hono-rate-limiter', signature: /^rateLimiter\.\(\)$/, keyOption: 'keyGenerator', defaultKey: 'unknown' }],
  clientAddress: ['hono/bun', 'hono/deno', 'hono/cloudflare-workers', 'hono/vercel', 'hono/aws-lambda', 'hono/netlify', '@hono/node-server/conninfo']
    .map((module) => ({ module, names: /^getConnInfo$/ })),
  validatorMiddleware: [
    { module: '@hono/zod-validator', name: 'zValidator' },
    { module: '@hono/valibot-validator', name: 'vValidator' },
    { module: '@hono/typebox-validator', name: 'tbValidator' },
    { module: '@hono/standard-validator', name: 'sValidator' },
  ],
  harmless: [{ module: /^(hono|hono\/(cors|logger|secure-headers|pretty-json|timing|etag|compress|body-limit|request-id|csrf|powered-by|trailing-slash|cache|context-storage|factory|streaming|validator)|@hono\/(zod-validator|valibot-validator|typebox-validator|node-server))$/ }],
};

export const honoFramework: FrameworkPlugin = {
  name: 'hono',
  libraries: HONO_LIBRARIES,
  triggers: { packages: ['hono/*', '@hono/zod-openapi'], crossFile: { packages: ['hono/*'], mounts: true } },
  findRoutes(context) {
    return expandLayeredApps(collectApps(context), {
      name: 'hono',
      project: context.project,
      mounted: (handler) => appOf(handler, context)?.creation,
      covers: honoPatternCovers,
    });
  },
};

function collectApps(context: FrameworkContext): Map<ts.Node, LayeredApp> {
  const apps = new Map<ts.Node, LayeredApp>();
  for (const sourceFile of context.routeFiles) {
    if (!context.mayImport(sourceFile, HONO_PACKAGES)) continue;
    callsIn(sourceFile).forEach((node) => {
      if (!ts.isPropertyAccessExpression(node.expression)) return;
      const method = node.expression.name.text;
      if (!CHAINABLE.has(method) || method === 'basePath') return;
      const app = appOf(node.expression.expression, context);
      if (!app) return;
      const registrations = appFor(apps, app.creation).registrations;
      const args = [...node.arguments];
      const anchor = registrationAnchor(node);
      const position = positionOf(node.expression.name);
      if (ROUTE_METHODS.has(method) && isPathArgument(args[0]) && args.length >= 2) {
        registrations.push({ kind: 'route', method: method.toUpperCase(), path: joinPath(app.basePath, pathText(args[0])), handlers: flattenArguments(args.slice(1)), anchor, position });
      } else if (method === 'on' && args.length >= 3 && isPathArgument(args[1])) {
        for (const verb of methodsOf(args[0])) {
          registrations.push({ kind: 'route', method: verb, path: joinPath(app.basePath, pathText(args[1])), handlers: flattenArguments(args.slice(2)), anchor, position });
        }
      } else if (method === 'use') {
        const hasPath = isPathArgument(args[0]);
        registrations.push({ kind: 'use', scope: joinPath(app.basePath, hasPath ? pathText(args[0]) : '*'), handlers: flattenArguments(hasPath ? args.slice(1) : args), position });
      } else if (method === 'route' && args.length >= 2) {
        // The sub-app's routes join this app's list at the mount, under the mount path.
        registrations.push({ kind: 'use', scope: joinPath(app.basePath, pathText(args[0])), handlers: [args[1]], position, mounts: true });
      } else if (method === 'openapi' && args.length >= 2) {
        const route = openApiRoute(args[0], context);
        if (route) registrations.push({ kind: 'route', method: route.method, path: joinPath(app.basePath, route.path), handlers: [...route.middleware, ...flattenArguments(args.slice(1, 2))], anchor, position });
      }
    });
  }
  return apps;
}

/** The Hono app an expression denotes: `new Hono()` followed by chainable calls, with its base path. */
export function appOf(expression: ts.Expression, context: FrameworkContext): AppRef | undefined {
  const path = context.resolver.moduleValue(context.resolver.resolve(expression));
  if (!path || path.root.kind !== 'module' || !HONO_MODULES.has(path.root.module)) return undefined;
  let segments = path.segments;
  if (segments[0]?.kind === 'member' && segments[0].name === 'default') segments = segments.slice(1);
  if (segments[0]?.kind === 'member' && APP_CLASSES.has(segments[0].name)) segments = segments.slice(1);
  const creation = segments[0];
  if (creation?.kind !== 'new' || !creation.call) return undefined;
  let basePath = '';
  for (let i = 1; i < segments.length; i += 2) {
    const name = segments[i];
    const call = segments[i + 1];
    if (name?.kind !== 'member' || call?.kind !== 'call' || !CHAINABLE.has(name.name)) return undefined;
    if (name.name === 'basePath') basePath = joinPath(basePath, stringValue(call.call.arguments[0]) ?? '');
  }
  return { creation: creation.call, basePath };
}

function methodsOf(argument: ts.Expression): string[] {
  const e = unwrap(argument);
  const values = ts.isArrayLiteralExpression(e) ? e.elements.map((x) => stringValue(x as ts.Expression)) : [stringValue(e)];
  return values.filter((v): v is string => v !== undefined).map((v) => v.toUpperCase());
}

/** `@hono/zod-openapi`'s `createRoute({ method, path, middleware })`. */
function openApiRoute(argument: ts.Expression, context: FrameworkContext): { method: string; path: string; middleware: ts.Expression[] } | undefined {
  let e = unwrap(argument);
  if (ts.isIdentifier(e)) {
    const declaration = context.resolver.declarationOf(e);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) e = unwrap(declaration.initializer);
  }
  if (!ts.isCallExpression(e)) return undefined;
  const options = e.arguments[0] && unwrap(e.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  const value = (name: string) => {
    const property = options.properties.find((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name);
    return property && ts.isPropertyAssignment(property) ? property.initializer : undefined;
  };
  const method = stringValue(value('method'));
  const path = stringValue(value('path'));
  if (!method || !path) return undefined;
  const middleware = value('middleware');
  return { method: method.toUpperCase(), path: path.replace(/\{(\w+)\}/g, ':$1'), middleware: middleware ? flattenArguments([middleware]) : [] };
}

/** Hono matches `*`, `/api/*` (also `/api` itself) and `:param` segments. */
export function honoPatternCovers(scope: string, path: string): boolean {
  if (!scope || scope === '*' || scope === '/*') return true;
  if (scope.endsWith('/*')) return prefixCovers(scope.slice(0, -2), path);
  const wanted = scope.split('/').filter(Boolean);
  const actual = path.split('/').filter(Boolean);
  return wanted.length === actual.length && prefixCovers(scope, path);
}
