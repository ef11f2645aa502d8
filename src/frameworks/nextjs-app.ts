/**
 * Next.js App Router: `app/**\/route.{ts,js}` (also under `src/`) exporting `GET`/`POST`/... handlers.
 * A handler wrapped in a higher-order function (`export const POST = withAuth(async (req) => ...)`) gets the
 * wrapper as a link of its chain. Next.js `middleware.ts` / `proxy.ts` layers are added by `nextMiddlewareLinks`.
 */
import ts from '../typescript.cjs';
import { unwrap } from '../semantic/ast.js';
import { HTTP_METHODS, type FrameworkContext, type FrameworkPlugin, type RouteEntry, type RouteLink } from './types.js';
import { exportedHandlers } from './exported-handlers.js';
import { nextAppRoot, nextMiddlewareLinks } from './nextjs-middleware.js';
import type { ProtectionLibraries } from '../semantic/libraries.js';

const ROUTE_FILE = /(?:^|\/)app\/((?:.+\/)?)route\.(?:ts|tsx|js|jsx|mjs|cjs)$/;

/** Authentication that Next.js apps put in middleware or around handlers (App and Pages Router). */
const NEXT_LIBRARIES: ProtectionLibraries = {
  authMiddleware: [{ module: 'next-auth/middleware', signature: /^(withAuth(\.\(\))?)?$/, name: 'next-auth middleware' }],
  refusingAuthCalls: [{ module: /^@auth0\/nextjs-auth0/, signature: /^withApiAuthRequired\.\(\)$/, name: 'Auth0 withApiAuthRequired' }],
  harmless: [{ module: /^next\/server$/ }],
};

export const nextAppFramework: FrameworkPlugin = {
  name: 'nextjs-app',
  libraries: NEXT_LIBRARIES,
  triggers: {
    packages: ['next', 'next/server'],
    markers: [/\bNextRequest\b|export\s+(?:async\s+)?(?:function|const)\s+(?:GET|POST|PUT|PATCH|DELETE)\b/],
    routeFiles: /(^|\/)(app\/(.+\/)?route\.(ts|tsx|js|jsx|mjs|cjs)|(middleware|proxy)\.(ts|js|mjs))$/,
    ownRouteFiles: /(^|\/)app\/(.+\/)?route\.(ts|tsx|js|jsx|mjs|cjs)$/,
    layerFiles: /(^|\/)(middleware|proxy)\.(ts|js|mjs)$/,
  },
  findRoutes(context) {
    const routes: RouteEntry[] = [];
    const middleware = nextMiddlewareLinks(context);
    for (const sourceFile of context.routeFiles) {
      const relative = context.project.relative(sourceFile.fileName);
      const match = ROUTE_FILE.exec(relative);
      if (!match) continue;
      const urlPath = appRoutePath(match[1]);
      const appRoot = nextAppRoot(relative, 'app');
      for (const exported of exportedHandlers(sourceFile, HTTP_METHODS)) {
        routes.push({
          framework: 'nextjs-app',
          method: exported.name,
          path: urlPath,
          anchor: exported.anchor,
          chain: [...middleware(urlPath, appRoot), ...handlerChain(exported.value, context)],
        });
      }
    }
    return routes;
  },
};

/** `api/(marketing)/chat/[id]/` → `/api/chat/:id`. */
export function appRoutePath(directory: string): string {
  const segments = directory
    .split('/')
    .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'))
    .map(dynamicSegment);
  return '/' + segments.join('/');
}

export function dynamicSegment(segment: string): string {
  const catchAll = /^\[\[?\.\.\.(\w+)\]\]?$/.exec(segment);
  if (catchAll) return `:${catchAll[1]}*`;
  const dynamic = /^\[(\w+)\]$/.exec(segment);
  return dynamic ? `:${dynamic[1]}` : segment;
}

/**
 * The chain of a handler value: `withAuth(withLimit(async (req) => ...))` gives the wrappers, outermost first,
 * then the innermost function as the handler.
 */
export function handlerChain(value: ts.Expression | ts.FunctionDeclaration, context: FrameworkContext): RouteLink[] {
  if (ts.isFunctionDeclaration(value)) return [{ role: 'handler', expression: value as unknown as ts.Expression }];
  const links: RouteLink[] = [];
  let current = unwrap(value);
  for (let i = 0; i < 5 && ts.isCallExpression(current); i++) {
    const inner = current.arguments.find((a) => isFunctionLike(unwrap(a), context));
    if (!inner) break;
    links.push({ role: 'wrapper', expression: current });
    current = unwrap(inner);
  }
  links.push({ role: 'handler', expression: current });
  return links;
}

function isFunctionLike(expression: ts.Expression, context: FrameworkContext): boolean {
  if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return true;
  if (ts.isCallExpression(expression)) return true;
  return context.resolver.resolveFunction(expression) !== undefined;
}
