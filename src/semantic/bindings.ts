/**
 * Name binding without a type checker: which declaration an identifier refers to, found by walking the
 * scopes around it, then through imports, re-exports and CommonJS exports into the project file that
 * declares it; and which declaration `a.b` names when `a` is a project namespace, object, class or instance.
 * Files are parsed only when a lookup leads into them.
 */
import ts from '../typescript.cjs';
import { MAX_IMPORT_DEPTH, type ParsedProject } from '../parse/program.js';
import { propertyNameText, stringValue, unwrap } from './ast.js';

type Names = Map<string, ts.Declaration>;

/** Class members are looked up through at most this many `extends`. */
const MAX_INHERITANCE = 8;

export class Bindings {
  private readonly scopes = new WeakMap<ts.Node, Names>();
  private readonly hoisted = new WeakMap<ts.Node, Names>();
  private readonly exportTables = new WeakMap<ts.SourceFile, ExportTable>();

  constructor(private readonly project: ParsedProject) {}

  /** The declaration a name refers to, followed through imports into project files. */
  declarationOf(node: ts.Node): ts.Declaration | undefined {
    const parent = node.parent;
    if (!parent) return undefined;
    if (ts.isStringLiteralLike(node) && ts.isElementAccessExpression(parent) && parent.argumentExpression === node) {
      return this.memberOf(parent.expression, node.text);
    }
    if (!ts.isIdentifier(node) && !ts.isPrivateIdentifier(node)) return undefined;
    if (ts.isPropertyAccessExpression(parent) && parent.name === node) return this.memberOf(parent.expression, node.text);
    if (ts.isQualifiedName(parent) && parent.right === node) {
      const namespace = this.declarationOf(parent.left);
      return namespace && ts.isSourceFile(namespace) ? this.exportOf(namespace, node.text) : undefined;
    }
    if (isDeclarationName(node)) return this.followAlias(parent as ts.Declaration);
    const local = this.lookup(node.text, node);
    return local && this.followAlias(local);
  }

  /** The declaration a name has in the scopes around it, before following imports. */
  localDeclarationOf(identifier: ts.Identifier): ts.Declaration | undefined {
    return this.lookup(identifier.text, identifier);
  }

  /** The project file a module specifier (`require('./chat')`, `import('./chat')`) names. */
  moduleFile(specifier: ts.Expression): ts.SourceFile | undefined {
    const text = stringValue(specifier);
    return text === undefined ? undefined : this.project.importedFile(text, specifier.getSourceFile());
  }

  /** The declaration a project module exports under a name; `export=` for `module.exports` / `export =`. */
  exportOf(file: ts.SourceFile, name: string): ts.Declaration | undefined {
    let answers = this.exportAnswers.get(file);
    if (!answers) this.exportAnswers.set(file, (answers = new Map()));
    if (answers.has(name)) return answers.get(name) ?? undefined;
    // In progress: a cycle of imports and re-exports (`a` re-exports `b`'s import of `a`) answers nothing.
    answers.set(name, null);
    const found = this.findExport(file, name, 0, new Set());
    answers.set(name, found ?? null);
    return found;
  }

  private readonly exportAnswers = new WeakMap<ts.SourceFile, Map<string, ts.Declaration | null>>();

  // ----- scopes

  private lookup(name: string, from: ts.Node): ts.Declaration | undefined {
    for (let node: ts.Node | undefined = from.parent; node; node = node.parent) {
      if (!isScope(node)) continue;
      const found = this.namesOf(node).get(name) ?? (hoists(node) ? this.hoistedOf(node).get(name) : undefined);
      if (found) return found;
    }
    return undefined;
  }

