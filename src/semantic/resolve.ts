/**
 * Value resolution without running anything: where does an expression come from?
 *
 * An expression resolves to an access path: a root (an imported module, an unbound parameter such as the
 * incoming request, a project declaration, or a validated value) followed by member names, calls and `new`.
 * `openai.chat.completions.create` with `const openai = new OpenAI()` and `import OpenAI from 'openai'`
 * resolves to module `openai` + [new, chat, completions, create]. Imports across files, re-exports, path
 * aliases and CommonJS `require` are followed by name binding (bindings.ts); parameters of functions reached
 * through a call are bound to that call's arguments (a `CallContext`).
 */
import ts from '../typescript.cjs';
import type { ParsedProject } from '../parse/program.js';
import { type FunctionNode, isFunctionNode, propertyNameText, stringValue, unwrap } from './ast.js';
import { Bindings } from './bindings.js';
import { FieldGraph } from './field-graph.js';
import type { ImportGraph } from '../parse/import-graph.js';
import { ProjectAutoImports, accessorOf, autoImportOf, mayBeAccessor, passedThrough } from './accessors.js';
import { packageName } from './package-name.js';

export type Segment =
  | { kind: 'member'; name: string }
  | { kind: 'call'; call: ts.CallExpression }
  | { kind: 'new'; call?: ts.NewExpression }
  | { kind: 'index' };

export type PathRoot =
  | { kind: 'module'; module: string }
  | { kind: 'param'; param: ts.ParameterDeclaration }
  | { kind: 'local'; node: ts.Node }
  /** The result of `schema.parse(x)` / `schema.safeParse(x)`: a value that went through a validator. */
  | { kind: 'validated'; schema: ts.Expression; input: ts.Expression | undefined; method: string };

export interface AccessPath {
  root: PathRoot;
  segments: Segment[];
  /** The call context the root belongs to (for parameters and locals of reached functions). */
  context: CallContext;
}

/** A frame of the reach: which call entered which function, so parameters map to arguments. */
export class CallContext {
  constructor(
    readonly fn: FunctionNode | undefined,
    readonly call: ts.CallExpression | ts.NewExpression | undefined,
    readonly parent: CallContext | undefined,
  ) {}

  static readonly ROOT = new CallContext(undefined, undefined, undefined);

  /**
   * Entering the same function through the same call from the same frame gives the same context, so results
   * can be remembered per context (Resolver.resolve). Keyed weakly on the function: a dropped AST drops its frames.
   */
  private readonly children = new WeakMap<FunctionNode, Map<ts.Node | undefined, CallContext>>();

  enter(fn: FunctionNode, call: ts.CallExpression | ts.NewExpression | undefined): CallContext {
    let byCall = this.children.get(fn);
    if (!byCall) this.children.set(fn, (byCall = new Map()));
    let child = byCall.get(call);
    if (!child) byCall.set(call, (child = new CallContext(fn, call, this)));
    return child;
  }

  frameFor(fn: ts.Node): CallContext | undefined {
    for (let c: CallContext | undefined = this; c; c = c.parent) if (c.fn === fn) return c;
    return undefined;
  }

  depth(): number {
    let n = 0;
    for (let c: CallContext | undefined = this; c?.fn; c = c.parent) n++;
    return n;
  }
}

const VALIDATOR_METHODS = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync', 'validate', 'validateSync', 'cast']);
const MAX_DEPTH = 40;
/** `=`, and the logical assignments that set a variable only once (`??=`, `||=`). */
/** What a variable declared without a value is later given: a value, or one member of it. */
interface AssignedValue {
  value: ts.Expression;
  member?: string;
}

/** The property a destructuring assignment's pattern reads into the variable: `{ model }` or `{ model: m }`. */
function destructuredMember(pattern: ts.ObjectLiteralExpression, isTheVariable: (node: ts.Node) => boolean): string | undefined {
  for (const property of pattern.properties) {
    if (ts.isShorthandPropertyAssignment(property) && isTheVariable(property.name)) return property.name.text;
    if (ts.isPropertyAssignment(property) && isTheVariable(unwrap(property.initializer))) return propertyNameText(property.name);
  }
  return undefined;
}

