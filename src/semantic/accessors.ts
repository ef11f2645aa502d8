/**
 * Calls that read a part of the value passed to them, and names some frameworks provide without an import.
 *
 * h3 (Nuxt, Nitro, SolidStart/Vinxi) reads the request through functions of the event: `readBody(event)` is the
 * event's body, `getHeader(event, 'x-forwarded-for')` one of its headers. Nuxt and Nitro auto-import them, so in a
 * server route they appear without any import. valibot validates with functions (`v.parse(Schema, input)`) where
 * zod uses methods (`Schema.parse(input)`). `JSON.parse(event.body)` (Lambda, raw Node handlers) passes the body on.
 */
import ts from '../typescript.cjs';
import { calleeName, stringValue, unwrap } from './ast.js';
import type { AccessPath, Segment } from './resolve.js';
import type { ParsedProject } from '../parse/program.js';

/** Where an undeclared identifier comes from: Nuxt/Nitro auto-imports and platform globals. */
export interface AutoImport {
  module: string;
  /** The exported name, when the identifier names one export of the module. */
  exported?: string;
}

const H3_MODULES = new Set(['h3', '#imports', 'nitropack/runtime', '#nitro', 'nitropack', 'vinxi/http', '@tanstack/react-start/server', '@tanstack/start/server']);

/** What an h3 accessor reads from the event it is given (its first argument). */
const H3_READERS: Record<string, (call: ts.CallExpression) => Segment[]> = {
  readBody: () => [member('body')],
  readRawBody: () => [member('body')],
  readFormData: () => [member('body')],
  readMultipartFormData: () => [member('body')],
  getQuery: () => [member('query')],
  getRouterParams: () => [member('params')],
  getRouterParam: (call) => [member('params'), ...named(call.arguments[1])],
  getHeaders: () => [member('headers')],
  getRequestHeaders: () => [member('headers')],
  getHeader: (call) => [member('headers'), ...named(call.arguments[1], true)],
  getRequestHeader: (call) => [member('headers'), ...named(call.arguments[1], true)],
  getRequestIP: () => [member('ip')],
  getCookie: (call) => [member('cookies'), ...named(call.arguments[1])],
  parseCookies: () => [member('cookies')],
  getRequestURL: () => [member('url')],
};

/** h3 accessors that validate what they read with the function they are given. */
const H3_VALIDATING_READERS = new Set(['readValidatedBody', 'getValidatedQuery', 'getValidatedRouterParams']);

const VALIBOT_MODULES = new Set(['valibot', '@valibot/valibot']);
const VALIBOT_PARSERS = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync']);

/** Names Nuxt/Nitro server code uses without importing them, and platform globals. */
const AUTO_IMPORTS: Record<string, AutoImport> = {
  ...Object.fromEntries(
    [...Object.keys(H3_READERS), ...H3_VALIDATING_READERS, 'defineEventHandler', 'eventHandler', 'defineCachedEventHandler', 'createError', 'sendError', 'setResponseStatus'].map((name) => [name, { module: 'h3', exported: name }]),
  ),
  useRuntimeConfig: { module: 'nitropack/runtime', exported: 'useRuntimeConfig' },
  useStorage: { module: 'nitropack/runtime', exported: 'useStorage' },
  defineNitroPlugin: { module: 'nitropack/runtime', exported: 'defineNitroPlugin' },
  getUserSession: { module: 'nuxt-auth-utils', exported: 'getUserSession' },
  requireUserSession: { module: 'nuxt-auth-utils', exported: 'requireUserSession' },
  JSON: { module: 'globalThis', exported: 'JSON' },
};

/** Names with an accessor meaning; a cheap test before resolving the callee. */
const ACCESSOR_NAMES = new Set([...Object.keys(H3_READERS), ...H3_VALIDATING_READERS, ...VALIBOT_PARSERS]);

export function autoImportOf(name: string): AutoImport | undefined {
  return Object.hasOwn(AUTO_IMPORTS, name) ? AUTO_IMPORTS[name] : undefined;
}

export type Accessor =
  /** The call's value is `of` followed by `segments`. */
  | { kind: 'member'; of: ts.Expression; segments: Segment[] }
  /** The call's value is `input` after validation by `schema`. */
  | { kind: 'validated'; schema: ts.Expression; input: ts.Expression; method: string };

export function mayBeAccessor(call: ts.CallExpression): boolean {
  return ACCESSOR_NAMES.has(calleeName(call) ?? '');
}

