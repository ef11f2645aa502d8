/**
 * Express: `app`/`router` `.get/.post/...` registrations, `.route(path).post(...)` chains, `use` layers with
 * and without a path in registration order, routers mounted from other files, and registrations made by
 * functions the app is passed to (`registerRoutes(app)`), in the order of that call.
 */
import ts from '../typescript.cjs';
import { CallContext, constantString, segmentSignature } from '../semantic/resolve.js';
import { callsIn, enclosingFunction, type FunctionNode, stringValue, unwrap, walk } from '../semantic/ast.js';
import type { FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';
import { unresolvedMount } from './unresolved-mount.js';
import type { ProtectionLibraries } from '../semantic/libraries.js';

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'all']);
const EXPRESS_PACKAGES = ['express'];

/** A `use` layer: middleware that runs for every later route under `scope`. */
interface Layer {
  scope: string;
  expression: ts.Expression;
  frame: CallContext;
}

type Registration =
  | { kind: 'route'; method: string; path: string; handlers: ts.Expression[]; anchor: ts.Node; order: number[]; frame: CallContext }
  | { kind: 'use'; scope: string; handlers: ts.Expression[]; anchor: ts.Node; order: number[]; frame: CallContext };

interface Receiver {
  /**
   * The `express()` / `Router()` call that created it, or a parameter typed as an Express app or router when
   * no call passing one in was found.
   */
  creation: ts.Node;
  registrations: Registration[];
  /** Made by `Router()` (or a parameter typed as one), so meant to be mounted into an app. */
  isRouter: boolean;
  /** Some app or router mounts it where the scanner can follow. */
  mounted: boolean;
}

/**
 * Where a registration runs: its function entered through the call that passed the app in (so `app` resolves
 * to what the caller created), and its place in registration order (the call sites on the way, then itself).
 */
interface Frame {
  context: CallContext;
  order: number[];
}

/** Calls that pass an app or router to a project function, by the function they enter. */
type CallSites = Map<FunctionNode, ts.CallExpression>;

/** The authentication and rate-limit middleware of the Express ecosystem, and its harmless plumbing. */
const EXPRESS_LIBRARIES: ProtectionLibraries = {
  authMiddleware: [
    { module: 'express-jwt', signature: /^(expressjwt\.)?\(\)$/, name: 'express-jwt' },
    { module: 'express-openid-connect', signature: /^requiresAuth\.\(\)$/, name: 'express-openid-connect requiresAuth' },
    { module: '@clerk/express', signature: /^requireAuth\.\(\)$/, name: 'Clerk requireAuth' },
    { module: '@clerk/clerk-sdk-node', signature: /^ClerkExpressRequireAuth\.\(\)$/, name: 'Clerk ClerkExpressRequireAuth' },
    { module: 'express-oauth2-jwt-bearer', signature: /^auth\.\(\)$/, name: 'express-oauth2-jwt-bearer' },
    { module: 'express-basic-auth', signature: /^\(\)$/, name: 'express-basic-auth' },
  ],
  middlewareLimiters: [
    { module: 'express-rate-limit', keyOption: 'keyGenerator', defaultKey: 'ip' },
    { module: 'express-slow-down', keyOption: 'keyGenerator', defaultKey: 'ip' },
  ],
  harmless: [
    { module: /^(express|body-parser|cors|helmet|morgan|compression|cookie-parser|multer|serve-static|method-override|response-time|express-validator|pino-http|express-winston|hpp|express-mongo-sanitize|express-session|connect-timeout|express-fileupload|express-async-handler)$/ },
    // Response caches: a cached answer is served per URL, and a new query string is a new request.
    { module: /^apicache$/ },
    // Dependency injection per request.
    { module: /^awilix-express$/, signature: /^scopePerRequest(\.\(\))?$/ },
  ],
};