  private namesOf(scope: ts.Node): Names {
    let names = this.scopes.get(scope);
    if (names) return names;
    names = new Map();
    if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope)) {
      for (const statement of scope.statements) addStatement(names, statement);
    } else if (ts.isCaseBlock(scope)) {
      for (const clause of scope.clauses) for (const statement of clause.statements) addStatement(names, statement);
    } else if (ts.isFunctionLike(scope)) {
      for (const parameter of scope.parameters) addBinding(names, parameter.name, parameter);
      if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && scope.name) add(names, scope.name.text, scope);
    } else if (ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) {
      const initializer = scope.initializer;
      if (initializer && ts.isVariableDeclarationList(initializer)) for (const d of initializer.declarations) addBinding(names, d.name, d);
    } else if (ts.isCatchClause(scope) && scope.variableDeclaration) {
      addBinding(names, scope.variableDeclaration.name, scope.variableDeclaration);
    } else if (ts.isClassExpression(scope) && scope.name) {
      add(names, scope.name.text, scope);
    }
    this.scopes.set(scope, names);
    return names;
  }

  /** `var` declarations and functions inside nested blocks belong to the enclosing function or file. */
  private hoistedOf(scope: ts.Node): Names {
    let names = this.hoisted.get(scope);
    if (names) return names;
    names = new Map();
    const found = names;
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) || ts.isClassLike(node)) {
        if (ts.isFunctionDeclaration(node) && node.name) add(found, node.name.text, node);
        return;
      }
      if (ts.isVariableDeclarationList(node) && !(node.flags & ts.NodeFlags.BlockScoped)) {
        for (const d of node.declarations) addBinding(found, d.name, d);
      }
      ts.forEachChild(node, visit);
    };
    const body = ts.isFunctionLike(scope) ? (scope as ts.FunctionLikeDeclaration).body : scope;
    if (body) ts.forEachChild(body, visit);
    this.hoisted.set(scope, names);
    return names;
  }

  // ----- imports and exports

  /** Import aliases lead to the project declaration they import; a package import stays as it is. */
  private followAlias(declaration: ts.Declaration): ts.Declaration | undefined {
    const specifier = importedSpecifier(declaration);
    const file = specifier && this.moduleFile(specifier);
    if (!file) return declaration;
    if (ts.isImportSpecifier(declaration)) return this.exportOf(file, (declaration.propertyName ?? declaration.name).text) ?? declaration;
    if (ts.isImportClause(declaration)) return this.exportOf(file, 'default') ?? this.exportOf(file, 'export=') ?? declaration;
    if (ts.isNamespaceImport(declaration)) return file;
    if (ts.isImportEqualsDeclaration(declaration)) return this.exportOf(file, 'export=') ?? file;
    // CommonJS: `const { ask } = require('./ai')`.
    if (ts.isBindingElement(declaration)) {
      const name = propertyNameText(declaration.propertyName ?? declaration.name);
      return (name !== undefined && this.exportOf(file, name)) || declaration;
    }
    // `const summarize = require('./summarize')`, `const ask = require('./ai').ask`.
    const required = ts.isVariableDeclaration(declaration) && declaration.initializer ? requiredExport(declaration.initializer) : undefined;
    if (!required) return declaration;
    return (required.name === undefined ? this.exportOf(file, 'export=') : this.exportOf(file, required.name)) ?? declaration;
  }

  private findExport(file: ts.SourceFile, name: string, depth: number, visiting: Set<string>): ts.Declaration | undefined {
    if (depth > MAX_IMPORT_DEPTH) {
      this.project.noteTooDeep(file.fileName);
      return undefined;
    }
    const key = `${file.fileName}\0${name}`;
    if (visiting.has(key)) return undefined; // a cycle of re-exports
    visiting.add(key);
    const table = this.exportTable(file);
    const entry = table.named.get(name);
    if (entry) return this.exportedDeclaration(entry, file, depth, visiting);
    if (name === 'default') return undefined;
    // Only a module that may export the name can provide it: most of a barrel stays unparsed.
    for (const specifier of this.starsExporting(file, table, name)) {
      const target = this.project.importedFile(specifier, file);
      const found = target && this.findExport(target, name, depth + 1, visiting);
      if (found) return found;
    }
    return undefined;
  }

  /** The `export *` modules of a file that may export a name, in order, from one look at each module's text. */
  private starsExporting(file: ts.SourceFile, table: ExportTable, name: string): string[] {
    if (!table.starIndex) {
      const byName = new Map<string, number[]>();
      const opaque: number[] = [];
      const specifiers = table.stars.map((star) => (star.moduleSpecifier && ts.isStringLiteralLike(star.moduleSpecifier) ? star.moduleSpecifier.text : undefined));
      specifiers.forEach((specifier, i) => {
        const target = specifier === undefined ? undefined : this.project.resolveImport(specifier, file.fileName);
        const text = target === undefined ? undefined : this.project.textOf(target);
        if (text === undefined) return;
        const names = exportedNamesHint(text);
        if (names === 'any') opaque.push(i);
        else for (const exported of names) byName.set(exported, [...(byName.get(exported) ?? []), i]);
      });
      table.starIndex = { specifiers, byName, opaque };
    }
    const { specifiers, byName, opaque } = table.starIndex;
    const candidates = [...(byName.get(name) ?? []), ...opaque].sort((a, b) => a - b);
    return candidates.map((i) => specifiers[i]!);
  }

  private exportedDeclaration(entry: ExportEntry, file: ts.SourceFile, depth: number, visiting: Set<string>): ts.Declaration | undefined {
    if (entry.kind === 'declaration') return this.followAlias(entry.declaration);
    if (entry.kind === 'namespace') {
      return (entry.module !== undefined ? this.project.importedFile(entry.module, file) : undefined) ?? entry.specifier;
    }
    // `export { a as b } from './x'`, or `export { a as b }` of a local or imported name.
    if (entry.module !== undefined) {
      const target = this.project.importedFile(entry.module, file);
      if (!target) return entry.specifier;
      return this.findExport(target, entry.local, depth + 1, visiting) ?? entry.specifier;
    }
    const local = this.namesOf(file).get(entry.local);
    return local ? this.followAlias(local) : entry.specifier;
  }

  private exportTable(file: ts.SourceFile): ExportTable {
    let table = this.exportTables.get(file);
    if (!table) this.exportTables.set(file, (table = buildExportTable(file)));
    return table;
  }

  // ----- members

  /** The declaration `object.name` refers to when the object is a project namespace, object, class or instance. */
  memberOf(object: ts.Expression, name: string, depth = 0): ts.Declaration | undefined {
    const host = this.hostOf(object, depth);
    return host && this.memberOfHost(host, name, depth);
  }

  private memberOfHost(host: ts.Node, name: string, depth: number): ts.Declaration | undefined {
    if (ts.isSourceFile(host)) return this.exportOf(host, name);
    if (ts.isObjectLiteralExpression(host)) {
      return host.properties.find((p) => !ts.isSpreadAssignment(p) && propertyNameText(p.name) === name);
    }
    if (ts.isClassLike(host)) return this.classMember(host, name, depth);
    return undefined;
  }

  private classMember(cls: ts.ClassLikeDeclaration, name: string, depth: number): ts.Declaration | undefined {
    for (const member of cls.members) {
      if (member.name && propertyNameText(member.name) === name && !ts.isIndexSignatureDeclaration(member)) {
        if (ts.isMethodDeclaration(member) && !member.body && cls.members.some((m) => m !== member && ts.isMethodDeclaration(m) && m.body && propertyNameText(m.name) === name)) continue;
        return member;
      }
      // `constructor(private readonly ai: AiService)` declares a field.
      if (ts.isConstructorDeclaration(member)) {
        const field = member.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name && ts.getModifiers(p)?.length);
        if (field) return field;
      }
    }
    const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!base || depth >= MAX_INHERITANCE) return undefined;
    const parent = this.hostOf(base.expression, depth + 1);
    return parent && ts.isClassLike(parent) ? this.classMember(parent, name, depth + 1) : undefined;
  }

  /** What an expression's members come from: a module file, an object literal or a class. */
  private hostOf(expression: ts.Expression, depth: number): ts.Node | undefined {
    if (depth > MAX_IMPORT_DEPTH) return undefined;
    const e = unwrap(expression);
    if (e.kind === ts.SyntaxKind.ThisKeyword) return ts.findAncestor(e, (n) => ts.isClassLike(n) || ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n));
    if (ts.isObjectLiteralExpression(e) || ts.isClassExpression(e)) return e;
    if (ts.isNewExpression(e)) {
      const cls = this.hostOf(e.expression, depth + 1);
      return cls && ts.isClassLike(cls) ? cls : undefined;
    }
    let declaration: ts.Declaration | undefined;
    if (ts.isIdentifier(e)) declaration = this.declarationOf(e);
    else if (ts.isPropertyAccessExpression(e)) declaration = this.memberOf(e.expression, e.name.text, depth + 1);
    return declaration && this.hostOfDeclaration(declaration, depth + 1);
  }

  private hostOfDeclaration(declaration: ts.Declaration, depth: number): ts.Node | undefined {
    if (ts.isSourceFile(declaration) || ts.isClassLike(declaration)) return declaration;
    if (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isParameter(declaration)) {
      const typed = declaration.type && this.typeHost(declaration.type);
      if (typed) return typed;
      return declaration.initializer ? this.hostOf(declaration.initializer, depth + 1) : undefined;
    }
    if (ts.isPropertyAssignment(declaration)) return this.hostOf(declaration.initializer, depth + 1);
    if (ts.isShorthandPropertyAssignment(declaration)) return this.hostOf(declaration.name, depth + 1);
    if (ts.isExportAssignment(declaration)) return this.hostOf(declaration.expression, depth + 1);
    if (ts.isBinaryExpression(declaration)) return this.hostOf(declaration.right, depth + 1);
    return undefined;
  }

  /** `ai: AiService` names a project class: its instances have that class's members. */
  private typeHost(type: ts.TypeNode): ts.Node | undefined {
    if (!ts.isTypeReferenceNode(type)) return undefined;
    const declaration = this.declarationOf(ts.isIdentifier(type.typeName) ? type.typeName : type.typeName.right);
    return declaration && ts.isClassLike(declaration) ? declaration : undefined;
  }
}

