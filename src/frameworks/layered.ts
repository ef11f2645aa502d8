/**
 * Frameworks whose apps and routers keep an ordered list of layers (Koa with @koa/router, Hono): a layer
 * registered with `use` runs before every later route its path covers, and an app or router mounted into
 * another brings its routes under a prefix, after the layers registered before the mount.
 */
import ts from '../typescript.cjs';
import { stringValue, unwrap } from '../semantic/ast.js';
import type { Framework } from '../model.js';
import type { ParsedProject } from '../parse/program.js';
import type { RouteEntry, RouteLink } from './types.js';
import { unresolvedMount } from './unresolved-mount.js';

export type LayerRegistration =
  | { kind: 'route'; method: string; path: string; handlers: ts.Expression[]; anchor: ts.Node; position: Position }
  /** Middleware, or apps and routers mounted under `scope`; `mounts` when the call only mounts (Hono `route()`). */
  | { kind: 'use'; scope: string; handlers: ts.Expression[]; position: Position; mounts?: boolean };

export interface Position {
  file: string;
  offset: number;
}

export interface LayeredApp {
  /** The `new Koa()` / `new Router()` / `new Hono()` that created it. */
  creation: ts.Node;
  /** Prefix of every route and layer of this app (Koa's `new Router({ prefix })`). */
  prefix: string;
  registrations: LayerRegistration[];
  /** A router class (Koa's `new Router()`): meant to be mounted into an app, never served alone. */
  isRouter?: boolean;
}

export interface LayeredFramework {
  name: Framework;
  project: ParsedProject;
  /** The app or router a `use` argument mounts, if it is one (`router.routes()`, a Hono sub-app). */
  mounted(handler: ts.Expression): ts.Node | undefined;
  /** Does a `use` scope cover a route path? */
  covers(scope: string, path: string): boolean;
}

interface Layer {
  scope: string;
  expression: ts.Expression;
}

/**
 * Where a registration's findings point: the call, or for a registration chained on a call or a `new`
 * (`new Hono().post(...).get(...)`) its method name, so each chained route has its own line.
 */
export function registrationAnchor(call: ts.CallExpression): ts.Node {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return call;
  const receiver = unwrap(callee.expression);
  return ts.isIdentifier(receiver) || ts.isPropertyAccessExpression(receiver) ? call : callee.name;
}

export function positionOf(node: ts.Node): Position {
  return { file: node.getSourceFile().fileName, offset: node.getStart() };
}

export function appFor(apps: Map<ts.Node, LayeredApp>, creation: ts.Node): LayeredApp {
  let app = apps.get(creation);
  if (!app) apps.set(creation, (app = { creation, prefix: '', registrations: [] }));
  return app;
}

/** Every route of every app that is not mounted into another, with the layers that run before it. */
export function expandLayeredApps(apps: Map<ts.Node, LayeredApp>, framework: LayeredFramework): RouteEntry[] {
  for (const app of apps.values()) app.registrations.sort(comparePositions(app.creation));
  const mounted = new Set<ts.Node>();
  for (const app of apps.values()) {
    for (const registration of app.registrations) {
      if (registration.kind !== 'use') continue;
      for (const handler of registration.handlers) {
        const target = framework.mounted(handler);
        if (target && target !== app.creation && apps.has(target)) mounted.add(target);
      }
    }
  }
  const unmounted = [...apps.values()].filter((app) => !mounted.has(app.creation));
  const unresolved = new Set(unmounted.filter((app) => mountNotFound(app, apps, framework)).map((app) => app.creation));
  const roots = unmounted.filter((app) => !unresolved.has(app.creation));
  const rootLayers = roots.length === 1 ? everywhereLayers(roots[0]!, framework) : [];
  const routes: RouteEntry[] = [];
  for (const app of unmounted) {
    const isUnresolved = unresolved.has(app.creation);
    const before = routes.length;
    expand(app, '', isUnresolved ? rootLayers : [], apps, framework, routes, new Set());
    if (isUnresolved) for (const route of routes.slice(before)) Object.assign(route, unresolvedMount(app.creation, framework.project));
  }
  return routes;
}

/**
 * Whether an app nothing mounts where the scanner can follow is still mounted somewhere: a router class always
 * is; an app that mounts nothing itself is, when some mount in the project names an app the scanner cannot
 * follow (sub-apps mounted in a loop over a folder or a table).
 */
function mountNotFound(app: LayeredApp, apps: Map<ts.Node, LayeredApp>, framework: LayeredFramework): boolean {
  if (app.isRouter) return true;
  const mountsOthers = app.registrations.some((r) => r.kind === 'use' && (r.mounts || r.handlers.some((h) => framework.mounted(h))));
  return !mountsOthers && [...apps.values()].some((other) => hasUnfollowedMount(other, apps, framework));
}