const ASSIGNMENTS: ReadonlySet<ts.SyntaxKind> = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken]);

export const member = (name: string): Segment => ({ kind: 'member', name });

export function memberNames(segments: Segment[]): string[] {
  return segments.filter((s): s is { kind: 'member'; name: string } => s.kind === 'member').map((s) => s.name);
}

/** Member names and call/new markers, e.g. `new.chat.completions.create.()`, for pattern matching. */
export function segmentSignature(segments: Segment[]): string {
  return segments.map((s) => (s.kind === 'member' ? s.name : s.kind === 'call' ? '()' : s.kind === 'new' ? 'new' : '[]')).join('.');
}

export class Resolver {
  /**
   * @param instanceModules packages whose imported classes, used as a parameter or field type
   *   (`openai: OpenAI`), stand for an instance of that class: the AI SDKs.
   */
  constructor(
    readonly project: ParsedProject,
    private readonly instanceModules: ReadonlySet<string> = new Set(),
    /** Which project modules can lead to a paid call; without it every call is followed. */
    readonly importGraph?: ImportGraph,
  ) {
    this.bindings = new Bindings(project);
  }

  readonly bindings: Bindings;
  private autoImports?: ProjectAutoImports;
  private fieldGraph?: FieldGraph;

  /** The approximate, name-based call graph, where the import graph is known (it bounds the files looked at). */
  get fields(): FieldGraph | undefined {
    return this.importGraph && (this.fieldGraph ??= new FieldGraph(this.project, this.importGraph));
  }

  private get projectAutoImports(): ProjectAutoImports {
    return (this.autoImports ??= new ProjectAutoImports(this.project));
  }

  /** The declaration an identifier refers to, through imports and re-exports into project files. */
  declarationOf(identifier: ts.Node): ts.Declaration | undefined {
    // The answer depends on the node alone, and routes share their helpers: look each node up once.
    if (this.declarations.has(identifier)) return this.declarations.get(identifier) ?? undefined;
    const declaration = this.findDeclaration(identifier);
    this.declarations.set(identifier, declaration ?? null);
    return declaration;
  }

  private readonly declarations = new WeakMap<ts.Node, ts.Declaration | null>();
  private readonly assignedValues = new WeakMap<ts.VariableDeclaration, AssignedValue | null>();

  private findDeclaration(identifier: ts.Node): ts.Declaration | undefined {
    return this.bindings.declarationOf(identifier);
  }

  /**
   * Routes share helpers, and every analysis asks about the same values: a result is remembered per node and
   * context with the depth its resolution went to, and reused when the query's own depth leaves that much room.
   * A resolution cut short by the depth limit is not remembered, so answers never depend on what was asked first.
   */
  resolve(expression: ts.Expression, context: CallContext = CallContext.ROOT, depth = 0): AccessPath | undefined {
    if (depth > MAX_DEPTH) {
      this.deepest = Math.max(this.deepest, depth);
      return undefined;
    }
    const known = this.resolved.get(expression)?.get(context);
    if (known && depth + known.span <= MAX_DEPTH) {
      this.deepest = Math.max(this.deepest, depth + known.span);
      return known.path;
    }
    const outerDeepest = this.deepest;
    this.deepest = depth;
    const path = this.resolveUncached(expression, context, depth);
    const span = this.deepest - depth;
    if (this.deepest <= MAX_DEPTH) {
      let byContext = this.resolved.get(expression);
      if (!byContext) this.resolved.set(expression, (byContext = new Map()));
      byContext.set(context, { path, span });
    }
    this.deepest = Math.max(outerDeepest, this.deepest);
    return path;
  }

  private readonly resolved = new WeakMap<ts.Node, Map<CallContext, { path: AccessPath | undefined; span: number }>>();
  /** The deepest level the resolution under way has reached. */
  private deepest = 0;