/** `require('./m')` (the whole module) or `require('./m').name`. */
function requiredExport(initializer: ts.Expression): { specifier: ts.Expression; name: string | undefined } | undefined {
  let e = unwrap(initializer);
  let name: string | undefined;
  if (ts.isPropertyAccessExpression(e)) {
    name = e.name.text;
    e = unwrap(e.expression);
  }
  return isRequireCall(e) ? { specifier: e.arguments[0], name } : undefined;
}

function isRequireCall(e: ts.Expression): e is ts.CallExpression {
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1;
}

/**
 * The module specifier a declaration imports from: ES imports, `import x = require()`,
 * `const x = require('…').a.b`, and `const { x } = require('…')` (one level deep).
 */
export function importedSpecifier(declaration: ts.Declaration): ts.Expression | undefined {
  if (ts.isImportSpecifier(declaration)) return declaration.parent.parent.parent.moduleSpecifier;
  if (ts.isImportClause(declaration)) return declaration.parent.moduleSpecifier;
  if (ts.isNamespaceImport(declaration)) return declaration.parent.parent.moduleSpecifier;
  if (ts.isImportEqualsDeclaration(declaration) && ts.isExternalModuleReference(declaration.moduleReference)) return declaration.moduleReference.expression;
  if (ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent) && ts.isVariableDeclaration(declaration.parent.parent)) {
    const initializer = declaration.parent.parent.initializer && unwrap(declaration.parent.parent.initializer);
    return initializer && isRequireCall(initializer) ? initializer.arguments[0] : undefined;
  }
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  let e = unwrap(declaration.initializer);
  while (ts.isPropertyAccessExpression(e)) e = unwrap(e.expression);
  return isRequireCall(e) ? e.arguments[0] : undefined;
}

