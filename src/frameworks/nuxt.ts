/**
 * Nuxt and Nitro server routes: `server/api/**` (under `/api`) and `server/routes/**`, each file's default
 * export a `defineEventHandler(fn)` / `eventHandler(fn)` (also the object form with `onRequest` hooks), the
 * method from a suffix (`chat.post.ts`). `server/middleware/*` runs before every route, in file-name order.
 * A standalone Nitro app (a `nitro.config` beside it) keeps the same folders at its source root.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from '../typescript.cjs';
import { objectProperty, propertyValue, unwrap } from '../semantic/ast.js';
import type { FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';
import { type Definer, bracketSegment, definedFunction, definedHandlerChain, exportNamed, isDefinerCall, joinRoute } from './module-exports.js';
import type { ProtectionLibraries } from '../semantic/libraries.js';

const NUXT_FILE = /^(?:(.*)\/)?server\/(api|routes|middleware)\/(.+)\.(?:ts|js|mjs)$/;
const NITRO_FILE = /^(?:(.*?)\/)?(?:src\/)?(api|routes|middleware)\/(.+)\.(?:ts|js|mjs)$/;
const METHOD_SUFFIX = /\.(get|post|put|patch|delete|head|options)$/i;

export const H3_DEFINERS: Definer[] = [
  {
    module: /^(h3|#imports|nitropack(\/runtime)?|#nitro|vinxi\/http)$/,
    signature: /^(defineEventHandler|eventHandler|defineCachedEventHandler|cachedEventHandler)$/,
  },
];

interface ServerFile {
  sourceFile: ts.SourceFile;
  appRoot: string;
  folder: 'api' | 'routes' | 'middleware';
  rest: string;
}

/** nuxt-auth-utils, and h3's harmless plumbing. */
const NUXT_LIBRARIES: ProtectionLibraries = {
  refusingAuthCalls: [{ module: /^(nuxt-auth-utils|#auth-utils|#imports)$/, signature: /^requireUserSession$/, name: 'nuxt-auth-utils requireUserSession()' }],
  harmless: [{ module: /^h3$/ }],
};

export const nuxtFramework: FrameworkPlugin = {
  name: 'nuxt',
  libraries: NUXT_LIBRARIES,
  triggers: {
    packages: ['h3', 'nitropack/*', '#imports'],
    markers: [/\b(?:defineEventHandler|eventHandler)\s*\(/],
    routeFiles: /(^|\/)server\/(api|routes|middleware|utils)\//,
    ownRouteFiles: /(^|\/)server\/(api|routes)\//,
    layerFiles: /(^|\/)server\/middleware\//,
    // Nitro auto-imports the exports of `server/utils` into all server code.
    callsWithoutImports: { paths: /(^|\/)server\// },
  },
  findRoutes(context) {
    const files = serverFiles(context);
    const middleware = new Map<string, RouteLink[]>();
    for (const file of files.filter((f) => f.folder === 'middleware').sort((a, b) => a.rest.localeCompare(b.rest))) {
      const links = middleware.get(file.appRoot) ?? [];
      links.push(...handlerLinks(file, context).map((link): RouteLink => ({ ...link, role: 'middleware' })));
      middleware.set(file.appRoot, links);
    }
    const routes: RouteEntry[] = [];
    for (const file of files) {
      if (file.folder === 'middleware') continue;
      const exported = exportNamed(file.sourceFile, 'default');
      if (!exported) continue;
      const suffix = METHOD_SUFFIX.exec(file.rest);
      const routeSegments = file.rest.replace(METHOD_SUFFIX, '').split('/').filter((s) => !/^\(.*\)$/.test(s)).map((s) => bracketSegment(s, 'catch-all'));
      routes.push({
        framework: 'nuxt',
        method: suffix ? suffix[1].toUpperCase() : 'ALL',
        path: joinRoute(file.folder === 'api' ? 'api' : '', ...routeSegments),
        anchor: exported.anchor,
        chain: [...(middleware.get(file.appRoot) ?? []), ...handlerLinks(file, context)],
      });
    }
    return routes;
  },
};

function serverFiles(context: FrameworkContext): ServerFile[] {
  const files: ServerFile[] = [];
  // Route files share a few app roots: each is asked for its config once.
  const configs = new Map<string, boolean>();
  const hasConfig = (root: string, appRoot: string, kind: 'nuxt' | 'nitro') => {
    const key = `${appRoot}\u0000${kind}`;
    let found = configs.get(key);
    if (found === undefined) configs.set(key, (found = configBeside(root, appRoot, kind)));
    return found;
  };
  for (const sourceFile of context.routeFiles) {
    const relative = context.project.relative(sourceFile.fileName);
    const nuxt = NUXT_FILE.exec(relative);
    if (nuxt && (hasConfig(context.project.root, nuxt[1] ?? '', 'nuxt') || hasConfig(context.project.root, nuxt[1] ?? '', 'nitro') || exportsEventHandler(sourceFile, context))) {
      files.push({ sourceFile, appRoot: nuxt[1] ?? '', folder: nuxt[2] as ServerFile['folder'], rest: nuxt[3] });
      continue;
    }
    const nitro = NITRO_FILE.exec(relative);
    if (nitro && hasConfig(context.project.root, nitro[1] ?? '', 'nitro')) {
      files.push({ sourceFile, appRoot: nitro[1] ?? '', folder: nitro[2] as ServerFile['folder'], rest: nitro[3] });
    }
  }
  return files;
}

/** A `nuxt.config` / `nitro.config` beside the server folder: the folder's conventions apply. */
function configBeside(root: string, appRoot: string, kind: 'nuxt' | 'nitro'): boolean {
  return ['ts', 'js', 'mjs'].some((extension) => existsSync(path.join(root, appRoot, `${kind}.config.${extension}`)));
}

/** Without a config file beside it, a server folder counts when its files export h3 event handlers. */
function exportsEventHandler(sourceFile: ts.SourceFile, context: FrameworkContext): boolean {
  const value = exportNamed(sourceFile, 'default')?.value;
  const e = value && unwrap(value);
  return !!e && ts.isCallExpression(e) && isDefinerCall(e, context, H3_DEFINERS);
}

/** The default export's chain: `onRequest` hooks of the object form first, then the handler. */
function handlerLinks(file: ServerFile, context: FrameworkContext): RouteLink[] {
  const exported = exportNamed(file.sourceFile, 'default');
  if (!exported) return [];
  const e = unwrap(exported.value);
  const hooks: RouteLink[] = [];
  if (ts.isCallExpression(e) && isDefinerCall(e, context, H3_DEFINERS)) {
    const options = e.arguments[0] && unwrap(e.arguments[0]);
    const onRequest = options && ts.isObjectLiteralExpression(options) ? propertyValue(objectProperty(options, 'onRequest')) : undefined;
    if (onRequest) {
      const value = unwrap(onRequest);
      const elements = ts.isArrayLiteralExpression(value) ? value.elements : [value];
      for (const element of elements) {
        hooks.push({ role: 'middleware', expression: definedFunction(element, context, H3_DEFINERS) ?? element });
      }
    }
  }
  return [...hooks, ...definedHandlerChain(exported.value, context, H3_DEFINERS)];
}
