/**
 * Fastify: `fastify.post(path, [opts,] handler)`, `fastify.route({ method, url, ... })`, plugins registered
 * with `register(plugin, { prefix })` (in other files, through dynamic imports, or loaded from a folder by
 * @fastify/autoload), and hooks. Fastify encapsulates: hooks and library plugins registered in a plugin apply
 * to that plugin's routes and its children, and a `fastify-plugin`-wrapped plugin shares its context with the
 * plugin that registers it. A route's chain is: library plugins in scope (e.g. @fastify/rate-limit, honouring
 * `config.rateLimit`), then the hooks of each lifecycle phase (instance hooks, then the route's own), then the
 * handler, which carries the route's `schema` as declared validation.
 */
import path from 'node:path';
import ts from '../typescript.cjs';
import { callsIn, type FunctionNode, isFunctionNode, objectProperty, propertyNameText, propertyValue, stringValue, unwrap, walk } from '../semantic/ast.js';
import type { DeclaredValidation, FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';
import { joinPath, pathText } from './layered.js';
import type { ProtectionLibraries } from '../semantic/libraries.js';

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all']);
const HOOK_PHASES = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;
const REGISTRATIONS = new Set([...ROUTE_METHODS, 'route', 'addHook', 'register', 'decorate']);
const CREATION_NAMES = new Set(['default', 'fastify', 'Fastify']);
/** Calls on an instance that return the same instance. */
const SAME_INSTANCE = new Set(['withTypeProvider']);
/** Library plugins a route opts out of, or configures, through its `config` (`config: { rateLimit: false }`). */
const ROUTE_CONFIG_KEYS: Record<string, string> = { '@fastify/rate-limit': 'rateLimit', 'fastify-rate-limit': 'rateLimit' };
/** Decorators a library plugin adds, used as a route hook: `onRequest: fastify.rateLimit({ max: 5 })`. */
const LIBRARY_DECORATORS: Record<string, string[]> = { rateLimit: ['@fastify/rate-limit', 'fastify-rate-limit'] };
const SCHEMA_PARTS: Record<string, DeclaredValidation['part']> = { body: 'body', querystring: 'query', query: 'query', params: 'params', headers: 'headers' };

interface RouteDefinition {
  methods: string[];
  path: string;
  options?: ts.ObjectLiteralExpression;
  handler: ts.Expression;
  anchor: ts.Node;
}

interface PluginRegistration {
  plugin: FunctionNode;
  /** Wrapped in fastify-plugin: no new context, its hooks and routes belong to the registering one. */
  shared: boolean;
  prefix: string;
}

interface LibraryRegistration {
  plugin: ts.Expression;
  module: string | undefined;
  options?: ts.ObjectLiteralExpression;
}

interface Instance {
  node: ts.Node;
  routes: RouteDefinition[];
  hooks: { phase: string; fn: ts.Expression }[];
  plugins: PluginRegistration[];
  libraries: LibraryRegistration[];
}

interface Scope {
  hooks: Instance['hooks'];
  libraries: LibraryRegistration[];
}

/** The authentication and rate-limit plugins of the Fastify ecosystem, and its harmless plumbing. */
const FASTIFY_LIBRARIES: ProtectionLibraries = {
  // Registered as a Fastify plugin, it adds an onRequest hook that refuses a missing or unknown key.
  authMiddleware: [{ module: '@fastify/bearer-auth', signature: /^$/, name: '@fastify/bearer-auth' }],
  verifyingRequestMethods: [{ method: 'jwtVerify', name: '@fastify/jwt request.jwtVerify()' }],
  middlewareLimiters: [
    { module: '@fastify/rate-limit', keyOption: 'keyGenerator', defaultKey: 'ip' },
    { module: 'fastify-rate-limit', keyOption: 'keyGenerator', defaultKey: 'ip' },
  ],
  harmless: [
    { module: /^(fastify|@fastify\/(cors|helmet|multipart|formbody|cookie|static|compress|sensible|swagger|swagger-ui|websocket))$/ },
    // Plugins that only decorate the request with a verifier (`request.jwtVerify()`), which counts where it is called.
    { module: /^(@fastify\/jwt|fastify-jwt)$/ },
  ],
};

export const fastifyFramework: FrameworkPlugin = {
  name: 'fastify',
  libraries: FASTIFY_LIBRARIES,
  triggers: {
    packages: ['fastify', 'fastify-plugin'],
    markers: [/\bfastify\.(?:get|post|put|patch|delete|all|route|register|addHook)\(/],
    crossFile: { packages: ['fastify', 'fastify-plugin'], mounts: true },
  },
  findRoutes(context) {
    return new FastifyRoutes(context).find();
  },
};

class FastifyRoutes {
  private readonly instances = new Map<ts.Node, Instance>();
  private readonly decorators = new Map<string, ts.Expression>();
  private readonly expanded = new Set<ts.Node>();
  private readonly routes: RouteEntry[] = [];

  constructor(private readonly context: FrameworkContext) {}

  find(): RouteEntry[] {
    for (const sourceFile of this.context.routeFiles) this.collect(sourceFile);
    for (const instance of this.instances.values()) {
      if (!isFunctionNode(instance.node)) this.expand(instance.node, '', { hooks: [], libraries: [] }, new Set());
    }
    // Plugins whose registration the scan cannot see (loaded by a tool such as fastify-cli, or registered
    // through a helper), then registered plugins whose registering instance was never reached.
    const registered = new Set<ts.Node>([...this.instances.values()].flatMap((i) => i.plugins.map((p) => p.plugin)));
    const pending = (node: ts.Node): node is FunctionNode => isFunctionNode(node) && !this.expanded.has(node) && this.isPlugin(node);
    for (const { node } of this.instances.values()) {
      if (pending(node) && !registered.has(node)) this.expand(node, '', { hooks: [], libraries: [] }, new Set());
    }
    for (const { node } of this.instances.values()) {
      if (pending(node)) this.expand(node, '', { hooks: [], libraries: [] }, new Set());
    }
    return this.routes;
  }

  private instanceFor(node: ts.Node): Instance {
    let instance = this.instances.get(node);
    if (!instance) this.instances.set(node, (instance = { node, routes: [], hooks: [], plugins: [], libraries: [] }));
    return instance;
  }

  private collect(sourceFile: ts.SourceFile): void {
    callsIn(sourceFile).forEach((node) => {
      if (!ts.isPropertyAccessExpression(node.expression)) return;
      const method = node.expression.name.text;
      if (!REGISTRATIONS.has(method)) return;
      const owner = this.instanceOf(node.expression.expression);
      if (!owner) return;
      const instance = this.instanceFor(owner);
      const args = [...node.arguments];
      if (method === 'decorate') {
        const name = stringValue(args[0]);
        if (name && args[1]) this.decorators.set(name, args[1]);
      } else if (method === 'addHook') {
        const phase = stringValue(args[0]);
        if (phase && (HOOK_PHASES as readonly string[]).includes(phase) && args[1]) instance.hooks.push({ phase, fn: args[1] });
      } else if (method === 'register') {
        this.collectRegistration(instance, args, sourceFile);
      } else if (method === 'route') {
        const options = this.objectOf(args[0]);
        const handler = propertyValue(options && objectProperty(options, 'handler'));
        const url = propertyValue(options && objectProperty(options, 'url')) ?? propertyValue(options && objectProperty(options, 'path'));
        if (options && handler && url) {
          instance.routes.push({ methods: methodsOf(propertyValue(objectProperty(options, 'method'))), path: pathText(url), options, handler, anchor: node });
        }
      } else if (ROUTE_METHODS.has(method) && args.length >= 2 && stringValue(args[0]) !== undefined) {
        const second = this.objectOf(args[1]);
        const options = args.length >= 3 ? second : second && objectProperty(second, 'handler') ? second : undefined;
        const handler = args.length >= 3 ? args[2] : options ? propertyValue(objectProperty(options, 'handler')) : args[1];
        if (handler) instance.routes.push({ methods: [method === 'all' ? 'ALL' : method.toUpperCase()], path: pathText(args[0]), options, handler, anchor: node });
      }
    });
  }

  private collectRegistration(instance: Instance, args: ts.Expression[], sourceFile: ts.SourceFile): void {
    if (!args[0]) return;
    const options = this.objectOf(args[1]);
    const plugin = this.pluginOf(args[0]);
    if (plugin) {
      instance.plugins.push({ ...plugin, prefix: stringValue(propertyValue(options && objectProperty(options, 'prefix'))) ?? '' });
      return;
    }
    const module = this.moduleOf(args[0]);
    if (module === '@fastify/autoload') {
      instance.plugins.push(...this.autoloaded(options, sourceFile));
      return;
    }
    instance.libraries.push({ plugin: args[0], module, options });
  }

  /** The instance an expression denotes: a `fastify()` call, or the first parameter of a plugin function. */
  private instanceOf(expression: ts.Expression): ts.Node | undefined {
    const resolved = this.context.resolver.resolve(expression);
    if (!resolved) return undefined;
    let segments = resolved.segments;
    while (segments.length >= 2 && segments.at(-1)?.kind === 'call') {
      const name = segments.at(-2);
      if (name?.kind !== 'member' || !SAME_INSTANCE.has(name.name)) break;
      segments = segments.slice(0, -2);
    }
    if (resolved.root.kind === 'module' && resolved.root.module === 'fastify') {
      const rest = segments.filter((s) => !(s.kind === 'member' && CREATION_NAMES.has(s.name)));
      return rest.length === 1 && rest[0].kind === 'call' ? rest[0].call : undefined;
    }
    if (resolved.root.kind === 'param' && segments.length === 0) {
      const fn = resolved.root.param.parent;
      if (isFunctionNode(fn) && fn.parameters[0] === resolved.root.param) return fn;
    }
    return undefined;
  }

  /** The project function a registered plugin value is, through `fastify-plugin`, imports and `import()`. */
  private pluginOf(expression: ts.Expression): { plugin: FunctionNode; shared: boolean } | undefined {
    let e = unwrap(expression);
    let shared = false;
    for (let i = 0; i < 8; i++) {
      if (isFunctionNode(e)) return { plugin: e, shared };
      if (ts.isCallExpression(e) && (e.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(e.expression) && e.expression.text === 'require'))) {
        const exported = this.defaultExportOf(e.arguments[0]);
        if (!exported) return undefined;
        e = exported;
        continue;
      }
      if (ts.isCallExpression(e) && this.moduleOf(e.expression) === 'fastify-plugin' && e.arguments[0]) {
        shared = true;
        e = unwrap(e.arguments[0]);
        continue;
      }
      if (ts.isIdentifier(e)) {
        const declaration = this.context.resolver.declarationOf(e);
        if (!declaration) return undefined;
        if (isFunctionNode(declaration)) return { plugin: declaration, shared };
        if (ts.isVariableDeclaration(declaration) && declaration.initializer) e = unwrap(declaration.initializer);
        else if (ts.isExportAssignment(declaration)) e = unwrap(declaration.expression);
        else return undefined;
        continue;
      }
      return undefined;
    }
    return undefined;
  }

  /** The default export of a project module, from its specifier (`import('./routes/chat.js')`) or its file. */
  private defaultExportOf(specifier: ts.Node | undefined): ts.Expression | undefined {
    if (!specifier) return undefined;
    const bindings = this.context.resolver.bindings;
    const module = ts.isSourceFile(specifier) ? specifier : ts.isStringLiteralLike(specifier) ? bindings.moduleFile(specifier) : undefined;
    if (!module) return undefined;
    // `export default` and `export =` / CommonJS `module.exports = ...`.
    const declaration = bindings.exportOf(module, 'default') ?? bindings.exportOf(module, 'export=');
    if (!declaration) return undefined;
    if (ts.isExportAssignment(declaration)) return declaration.expression;
    if (ts.isBinaryExpression(declaration)) return declaration.right;
    if (ts.isFunctionDeclaration(declaration)) return declaration as unknown as ts.Expression;
    return undefined;
  }

  private moduleOf(expression: ts.Expression): string | undefined {
    const resolved = this.context.resolver.resolve(expression);
    return resolved?.root.kind === 'module' ? resolved.root.module : undefined;
  }

  private objectOf(expression: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
    if (!expression) return undefined;
    const e = unwrap(expression);
    if (ts.isObjectLiteralExpression(e)) return e;
    const resolved = this.context.resolver.resolve(e);
    if (resolved?.root.kind === 'local' && resolved.segments.length === 0 && ts.isObjectLiteralExpression(resolved.root.node)) return resolved.root.node;
    return undefined;
  }

  /**
   * @fastify/autoload: every file under `dir` whose default export is a plugin, registered with its folder
   * path as prefix (`routes/chat/index.ts` under `/chat`).
   */
  private autoloaded(options: ts.ObjectLiteralExpression | undefined, sourceFile: ts.SourceFile): PluginRegistration[] {
    const dirExpression = propertyValue(options && objectProperty(options, 'dir'));
    if (!dirExpression) return [];
    const parts: string[] = [];
    walk(dirExpression, (node) => {
      if (ts.isStringLiteralLike(node)) parts.push(node.text);
    });
    if (ts.isStringLiteralLike(unwrap(dirExpression))) parts.push((unwrap(dirExpression) as ts.StringLiteralLike).text);
    const dir = path.resolve(path.dirname(sourceFile.fileName), ...parts);
    const pluginOptions = this.objectOf(propertyValue(options && objectProperty(options, 'options')));
    const basePrefix = stringValue(propertyValue(pluginOptions && objectProperty(pluginOptions, 'prefix'))) ?? '';
    const folderPrefixes = propertyValue(options && objectProperty(options, 'dirNameRoutePrefix'))?.kind !== ts.SyntaxKind.FalseKeyword;
    const found: PluginRegistration[] = [];
    for (const file of this.context.project.filesWhere((f) => f.path.startsWith(dir + path.sep))) {
      const exported = this.defaultExportOf(file);
      const plugin = exported ? this.pluginOf(exported) : this.fileDefaultPlugin(file);
      if (!plugin) continue;
      const folder = folderPrefixes ? path.relative(dir, path.dirname(file.fileName)).split(path.sep).filter(Boolean) : [];
      const prefix = joinPath(joinPath(basePrefix, folder.map((segment) => segment.replace(/^_/, ':')).join('/')), exportedString(file, 'autoPrefix') ?? '');
      const overridden = exportedString(file, 'prefixOverride');
      found.push({ ...plugin, prefix: overridden ?? (prefix === '/' ? '' : prefix) });
    }
    return found;
  }

  private fileDefaultPlugin(file: ts.SourceFile): { plugin: FunctionNode; shared: boolean } | undefined {
    for (const statement of file.statements) {
      if (ts.isExportAssignment(statement)) return this.pluginOf(statement.expression);
      if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.left.getText() === 'module.exports') {
        return this.pluginOf(statement.expression.right);
      }
      if (ts.isFunctionDeclaration(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) {
        return { plugin: statement, shared: false };
      }
    }
    return undefined;
  }

  /**
   * A function that is a Fastify plugin by its types, its wrapping or the name Fastify's documentation and
   * generators give its instance parameter, for plugins registered out of sight (fastify-cli's app.js).
   */
  private isPlugin(fn: FunctionNode): boolean {
    const first = fn.parameters[0];
    if (first?.type && this.typeIsFromFastify(first.type)) return true;
    if (first && ts.isIdentifier(first.name) && first.name.text === 'fastify') return true;
    const parent = fn.parent;
    if (ts.isVariableDeclaration(parent) && parent.type && this.typeIsFromFastify(parent.type)) return true;
    if (ts.isCallExpression(parent) && this.moduleOf(parent.expression) === 'fastify-plugin') return true;
    return false;
  }

  private typeIsFromFastify(type: ts.TypeNode): boolean {
    if (!ts.isTypeReferenceNode(type)) return false;
    const name = ts.isIdentifier(type.typeName) ? type.typeName : type.typeName.left;
    const declaration = this.context.resolver.declarationOf(name);
    if (!declaration) return false;
    const importDeclaration = ts.isImportSpecifier(declaration) ? declaration.parent.parent.parent : ts.isNamespaceImport(declaration) ? declaration.parent.parent : undefined;
    return !!importDeclaration && stringValue(importDeclaration.moduleSpecifier as ts.Expression) === 'fastify';
  }

  private expand(node: ts.Node, prefix: string, inherited: Scope, visiting: Set<ts.Node>): void {
    if (visiting.has(node)) return;
    visiting.add(node);
    this.expanded.add(node);
    const own = this.merged(node, new Set());
    const scope: Scope = { hooks: [...inherited.hooks, ...own.hooks], libraries: [...inherited.libraries, ...own.libraries] };
    for (const route of own.routes) {
      for (const method of route.methods) {
        this.routes.push({
          framework: 'fastify',
          method,
          path: joinPath(prefix, route.path),
          anchor: route.anchor,
          chain: this.chain(route, scope),
        });
      }
    }
    for (const child of own.plugins) this.expand(child.plugin, joinPath(prefix, child.prefix), scope, visiting);
    visiting.delete(node);
  }

  /** An instance's own registrations, with those of the fastify-plugin plugins it registers folded in. */
  private merged(node: ts.Node, seen: Set<ts.Node>): Instance {
    const instance = this.instances.get(node) ?? { node, routes: [], hooks: [], plugins: [], libraries: [] };
    seen.add(node);
    const result: Instance = { ...instance, routes: [...instance.routes], hooks: [...instance.hooks], plugins: [], libraries: [...instance.libraries] };
    for (const plugin of instance.plugins) {
      if (!plugin.shared) {
        result.plugins.push(plugin);
        continue;
      }
      if (seen.has(plugin.plugin)) continue;
      this.expanded.add(plugin.plugin);
      const shared = this.merged(plugin.plugin, seen);
      result.routes.push(...shared.routes);
      result.hooks.push(...shared.hooks);
      result.plugins.push(...shared.plugins);
      result.libraries.push(...shared.libraries);
    }
    return result;
  }

  private chain(route: RouteDefinition, scope: Scope): RouteLink[] {
    const links: RouteLink[] = [];
    for (const library of scope.libraries) {
      const link = this.libraryLink(library, route);
      if (link) links.push(link);
    }
    for (const phase of HOOK_PHASES) {
      for (const hook of scope.hooks) if (hook.phase === phase) links.push(...this.hookLinks(hook.fn, scope));
      const own = propertyValue(route.options && objectProperty(route.options, phase));
      if (own) links.push(...this.hookLinks(own, scope));
    }
    const validates = this.validations(route.options);
    links.push({ role: 'handler', expression: route.handler, ...(validates.length ? { validates } : {}) });
    return links;
  }

  private libraryLink(library: LibraryRegistration, route: RouteDefinition): RouteLink | undefined {
    const configKey = library.module ? ROUTE_CONFIG_KEYS[library.module] : undefined;
    const base = library.options ? [library.options] : [];
    if (configKey) {
      const config = this.objectOf(propertyValue(route.options && objectProperty(route.options, 'config')));
      const value = propertyValue(config && objectProperty(config, configKey));
      if (value && unwrap(value).kind === ts.SyntaxKind.FalseKeyword) return undefined;
      const routeOptions = this.objectOf(value);
      if (routeOptions) return { role: 'middleware', expression: library.plugin, options: [routeOptions, ...base] };
      const global = propertyValue(library.options && objectProperty(library.options, 'global'));
      if (global && unwrap(global).kind === ts.SyntaxKind.FalseKeyword) return undefined;
    }
    return { role: 'middleware', expression: library.plugin, ...(base.length ? { options: base } : {}) };
  }

  /** Hook values: functions, arrays of them, decorators (`fastify.authenticate`), `fastify.auth([...])`. */
  private hookLinks(value: ts.Expression, scope: Scope): RouteLink[] {
    const e = unwrap(value);
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((element) => (ts.isSpreadElement(element) ? [] : this.hookLinks(element, scope)));
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && this.instanceOf(e.expression.expression)) {
      const name = e.expression.name.text;
      // @fastify/auth: `fastify.auth([verifyJwt, verifyApiKey])` runs the strategies before the handler.
      if (name === 'auth' && e.arguments[0]) return this.hookLinks(e.arguments[0], scope);
      const modules = LIBRARY_DECORATORS[name];
      const library = modules && scope.libraries.find((l) => l.module && modules.includes(l.module));
      if (library) {
        const options = [this.objectOf(e.arguments[0]), library.options].filter((o): o is ts.ObjectLiteralExpression => !!o);
        return [{ role: 'middleware', expression: library.plugin, options }];
      }
    }
    if (ts.isPropertyAccessExpression(e) && this.instanceOf(e.expression)) {
      const decorated = this.decorators.get(e.name.text);
      if (decorated) return [{ role: 'middleware', expression: decorated }];
    }
    return [{ role: 'middleware', expression: value }];
  }

  /** The route's `schema`: Fastify validates each part before the handler and answers 400 when it fails. */
  private validations(options: ts.ObjectLiteralExpression | undefined): DeclaredValidation[] {
    const attach = propertyValue(options && objectProperty(options, 'attachValidation'));
    if (attach && unwrap(attach).kind === ts.SyntaxKind.TrueKeyword) return [];
    const schema = this.objectOf(propertyValue(options && objectProperty(options, 'schema')));
    if (!schema) return [];
    const found: DeclaredValidation[] = [];
    for (const property of schema.properties) {
      const part = SCHEMA_PARTS[propertyNameText(property.name) ?? ''];
      const value = propertyValue(property);
      if (part && value) found.push({ part, schema: value });
    }
    return found;
  }
}

function methodsOf(value: ts.Expression | undefined): string[] {
  if (!value) return ['GET'];
  const e = unwrap(value);
  const names = ts.isArrayLiteralExpression(e) ? e.elements.map((x) => stringValue(x as ts.Expression)) : [stringValue(e)];
  return names.filter((n): n is string => !!n).map((n) => n.toUpperCase());
}

/** `export const autoPrefix = '/chat'` (or `module.exports.autoPrefix = ...`): options @fastify/autoload reads off a plugin file. */
function exportedString(file: ts.SourceFile, name: string): string | undefined {
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
      if (declaration) return stringValue(declaration.initializer);
    }
    if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && /^(module\.)?exports\.\w+$/.test(statement.expression.left.getText())) {
      if (statement.expression.left.getText().endsWith(`.${name}`)) return stringValue(statement.expression.right);
    }
  }
  return undefined;
}