// ----- declarations in a scope

/** Whether a node opens a scope; asked of every ancestor of every identifier looked up, so a table by kind. */
function isScope(node: ts.Node): boolean {
  return SCOPE_KINDS[node.kind] === 1;
}

const SCOPE_KINDS = scopeKinds();

function scopeKinds(): Uint8Array {
  const table = new Uint8Array(ts.SyntaxKind.Count);
  const opens = (kind: ts.SyntaxKind) => {
    const node = { kind } as ts.Node;
    return (
      ts.isSourceFile(node) ||
      ts.isBlock(node) ||
      ts.isModuleBlock(node) ||
      ts.isCaseBlock(node) ||
      ts.isFunctionLike(node) ||
      ts.isForStatement(node) ||
      ts.isForInStatement(node) ||
      ts.isForOfStatement(node) ||
      ts.isCatchClause(node) ||
      ts.isClassExpression(node)
    );
  };
  for (let kind = 0; kind < table.length; kind++) table[kind] = opens(kind) ? 1 : 0;
  return table;
}

/** Scopes that `var` and nested function declarations are hoisted to. */
function hoists(node: ts.Node): boolean {
  return ts.isSourceFile(node) || (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined && ts.isBlock(node.body as ts.Node));
}

function addStatement(names: Names, statement: ts.Statement): void {
  if (ts.isVariableStatement(statement)) {
    for (const d of statement.declarationList.declarations) addBinding(names, d.name, d);
  } else if (
    (ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement)) &&
    statement.name
  ) {
    add(names, statement.name.text, statement);
  } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
    add(names, statement.name.text, statement);
  } else if (ts.isImportDeclaration(statement) && statement.importClause) {
    const clause = statement.importClause;
    if (clause.name) add(names, clause.name.text, clause);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) add(names, bindings.name.text, bindings);
    if (bindings && ts.isNamedImports(bindings)) for (const specifier of bindings.elements) add(names, specifier.name.text, specifier);
  } else if (ts.isImportEqualsDeclaration(statement)) {
    add(names, statement.name.text, statement);
  }
}

