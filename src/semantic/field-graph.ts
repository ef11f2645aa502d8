/**
 * The approximate call graph the reach falls back on where precise resolution gives up: a call `x.m(...)` may
 * call any function stored under the name `m`, and a value read as `x.k` may be any value stored under `k`
 * (a method, an object or class property, an assignment `x.k = v`, a framework decoration such as
 * `fastify.decorate('k', v)`, Hono's `c.set('k', v)`, h3's `event.context.k = v`). Field-based, as in Feldthaus
 * et al., "Efficient construction of approximate call graphs for JavaScript IDE services" (ICSE 2013): names,
 * not receivers, decide. Only files whose import closure can reach a paid call are looked at, and a name stored
 * in more than a few places is too ambiguous to follow.
 */
import ts from '../typescript.cjs';
import type { ImportGraph } from '../parse/import-graph.js';
import type { ParsedProject } from '../parse/program.js';
import { type FunctionNode, isFunctionNode, propertyNameText, stringValue, unwrap, walk } from './ast.js';
import { escapeRegExp } from './package-name.js';

/** More stores of one name than this and the name says too little about what is called. */
const MAX_FAN_OUT = 4;
/**
 * Except for a family of provider adapters: one method name (`streamGetChatCompletion`) implemented by a class
 * per AI provider, each in a file that names its SDK or host. Up to this many of those are followed.
 */
const MAX_ADAPTERS = 64;

/** Calls that store a value under a name given as a string: framework decorations and context objects. */
const STORING_CALLS = new Set(['decorate', 'decorateRequest', 'decorateReply', 'set', 'provide', 'register', 'bind']);

/**
 * Names every object has, or that the web frameworks' own objects answer: following them by name would tie
 * `res.json()` or `items.map()` to an unrelated project function.
 */
const COMMON_NAMES = new Set([
  'then', 'catch', 'finally', 'map', 'filter', 'forEach', 'reduce', 'find', 'some', 'every', 'push', 'pop', 'slice', 'splice', 'join', 'split',
  'includes', 'indexOf', 'keys', 'values', 'entries', 'get', 'set', 'has', 'delete', 'add', 'clear', 'toString', 'valueOf', 'json', 'text',
  'send', 'status', 'end', 'write', 'header', 'setHeader', 'redirect', 'next', 'use', 'on', 'once', 'emit', 'log', 'error', 'warn', 'info', 'debug',
  'parse', 'stringify', 'call', 'apply', 'bind', 'resolve', 'reject', 'all', 'create', 'update', 'findMany', 'findUnique', 'findFirst', 'insert',
  'select', 'from', 'where', 'query', 'exec', 'run', 'execute', 'invoke', 'stream', 'handle', 'handler', 'default', 'constructor', 'init',
  'trim', 'replace', 'toLowerCase', 'toUpperCase', 'startsWith', 'endsWith', 'append', 'close', 'open', 'read', 'length', 'body', 'params',
  // The Fetch API's, streams', arrays' and strings' own methods, which handlers call on what the runtime hands them.
  'formData', 'arrayBuffer', 'blob', 'clone', 'getReader', 'pipeThrough', 'pipeTo', 'enqueue', 'encode', 'decode', 'getAll', 'toJSON', 'merge',
  'sort', 'concat', 'flat', 'flatMap', 'shift', 'unshift', 'reverse', 'at', 'fill', 'substring', 'padStart', 'padEnd', 'match', 'matchAll', 'test',
  'headers', 'method', 'url', 'query', 'cookies', 'path', 'charAt', 'assign', 'abort', 'toISOString', 'getTime', 'lock', 'release', 'connect', 'disconnect', 'subscribe', 'unsubscribe', 'cancel',
  // Lifecycle methods of servers, schedulers, queues and workers, which libraries' objects answer too.
  'start', 'stop', 'restart', 'listen', 'shutdown', 'destroy', 'dispose',
]);

interface Stores {
  functions: Map<string, FunctionNode[]>;
  values: Map<string, ts.Expression[]>;
  /** Names given a value on a shared object (a decoration, a context key, `x.k = v`): read elsewhere by name alone. */
  attached: Set<string>;
}

export class FieldGraph {
  private readonly storesOf = new WeakMap<ts.SourceFile, Stores>();
  private readonly functionsByName = new Map<string, FunctionNode[]>();
  private readonly valuesByName = new Map<string, ts.Expression[]>();
  private readonly onlyFunctionByName = new Map<string, FunctionNode | null>();

  constructor(
    private readonly project: ParsedProject,
    private readonly importGraph: ImportGraph,
  ) {}

  /** The functions stored under a name in files that can reach a paid call; none when the name is ambiguous. */
  functionsNamed(name: string): FunctionNode[] {
    if (COMMON_NAMES.has(name)) return [];
    let found = this.functionsByName.get(name);
    if (!found) {
      const defines = definesFunction(name);
      const stored = (aiFilesOnly: boolean) => this.project
        .filesWhere((f) => (!aiFilesOnly || f.mentionsAi) && f.text.includes(name) && defines.test(f.text) && this.importGraph.reaches(f.path))
        .flatMap((file) => this.stores(file).functions.get(name) ?? []);
      found = stored(false);
      if (found.length > MAX_FAN_OUT) found = adapterFamily(found, stored(true));
      this.functionsByName.set(name, found);
    }
    return found;
  }