  private resolveUncached(expression: ts.Expression, context: CallContext, depth: number): AccessPath | undefined {
    const e = unwrap(expression);
    const next = depth + 1;

    if (ts.isIdentifier(e)) {
      if (e.text === 'undefined') return { root: { kind: 'local', node: e }, segments: [], context };
      const declaration = this.declarationOf(e);
      if (declaration) return this.resolveDeclaration(declaration, context, next);
      // Nuxt/Nitro auto-imports: the project's `server/utils` exports, h3 (`readBody`), platform globals (`JSON`).
      const projectExport = this.projectAutoImports.lookup(e);
      if (projectExport) return this.resolveDeclaration(projectExport, context, next);
      const auto = autoImportOf(e.text);
      return auto ? { root: { kind: 'module', module: auto.module }, segments: auto.exported ? [member(auto.exported)] : [], context } : undefined;
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const name = ts.isPropertyAccessExpression(e) ? e.name.text : stringValue(e.argumentExpression) ?? numericIndex(e.argumentExpression);
      const base = this.resolve(e.expression, context, next);
      if (base && name !== undefined && (base.root.kind === 'local' || base.root.kind === 'param') && base.segments.length === 0) {
        const viaMember = this.resolveProjectMember(e, base, name, next);
        if (viaMember) return viaMember;
      }
      if (base && name !== undefined && isClassInstance(base)) {
        const viaClass =
          this.resolveClassMember(base.root as { kind: 'local'; node: ts.ClassLikeDeclaration }, name, base.context, next) ??
          this.resolveMemberByName(e, base.context, next);
        if (viaClass) return viaClass;
      }
      if (!base) {
        const viaName = this.resolveMemberByName(e, context, next);
        if (viaName) return viaName;
        return undefined;
      }
      return { ...base, segments: [...base.segments, name === undefined ? { kind: 'index' } : member(name)] };
    }
    if (ts.isCallExpression(e)) return this.resolveCall(e, context, next);
    if (ts.isNewExpression(e)) {
      // `new URL(req.url)` reads the request's URL: `url.searchParams.get('q')` is the query.
      const parsedUrl = this.parsedUrlInput(e);
      if (parsedUrl) return this.resolve(parsedUrl, context, next);
      const callee = this.resolve(e.expression, context, next);
      return callee ? { ...callee, segments: [...callee.segments, { kind: 'new', call: e }] } : undefined;
    }
    if (ts.isBinaryExpression(e) && isFallbackOperator(e.operatorToken.kind)) {
      return this.resolve(e.left, context, next) ?? this.resolve(e.right, context, next);
    }
    if (ts.isConditionalExpression(e)) return this.resolve(e.whenTrue, context, next) ?? this.resolve(e.whenFalse, context, next);
    if (e.kind === ts.SyntaxKind.ThisKeyword) {
      // `this` in a class body is an instance of that class.
      const owner = ts.findAncestor(e, (n) => ts.isClassLike(n) || ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n));
      if (owner && ts.isClassLike(owner)) return { root: { kind: 'local', node: owner }, segments: [{ kind: 'new' }], context };
      return { root: { kind: 'local', node: e }, segments: [], context };
    }
    return { root: { kind: 'local', node: e }, segments: [], context };
  }

  /** The URL text a global `new URL(text, base?)` parses. */
  private parsedUrlInput(e: ts.NewExpression): ts.Expression | undefined {
    const callee = unwrap(e.expression);
    if (!ts.isIdentifier(callee) || callee.text !== 'URL' || this.declarationOf(callee)) return undefined;
    return e.arguments?.[0];
  }

  private resolveCall(call: ts.CallExpression, context: CallContext, depth: number): AccessPath | undefined {
    const callee = unwrap(call.expression);
    const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
    if ((isDynamicImport || (ts.isIdentifier(callee) && callee.text === 'require')) && call.arguments.length >= 1) {
      const module = packageSpecifier(call.arguments[0]);
      // A project module stands for its source file, whose exports are looked up by name; a package for its name.
      const projectModule = module !== undefined ? this.projectModule(call.arguments[0]) : undefined;
      if (projectModule) return { root: { kind: 'local', node: projectModule }, segments: [], context };
      if (module !== undefined) return { root: { kind: 'module', module }, segments: [], context };
    }
    if (mayBeAccessor(call)) {
      const accessed = this.resolveAccessor(call, context, depth);
      if (accessed) return accessed;
    }
    if (ts.isPropertyAccessExpression(callee) && VALIDATOR_METHODS.has(callee.name.text)) {
      return {
        root: { kind: 'validated', schema: callee.expression, input: call.arguments[0], method: callee.name.text },
        segments: [],
        context,
      };
    }
    // `.catch(...)`, `.then(...)` on a promise keep the value's origin for our purposes.
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'catch') return this.resolve(callee.expression, context, depth);
    // `require('./routes')(deps)` calls the module's `module.exports`.
    const target = this.moduleValue(this.resolve(callee, context, depth));
    if (!target) return undefined;
    if (target.root.kind === 'local' && target.segments.length === 0 && isFunctionNode(target.root.node)) {
      const returned = this.resolveReturn(target.root.node, call, target.context.depth() < 8 ? context : CallContext.ROOT, depth);
      if (returned) return returned;
    }
    return { ...target, segments: [...target.segments, { kind: 'call', call }] };
  }

  /** `readBody(event)` is `event.body`, `v.parse(Schema, x)` is `x` validated, `JSON.parse(x)` is `x`. */
  private resolveAccessor(call: ts.CallExpression, context: CallContext, depth: number): AccessPath | undefined {
    const callee = this.resolve(call.expression, context, depth);
    const through = passedThrough(call, callee);
    if (through) return this.resolve(through, context, depth);
    const accessor = accessorOf(call, callee);
    if (accessor?.kind === 'validated') {
      return { root: { kind: 'validated', schema: accessor.schema, input: accessor.input, method: accessor.method }, segments: [], context };
    }
    if (accessor?.kind === 'member') {
      const base = this.resolve(accessor.of, context, depth);
      return base ? { ...base, segments: [...base.segments, ...accessor.segments] } : undefined;
    }
    return undefined;
  }

  /** What a project function returns, with its parameters bound to the call's arguments. */
  private resolveReturn(fn: FunctionNode, call: ts.CallExpression, context: CallContext, depth: number): AccessPath | undefined {
    if (context.frameFor(fn)) return undefined; // recursion
    const inner = context.enter(fn, call);
    for (const returned of returnExpressions(fn)) {
      const path = this.resolve(returned, inner, depth);
      if (path && !(path.root.kind === 'local' && isLiteralLike(path.root.node))) return path;
    }
    return undefined;
  }

  private resolveDeclaration(declaration: ts.Declaration, context: CallContext, depth: number): AccessPath | undefined {
    if (ts.isImportSpecifier(declaration)) {
      const module = moduleOf(declaration.parent.parent.parent);
      const exported = (declaration.propertyName ?? declaration.name).text;
      return module === undefined ? undefined : { root: { kind: 'module', module }, segments: exported === 'default' ? [] : [member(exported)], context };
    }
    if (ts.isImportClause(declaration) || ts.isNamespaceImport(declaration)) {
      const importDeclaration = ts.isImportClause(declaration) ? declaration.parent : declaration.parent.parent;
      const module = moduleOf(importDeclaration);
      return module === undefined ? undefined : { root: { kind: 'module', module }, segments: [], context };
    }
    if (ts.isImportEqualsDeclaration(declaration) && ts.isExternalModuleReference(declaration.moduleReference)) {
      const module = packageSpecifier(declaration.moduleReference.expression);
      return module === undefined ? undefined : { root: { kind: 'module', module }, segments: [], context };
    }
    if (ts.isVariableDeclaration(declaration)) {
      if (declaration.initializer && ts.isIdentifier(declaration.name)) return this.resolve(declaration.initializer, context, depth);
      // `let body; try { body = schema.parse(await req.json()) } catch { ... }`: the assigned value.
      const assigned = ts.isIdentifier(declaration.name) ? this.assignedValue(declaration) : undefined;
      if (assigned) {
        const value = this.resolve(assigned.value, context, depth);
        return assigned.member && value ? { ...value, segments: [...value.segments, member(assigned.member)] } : value;
      }
      return { root: { kind: 'local', node: declaration }, segments: [], context };
    }
    if (ts.isBindingElement(declaration)) return this.resolveBindingElement(declaration, context, depth);
    if (ts.isParameter(declaration)) return this.resolveParameter(declaration, context, depth);
    if (ts.isPropertyAssignment(declaration)) return this.resolve(declaration.initializer, context, depth);
    if (ts.isShorthandPropertyAssignment(declaration)) return this.resolve(declaration.name, context, depth);
    if (ts.isPropertyDeclaration(declaration)) {
      if (declaration.initializer) return this.resolve(declaration.initializer, context, depth);
      const assigned = constructorAssignment(declaration);
      if (assigned) return this.resolve(assigned, context, depth);
      return this.fromTypeAnnotation(declaration.type, context) ?? { root: { kind: 'local', node: declaration }, segments: [], context };
    }
    if (ts.isExportAssignment(declaration)) return this.resolve(declaration.expression, context, depth);
    // CommonJS: `module.exports = handler`, `exports.handler = async (req, res) => ...`.
    if (ts.isBinaryExpression(declaration) && declaration.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      return this.resolve(declaration.right, context, depth);
    }
    if (ts.isPropertyAccessExpression(declaration) && ts.isBinaryExpression(declaration.parent) && declaration.parent.left === declaration) {
      return this.resolve(declaration.parent.right, context, depth);
    }
    if (ts.isExportSpecifier(declaration)) {
      // export { default } from 'next-auth/middleware'
      const module = declaration.parent.parent.moduleSpecifier && packageSpecifier(declaration.parent.parent.moduleSpecifier as ts.Expression);
      const exported = (declaration.propertyName ?? declaration.name).text;
      if (module !== undefined) return { root: { kind: 'module', module }, segments: exported === 'default' ? [] : [member(exported)], context };
      return { root: { kind: 'local', node: declaration }, segments: [], context };
    }
    return { root: { kind: 'local', node: declaration }, segments: [], context };
  }

  private resolveBindingElement(element: ts.BindingElement, context: CallContext, depth: number): AccessPath | undefined {
    const names: Segment[] = [];
    let node: ts.Node = element;
    while (ts.isBindingElement(node)) {
      const pattern: ts.BindingPattern = node.parent;
      if (ts.isObjectBindingPattern(pattern)) {
        const name = propertyNameText(node.propertyName ?? node.name);
        names.unshift(name === undefined ? { kind: 'index' } : member(name));
      } else {
        names.unshift({ kind: 'index' });
      }
      node = pattern.parent;
    }
    let base: AccessPath | undefined;
    if (ts.isVariableDeclaration(node) && node.initializer) base = this.resolve(node.initializer, context, depth);
    else if (ts.isParameter(node)) base = this.resolveParameter(node, context, depth);
    if (!base) return undefined;
    // `const { ChatController } = require('./chat')`: an export of a project module.
    const first = names[0];
    if (base.root.kind === 'local' && ts.isSourceFile(base.root.node) && base.segments.length === 0 && first?.kind === 'member') {
      const exported = this.moduleExport(base.root.node, first.name);
      const resolved = exported && this.resolveDeclaration(exported, context, depth);
      if (resolved) return { ...resolved, segments: [...resolved.segments, ...names.slice(1)] };
    }
    // `function send({ topic })` called as `send({ topic: req.body.topic })`: the property the caller wrote.
    if (base.root.kind === 'local' && ts.isObjectLiteralExpression(base.root.node) && base.segments.length === 0 && first?.kind === 'member') {
      const property = base.root.node.properties.find((p) => !ts.isSpreadAssignment(p) && propertyNameText(p.name) === first.name);
      const resolved = property && this.resolveDeclaration(property, base.context, depth);
      if (resolved) return { ...resolved, segments: [...resolved.segments, ...names.slice(1)] };
    }
    return { ...base, segments: [...base.segments, ...names] };
  }

  private resolveParameter(param: ts.ParameterDeclaration, context: CallContext, depth: number): AccessPath | undefined {
    const fn = param.parent;
    const frame = context.frameFor(fn);
    const index = fn.parameters.indexOf(param as never);
    const call = frame?.call;
    if (frame && call && call.arguments && index >= 0 && !param.dotDotDotToken) {
      const argument = call.arguments[index];
      if (argument) return this.resolve(argument, frame.parent ?? CallContext.ROOT, depth);
    }
    return this.fromTypeAnnotation(param.type, context) ?? { root: { kind: 'param', param }, segments: [], context };
  }

  /** A member of an instance of a project class: a field's initializer, a constructor assignment, a method. */
  private resolveClassMember(root: { node: ts.ClassLikeDeclaration }, name: string, context: CallContext, depth: number): AccessPath | undefined {
    const member = root.node.members.find((m) => m.name !== undefined && propertyNameText(m.name) === name);
    if (member && (ts.isMethodDeclaration(member) || ts.isPropertyDeclaration(member))) return this.resolveDeclaration(member, context, depth);
    const ctor = root.node.members.find(ts.isConstructorDeclaration);
    for (const statement of ctor?.body?.statements ?? []) {
      if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
      const { left, right, operatorToken } = statement.expression;
      if (operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) {
        return this.resolve(right, context, depth);
      }
    }
    return undefined;
  }

  /** The project source file a module specifier (`require('./chat')`) resolves to, if any. */
  private projectModule(specifier: ts.Expression): ts.SourceFile | undefined {
    return this.bindings.moduleFile(specifier);
  }

  /** The declaration a project module exports under `name` (ES exports and CommonJS `module.exports`). */
  private moduleExport(sourceFile: ts.SourceFile, name: string): ts.Declaration | undefined {
    return this.bindings.exportOf(sourceFile, name);
  }

  /**
   * The first value assigned to a variable declared without one (`openai = new OpenAI()`, `openai ??= ...`), in
   * the scope that declares it, or the member of it a destructuring assignment takes (`({ model } = body)` gives
   * `body` and `model`). Found in the syntax tree, however the assignment is spaced; remembered per variable.
   */
  private assignedValue(declaration: ts.VariableDeclaration): AssignedValue | undefined {
    if (this.assignedValues.has(declaration)) return this.assignedValues.get(declaration) ?? undefined;
    const name = (declaration.name as ts.Identifier).text;
    const scope = declaration.parent.parent.parent; // declaration list → statement → block or source file
    let found: AssignedValue | undefined;
    const isTheVariable = (node: ts.Node) => ts.isIdentifier(node) && node.text === name && this.declarationOf(node) === declaration;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isBinaryExpression(node) && ASSIGNMENTS.has(node.operatorToken.kind)) {
        if (isTheVariable(node.left)) {
          found = { value: node.right };
          return;
        }
        const pattern = unwrap(node.left);
        const taken = ts.isObjectLiteralExpression(pattern) ? destructuredMember(pattern, isTheVariable) : undefined;
        if (taken) {
          found = { value: node.right, member: taken };
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    if (scope) ts.forEachChild(scope, visit);
    this.assignedValues.set(declaration, found ?? null);
    return found;
  }

  /** A parameter or field typed with an imported SDK class (`openai: OpenAI`) stands for an instance of it. */
  private fromTypeAnnotation(type: ts.TypeNode | undefined, context: CallContext): AccessPath | undefined {
    if (!type || !ts.isTypeReferenceNode(type)) return undefined;
    const name = ts.isIdentifier(type.typeName) ? type.typeName : type.typeName.right;
    const base = ts.isIdentifier(type.typeName) ? type.typeName : type.typeName.left;
    const declaration = this.declarationOf(base);
    if (!declaration) return undefined;
    const resolved = this.resolveDeclaration(declaration, context, MAX_DEPTH - 2);
    if (!resolved || resolved.root.kind !== 'module' || !this.instanceModules.has(resolved.root.module)) return undefined;
    const segments = base === name ? resolved.segments : [...resolved.segments, member(name.text)];
    return { ...resolved, segments: [...segments, { kind: 'new' }] };
  }

  /** `obj.method` where `obj` is a project object, class instance or namespace. */
  private resolveProjectMember(
    access: ts.PropertyAccessExpression | ts.ElementAccessExpression,
    base: AccessPath,
    name: string,
    depth: number,
  ): AccessPath | undefined {
    const node = base.root.kind === 'local' ? base.root.node : undefined;
    if (node && ts.isObjectLiteralExpression(node)) {
      const property = node.properties.find((p) => !ts.isSpreadAssignment(p) && propertyNameText(p.name) === name);
      if (property) return this.resolveDeclaration(property, base.context, depth);
    }
    if (node && ts.isSourceFile(node)) {
      const exported = this.moduleExport(node, name);
      if (exported) return this.resolveDeclaration(exported, base.context, depth);
    }
    const member = this.resolveMemberByName(access, base.context, depth);
    // A plain field of a parameter typed with a project class (a request DTO, `dto.messages`) is data the
    // parameter carries: keep it as the parameter's member rather than the field's declaration.
    if (base.root.kind === 'param' && member?.root.kind === 'local' && member.segments.length === 0 && ts.isPropertyDeclaration(member.root.node)) {
      return undefined;
    }
    return member;
  }

  private resolveMemberByName(
    access: ts.PropertyAccessExpression | ts.ElementAccessExpression,
    context: CallContext,
    depth: number,
  ): AccessPath | undefined {
    const nameNode = ts.isPropertyAccessExpression(access) ? access.name : access.argumentExpression;
    const declaration = this.declarationOf(nameNode);
    if (!declaration || declaration.getSourceFile().isDeclarationFile) return undefined;
    if (ts.isMethodDeclaration(declaration) || ts.isFunctionDeclaration(declaration)) {
      return { root: { kind: 'local', node: declaration }, segments: [], context };
    }
    if (ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration) || ts.isShorthandPropertyAssignment(declaration) || ts.isVariableDeclaration(declaration)) {
      return this.resolveDeclaration(declaration, context, depth);
    }
    // A constructor parameter property, `constructor(private readonly ai: AiService)`: an injected instance
    // of its declared type, whose members are that class's.
    if (ts.isParameter(declaration) && ts.isConstructorDeclaration(declaration.parent)) {
      return this.fromTypeAnnotation(declaration.type, context) ?? { root: { kind: 'local', node: declaration }, segments: [], context };
    }
    return undefined;
  }

  /**
   * What a whole required project module stands for as a value (`app.use('/tools', require('./tools'))`): its
   * `module.exports`. Any other path is returned as it is.
   */
  moduleValue(path: AccessPath | undefined): AccessPath | undefined {
    if (!path || path.root.kind !== 'local' || path.segments.length > 0 || !ts.isSourceFile(path.root.node)) return path;
    const exported = this.moduleExport(path.root.node, 'export=');
    return exported && this.resolveDeclaration(exported, path.context, 0);
  }

  /** The project function an expression denotes (a callee or a handler reference), if any. */
  resolveFunction(expression: ts.Expression, context: CallContext = CallContext.ROOT): { fn: FunctionNode; context: CallContext } | undefined {
    const e = unwrap(expression);
    if (isFunctionNode(e)) return { fn: e, context };
    // A required CommonJS module called as a function: `require('./routes')(app)` runs its `module.exports`.
    const path = this.moduleValue(this.resolve(e, context));
    if (path && path.root.kind === 'local' && path.segments.length === 0 && isFunctionNode(path.root.node)) {
      return { fn: path.root.node, context: path.context };
    }
    const given = path && functionRunByCall(path);
    return path && given ? this.resolveFunction(given, path.context) : undefined;
  }
}