function hasUnfollowedMount(app: LayeredApp, apps: Map<ts.Node, LayeredApp>, framework: LayeredFramework): boolean {
  return app.registrations.some((r) => r.kind === 'use' && r.mounts && r.handlers.some((h) => !apps.has(framework.mounted(h) as ts.Node)));
}

/** The middleware an app runs before every path: what a router mounted on it where the scanner cannot see runs behind. */
function everywhereLayers(app: LayeredApp, framework: LayeredFramework): Layer[] {
  return app.registrations.flatMap((r) =>
    r.kind === 'use' && !r.mounts && ['', '/', '*', '/*'].includes(r.scope)
      ? r.handlers.filter((h) => !framework.mounted(h)).map((expression) => ({ scope: '', expression }))
      : [],
  );
}

function expand(
  app: LayeredApp,
  outerPrefix: string,
  inherited: Layer[],
  apps: Map<ts.Node, LayeredApp>,
  framework: LayeredFramework,
  routes: RouteEntry[],
  visiting: Set<ts.Node>,
): void {
  if (visiting.has(app.creation)) return;
  visiting.add(app.creation);
  const prefix = joinPath(outerPrefix, app.prefix);
  const layers = [...inherited];
  for (const registration of app.registrations) {
    if (registration.kind === 'use') {
      const scope = joinPath(prefix, registration.scope);
      const middleware: Layer[] = [];
      for (const handler of registration.handlers) {
        const target = framework.mounted(handler);
        const child = target ? apps.get(target) : undefined;
        if (child) expand(child, mountPrefix(scope), [...layers, ...middleware], apps, framework, routes, visiting);
        else if (!target) middleware.push({ scope, expression: handler });
      }
      layers.push(...middleware);
      continue;
    }
    const path = joinPath(prefix, registration.path);
    const chain: RouteLink[] = layers
      .filter((layer) => framework.covers(layer.scope, path))
      .map((layer) => ({ role: 'middleware', expression: layer.expression }));
    registration.handlers.forEach((handler, i) => {
      chain.push({ role: i === registration.handlers.length - 1 ? 'handler' : 'middleware', expression: handler });
    });
    routes.push({ framework: framework.name, method: registration.method, path, anchor: registration.anchor, chain });
  }
  visiting.delete(app.creation);
}

/** Registrations in source order; those in the app's own file first when an app is extended elsewhere. */
function comparePositions(creation: ts.Node): (a: LayerRegistration, b: LayerRegistration) => number {
  const home = creation.getSourceFile().fileName;
  return (a, b) => {
    if (a.position.file === b.position.file) return a.position.offset - b.position.offset;
    if (a.position.file === home) return -1;
    if (b.position.file === home) return 1;
    return a.position.file.localeCompare(b.position.file);
  };
}

/** A wildcard scope (`/api/*`) mounts at its base. */
function mountPrefix(scope: string): string {
  return scope.replace(/\/?\*$/, '') || '';
}

export function joinPath(prefix: string, path: string): string {
  if (!path || path === '/') return prefix || '/';
  if (!prefix || prefix === '/') return path.startsWith('/') || path === '*' ? path : `/${path}`;
  return `${prefix.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
}

/** Arguments with arrays spread: `app.use([a, b])`, `router.post('/x', [auth, limit], handler)`. */
export function flattenArguments(args: readonly ts.Expression[]): ts.Expression[] {
  return args.flatMap((arg) => {
    const e = unwrap(arg);
    return ts.isArrayLiteralExpression(e) ? flattenArguments(e.elements.filter((x) => !ts.isSpreadElement(x))) : [arg];
  });
}

/** A path argument as text: a literal, literals joined with `|`, or the source text of anything else. */
export function pathText(argument: ts.Expression | undefined): string {
  if (!argument) return '/';
  const text = stringValue(argument);
  if (text !== undefined) return text;
  const e = unwrap(argument);
  if (ts.isArrayLiteralExpression(e)) return e.elements.map((x) => stringValue(x) ?? x.getText()).join('|');
  return e.getText();
}

export function isPathArgument(argument: ts.Expression | undefined): boolean {
  if (!argument) return false;
  const e = unwrap(argument);
  return ts.isStringLiteralLike(e) || ts.isRegularExpressionLiteral(e) || (ts.isArrayLiteralExpression(e) && e.elements.length > 0 && e.elements.every((x) => ts.isStringLiteralLike(x) || ts.isRegularExpressionLiteral(x)));
}

/** Does a path prefix cover a route path, on whole segments? `:param` segments of the prefix match any. */
export function prefixCovers(prefix: string, path: string): boolean {
  const wanted = segments(prefix);
  const actual = segments(path);
  if (wanted.length > actual.length) return false;
  return wanted.every((segment, i) => segment === actual[i] || segment.startsWith(':') || segment === '*');
}

function segments(path: string): string[] {
  return path.split('/').filter(Boolean);
}
