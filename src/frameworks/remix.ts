/**
 * Remix and React Router (framework mode): route modules under `app/routes/` exporting `action` (POST and the
 * other mutating methods) and `loader` (GET). Paths follow the flat-routes convention (`api.chat.ts`,
 * `users.$id.tsx`, `_index.tsx`, `_auth.login.tsx`, folders with a `route.tsx`) or, when the app has an
 * `app/routes.ts` config without `flatRoutes()`, the `route(path, file)` / `index` / `layout` / `prefix` entries.
 */
import ts from '../typescript.cjs';
import { stringValue, unwrap } from '../semantic/ast.js';
import type { FrameworkContext, FrameworkPlugin, RouteEntry } from './types.js';
import { definedHandlerChain, exportNamed, exportsEntry, joinRoute } from './module-exports.js';
import type { ProtectionLibraries } from '../semantic/libraries.js';

const ROUTE_MODULE = /^(?:(.*)\/)?app\/(routes\/.+)\.(?:ts|tsx|js|jsx)$/;
const ROUTES_CONFIG = /^(?:(.*)\/)?app\/routes\.(?:ts|js|mts)$/;
const EXPORTS: { name: string; method: string }[] = [
  { name: 'action', method: 'POST' },
  { name: 'loader', method: 'GET' },
];

interface RouteConfig {
  /** Route module (relative to `app/`, without extension) → URL path. */
  files: Map<string, string>;
  /** The config also mounts the file-system convention (`flatRoutes()`). */
  conventions: boolean;
}

/** remix-auth refuses an anonymous caller when told where to send it: `isAuthenticated(request, { failureRedirect })`. */
const REMIX_LIBRARIES: ProtectionLibraries = {
  refusingAuthCalls: [{ module: /^remix-auth$/, signature: /(^|\.)new\.isAuthenticated$/, option: 'failureRedirect', name: 'remix-auth isAuthenticated() with failureRedirect' }],
};

export const remixFramework: FrameworkPlugin = {
  name: 'remix',
  libraries: REMIX_LIBRARIES,
  triggers: {
    packages: ['@remix-run/*', 'react-router', '@react-router/*'],
    markers: [exportsEntry('action|loader')],
    routeFiles: /(^|\/)app\/routes(\/|\.(ts|js|mts)$)/,
    ownRouteFiles: /(^|\/)app\/routes\//,
  },
  findRoutes(context) {
    const configs = routeConfigs(context);
    const routes: RouteEntry[] = [];
    for (const sourceFile of context.routeFiles) {
      const relative = context.project.relative(sourceFile.fileName);
      const configured = configuredPath(relative, configs);
      const match = ROUTE_MODULE.exec(relative);
      const config = match ? configs.get(match[1] ?? '') : undefined;
      const path = configured ?? (match && (!config || config.conventions) ? flatRoutePath(match[2].slice('routes/'.length)) : undefined);
      if (path === undefined) continue;
      for (const { name, method } of EXPORTS) {
        const exported = exportNamed(sourceFile, name);
        if (exported) routes.push({ framework: 'remix', method, path, anchor: exported.anchor, chain: definedHandlerChain(exported.value, context, []) });
      }
    }
    return routes;
  },
};

/**
 * The URL of a flat-routes module name: `.` separates segments (`[.]` escapes one), `$id` is a parameter,
 * `$` a splat, `($lang)` optional, `_index` the index route, a leading `_` a pathless layout, a trailing `_`
 * opts out of nesting. A folder holding `route.tsx` is named by the folder; legacy nested folders nest.
 */
export function flatRoutePath(name: string): string {
  const parts = name.split('/');
  const last = parts[parts.length - 1];
  if (parts.length > 1 && /^route$/.test(last)) parts.pop();
  const segments: string[] = [];
  for (const part of parts) {
    for (const raw of part.replace(/\[\.\]/g, '\u0000').split('.')) {
      const segment = raw.replace(/\u0000/g, '.').replace(/\[(.+?)\]/g, '$1');
      if (!segment || segment === '_index' || segment === 'index') continue;
      if (segment.startsWith('_')) continue;
      const optional = /^\((.+)\)$/.exec(segment);
      const core = (optional ? optional[1] : segment).replace(/_$/, '');
      if (core === '$') segments.push(':*');
      else if (core.startsWith('$')) segments.push(`:${core.slice(1)}${optional ? '?' : ''}`);
      else if (!optional) segments.push(core);
    }
  }
  return joinRoute(...segments);
}

function routeConfigs(context: FrameworkContext): Map<string, RouteConfig> {
  const configs = new Map<string, RouteConfig>();
  for (const sourceFile of context.routeFiles) {
    const match = ROUTES_CONFIG.exec(context.project.relative(sourceFile.fileName));
    const exported = match && exportNamed(sourceFile, 'default');
    if (!match || !exported) continue;
    const config: RouteConfig = { files: new Map(), conventions: false };
    collectEntries(exported.value, '', config);
    configs.set(match[1] ?? '', config);
  }
  return configs;
}

/** Walks `route(path, file, children)`, `index(file)`, `layout(file, children)`, `...prefix(p, children)`. */
function collectEntries(expression: ts.Expression, prefix: string, config: RouteConfig): void {
  const e = unwrap(expression);
  if (ts.isArrayLiteralExpression(e)) {
    for (const element of e.elements) collectEntries(ts.isSpreadElement(element) ? element.expression : element, prefix, config);
    return;
  }
  if (!ts.isCallExpression(e)) return;
  const callee = unwrap(e.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  const [first, second, third] = e.arguments;
  if (name === 'flatRoutes') config.conventions = true;
  else if (name === 'index') addFile(stringValue(first), prefix, config);
  else if (name === 'route') {
    const path = joinRoute(prefix, stringValue(first) ?? '');
    addFile(stringValue(second), path, config);
    if (third) collectEntries(third, path, config);
  } else if (name === 'layout') {
    if (second) collectEntries(second, prefix, config);
  } else if (name === 'prefix') {
    if (second) collectEntries(second, joinRoute(prefix, stringValue(first) ?? ''), config);
  }
}

function addFile(file: string | undefined, path: string, config: RouteConfig): void {
  if (file === undefined) return;
  const normalized = file.replace(/^\.\//, '').replace(/\.(tsx?|jsx?)$/, '');
  config.files.set(normalized, path);
}

function configuredPath(relative: string, configs: Map<string, RouteConfig>): string | undefined {
  for (const [appRoot, config] of configs) {
    const prefix = appRoot ? `${appRoot}/app/` : 'app/';
    if (!relative.startsWith(prefix)) continue;
    const path = config.files.get(relative.slice(prefix.length).replace(/\.(tsx?|jsx?|mts)$/, ''));
    if (path !== undefined) return path;
  }
  return undefined;
}
