/** Next.js Pages Router: `pages/api/**` files whose default export is the handler. */
import ts from '../typescript.cjs';
import type { FrameworkPlugin, RouteEntry } from './types.js';
import { dynamicSegment, handlerChain } from './nextjs-app.js';
import { singleMethod } from './module-exports.js';
import { nextAppRoot, nextMiddlewareLinks } from './nextjs-middleware.js';

const API_FILE = /(?:^|\/)pages\/(api\/.*)\.(?:ts|tsx|js|jsx|mjs|cjs)$/;

export const nextPagesFramework: FrameworkPlugin = {
  name: 'nextjs-pages',
  triggers: {
    packages: ['next', 'next-connect'],
    markers: [/\bNextApiRequest\b/],
    routeFiles: /(^|\/)pages\/api\//,
    ownRouteFiles: /(^|\/)pages\/api\//,
    crossFile: { packages: ['next-connect'] },
  },
  findRoutes(context) {
    const routes: RouteEntry[] = [];
    const middleware = nextMiddlewareLinks(context);
    for (const sourceFile of context.routeFiles) {
      const relative = context.project.relative(sourceFile.fileName);
      const match = API_FILE.exec(relative);
      if (!match) continue;
      const exported = defaultExport(sourceFile);
      if (!exported) continue;
      const urlPath = '/' + match[1].split('/').map(dynamicSegment).filter((s, i, all) => !(s === 'index' && i === all.length - 1)).join('/');
      const chain = handlerChain(exported, context);
      const handler = chain[chain.length - 1].expression;
      const fn = context.resolver.resolveFunction(handler);
      routes.push({
        framework: 'nextjs-pages',
        method: fn ? singleMethod(fn.fn) : 'ALL',
        path: urlPath,
        anchor: fn ? declarationAnchor(fn.fn) : exported,
        chain: [...middleware(urlPath, nextAppRoot(relative, 'pages')), ...chain],
      });
    }
    return routes;
  },
};

function defaultExport(sourceFile: ts.SourceFile): ts.Expression | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) return statement.expression;
    if (ts.isFunctionDeclaration(statement)) {
      const modifiers = ts.getModifiers(statement) ?? [];
      if (modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return statement as unknown as ts.Expression;
    }
  }
  return undefined;
}

/** The statement that declares a handler function: where route-level findings point. */
function declarationAnchor(fn: ts.Node): ts.Node {
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent)) {
    return fn.parent.parent.parent; // the variable statement
  }
  return fn;
}