export const expressFramework: FrameworkPlugin = {
  name: 'express',
  libraries: EXPRESS_LIBRARIES,
  triggers: { packages: EXPRESS_PACKAGES, crossFile: { packages: EXPRESS_PACKAGES, mounts: true } },
  findRoutes(context) {
    const receivers = collectRegistrations(context);
    const mounted = new Set<ts.Node>();
    for (const receiver of receivers.values()) {
      for (const registration of receiver.registrations) {
        if (registration.kind !== 'use') continue;
        for (const handler of registration.handlers) {
          const router = receiverOf(handler, context, registration.frame);
          if (router && router !== receiver.creation) mounted.add(router);
        }
      }
    }
    const routes: RouteEntry[] = [];
    for (const receiver of receivers.values()) receiver.mounted = mounted.has(receiver.creation);
    const appLayers = soleAppLayers([...receivers.values()], context);
    for (const receiver of receivers.values()) {
      if (receiver.mounted) continue;
      expandReceiver(receiver, '', receiver.isRouter ? appLayers : [], receivers, context, routes, new Set());
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
  factory?: CallContext,
): void {
  if (visiting.has(receiver.creation)) return;
  visiting.add(receiver.creation);
  const layers = [...inherited];
  for (const original of receiver.registrations) {
    // A router made by a factory (`require('./chat')(openai)`) registers with the factory's parameters bound.
    const registration = factory && original.frame === CallContext.ROOT ? { ...original, frame: factory } : original;
    if (registration.kind === 'use') {
      const scope = joinPath(prefix, registration.scope);
      const middleware: Layer[] = [];
      for (const handler of registration.handlers) {
        const router = receiverOf(handler, context, registration.frame);
        const mountedReceiver = router ? receivers.get(router) : undefined;
        if (mountedReceiver) {
          const made = factoryCall(handler, mountedReceiver, context, registration.frame);
          expandReceiver(mountedReceiver, scope, [...layers, ...middleware], receivers, context, routes, visiting, made);
        } else {
          middleware.push({ scope, expression: handler, frame: registration.frame });
        }
      }
      const terminal = registration.scope ? terminalUseHandler(registration, context) : undefined;
      if (terminal) routes.push(useRoute(scope, terminal, [...layers, ...middleware], registration, receiver, context));
      layers.push(...middleware);
      continue;
    }
    const fullPath = joinPath(prefix, registration.path);
    const chain: RouteLink[] = layers
      .filter((layer) => pathIsUnder(fullPath, layer.scope))
      .map((layer) => link('middleware', layer.expression, layer.frame));
    registration.handlers.forEach((handler, i) => {
      chain.push(link(i === registration.handlers.length - 1 ? 'handler' : 'middleware', handler, registration.frame));
    });
    routes.push({ framework: 'express', method: registration.method, path: fullPath, anchor: registration.anchor, chain, ...mountOf(receiver, context) });
  }
  visiting.delete(receiver.creation);
}

/** When a mounted router is the result of calling a function that creates it, that call entered. */
function factoryCall(handler: ts.Expression, router: Receiver, context: FrameworkContext, frame: CallContext): CallContext | undefined {
  const call = unwrap(handler);
  if (!ts.isCallExpression(call)) return undefined;
  const factory = context.resolver.resolveFunction(call.expression, frame)?.fn;
  if (!factory || !isWithin(router.creation, factory)) return undefined;
  return frame.enter(factory, call);
}

function isWithin(node: ts.Node, ancestor: ts.Node): boolean {
  return ts.findAncestor(node, (n) => n === ancestor) !== undefined;
}

/**
 * A router that nothing mounts where the scanner can follow (loaded in a loop over a folder, mounted under a
 * computed prefix) still serves its routes: they are reported relative to it. An app (`express()`) is the root.
 */
function mountOf(receiver: Receiver, context: FrameworkContext): Pick<RouteEntry, 'mount' | 'unseen'> {
  return receiver.mounted || !receiver.isRouter ? {} : unresolvedMount(receiver.creation, context.project);
}

/**
 * The middleware an app runs before every route (`app.use(limiter)`), when the project has one app: a router
 * whose mount is not found is most likely mounted on it, so it gets these layers.
 */
function soleAppLayers(receivers: Receiver[], context: FrameworkContext): Layer[] {
  const apps = receivers.filter((receiver) => !receiver.isRouter && !receiver.mounted);
  if (apps.length !== 1) return [];
  return apps[0]!.registrations.flatMap((registration) =>
    registration.kind === 'use' && !registration.scope
      ? registration.handlers.filter((h) => !receiverOf(h, context, registration.frame)).map((expression) => ({ scope: '', expression, frame: registration.frame }))
      : [],
  );
}

/**
 * `app.use('/api/chat', chatHandler)`: the last function given to a scoped `use` answers every method under the
 * scope, unless it passes the request on with `next()`. Only one that reaches a paid call becomes an endpoint.
 */
function terminalUseHandler(registration: Extract<Registration, { kind: 'use' }>, context: FrameworkContext): ts.Expression | undefined {
  const handler = registration.handlers[registration.handlers.length - 1];
  if (!handler || receiverOf(handler, context, registration.frame)) return undefined;
  const fn = context.resolver.resolveFunction(handler, registration.frame)?.fn;
  return fn && !passesRequestOn(fn) ? handler : undefined;
}

/** Whether a middleware calls its third parameter (`next()`) without an error. */
function passesRequestOn(fn: FunctionNode): boolean {
  const next = fn.parameters[2]?.name;
  if (!next || !ts.isIdentifier(next)) return false;
  let found = false;
  walk(fn, (node) => {
    if (found) return false;
    if (ts.isCallExpression(node) && node.arguments.length === 0 && ts.isIdentifier(node.expression) && node.expression.text === next.text) found = true;
  });
  return found;
}

function useRoute(
  path: string,
  handler: ts.Expression,
  before: Layer[],
  registration: Extract<Registration, { kind: 'use' }>,
  receiver: Receiver,
  context: FrameworkContext,
): RouteEntry {
  const chain = before.filter((layer) => layer.expression !== handler && pathIsUnder(path, layer.scope)).map((layer) => link('middleware', layer.expression, layer.frame));
  chain.push(link('handler', handler, registration.frame));
  return { framework: 'express', method: 'ALL', path, anchor: registration.anchor, chain, ...mountOf(receiver, context) };
}

function collectRegistrations(context: FrameworkContext): Map<ts.Node, Receiver> {
  const receivers = new Map<ts.Node, Receiver>();
  const receiverFor = (creation: ts.Node): Receiver => {
    let receiver = receivers.get(creation);
    if (!receiver) receivers.set(creation, (receiver = { creation, registrations: [], isRouter: isRouterCreation(creation), mounted: false }));
    return receiver;
  };
  const files = context.routeFiles.filter((sourceFile) => context.mayImport(sourceFile, EXPRESS_PACKAGES));
  const callSites = appCallSites(files, context);
  for (const sourceFile of files) {
    callsIn(sourceFile).forEach((node) => {
      if (!ts.isPropertyAccessExpression(node.expression)) return;
      const method = node.expression.name.text;
      if (method !== 'use' && !ROUTE_METHODS.has(method)) return;
      const frame = frameOf(node, callSites);
      const order = [...frame.order, node.getStart()];
      const target = node.expression.expression;
      const routeCall = routeChainStart(target);
      if (routeCall) {
        const creation = receiverOf(routeCall.expression, context, frame.context);
        if (!creation || !ROUTE_METHODS.has(method)) return;
        receiverFor(creation).registrations.push({
          kind: 'route',
          method: method.toUpperCase(),
          path: pathText(routeCall.call.arguments[0], context),
          handlers: flatten(node.arguments),
          anchor: outermostChain(node),
          order,
          frame: frame.context,
        });
        return;
      }
      const creation = receiverOf(target, context, frame.context);
      if (!creation) return;
      const args = [...node.arguments];
      const first = args[0] ? unwrap(args[0]) : undefined;
      const constantPath = first && !isPathLiteral(first) ? constantString(first, context.resolver) : undefined;
      const hasPath = first !== undefined && (isPathLiteral(first) || constantPath !== undefined || isComputedPath(first));
      if (method === 'use') {
        receiverFor(creation).registrations.push({
          kind: 'use',
          scope: hasPath ? constantPath ?? pathText(args[0], context) : '',
          handlers: flatten(hasPath ? args.slice(1) : args),
          anchor: node,
          order,
          frame: frame.context,
        });
      } else if (args.length >= 2 && first !== undefined && !ts.isFunctionLike(first)) {
        // A route method with a handler always takes the path first: a literal, a constant, a template.
        receiverFor(creation).registrations.push({
          kind: 'route',
          method: method.toUpperCase(),
          path: constantPath ?? pathText(args[0], context),
          handlers: flatten(args.slice(1)),
          anchor: node,
          order,
          frame: frame.context,
        });
      }
    });
  }
  for (const receiver of receivers.values()) {
    receiver.registrations.sort((a, b) => compareOrder(a.order, b.order));
  }
  return receivers;
}

/**
 * Calls such as `registerRoutes(app)` or `chatRoutes(router, deps)`: an argument is an app or router. The
 * files of the functions called join `files`: they register on what they are given and need not import express.
 */
function appCallSites(files: ts.SourceFile[], context: FrameworkContext): CallSites {
  const callSites: CallSites = new Map();
  // A function may pass the app on (`registerRoutes(app)` calls `registerChat(app)`): a few rounds find those.
  for (let round = 0, found = true; found && round < MAX_CALL_NESTING; round++) {
    found = false;
    for (const sourceFile of [...files]) {
      callsIn(sourceFile).forEach((node) => {
        if (node.arguments.length === 0 || isRegistrationMethod(node)) return;
        const candidates = node.arguments.map(unwrap).filter((e) => ts.isIdentifier(e) || ts.isPropertyAccessExpression(e));
        if (candidates.length === 0) return;
        const frame = frameOf(node, callSites).context;
        const passesApp = candidates.some((e) => receiverOf(e, context, frame) !== undefined);
        if (!passesApp) return;
        const callee = context.resolver.resolveFunction(node.expression);
        if (!callee || callSites.has(callee.fn)) return;
        callSites.set(callee.fn, node);
        if (!files.includes(callee.fn.getSourceFile())) files.push(callee.fn.getSourceFile());
        found = true;
      });
    }
  }
  return callSites;
}

const MAX_CALL_NESTING = 4;

function isRegistrationMethod(call: ts.CallExpression): boolean {
  return ts.isPropertyAccessExpression(call.expression) && (call.expression.name.text === 'use' || ROUTE_METHODS.has(call.expression.name.text));
}

/** The frame a node runs in: through the nearest enclosing function that an app was passed to. */
function frameOf(node: ts.Node, callSites: CallSites, nesting = 0): Frame {
  if (nesting < MAX_CALL_NESTING) {
    for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
      const site = callSites.get(fn);
      if (!site) continue;
      const outer = frameOf(site, callSites, nesting + 1);
      return { context: outer.context.enter(fn, site), order: [...outer.order, site.getStart()] };
    }
  }
  return { context: CallContext.ROOT, order: [] };
}

/** A chain link, with the frame it was registered in when that is not the top level. */
function link(role: RouteLink['role'], expression: ts.Expression, frame: CallContext): RouteLink {
  return frame === CallContext.ROOT ? { role, expression } : { role, expression, context: frame };
}

function compareOrder(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
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

/**
 * The `express()` / `express.Router()` / `Router()` call an expression refers to; for a parameter no call
 * binds, the parameter itself when it is typed as an Express app or router.
 */
function receiverOf(expression: ts.Expression, context: FrameworkContext, frame: CallContext = CallContext.ROOT): ts.Node | undefined {
  const path = context.resolver.moduleValue(context.resolver.resolve(expression, frame));
  if (path?.root.kind === 'param' && path.segments.length === 0) return isExpressTyped(path.root.param, context) ? path.root.param : undefined;
  if (!path || path.root.kind !== 'module' || path.root.module !== 'express') return undefined;
  const signature = segmentSignature(path.segments).replace(/^default\./, '');
  if (signature !== '()' && signature !== 'Router.()') return undefined;
  const last = path.segments[path.segments.length - 1];
  return last?.kind === 'call' ? last.call : undefined;
}

const EXPRESS_RECEIVER_TYPES = new Set(['Express', 'Application', 'Router', 'IRouter']);

/** `app: Express`, `router: express.Router`, `app: Application` with the type imported from express. */
function isExpressTyped(param: ts.ParameterDeclaration, context: FrameworkContext): boolean {
  const type = param.type;
  if (!type || !ts.isTypeReferenceNode(type)) return false;
  const base = ts.isIdentifier(type.typeName) ? type.typeName : type.typeName.left;
  const path = ts.isIdentifier(base) ? context.resolver.resolve(base) : undefined;
  if (!path || path.root.kind !== 'module' || path.root.module !== 'express') return false;
  const names = [...path.segments.flatMap((s) => (s.kind === 'member' ? [s.name] : [])), ...(ts.isQualifiedName(type.typeName) ? [type.typeName.right.text] : [])];
  return names.length === 1 && EXPRESS_RECEIVER_TYPES.has(names[0]!);
}

function flatten(args: readonly ts.Expression[]): ts.Expression[] {
  return args.flatMap((arg) => {
    const e = unwrap(arg);
    return ts.isArrayLiteralExpression(e) ? flatten(e.elements.filter((x) => !ts.isSpreadElement(x))) : [arg];
  });
}

function isPathLiteral(e: ts.Expression): boolean {
  return ts.isStringLiteralLike(e) || ts.isRegularExpressionLiteral(e) || (ts.isArrayLiteralExpression(e) && e.elements.every((x) => ts.isStringLiteralLike(x)));
}

/** A path as written, with constants filled in (`${API_PREFIX}/chat` → `/api/chat`); other parts stay as code. */
function pathText(argument: ts.Expression | undefined, context: FrameworkContext): string {
  if (!argument) return '/';
  const text = constantString(argument, context.resolver);
  if (text !== undefined) return text;
  const e = unwrap(argument);
  if (ts.isArrayLiteralExpression(e)) return e.elements.map((x) => stringValue(x) ?? x.getText()).join('|');
  if (ts.isTemplateExpression(e)) {
    return e.head.text + e.templateSpans.map((span) => (constantString(span.expression, context.resolver) ?? `\${${span.expression.getText()}}`) + span.literal.text).join('');
  }
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

/** `Router()`, `express.Router()`, or a parameter typed `Router` / `IRouter`. */
function isRouterCreation(creation: ts.Node): boolean {
  if (ts.isParameter(creation)) {
    const type = creation.type;
    const name = type && ts.isTypeReferenceNode(type) ? (ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text) : '';
    return name === 'Router' || name === 'IRouter';
  }
  if (!ts.isCallExpression(creation)) return false;
  const callee = unwrap(creation.expression);
  return (ts.isIdentifier(callee) && callee.text === 'Router') || (ts.isPropertyAccessExpression(callee) && callee.name.text === 'Router');
}

/** A path built at run time: `` `/api/${name}` ``, `'/' + name`. */
function isComputedPath(e: ts.Expression): boolean {
  if (ts.isTemplateExpression(e)) return e.head.text.startsWith('/');
  return ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken && (stringValue(e.left) ?? '').startsWith('/');
}