/** What an accessor call reads, given its resolved callee. */
export function accessorOf(call: ts.CallExpression, callee: AccessPath | undefined): Accessor | undefined {
  if (callee?.root.kind !== 'module') return undefined;
  const module = callee.root.module;
  const names = callee.segments.map((s) => (s.kind === 'member' ? s.name : undefined));
  const name = names[names.length - 1];
  if (!name || names.some((n) => n === undefined)) return undefined;
  const [first, second] = call.arguments;
  if (H3_MODULES.has(module) && first) {
    const reader = Object.hasOwn(H3_READERS, name) ? H3_READERS[name] : undefined;
    if (reader) return { kind: 'member', of: first, segments: reader(call) };
    if (H3_VALIDATING_READERS.has(name) && second) {
      const schema = validatorSchema(second);
      if (schema) return { kind: 'validated', schema, input: first, method: 'parse' };
    }
  }
  if (VALIBOT_MODULES.has(module) && VALIBOT_PARSERS.has(name) && first && second) {
    return { kind: 'validated', schema: first, input: second, method: name };
  }
  return undefined;
}

/** `JSON.parse(text)` is the text's value for our purposes. */
export function passedThrough(call: ts.CallExpression, callee: AccessPath | undefined): ts.Expression | undefined {
  if (callee?.root.kind !== 'module' || callee.root.module !== 'globalThis') return undefined;
  const names = callee.segments.map((s) => (s.kind === 'member' ? s.name : '?')).join('.');
  return names === 'JSON.parse' ? call.arguments[0] : undefined;
}

/** The schema behind a validating function: `Schema.parse`, `(body) => Schema.parse(body)`, `(b) => v.parse(Schema, b)`. */
function validatorSchema(validator: ts.Expression): ts.Expression | undefined {
  const e = unwrap(validator);
  if (ts.isPropertyAccessExpression(e)) return e.expression;
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    let found: ts.Expression | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node) && /^(safe)?[pP]arse(Async)?$/.test(calleeName(node) ?? '')) {
        // zod `Schema.parse(body)`; valibot `v.parse(Schema, body)` / `parse(Schema, body)`
        const callee = unwrap(node.expression);
        found = node.arguments.length >= 2 || !ts.isPropertyAccessExpression(callee) ? node.arguments[0] : callee.expression;
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(e.body);
    return found;
  }
  return undefined;
}

function member(name: string): Segment {
  return { kind: 'member', name };
}

function named(argument: ts.Expression | undefined, lowerCase = false): Segment[] {
  const text = stringValue(argument);
  if (text === undefined) return [];
  return [member(lowerCase ? text.toLowerCase() : text)];
}

/** Folders whose exports Nitro (Nuxt's server engine) auto-imports into server code. */
const NITRO_AUTO_IMPORT_FOLDER = /^(?:(.*?)\/)?server\/utils\//;

/**
 * Exports of `server/utils/**`: Nuxt and Nitro server routes use them without importing them. Found by name,
 * for an identifier that has no declaration in a file of the same app.
 */
export class ProjectAutoImports {
  private byName?: Map<string, { appRoot: string; declaration: ts.Declaration }[]>;

  constructor(private readonly project: ParsedProject) {}

  lookup(identifier: ts.Identifier): ts.Declaration | undefined {
    const candidates = this.index().get(identifier.text);
    if (!candidates) return undefined;
    const file = this.project.relative(identifier.getSourceFile().fileName);
    return candidates.find((c) => file.startsWith(c.appRoot ? `${c.appRoot}/server/` : 'server/'))?.declaration;
  }

  private index(): Map<string, { appRoot: string; declaration: ts.Declaration }[]> {
    if (this.byName) return this.byName;
    this.byName = new Map();
    for (const sourceFile of this.project.filesWhere((f) => NITRO_AUTO_IMPORT_FOLDER.test(f.relative))) {
      const match = NITRO_AUTO_IMPORT_FOLDER.exec(this.project.relative(sourceFile.fileName));
      if (!match) continue;
      for (const [name, declaration] of exportedDeclarations(sourceFile)) {
        const entries = this.byName.get(name) ?? [];
        entries.push({ appRoot: match[1] ?? '', declaration });
        this.byName.set(name, entries);
      }
    }
    return this.byName;
  }
}

function exportedDeclarations(sourceFile: ts.SourceFile): [string, ts.Declaration][] {
  const found: [string, ts.Declaration][] = [];
  for (const statement of sourceFile.statements) {
    const exported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) found.push([statement.name.text, statement]);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) found.push([d.name.text, d]);
    }
  }
  return found;
}
