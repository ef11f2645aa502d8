/**
 * Express: `app`/`router` `.get/.post/...` registrations, `.route(path).post(...)` chains, `use` layers with
 * and without a path in registration order, and routers mounted from other files.
 */
import ts from '../typescript.cjs';
import { segmentSignature } from '../analysis/resolve.js';
import { stringValue, unwrap, walk } from '../analysis/ast.js';
import type { FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'all']);
const EXPRESS_PACKAGES = ['express'];

/** A `use` layer: middleware that runs for every later route under `scope`. */
interface Layer {
  scope: string;
  expression: ts.Expression;
}

type Registration =
  | { kind: 'route'; method: string; path: string; handlers: ts.Expression[]; anchor: ts.Node; position: number }
  | { kind: 'use'; scope: string; handlers: ts.Expression[]; position: number };

interface Receiver {
  /** The `express()` / `Router()` call that created it. */
  creation: ts.Node;
  registrations: Registration[];
}

export const expressFramework: FrameworkPlugin = {
  name: 'express',
  findRoutes(context) {
    const receivers = collectRegistrations(context);
    const mounted = new Set<ts.Node>();
    for (const receiver of receivers.values()) {
      for (const registration of receiver.registrations) {
        if (registration.kind !== 'use') continue;
        for (const handler of registration.handlers) {
          const router = receiverOf(handler, context);
          if (router && router !== receiver.creation) mounted.add(router);
        }
      }
    }
    const routes: RouteEntry[] = [];
    for (const receiver of receivers.values()) {
      if (mounted.has(receiver.creation)) continue;
      expandReceiver(receiver, '', [], receivers, context, routes, new Set());
    }
    return routes;
  },
};

function expandReceiver(
  receiver: Receiver,
  prefix: string,
  inherited: Layer[],
  receivers: Map<ts.Node, Receiver>,
  context: FrameworkContext,
  routes: RouteEntry[],
  visiting: Set<ts.Node>,
): void {
  if (visiting.has(receiver.creation)) return;
  visiting.add(receiver.creation);
  const layers = [...inherited];
  for (const registration of receiver.registrations) {
    if (registration.kind === 'use') {
      const scope = joinPath(prefix, registration.scope);
      const middleware: Layer[] = [];
      for (const handler of registration.handlers) {
        const router = receiverOf(handler, context);
        const mountedReceiver = router ? receivers.get(router) : undefined;
        if (mountedReceiver) {
          expandReceiver(mountedReceiver, scope, [...layers, ...middleware], receivers, context, routes, visiting);
        } else {
          middleware.push({ scope, expression: handler });
        }
      }
      layers.push(...middleware);
      continue;
    }
    const fullPath = joinPath(prefix, registration.path);
    const chain: RouteLink[] = layers
      .filter((layer) => pathIsUnder(fullPath, layer.scope))
      .map((layer) => ({ role: 'middleware', expression: layer.expression }));
    registration.handlers.forEach((handler, i) => {
      chain.push({ role: i === registration.handlers.length - 1 ? 'handler' : 'middleware', expression: handler });
    });
    routes.push({ framework: 'express', method: registration.method, path: fullPath, anchor: registration.anchor, chain });
  }
  visiting.delete(receiver.creation);
}

