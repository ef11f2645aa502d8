/**
 * Next.js App Router: `app/**\/route.{ts,js}` (also under `src/`) exporting `GET`/`POST`/... handlers.
 * A handler wrapped in a higher-order function (`export const POST = withAuth(async (req) => ...)`) gets the
 * wrapper as a link of its chain. Next.js `middleware.ts` / `proxy.ts` layers are added by `nextMiddlewareLinks`.
 */
import ts from '../typescript.cjs';
import { unwrap } from '../analysis/ast.js';
import { HTTP_METHODS, type FrameworkContext, type FrameworkPlugin, type RouteEntry, type RouteLink } from './types.js';
import { nextAppRoot, nextMiddlewareLinks } from './nextjs-middleware.js';
import type { ProtectionLibraries } from '../analysis/libraries.js';

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

export interface ExportedHandler {
  name: string;
  /** The function, or the expression exported under that name. */
  value: ts.Expression | ts.FunctionDeclaration;
  anchor: ts.Node;
}

/** Exported declarations named `names`: functions, `const X = ...`, and `export { handler as X }`. */
export function exportedHandlers(sourceFile: ts.SourceFile, names: readonly string[]): ExportedHandler[] {
  const found: ExportedHandler[] = [];
  for (const statement of sourceFile.statements) {
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && ts.isFunctionDeclaration(statement) && statement.name && names.includes(statement.name.text)) {
      found.push({ name: statement.name.text, value: statement, anchor: statement });
    } else if (exported && ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && names.includes(declaration.name.text) && declaration.initializer) {
          found.push({ name: declaration.name.text, value: declaration.initializer, anchor: statement });
        } else if (ts.isObjectBindingPattern(declaration.name) && declaration.initializer) {
          // export const { GET, POST } = handlers;
          for (const element of declaration.name.elements) {
            if (ts.isIdentifier(element.name) && names.includes(element.name.text)) {
              found.push({ name: element.name.text, value: element.name, anchor: statement });
            }
          }
        }
      }
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const specifier of statement.exportClause.elements) {
        if (names.includes(specifier.name.text)) {
          found.push({ name: specifier.name.text, value: specifier.propertyName && ts.isIdentifier(specifier.propertyName) ? specifier.propertyName : specifier.name, anchor: statement });
        }
      }
    }
  }
  return found;
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
