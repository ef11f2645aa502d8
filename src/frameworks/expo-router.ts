/**
 * Expo Router API routes: `app/**\/<name>+api.ts` (also under `src/`) exporting `GET`/`POST`/... functions that
 * take a `Request` and return a `Response`. The path comes from the file path: groups `(tabs)` are dropped,
 * `[id]` is a parameter, `[...rest]` a catch-all, and `index+api.ts` serves its folder.
 */
import { HTTP_METHODS, type FrameworkPlugin, type RouteEntry } from './types.js';
import { exportedHandlers } from './exported-handlers.js';
import { dynamicSegment, handlerChain } from './nextjs-app.js';

const API_ROUTE_FILE = /(?:^|\/)app\/((?:.+\/)?)([^/]+)\+api\.(?:ts|tsx|js|jsx|mjs)$/;

export const expoRouterFramework: FrameworkPlugin = {
  name: 'expo-router',
  triggers: {
    markers: [/export\s+(?:async\s+)?(?:function|const)\s+(?:GET|POST|PUT|PATCH|DELETE)\b/],
    routeFiles: API_ROUTE_FILE,
    ownRouteFiles: API_ROUTE_FILE,
  },
  findRoutes(context) {
    const routes: RouteEntry[] = [];
    for (const sourceFile of context.routeFiles) {
      const match = API_ROUTE_FILE.exec(context.project.relative(sourceFile.fileName));
      if (!match) continue;
      const urlPath = expoApiPath(match[1]!, match[2]!);
      for (const exported of exportedHandlers(sourceFile, HTTP_METHODS)) {
        routes.push({ framework: 'expo-router', method: exported.name, path: urlPath, anchor: exported.anchor, chain: handlerChain(exported.value, context) });
      }
    }
    return routes;
  },
};

/** `api/(chat)/` + `[id]` → `/api/:id`; `index` serves its folder. */
export function expoApiPath(directory: string, name: string): string {
  const segments = [...directory.split('/'), name === 'index' ? '' : name].filter((s) => s && !/^\(.*\)$/.test(s)).map(dynamicSegment);
  return '/' + segments.join('/');
}
