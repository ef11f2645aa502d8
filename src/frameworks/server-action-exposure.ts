/**
 * Which exports of a `'use server'` module Next.js serves as actions the browser can call. An export gets an action
 * id a client can post to when client code holds a reference to it: a `'use client'` module (or any module bundled
 * for the browser) imports it, or server code hands it on instead of calling it (`<form action={save}>`, a prop of a
 * client component, `save.bind(null, id)`, `createAI({ actions: { save } })`). An export that every importer only
 * calls on the server (route handlers, middleware, server components rendering, other actions) is a helper: the
 * routes that call it reach its paid calls. When the importers cannot be told apart (no indexed file imports the
 * export, a dynamic import, an importer chain too long to follow), the export is served: a browser-callable
 * handler is never dropped on a guess.
 */
import path from 'node:path';
import ts from '../typescript.cjs';
import { walk } from '../semantic/ast.js';
import { importSpecifiers } from '../parse/import-graph.js';
import type { ParsedProject } from '../parse/program.js';

/** Where references to a module's export end up: the browser bundle, only the server, or not known. */
type Reach = 'client' | 'server' | 'unknown';

/** Importer chains followed this many modules up from the action's module; a longer one is not known. */
const MAX_IMPORTER_DEPTH = 8;

/** Route handlers, middleware and API routes: server code that renders nothing, so it hands no action to a browser. */
const SERVER_ENTRY = /(?:^|\/)(?:app\/(?:.+\/)?route|pages\/api\/.+|middleware|proxy|instrumentation)\.(?:ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;
/** App Router files rendered as server components unless they say `'use client'`. */
const SERVER_COMPONENT = /(?:^|\/)app\/(?:.+\/)?(?:page|layout|template|default|not-found|loading)\.(?:ts|tsx|js|jsx)$/;
/** Pages Router pages are bundled for the browser too. */
const PAGES_PAGE = /(?:^|\/)pages\/(?!api\/).+\.(?:ts|tsx|js|jsx)$/;
/** Comments and blank space a directive may follow. */
const PROLOGUE = String.raw`^(?:\s|//[^\n]*\n|/\*[\s\S]*?\*/)*`;
const USE_CLIENT = new RegExp(`${PROLOGUE}(?:(['"])use strict\\1;?\\s*)?(['"])use client\\2`);
const USE_SERVER_MODULE = new RegExp(`${PROLOGUE}(?:(['"])use strict\\1;?\\s*)?(['"])use server\\2`);
const SERVER_ONLY_IMPORT = /\bimport\s*['"]server-only['"]/;
const MODULE_LOAD_TEXT = /\b(?:import|require)\s*\(/;

/** A file Next.js serves as a route or runs as middleware: its `'use server'` exports are that, not actions. */
export function isServerEntry(relative: string): boolean {
  return SERVER_ENTRY.test(relative);
}

/** How one importer uses an export of the module it imports. */
interface ImporterUse {
  /** It binds the export (by name, as a namespace, or through `require`/`import()`). */
  binds: boolean;
  /** A binding is used other than by calling it: passed, stored, rendered, bound, re-exported without `from`. */
  handsOn: boolean;
  /** `require(...)`/`import(...)` or `export * as ns`: which names it uses is not read. */
  opaque: boolean;
  /** Names under which the importer exports it again (`export { save } from`, `export *`). */
  reexports: string[];
}

export class ActionExposure {
  private specifiers: Map<string, string[]> | undefined;
  private readonly importers = new Map<string, string[]>();
  private readonly ownReaches = new Map<string, Reach | undefined>();

  constructor(private readonly project: ParsedProject) {}

  /**
   * Whether the browser can call the export `name` of the `'use server'` module `moduleFile` (absolute path). An
   * export no indexed file uses, directly, through a barrel or a namespace, has callers the scan cannot see.
   */
  isServed(moduleFile: string, name: string): boolean {
    return this.exportReach(moduleFile, name, 0, new Set()) !== 'server';
  }

  /** Where the export ends up, over every importer that uses it; undefined when none does. */
  private exportReach(moduleFile: string, name: string, depth: number, seen: Set<string>): Reach | undefined {
    const key = `${moduleFile}#${name}`;
    if (seen.has(key)) return undefined; // visited in this query: its answer is already in the strongest
    if (depth > MAX_IMPORTER_DEPTH) return 'unknown';
    seen.add(key);
    return strongest(this.importersOf(moduleFile).map((importer) => this.importerReach(importer, moduleFile, name, depth, seen)));
  }

  /** Where one importer takes the export; undefined when it does not use it. */
  private importerReach(importer: string, moduleFile: string, name: string, depth: number, seen: Set<string>): Reach | undefined {
    const sourceFile = this.project.sourceFile(importer);
    if (!sourceFile) return 'unknown';
    const use = this.useOf(sourceFile, moduleFile, name);
    const reaches = use.reexports.map((exported) => this.exportReach(importer, exported, depth + 1, seen));
    if (use.binds) reaches.push(this.bindingReach(sourceFile, use, depth, seen));
    return strongest(reaches);
  }

  /** Client code holds what it imports; code that renders nothing keeps it; elsewhere what is done with it decides. */
  private bindingReach(sourceFile: ts.SourceFile, use: ImporterUse, depth: number, seen: Set<string>): Reach {
    if (this.ownReach(sourceFile.fileName) === 'client') return 'client';
    if (rendersNothing(this.project.relative(sourceFile.fileName), sourceFile.text)) return 'server';
    if (use.opaque) return 'unknown';
    if (use.handsOn) return 'client';
    return this.fileReach(sourceFile.fileName, depth + 1, seen);
  }

  /**
   * Whether a module is bundled for the browser: it, or a module importing it, is client code. Every answer is
   * the strongest of the answers below it, so a module already visited in this query adds nothing ('server').
   */
  private fileReach(file: string, depth: number, seen: Set<string>): Reach {
    if (seen.has(file)) return 'server';
    if (depth > MAX_IMPORTER_DEPTH) return 'unknown';
    seen.add(file);
    return this.ownReach(file) ?? this.importersReach(file, depth, seen);
  }

  /** Client or server by the module's own directive, import or file convention; undefined when its importers decide. */
  private ownReach(file: string): Reach | undefined {
    if (this.ownReaches.has(file)) return this.ownReaches.get(file);
    const text = this.project.textOf(file) ?? '';
    const relative = this.project.relative(file);
    let reach: Reach | undefined;
    if (USE_CLIENT.test(text) || PAGES_PAGE.test(relative)) reach = 'client';
    else if (rendersNothing(relative, text) || SERVER_COMPONENT.test(relative) || SERVER_ONLY_IMPORT.test(text)) reach = 'server';
    this.ownReaches.set(file, reach);
    return reach;
  }

  private importersReach(file: string, depth: number, seen: Set<string>): Reach {
    return strongest(this.importersOf(file).map((importer) => this.fileReach(importer, depth + 1, seen))) ?? 'unknown';
  }

  /** How a file binds and uses the export `name` of `moduleFile`. */
  private useOf(sourceFile: ts.SourceFile, moduleFile: string, name: string): ImporterUse {
    const use: ImporterUse = { binds: false, handsOn: false, opaque: false, reexports: [] };
    const locals = new Set<string>();
    const namespaces = new Set<string>();
    const fromModule = (specifier: ts.Expression | undefined) =>
      specifier !== undefined && ts.isStringLiteralLike(specifier) && this.project.resolveImport(specifier.text, sourceFile.fileName) === moduleFile;
    for (const statement of sourceFile.statements) {
      if (ts.isImportDeclaration(statement) && fromModule(statement.moduleSpecifier)) bindImport(statement, name, locals, namespaces);
      else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && fromModule(statement.moduleSpecifier)) reexportsOf(statement, name, use);
    }
    use.binds = locals.size > 0;
    if (!use.binds && namespaces.size === 0 && !MODULE_LOAD_TEXT.test(sourceFile.text)) return use;
    walk(sourceFile, (node) => {
      if (isModuleLoad(node) && fromModule(node.arguments[0])) use.opaque = use.binds = true;
      if (!ts.isIdentifier(node) || !isReference(node)) return;
      const used = locals.has(node.text) ? node : namespaces.has(node.text) ? namespaceMember(node, name) : undefined;
      if (!used) return;
      use.binds = true;
      useReference(used, use);
    });
    return use;
  }

  /** The indexed files whose imports name the file: candidates by the specifier's last segment, then resolved. */
  private importersOf(file: string): string[] {
    const known = this.importers.get(file);
    if (known) return known;
    const stem = path.basename(file).replace(/\.[^.]+$/, '');
    const names = new Set(stem === 'index' ? [stem, path.basename(path.dirname(file))] : [stem]);
    const found: string[] = [];
    for (const [importer, specifiers] of this.specifiersByFile()) {
      if (importer === file) continue;
      const imports = specifiers.some((s) => mayName(s, names) && this.project.resolveImport(s, importer) === file);
      if (imports) found.push(importer);
    }
    this.importers.set(file, found);
    return found;
  }

  private specifiersByFile(): Map<string, string[]> {
    this.specifiers ??= new Map(this.project.indexedFileNames().map((file) => [file, importSpecifiers(this.project.textOf(file) ?? '')]));
    return this.specifiers;
  }
}

/** Route handlers, middleware and `'use server'` modules: server code that hands nothing to a browser. */
function rendersNothing(relative: string, text: string): boolean {
  return SERVER_ENTRY.test(relative) || USE_SERVER_MODULE.test(text);
}

/** The reach that exposes most; undefined when there is none. */
function strongest(reaches: readonly (Reach | undefined)[]): Reach | undefined {
  for (const reach of ['client', 'unknown', 'server'] as const) if (reaches.includes(reach)) return reach;
  return undefined;
}

/**
 * Whether a specifier may name a file with one of these stems: its last segment (`./actions.js`,
 * `@/app/(chat)/actions`), a folder (`.`, `..`, `./`) or a one-word alias (`@actions`, `#actions`).
 */
function mayName(specifier: string, stems: ReadonlySet<string>): boolean {
  const last = (specifier.split('/').pop() ?? '').replace(/\.(?:[cm]?[jt]sx?)$/, '');
  return stems.has(last) || last === '' || last === '.' || last === '..' || /^[@#~$][^/]*$/.test(specifier);
}

function bindImport(statement: ts.ImportDeclaration, name: string, locals: Set<string>, namespaces: Set<string>): void {
  const clause = statement.importClause;
  if (!clause || clause.isTypeOnly) return;
  if (clause.name && name === 'default') locals.add(clause.name.text);
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
  else if (bindings) {
    for (const element of bindings.elements) {
      if (!element.isTypeOnly && (element.propertyName ?? element.name).text === name) locals.add(element.name.text);
    }
  }
}

function reexportsOf(statement: ts.ExportDeclaration, name: string, use: ImporterUse): void {
  const clause = statement.exportClause;
  if (!clause) {
    if (name !== 'default') use.reexports.push(name);
  } else if (ts.isNamespaceExport(clause)) {
    use.opaque = use.binds = true;
  } else {
    for (const element of clause.elements) {
      if (!element.isTypeOnly && (element.propertyName ?? element.name).text === name) use.reexports.push(element.name.text);
    }
  }
}

/** `ns.save` for the export `save` of a namespace import; the namespace itself when it is used whole. */
function namespaceMember(identifier: ts.Identifier, name: string): ts.Expression | undefined {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === identifier) return parent.name.text === name ? parent : undefined;
  return identifier;
}

/** A call keeps the action on the server; a local re-export passes it to the module's importers; anything else hands it on. */
function useReference(reference: ts.Expression, use: ImporterUse): void {
  const parent = reference.parent;
  if (ts.isCallExpression(parent) && parent.expression === reference) return;
  if (ts.isExportSpecifier(parent)) use.reexports.push(parent.name.text);
  else if (ts.isExportAssignment(parent)) use.reexports.push('default');
  else use.handsOn = true;
}

/** `require('x')` or `import('x')`. */
function isModuleLoad(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return false;
  return node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require');
}

/** An identifier that reads a binding: not a declared name, a property name, an import or a type. */
function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.name !== identifier;
  if (ts.isShorthandPropertyAssignment(parent) || ts.isExportSpecifier(parent)) return true;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return false;
  if (ts.isQualifiedName(parent) || ts.isTypeReferenceNode(parent) || ts.isTypeQueryNode(parent)) return false;
  return (parent as ts.NamedDeclaration).name !== identifier;
}
