/**
 * Node's own HTTP server: `http.createServer((req, res) => ...)`, `https.createServer(options, handler)`, HTTP/2's
 * `createSecureServer`. One handler answers every path (it may branch on `req.url` itself), so the route is `/*`.
 * A server given an app (`createServer(app)`, `createServer(app.callback())`) is that framework's, found there.
 */
import ts from '../typescript.cjs';
import { callsIn, unwrap } from '../semantic/ast.js';
import type { FrameworkContext, FrameworkPlugin, RouteEntry } from './types.js';
import { definedHandlerChain } from './module-exports.js';

const SERVER_MODULES = new Set(['http', 'node:http', 'https', 'node:https', 'http2', 'node:http2']);
const SERVER_FACTORIES = new Set(['createServer', 'createSecureServer']);

export const nodeHttpFramework: FrameworkPlugin = {
  name: 'node-http',
  triggers: { markers: [/\bcreate(?:Secure)?Server\s*\(/] },
  findRoutes(context) {
    const routes: RouteEntry[] = [];
    for (const sourceFile of context.routeFiles) {
      if (!/\bcreate(?:Secure)?Server\s*\(/.test(sourceFile.text)) continue;
      for (const call of callsIn(sourceFile)) {
        const handler = serverHandler(call, context);
        if (handler) routes.push({ framework: 'node-http', method: 'ALL', path: '/*', anchor: call, chain: definedHandlerChain(handler, context, []) });
      }
    }
    return routes;
  },
};

/** The request handler given to Node's server factory: its last argument, when that is a function. */
function serverHandler(call: ts.CallExpression, context: FrameworkContext): ts.Expression | undefined {
  const callee = context.resolver.resolve(call.expression);
  if (callee?.root.kind !== 'module' || !SERVER_MODULES.has(callee.root.module)) return undefined;
  const names = callee.segments.filter((s) => s.kind === 'member').map((s) => (s as { name: string }).name).filter((n) => n !== 'default');
  if (names.length !== 1 || !SERVER_FACTORIES.has(names[0]) || callee.segments.some((s) => s.kind !== 'member')) return undefined;
  const last = call.arguments[call.arguments.length - 1];
  const handler = last && unwrap(last);
  if (!handler) return undefined;
  if (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) return handler;
  return ts.isIdentifier(handler) && context.resolver.resolveFunction(handler) ? handler : undefined;
}
