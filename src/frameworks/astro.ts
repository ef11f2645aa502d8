/**
 * Astro endpoints: `src/pages/**\/*.{ts,js}` exporting `GET`/`POST`/.../`ALL` (`APIRoute`; lower-case `get`,
 * `post`, `del`, `all` in older versions). `src/middleware.ts` (or `src/middleware/index.ts`) `onRequest`, a
 * `defineMiddleware(fn)` or a `sequence(a, b)`, runs before every one of them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from '../typescript.cjs';
import type { FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';
import { type Definer, bracketSegment, definedFunction, definedHandlerChain, exportNamed, initializerOf, isDefinerCall, exportsEntry, joinRoute, moduleExports } from './module-exports.js';

const ENDPOINT_FILE = /^(?:(.*)\/)?src\/pages\/(.+)\.(?:ts|js|mjs)$/;
const MIDDLEWARE_FILE = /^(?:(.*)\/)?src\/middleware(?:\/index)?\.(?:ts|js|mjs)$/;

const METHODS: Record<string, string> = {
  GET: 'GET', POST: 'POST', PUT: 'PUT', PATCH: 'PATCH', DELETE: 'DELETE', OPTIONS: 'OPTIONS', HEAD: 'HEAD', ALL: 'ALL',
  get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', del: 'DELETE', all: 'ALL',
};

const ASTRO_MIDDLEWARE: Definer[] = [{ module: /^astro(:|\/)middleware$/, signature: /^defineMiddleware$/ }];
const ASTRO_SEQUENCE: Definer[] = [{ module: /^astro(:|\/)middleware$/, signature: /^sequence$/ }];

export const astroFramework: FrameworkPlugin = {
  name: 'astro',
  triggers: {
    packages: ['astro', 'astro:middleware', 'astro/middleware'],
    markers: [exportsEntry('ALL')],
    routeFiles: /(^|\/)src\/(pages\/.+|middleware(\/index)?)\.(ts|js|mjs)$/,
    ownRouteFiles: /(^|\/)src\/pages\/.+\.(ts|js|mjs)$/,
    layerFiles: /(^|\/)src\/middleware(\/index)?\.(ts|js|mjs)$/,
  },
  findRoutes(context) {
    const middleware = middlewareLayers(context);
    const routes: RouteEntry[] = [];
    for (const sourceFile of context.routeFiles) {
      const match = ENDPOINT_FILE.exec(context.project.relative(sourceFile.fileName));
      if (!match || !isAstroApp(context, match[1] ?? '', sourceFile)) continue;
      const path = joinRoute(...match[2].split('/').map((s) => bracketSegment(s, 'catch-all')));
      for (const exported of moduleExports(sourceFile)) {
        const method = Object.hasOwn(METHODS, exported.name) ? METHODS[exported.name] : undefined;
        if (!method) continue;
        routes.push({
          framework: 'astro',
          method,
          path,
          anchor: exported.anchor,
          chain: [...(middleware.get(match[1] ?? '') ?? []), ...definedHandlerChain(exported.value, context, [])],
        });
      }
    }
    return routes;
  },
};

/** An `astro.config` beside `src/`, or a file that imports Astro's types: `src/pages` then holds Astro routes. */
function isAstroApp(context: FrameworkContext, appRoot: string, sourceFile: ts.SourceFile): boolean {
  if (['mjs', 'ts', 'js', 'mts', 'cjs'].some((e) => existsSync(path.join(context.project.root, appRoot, `astro.config.${e}`)))) return true;
  return sourceFile.statements.some((s) => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && /^astro(:|\/|$)/.test(s.moduleSpecifier.text));
}

function middlewareLayers(context: FrameworkContext): Map<string, RouteLink[]> {
  const layers = new Map<string, RouteLink[]>();
  for (const sourceFile of context.routeFiles) {
    const match = MIDDLEWARE_FILE.exec(context.project.relative(sourceFile.fileName));
    const onRequest = match && exportNamed(sourceFile, 'onRequest');
    if (match && onRequest) layers.set(match[1] ?? '', middlewareLinks(onRequest.value, context));
  }
  return layers;
}

function middlewareLinks(value: ts.Expression, context: FrameworkContext, depth = 0): RouteLink[] {
  const e = initializerOf(value, context);
  if (depth < 4 && ts.isCallExpression(e) && isDefinerCall(e, context, ASTRO_SEQUENCE)) {
    return e.arguments.flatMap((argument) => middlewareLinks(argument, context, depth + 1));
  }
  return [{ role: 'middleware', expression: definedFunction(value, context, ASTRO_MIDDLEWARE) ?? value }];
}