  /**
   * The one function stored under a name anywhere in the project (`fastify.decorate('getUser', fn)`), for a helper
   * called on an object the framework hands in; none when no file or several store one by that name.
   */
  onlyFunctionNamed(name: string): FunctionNode | undefined {
    if (COMMON_NAMES.has(name)) return undefined;
    let found = this.onlyFunctionByName.get(name);
    if (found === undefined) {
      const defines = definesFunction(name);
      const all = this.project.filesWhere((f) => f.text.includes(name) && defines.test(f.text)).flatMap((file) => this.stores(file).functions.get(name) ?? []);
      found = all.length === 1 ? all[0] : null;
      this.onlyFunctionByName.set(name, found);
    }
    return found ?? undefined;
  }

  /** The values (not functions) stored under a name in files that name an AI SDK; none when ambiguous. */
  valuesNamed(name: string): ts.Expression[] {
    if (COMMON_NAMES.has(name)) return [];
    let found = this.valuesByName.get(name);
    if (!found) {
      // A client is stored where it is made: in a file that names its SDK, and that attaches something by that name.
      const attaches = attachesValue(name);
      found = this.project
        .filesWhere((f) => f.mentionsAi && f.text.includes(name) && attaches.test(f.text))
        .flatMap((file) => this.stores(file).values.get(name) ?? []);
      if (found.length > MAX_FAN_OUT) found = [];
      this.valuesByName.set(name, found);
    }
    return found;
  }

  /**
   * Whether a file's text reads a name that a file mentioning an AI SDK attaches a value to (`fastify.decorate
   * ('openai', ...)` then `request.server.openai`): its handlers may reach a paid call its imports do not show.
   */
  readsAttachedAiValue(text: string): boolean {
    this.attachedNames ??= new Set(this.project.filesWhere((f) => f.mentionsAi).flatMap((file) => [...this.stores(file).attached]));
    // Read as a member (`c.var.openai`) or by key (`c.get('openai')`).
    for (const name of this.attachedNames) if (text.includes(`.${name}`) || text.includes(`'${name}'`) || text.includes(`"${name}"`)) return true;
    return false;
  }

  private attachedNames?: Set<string>;

  private stores(file: ts.SourceFile): Stores {
    let stores = this.storesOf.get(file);
    if (!stores) this.storesOf.set(file, (stores = collectStores(file)));
    return stores;
  }
}

/**
 * Of the many functions stored under one name, those in files that name an AI SDK or provider host, when they
 * are most of them: the implementations of one interface by several providers' adapters. Otherwise none.
 */
function adapterFamily(found: FunctionNode[], inAiFiles: FunctionNode[]): FunctionNode[] {
  return inAiFiles.length * 2 >= found.length && inAiFiles.length <= MAX_ADAPTERS ? inAiFiles : [];
}

/** Text that may define a function named `name`: a method, a property or variable holding one, a declaration. */
function definesFunction(field: string): RegExp {
  // A name read from a string (`c.get('a.b')`) may hold regular-expression characters.
  const name = escapeRegExp(field);
  return new RegExp(`(?:\\bfunction\\s*\\*?\\s*${name}\\b|\\b${name}\\s*\\([^)]*\\)\\s*(?::[^{]*)?\\{|\\b${name}\\s*[:=]\\s*(?:async\\b|function\\b|\\(|[\\w$]+\\s*=>))`);
}

/** Text that may attach a value under `name`: `decorate('name', ...)`, `set('name', ...)`, `x.name = ...`, a class field. */
function attachesValue(field: string): RegExp {
  // A name read from a string (`c.get('a.b')`) may hold regular-expression characters.
  const name = escapeRegExp(field);
  return new RegExp(`['"]${name}['"]\\s*,|\\.${name}\\s*=[^=]|^\\s*(?:(?:private|public|protected|readonly|static)\\s+)*${name}\\s*[:=]`, 'm');
}

function collectStores(file: ts.SourceFile): Stores {
  const stores: Stores = { functions: new Map(), values: new Map(), attached: new Set() };
  const store = (name: string | undefined, value: ts.Node | undefined, attached = false) => {
    if (!name || !value) return;
    if (isFunctionNode(value)) push(stores.functions, name, value);
    else if (ts.isExpression(value)) push(stores.values, name, value);
    if (attached && !COMMON_NAMES.has(name)) stores.attached.add(name);
  };
  walk(file, (node) => {
    if (ts.isMethodDeclaration(node) && node.body) store(propertyNameText(node.name), node);
    else if (ts.isFunctionDeclaration(node) && node.name && node.body) store(node.name.text, node);
    // `const summarize = async (text) => ...`, later handed on as `{ summarize }`.
    else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && isFunctionNode(unwrap(node.initializer))) {
      store(node.name.text, unwrap(node.initializer));
    }
    else if (ts.isPropertyAssignment(node)) store(propertyNameText(node.name), unwrap(node.initializer));
    else if (ts.isPropertyDeclaration(node) && node.initializer) store(propertyNameText(node.name), unwrap(node.initializer));
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
      store(node.left.name.text, unwrap(node.right), true);
    } else if (ts.isCallExpression(node)) storedByCall(node, store);
  });
  return stores;
}

/** `fastify.decorate('openai', client)`, `c.set('llm', model)`, `app.set('ai', client)`. */
function storedByCall(call: ts.CallExpression, store: (name: string | undefined, value: ts.Node | undefined, attached: boolean) => void): void {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !STORING_CALLS.has(callee.name.text) || call.arguments.length < 2) return;
  store(stringValue(call.arguments[0]), unwrap(call.arguments[1]), true);
}

function push<T>(map: Map<string, T[]>, name: string, value: T): void {
  const list = map.get(name);
  if (list) list.push(value);
  else map.set(name, [value]);
}