const returnsOf = new WeakMap<FunctionNode, ts.Expression[]>();

/** The expressions a function returns (memoized: every call into a helper asks again). */
export function returnExpressions(fn: FunctionNode): ts.Expression[] {
  let returns = returnsOf.get(fn);
  if (!returns) returnsOf.set(fn, (returns = findReturnExpressions(fn)));
  return returns;
}

function findReturnExpressions(fn: FunctionNode): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionNode(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return found;
}

/** `new Service()` of a project class, as an access path: its members are the class's. */
function isClassInstance(path: AccessPath): boolean {
  return path.root.kind === 'local' && ts.isClassLike(path.root.node) && path.segments.length === 1 && path.segments[0].kind === 'new';
}

function moduleOf(importDeclaration: ts.ImportDeclaration | ts.JSDocImportTag): string | undefined {
  return packageSpecifier(importDeclaration.moduleSpecifier as ts.Expression);
}

/** The package a module specifier names, `npm:openai@4` read as `openai`. */
function packageSpecifier(specifier: ts.Expression): string | undefined {
  const text = stringValue(specifier);
  return text === undefined ? undefined : packageName(text);
}

function numericIndex(expression: ts.Expression): string | undefined {
  return ts.isNumericLiteral(expression) ? expression.text : undefined;
}

