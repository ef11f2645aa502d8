/**
 * SvelteKit: `src/routes/**\/+server.ts` exporting `GET`/`POST`/... (and `fallback`), form actions exported as
 * `actions` from `+page.server.ts` (POST to the page, `?/name` for named actions), and `load` functions of
 * `+page.server.ts` / `+layout.server.ts` (they run on GET). `src/hooks.server.ts` `handle` (or
 * `sequence(a, b)`) runs before every one of them.
 */
import ts from '../typescript.cjs';
import { propertyNameText, propertyValue, unwrap } from '../semantic/ast.js';
import { HTTP_METHODS, type FrameworkContext, type FrameworkPlugin, type RouteEntry, type RouteLink } from './types.js';
import { type Definer, bracketSegment, definedHandlerChain, exportNamed, initializerOf, isDefinerCall, exportsEntry, joinRoute, moduleExports } from './module-exports.js';

const ROUTE_FILE = /^(?:(.*)\/)?src\/routes\/((?:.+\/)?)\+(server|page\.server|layout\.server)\.(?:ts|js|mjs)$/;
const HOOKS_FILE = /^(?:(.*)\/)?src\/hooks\.server(?:\/index)?\.(?:ts|js|mjs)$/;

const SEQUENCE: Definer[] = [{ module: /^@sveltejs\/kit(\/hooks)?$/, signature: /^sequence$/ }];

export const svelteKitFramework: FrameworkPlugin = {
  name: 'sveltekit',
  triggers: {
    packages: ['@sveltejs/kit/*'],
    markers: [exportsEntry('fallback')],
    routeFiles: /(^|\/)src\/(routes\/(.+\/)?\+(server|page\.server|layout\.server)|hooks\.server(\/index)?)\.(ts|js|mjs)$/,
    ownRouteFiles: /(^|\/)src\/routes\/(.+\/)?\+server\.(ts|js|mjs)$/,
    layerFiles: /(^|\/)src\/hooks\.server\.(ts|js|mjs)$/,
  },
  findRoutes(context) {
    const hooks = hookLayers(context);
    const routes: RouteEntry[] = [];
    for (const sourceFile of context.routeFiles) {
      const match = ROUTE_FILE.exec(context.project.relative(sourceFile.fileName));
      if (!match) continue;
      const [, appRoot = '', directory, kind] = match;
      const path = routePath(directory);
      const layers = hooks.get(appRoot) ?? [];
      const add = (method: string, routePath: string, anchor: ts.Node, value: ts.Expression) =>
        routes.push({ framework: 'sveltekit', method, path: routePath, anchor, chain: [...layers, ...definedHandlerChain(value, context, [])] });
      if (kind === 'server') {
        for (const exported of moduleExports(sourceFile)) {
          const method = exported.name === 'fallback' ? 'ALL' : (HTTP_METHODS as readonly string[]).includes(exported.name) ? exported.name : undefined;
          if (method) add(method, path, exported.anchor, exported.value);
        }
        continue;
      }
      const load = exportNamed(sourceFile, 'load');
      if (load) add('GET', path, load.anchor, load.value);
      const actions = kind === 'page.server' ? exportNamed(sourceFile, 'actions') : undefined;
      const object = actions && unwrap(actions.value);
      if (!object || !ts.isObjectLiteralExpression(object)) continue;
      for (const property of object.properties) {
        const name = property.name && propertyNameText(property.name);
        const value = ts.isMethodDeclaration(property) ? (property as unknown as ts.Expression) : propertyValue(property);
        if (!name || !value) continue;
        add('POST', name === 'default' ? path : `${path}?/${name}`, property, value);
      }
    }
    return routes;
  },
};

/** `api/(app)/chat/[id]/` → `/api/chat/:id`. */
function routePath(directory: string): string {
  const segments = directory.split('/').filter((s) => s && !/^\(.*\)$/.test(s)).map((s) => bracketSegment(s));
  return joinRoute(...segments);
}

/** The `handle` hook of each app (keyed by the folder holding `src/`), as chain links in run order. */
function hookLayers(context: FrameworkContext): Map<string, RouteLink[]> {
  const layers = new Map<string, RouteLink[]>();
  for (const sourceFile of context.routeFiles) {
    const match = HOOKS_FILE.exec(context.project.relative(sourceFile.fileName));
    const handle = match && exportNamed(sourceFile, 'handle');
    if (!match || !handle) continue;
    layers.set(match[1] ?? '', handleLinks(handle.value, context));
  }
  return layers;
}

function handleLinks(value: ts.Expression, context: FrameworkContext, depth = 0): RouteLink[] {
  const e = initializerOf(value, context);
  if (depth < 4 && ts.isCallExpression(e) && isDefinerCall(e, context, SEQUENCE)) {
    return e.arguments.flatMap((argument) => handleLinks(argument, context, depth + 1));
  }
  return [{ role: 'middleware', expression: value }];
}
