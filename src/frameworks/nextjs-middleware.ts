/**
 * Next.js `middleware.ts` (named `proxy.ts` from Next 16) at the project root or under `src/`: it runs
 * before every route its `config.matcher` covers, so its checks count as layers of those routes.
 */
import path from 'node:path';
import ts from '../typescript.cjs';
import { objectProperty, propertyValue, stringValue, unwrap } from '../semantic/ast.js';
import type { FrameworkContext, RouteLink } from './types.js';
import { exportedHandlers } from './exported-handlers.js';

const MIDDLEWARE_FILE = /^(?:(.+)\/)?(?:src\/)?(middleware|proxy)\.(?:ts|js|mjs|tsx|jsx)$/;

interface NextMiddleware {
  /** Folder of the Next.js app the middleware belongs to ('' for the root). */
  appRoot: string;
  handler: ts.Expression;
  matchers: RegExp[] | undefined;
}

const cache = new WeakMap<FrameworkContext, NextMiddleware[]>();

/**
 * The middleware layers that apply to a path of one app, as route links. A monorepo holds several Next.js apps:
 * each middleware runs only in front of its own app's routes (`appRoot`, see `nextAppRoot`).
 */
export function nextMiddlewareLinks(context: FrameworkContext): (urlPath: string, appRoot: string) => RouteLink[] {
  const middlewares = middlewaresOf(context);
  return (urlPath, appRoot) =>
    middlewares
      .filter((m) => m.appRoot === appRoot && (!m.matchers || m.matchers.some((re) => re.test(samplePath(urlPath)))))
      .map((m) => ({ role: 'middleware', expression: m.handler, source: 'next-middleware' }));
}

/** The folders of the project's Next.js middleware files, the roots of their apps ('' for the project root). */
export function nextMiddlewareRoots(context: FrameworkContext): string[] {
  return middlewaresOf(context).map((m) => m.appRoot);
}

function middlewaresOf(context: FrameworkContext): NextMiddleware[] {
  let middlewares = cache.get(context);
  if (!middlewares) cache.set(context, (middlewares = findMiddlewares(context)));
  return middlewares;
}

/**
 * The folder of the Next.js app a route file belongs to: what precedes its router folder (`app/` or `pages/`,
 * the first one in the path, as the route's URL reads it), without a trailing `src/`.
 */
export function nextAppRoot(relative: string, routerFolder: 'app' | 'pages'): string {
  return withoutSrc(relative.startsWith(`${routerFolder}/`) ? '' : relative.slice(0, Math.max(0, relative.indexOf(`/${routerFolder}/`))));
}

/** An app's folder from the folder its code sits in: `apps/web/src` → `apps/web`, `src` → ''. */
function withoutSrc(folder: string): string {
  if (folder === 'src') return '';
  return folder.endsWith('/src') ? folder.slice(0, -'/src'.length) : folder;
}

function findMiddlewares(context: FrameworkContext): NextMiddleware[] {
  const found: NextMiddleware[] = [];
  for (const sourceFile of context.routeFiles) {
    const relative = context.project.relative(sourceFile.fileName);
    const match = MIDDLEWARE_FILE.exec(relative);
    if (!match) continue;
    const appRoot = withoutSrc(match[1] ?? '');
    if (match[2] === 'proxy' && !isNextCode(sourceFile, appRoot, context)) continue;
    const handler = middlewareHandler(sourceFile, match[2]);
    if (!handler) continue;
    found.push({ appRoot, handler, matchers: matchersOf(sourceFile) });
  }
  return found;
}

/** Imports from Next.js or a Next.js auth library, Next's request types, or a route `matcher`. */
const NEXT_MIDDLEWARE_TEXT = /['"](?:next|next\/[\w/-]+|[\w@/-]*next[\w-]*(?:\/[\w/-]+)?)['"]|\bNext(?:Request|Response|FetchEvent)\b|\bmatcher\b/;
const NEXT_CONFIGS = ['next.config.js', 'next.config.mjs', 'next.config.ts', 'next.config.cjs', 'next.config.mts'];

/**
 * `proxy` names plenty of helpers: a `proxy.ts` is Next.js middleware (its name from Next 16) only when it reads
 * as Next.js code or sits beside the app's `next.config`.
 */
function isNextCode(sourceFile: ts.SourceFile, appRoot: string, context: FrameworkContext): boolean {
  if (NEXT_MIDDLEWARE_TEXT.test(sourceFile.text)) return true;
  const folder = path.join(context.project.root, appRoot);
  return NEXT_CONFIGS.some((name) => context.project.textOf(path.join(folder, name)) !== undefined);
}

function middlewareHandler(sourceFile: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isExportAssignment(statement)) return statement.expression;
    if (ts.isFunctionDeclaration(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) {
      return statement as unknown as ts.Expression;
    }
    // export { default } from 'next-auth/middleware'
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      const specifier = statement.exportClause.elements.find((e) => e.name.text === 'default' || e.name.text === name);
      if (specifier) return specifier.name;
    }
  }
  const named = exportedHandlers(sourceFile, [name, 'middleware']);
  const value = named[0]?.value;
  return value as ts.Expression | undefined;
}

/** `export const config = { matcher: [...] }`; undefined when there is none (the middleware runs everywhere). */
function matchersOf(sourceFile: ts.SourceFile): RegExp[] | undefined {
  const config = exportedHandlers(sourceFile, ['config'])[0]?.value;
  if (!config || !ts.isExpression(config as ts.Node)) return undefined;
  const object = unwrap(config as ts.Expression);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  const matcher = propertyValue(objectProperty(object, 'matcher'));
  if (!matcher) return undefined;
  const value = unwrap(matcher);
  const sources: string[] = [];
  const elements = ts.isArrayLiteralExpression(value) ? value.elements : [value];
  for (const element of elements) {
    const e = unwrap(element as ts.Expression);
    const text = stringValue(e) ?? (ts.isObjectLiteralExpression(e) ? stringValue(propertyValue(objectProperty(e, 'source'))) : undefined);
    if (text !== undefined) sources.push(text);
  }
  return sources.map(matcherToRegExp);
}

/** Next.js matchers are path-to-regexp patterns: `/api/:path*`, `/((?!_next/static|favicon.ico).*)`. */
export function matcherToRegExp(pattern: string): RegExp {
  const source = pattern
    .replace(/\/:(\w+)\*/g, '(?:/.*)?')
    .replace(/\/:(\w+)\+/g, '(?:/.+)')
    .replace(/\/:(\w+)\?/g, '(?:/[^/]+)?')
    .replace(/:(\w+)(\([^)]*\))?/g, (_m, _name, group: string | undefined) => group ?? '[^/]+');
  try {
    return new RegExp(`^${source}/?$`);
  } catch {
    return /.*/;
  }
}

/** A concrete path standing for a route pattern, for matching: `/api/chat/:id` → `/api/chat/x`. */
function samplePath(path: string): string {
  return path.replace(/:\w+\*?/g, 'x');
}