function isFallbackOperator(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken;
}

function isLiteralLike(node: ts.Node): boolean {
  return ts.isLiteralExpression(node) || node.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(node) && node.text === 'undefined');
}

/** `this.client = new OpenAI()` in the class constructor, for a field declared without initializer. */
export function constructorAssignment(property: ts.PropertyDeclaration): ts.Expression | undefined {
  const name = propertyNameText(property.name);
  const ctor = property.parent.members.find(ts.isConstructorDeclaration);
  if (!ctor?.body || name === undefined) return undefined;
  for (const statement of ctor.body.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
    const { left, right, operatorToken } = statement.expression;
    if (operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) {
      return right;
    }
  }
  return undefined;
}

/** The string a constant expression holds: a literal, or a const (across files) initialised with one. */
export function constantString(expression: ts.Expression | undefined, resolver: Resolver): string | undefined {
  if (!expression) return undefined;
  const direct = stringValue(expression);
  if (direct !== undefined) return direct;
  const resolved = resolver.resolve(expression);
  if (resolved?.root.kind === 'local' && resolved.segments.length === 0) {
    const node = resolved.root.node;
    if (ts.isStringLiteralLike(node)) return node.text;
  }
  return undefined;
}

/**
 * A Genkit flow, `ai.defineFlow(config, async (input) => ...)`: calling or serving it runs that function. So does
 * calling what a package function wrapped (`unstable_cache(async (q) => ...)`, `cache(fn)`, `_.memoize(fn)`).
 */
function functionRunByCall(path: AccessPath): ts.Expression | undefined {
  if (path.root.kind !== 'module') return undefined;
  const last = path.segments[path.segments.length - 1];
  if (last?.kind !== 'call') return undefined;
  if (path.root.module !== 'genkit') return packageWrapped(path.segments, last.call);
  const definer = unwrap(last.call.expression);
  return ts.isPropertyAccessExpression(definer) && definer.name.text === 'defineFlow' ? last.call.arguments[1] : undefined;
}

/** The function written into a call of a package's own function (no call before it: not a client's method). */
function packageWrapped(segments: Segment[], call: ts.CallExpression): ts.Expression | undefined {
  if (segments.slice(0, -1).some((segment) => segment.kind !== 'member')) return undefined;
  return call.arguments.find((argument) => isFunctionNode(unwrap(argument)));
}