function addBinding(names: Names, name: ts.BindingName, declaration: ts.Declaration): void {
  if (ts.isIdentifier(name)) {
    add(names, name.text, declaration);
    return;
  }
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) addBinding(names, element.name, element);
  }
}

/**
 * One declaration a name: a value before a type of the same name (`const Body = z.object()` with
 * `type Body = z.infer<typeof Body>`), an implementation before its overload signatures.
 */
function add(names: Names, name: string, declaration: ts.Declaration): void {
  const known = names.get(name);
  if (!known || (isTypeOnly(known) && !isTypeOnly(declaration)) || (isSignatureOnly(known) && !isSignatureOnly(declaration))) {
    names.set(name, declaration);
  }
}

function isTypeOnly(node: ts.Node): boolean {
  return ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node);
}

function isSignatureOnly(node: ts.Node): boolean {
  return ts.isFunctionDeclaration(node) && !node.body;
}

/** The name node of the declaration it belongs to (`foo` in `function foo`, `const foo`, `{ foo: 1 }`). */
function isDeclarationName(node: ts.Identifier | ts.PrivateIdentifier): boolean {
  const parent = node.parent as ts.Node & { name?: ts.Node };
  if (ts.isShorthandPropertyAssignment(parent)) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return parent.name === node;
  return parent.name === node && (ts.isDeclarationStatement(parent) || ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isClassElement(parent) || ts.isObjectLiteralElement(parent) || ts.isFunctionExpression(parent) || ts.isClassExpression(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent));
}

// ----- a module's exports

type ExportEntry =
  | { kind: 'declaration'; declaration: ts.Declaration }
  /** `export { local as name }`, `export { name } from './x'`. */
  | { kind: 'specifier'; specifier: ts.ExportSpecifier; local: string; module: string | undefined }
  /** `export * as name from './x'`. */
  | { kind: 'namespace'; specifier: ts.Declaration; module: string | undefined };

interface ExportTable {
  named: Map<string, ExportEntry>;
  stars: ts.ExportDeclaration[];
  /** Which `export *` modules may export which names, built on the first lookup through them. */
  starIndex?: { specifiers: (string | undefined)[]; byName: Map<string, number[]>; opaque: number[] };
}