function collectRegistrations(context: FrameworkContext): Map<ts.Node, Receiver> {
  const receivers = new Map<ts.Node, Receiver>();
  const receiverFor = (creation: ts.Node): Receiver => {
    let receiver = receivers.get(creation);
    if (!receiver) receivers.set(creation, (receiver = { creation, registrations: [] }));
    return receiver;
  };
  for (const sourceFile of context.routeFiles) {
    if (!context.mayImport(sourceFile, EXPRESS_PACKAGES)) continue;
    walk(sourceFile, (node) => {
      if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
      const method = node.expression.name.text;
      if (method !== 'use' && !ROUTE_METHODS.has(method)) return;
      const target = node.expression.expression;
      const routeCall = routeChainStart(target);
      if (routeCall) {
        const creation = receiverOf(routeCall.expression, context);
        if (!creation || !ROUTE_METHODS.has(method)) return;
        receiverFor(creation).registrations.push({
          kind: 'route',
          method: method.toUpperCase(),
          path: pathText(routeCall.call.arguments[0]),
          handlers: flatten(node.arguments),
          anchor: outermostChain(node),
          position: node.getStart(),
        });
        return;
      }
      const creation = receiverOf(target, context);
      if (!creation) return;
      const args = [...node.arguments];
      const first = args[0] ? unwrap(args[0]) : undefined;
      const hasPath = first !== undefined && (ts.isStringLiteralLike(first) || ts.isRegularExpressionLiteral(first) || ts.isArrayLiteralExpression(first) && first.elements.every((e) => ts.isStringLiteralLike(e)));
      if (method === 'use') {
        receiverFor(creation).registrations.push({
          kind: 'use',
          scope: hasPath ? pathText(args[0]) : '',
          handlers: flatten(hasPath ? args.slice(1) : args),
          position: node.getStart(),
        });
      } else if (hasPath && args.length >= 2) {
        receiverFor(creation).registrations.push({
          kind: 'route',
          method: method.toUpperCase(),
          path: pathText(args[0]),
          handlers: flatten(args.slice(1)),
          anchor: node,
          position: node.getStart(),
        });
      }
    });
  }
  for (const receiver of receivers.values()) {
    receiver.registrations.sort((a, b) => a.position - b.position);
  }
  return receivers;
}

/** For `x.route('/p').get(a).post(b)`: the `.route('/p')` call and its receiver expression. */
function routeChainStart(expression: ts.Expression): { call: ts.CallExpression; expression: ts.Expression } | undefined {
  let current = unwrap(expression);
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
    const name = current.expression.name.text;
    if (name === 'route') return { call: current, expression: current.expression.expression };
    if (!ROUTE_METHODS.has(name)) return undefined;
    current = unwrap(current.expression.expression);
  }
  return undefined;
}

/** The whole chained expression a registration belongs to, so the anchor is where the statement starts. */
function outermostChain(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isPropertyAccessExpression(current.parent) && ts.isCallExpression(current.parent.parent)) {
    current = current.parent.parent;
  }
  return current;
}

/** The `express()` / `express.Router()` / `Router()` call an expression refers to. */
function receiverOf(expression: ts.Expression, context: FrameworkContext): ts.Node | undefined {
  const path = context.resolver.resolve(expression);
  if (!path || path.root.kind !== 'module' || path.root.module !== 'express') return undefined;
  const signature = segmentSignature(path.segments).replace(/^default\./, '');
  if (signature !== '()' && signature !== 'Router.()') return undefined;
  const last = path.segments[path.segments.length - 1];
  return last?.kind === 'call' ? last.call : undefined;
}

function flatten(args: readonly ts.Expression[]): ts.Expression[] {
  return args.flatMap((arg) => {
    const e = unwrap(arg);
    return ts.isArrayLiteralExpression(e) ? flatten(e.elements.filter((x) => !ts.isSpreadElement(x))) : [arg];
  });
}

function pathText(argument: ts.Expression | undefined): string {
  if (!argument) return '/';
  const text = stringValue(argument);
  if (text !== undefined) return text;
  const e = unwrap(argument);
  if (ts.isArrayLiteralExpression(e)) return e.elements.map((x) => stringValue(x) ?? x.getText()).join('|');
  return e.getText();
}

function joinPath(prefix: string, path: string): string {
  if (!path || path === '/') return prefix || '/';
  return `${prefix.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
}

/** Express matches a `use` scope on whole path segments. */
function pathIsUnder(path: string, scope: string): boolean {
  if (!scope || scope === '/') return true;
  const normalized = scope.replace(/\/$/, '');
  return path === normalized || path.startsWith(normalized + '/');
}
