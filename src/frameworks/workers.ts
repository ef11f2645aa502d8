/**
 * Fetch-handler runtimes:
 * - `export default { fetch(request, env, ctx) }` (Cloudflare Workers, Deno `deno serve`, Bun), `Deno.serve(handler)`,
 *   `serve(handler)` from Deno's standard library and `Bun.serve({ fetch })`: one handler answers every path; a
 *   Supabase Edge Function answers under its name.
 * - Cloudflare Pages Functions: `functions/**` exporting `onRequest` / `onRequestPost` / ..., routed by file
 *   name (`[id]`, `[[path]]`), with `_middleware` files running before everything below their folder.
 */
import ts from '../typescript.cjs';
import { callsIn, objectProperty, propertyValue, unwrap } from '../semantic/ast.js';
import type { Segment } from '../semantic/resolve.js';
import type { FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';
import { bracketSegment, definedHandlerChain, exportNamed, exportsEntry, joinRoute, moduleExports } from './module-exports.js';
import { isPlatformFile } from './functions.js';

const ALL_PATHS = '/*';
/**
 * Deno's standard-library server, whose `serve(handler)` older Supabase Edge Functions use:
 * `https://deno.land/std@0.168.0/http/server.ts`, `jsr:@std/http` (read as `@std/http`), or an import-map alias.
 */
const DENO_STD_HTTP = /^(?:https:\/\/deno\.land\/std(?:@[^/]+)?\/http\/server\.ts|@std\/http(?:\/server(?:\.ts)?)?|std\/server)$/;
const DENO_STD_HTTP_IMPORT = /['"](?:https:\/\/deno\.land\/std(?:@[^/'"]+)?\/http\/server\.ts|(?:jsr:)?@std\/http(?:@[^/'"]+)?(?:\/server(?:\.ts)?)?|std\/server)['"]/;

/** (request, info) for Deno, (request, server) for Bun: the second parameter can give the client address. */
const REQUEST_AND_PEER = new Map<number, Segment[]>([[0, []], [1, []]]);

export const fetchHandlerFramework: FrameworkPlugin = {
  name: 'fetch-handler',
  triggers: { packages: ['@cloudflare/workers-types'], markers: [/\b(?:Deno|Bun)\.serve\s*\(/, DENO_STD_HTTP_IMPORT, /export\s+default\s+\{[\s\S]{0,4000}?\bfetch\b/] },
  findRoutes(context) {
    const routes: RouteEntry[] = [];
    for (const sourceFile of context.routeFiles) {
      const relative = context.project.relative(sourceFile.fileName);
      if (isPlatformFile(relative, context.project)) continue;
      const exported = exportNamed(sourceFile, 'default');
      const fetch = exported && fetchOf(exported.value);
      const path = supabaseFunctionPath(relative) ?? ALL_PATHS;
      if (fetch && takesRequest(fetch, context)) routes.push(route(fetch, fetch.parent && ts.isPropertyAssignment(fetch.parent) ? fetch.parent : fetch, path, context));
      // `Deno.serve(...)`, `Bun.serve(...)`, std's `serve(...)`: no walk for files that never call `serve`.
      if (!/\bserve\s*\(/.test(sourceFile.text)) continue;
      callsIn(sourceFile).forEach((node) => {
        const handler = serveHandler(node, context);
        if (handler) routes.push(route(handler, node, path, context, REQUEST_AND_PEER));
      });
    }
    return routes;
  },
};

function route(handler: ts.Expression, anchor: ts.Node, path: string, context: FrameworkContext, parts?: Map<number, Segment[]>): RouteEntry {
  const chain = definedHandlerChain(handler, context, []);
  if (parts) chain[chain.length - 1] = { ...chain[chain.length - 1], requestParts: parts };
  return { framework: 'fetch-handler', method: 'ALL', path, anchor, chain };
}

/**
 * A Supabase Edge Function, `supabase/functions/<name>/index.ts`, is served at `/functions/v1/<name>`. Folders
 * whose name starts with `_` hold shared code. The gateway's JWT check is not authentication: the project's
 * public anon key passes it.
 */
function supabaseFunctionPath(relative: string): string | undefined {
  const name = /(?:^|\/)supabase\/functions\/([^/_.][^/]*)\/index\.(?:ts|js|mjs|tsx|jsx)$/.exec(relative)?.[1];
  return name === undefined ? undefined : `/functions/v1/${name}`;
}

/** The `fetch` member of an object literal: a method, a function property, or a shorthand. */
function fetchOf(value: ts.Expression): ts.Expression | undefined {
  const object = unwrap(value);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  const property = objectProperty(object, 'fetch');
  if (!property) return undefined;
  if (ts.isMethodDeclaration(property)) return property as unknown as ts.Expression;
  return propertyValue(property);
}

/** A `fetch` member that takes the incoming request: named or typed so (an API client's `fetch` is not a server). */
function takesRequest(fetch: ts.Expression, context: FrameworkContext): boolean {
  const fn = context.resolver.resolveFunction(fetch)?.fn;
  const first = fn?.parameters[0];
  if (!first) return false;
  if (first.type && /\bRequest\b/.test(first.type.getText())) return true;
  if (ts.isIdentifier(first.name) && /^(req|request)$/i.test(first.name.text)) return true;
  // `export default { ... } satisfies ExportedHandler<Env>`: the Workers runtime's handler type.
  return /\bExportedHandler\b/.test(fetch.getSourceFile().text);
}

/**
 * `Deno.serve(handler)`, `Deno.serve(options, handler)`, `Deno.serve({ handler })`, `Bun.serve({ fetch })`, and the
 * standard library's `serve(handler, options?)`.
 */
function serveHandler(call: ts.CallExpression, context: FrameworkContext): ts.Expression | undefined {
  if (!isRuntimeServe(call, context) && !isStdServe(call, context)) return undefined;
  for (const argument of [...call.arguments].reverse()) {
    const a = unwrap(argument);
    if (ts.isArrowFunction(a) || ts.isFunctionExpression(a) || (ts.isIdentifier(a) && context.resolver.resolveFunction(a))) return a;
    if (ts.isObjectLiteralExpression(a)) {
      const handler = fetchOf(a) ?? propertyValue(objectProperty(a, 'handler'));
      if (handler) return handler;
    }
  }
  return undefined;
}

/** `Deno.serve` / `Bun.serve`, the runtime's global (not a project value of that name). */
function isRuntimeServe(call: ts.CallExpression, context: FrameworkContext): boolean {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'serve' || !ts.isIdentifier(callee.expression)) return false;
  const runtime = callee.expression.text;
  return (runtime === 'Deno' || runtime === 'Bun') && !context.resolver.declarationOf(callee.expression);
}

/** `serve(...)` imported from Deno's standard-library HTTP server. */
function isStdServe(call: ts.CallExpression, context: FrameworkContext): boolean {
  const path = context.resolver.resolve(call.expression);
  const last = path?.segments[path.segments.length - 1];
  return path?.root.kind === 'module' && DENO_STD_HTTP.test(path.root.module) && last?.kind === 'member' && last.name === 'serve';
}

// ---------------------------------------------------------------------------------------------------------
// Cloudflare Pages Functions

const PAGES_FILE = /^(?:(.*?)\/)?functions\/(.+)\.(?:ts|js|mjs)$/;
const PAGES_EXPORTS: Record<string, string> = {
  onRequest: 'ALL',
  onRequestGet: 'GET',
  onRequestPost: 'POST',
  onRequestPut: 'PUT',
  onRequestPatch: 'PATCH',
  onRequestDelete: 'DELETE',
  onRequestHead: 'HEAD',
  onRequestOptions: 'OPTIONS',
};

interface PagesFile {
  sourceFile: ts.SourceFile;
  appRoot: string;
  /** Path under `functions/`, without extension. */
  rest: string;
}

export const cloudflarePagesFramework: FrameworkPlugin = {
  name: 'cloudflare-pages',
  triggers: { markers: [exportsEntry('onRequest\\w*')], routeFiles: /(^|\/)functions\// },
  findRoutes(context) {
    const files: PagesFile[] = [];
    for (const sourceFile of context.routeFiles) {
      const match = PAGES_FILE.exec(context.project.relative(sourceFile.fileName));
      if (match && exportsPagesHandler(sourceFile, context)) files.push({ sourceFile, appRoot: match[1] ?? '', rest: match[2] });
    }
    const middleware = files.filter((f) => /(^|\/)_middleware$/.test(f.rest));
    const routes: RouteEntry[] = [];
    for (const file of files) {
      if (middleware.includes(file)) continue;
      const layers = middleware
        .filter((m) => m.appRoot === file.appRoot && isUnder(file.rest, m.rest.replace(/_middleware$/, '')))
        .sort((a, b) => a.rest.length - b.rest.length)
        .flatMap((m) => middlewareLinks(m.sourceFile));
      const routePath = joinRoute(...file.rest.split('/').map((s) => bracketSegment(s, 'catch-all')));
      for (const exported of moduleExports(file.sourceFile)) {
        const method = Object.hasOwn(PAGES_EXPORTS, exported.name) ? PAGES_EXPORTS[exported.name] : undefined;
        if (!method) continue;
        routes.push({ framework: 'cloudflare-pages', method, path: routePath, anchor: exported.anchor, chain: [...layers, ...definedHandlerChain(exported.value, context, [])] });
      }
    }
    return routes;
  },
};

/** A Pages Function file exports an `onRequest*` function (or, for middleware, an array of them). */
function exportsPagesHandler(sourceFile: ts.SourceFile, context: FrameworkContext): boolean {
  return moduleExports(sourceFile).some((e) => {
    if (!Object.hasOwn(PAGES_EXPORTS, e.name)) return false;
    const value = unwrap(e.value);
    return ts.isArrayLiteralExpression(value) || !!context.resolver.resolveFunction(value);
  });
}

function middlewareLinks(sourceFile: ts.SourceFile): RouteLink[] {
  const onRequest = exportNamed(sourceFile, 'onRequest');
  if (!onRequest) return [];
  const value = unwrap(onRequest.value);
  const elements = ts.isArrayLiteralExpression(value) ? [...value.elements] : [onRequest.value];
  return elements.map((expression) => ({ role: 'middleware', expression }));
}

function isUnder(rest: string, folder: string): boolean {
  return folder === '' || rest.startsWith(folder);
}