function buildExportTable(file: ts.SourceFile): ExportTable {
  const named = new Map<string, ExportEntry>();
  const stars: ts.ExportDeclaration[] = [];
  const declare = (name: string, declaration: ts.Declaration) => {
    const known = named.get(name);
    if (!known || (known.kind === 'declaration' && (isTypeOnly(known.declaration) || isSignatureOnly(known.declaration)))) {
      named.set(name, { kind: 'declaration', declaration });
    }
  };
  for (const statement of file.statements) {
    if (ts.isExportDeclaration(statement)) {
      const module = statement.moduleSpecifier && ts.isStringLiteralLike(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (!clause) stars.push(statement);
      else if (ts.isNamespaceExport(clause)) named.set(clause.name.text, { kind: 'namespace', specifier: clause, module });
      else for (const specifier of clause.elements) named.set(specifier.name.text, { kind: 'specifier', specifier, local: (specifier.propertyName ?? specifier.name).text, module });
      continue;
    }
    if (ts.isExportAssignment(statement)) {
      named.set(statement.isExportEquals ? 'export=' : 'default', { kind: 'declaration', declaration: statement });
      continue;
    }
    if (ts.isExpressionStatement(statement)) {
      addCommonJsExport(statement.expression, declare);
      continue;
    }
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : [];
    if (!modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (ts.isVariableStatement(statement)) {
      const names: Names = new Map();
      for (const d of statement.declarationList.declarations) addBinding(names, d.name, d);
      for (const [name, declaration] of names) declare(name, declaration);
    } else if (isDefault) {
      declare('default', statement as ts.Statement as ts.DeclarationStatement);
    } else if (ts.isDeclarationStatement(statement) && statement.name && ts.isIdentifier(statement.name)) {
      declare(statement.name.text, statement);
    }
  }
  return { named, stars };
}

/** `module.exports = x`, `module.exports = { a, b }`, `module.exports.a = x`, `exports.a = x`. */
function addCommonJsExport(expression: ts.Expression, declare: (name: string, declaration: ts.Declaration) => void): void {
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const target = expression.left;
  if (isModuleExports(target)) {
    declare('export=', expression);
    const value = unwrap(expression.right);
    if (ts.isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        const name = ts.isSpreadAssignment(property) ? undefined : propertyNameText(property.name);
        if (name !== undefined) declare(name, property);
      }
    }
    return;
  }
  if (ts.isPropertyAccessExpression(target) && (isModuleExports(target.expression) || (ts.isIdentifier(target.expression) && target.expression.text === 'exports'))) {
    declare(target.name.text, expression);
  }
}

const DECLARED_EXPORT = /\bexport\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\s*\*?|class|const|let|var|enum|interface|type|namespace)\s+([A-Za-z_$][\w$]*)/g;
/** Bounded, so that thousands of unclosed `export {` cannot make each match scan the rest of the file. */
const LISTED_EXPORTS = /\bexport\s+(?:type\s+)?\{([^{}]{0,4000})\}/g;
const LIST_STARTS = /\bexport\s+(?:type\s+)?\{/g;
const OPAQUE_EXPORTS = /\bexport\s*\*|\bexport\s+(?:const|let|var)\s*[{[]|\bexports\b|\bexport\s*=/;

/**
 * The names a module's text may export, from a look at its export statements without parsing it: names
 * declared with `export` or listed in `export { }`; anything when it re-exports with `*` or uses CommonJS or
 * destructuring exports.
 */
function exportedNamesHint(text: string): Set<string> | 'any' {
  if (OPAQUE_EXPORTS.test(text)) return 'any';
  const names = new Set<string>();
  for (const match of text.matchAll(DECLARED_EXPORT)) names.add(match[1]);
  let lists = 0;
  for (const match of text.matchAll(LISTED_EXPORTS)) {
    lists++;
    for (const item of match[1].split(',')) {
      const exported = item.trim().split(/\s+as\s+/).pop()?.replace(/^type\s+/, '').trim();
      if (exported) names.add(exported);
    }
  }
  // A list the pattern could not read (very long, or odd): anything may be exported.
  if (lists !== (text.match(LIST_STARTS)?.length ?? 0)) return 'any';
  return names;
}

function isModuleExports(node: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && node.name.text === 'exports' && ts.isIdentifier(node.expression) && node.expression.text === 'module';
}
