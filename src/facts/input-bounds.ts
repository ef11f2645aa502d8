/**
 * Input-bound facts: does request-derived prompt or message input reach the paid call without a cap on the
 * array length, the size of each item, or a check of the roles a client may send? Caps are recognised as
 * validator schemas (zod `.max()`, valibot `maxLength`), explicit length checks that refuse, truncation with
 * `.slice(0, N)`, and role allow-lists.
 */
import ts from '../typescript.cjs';
import type { InputBound, UnboundedInputFact } from '../model.js';
import { calleeName, isFunctionNode, locationOf, objectProperty, propertyNameText, propertyValue, stringValue, unwrap } from '../semantic/ast.js';
import { declaredBounds } from './declared-schemas.js';
import { requestOrigin } from './request.js';
import { type AccessPath, type CallContext, memberNames, type Resolver, returnExpressions } from '../semantic/resolve.js';
import type { ProtectionScope } from './scope.js';
import { schemaDefinition as definitionOf } from './schema-chain.js';
import { writesTo } from './writes.js';

type Semantics = 'messages' | 'text';

interface InputAnalysis {
  fromRequest: boolean;
  missing: Set<InputBound>;
}

const MESSAGE_ARGUMENTS = new Set(['messages', 'uiMessages', 'contents', 'history', 'chatHistory', 'chat_history']);
const TRUNCATING = new Set(['slice', 'substring', 'substr', 'truncate']);
const PASS_THROUGH = new Set([
  'trim', 'trimStart', 'trimEnd', 'toString', 'toLowerCase', 'toUpperCase', 'normalize', 'String', 'stringify', 'join', 'then',
  // Formatting a number or date keeps it as bounded as it was.
  'toFixed', 'toPrecision', 'toLocaleString', 'toISOString', 'toLocaleDateString', 'toLocaleTimeString',
]);
const SPLITTER_MODULES = /^(langchain\/text_splitter|@langchain\/textsplitters)(\.js)?$/;
const SPLITTING = new Set(['createDocuments', 'splitText', 'splitDocuments']);
/** Calls that end a ts-pattern chain with the matched handler's value. */
const MATCH_RESULT = new Set(['run', 'exhaustive', 'otherwise']);
const CAP_METHODS = new Set(['max', 'length', 'maxLength', 'maxItems', 'size', 'maxSize', 'maxBytes']);
const ENUM_METHODS = new Set(['enum', 'literal', 'union', 'nativeEnum', 'picklist', 'oneOf', 'literals']);

const NONE: InputAnalysis = { fromRequest: false, missing: new Set() };

export function unboundedInputFacts(scope: ProtectionScope): UnboundedInputFact[] {
  const { match, steps } = scope.reached;
  const context = steps[steps.length - 1].context;
  const analyzer = new InputAnalyzer(scope);
  const facts: UnboundedInputFact[] = [];
  const report = (argument: string, node: ts.Node, analysis: InputAnalysis) => {
    if (!analysis.fromRequest || analysis.missing.size === 0) return;
    facts.push({
      argument,
      missing: [...analysis.missing].sort(),
      description: `the model receives ${argument} from the request without ${listOf([...analysis.missing].sort().map(describeBound))}`,
      location: locationOf(scope.project, match.inputAnchor ?? node),
    });
  };
  if (match.options) {
    for (const property of match.options.properties) {
      if (ts.isSpreadAssignment(property)) {
        report('...spread', property, analyzer.analyze(property.expression, 'messages', context));
        continue;
      }
      const name = propertyNameText(property.name);
      const value = propertyValue(property);
      if (!name || !value || !match.inputProperties.includes(name)) continue;
      report(name, property, analyzer.analyze(value, MESSAGE_ARGUMENTS.has(name) ? 'messages' : 'text', context));
    }
  } else if (match.call.arguments[0] && !match.inputAnchor && !match.inputArguments?.length) {
    report('options', match.call.arguments[0], analyzer.analyze(match.call.arguments[0], 'messages', context));
  }
  // Input outside the options object: positional prompts and messages, chat history given at chat start.
  for (const input of match.inputArguments ?? []) {
    report(input.name, input.anchor ?? input.value, analyzer.analyze(input.value, input.kind, context));
  }
  return facts;
}

function listOf(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function describeBound(bound: InputBound): string {
  return bound === 'array-length' ? 'a cap on the number of messages' : bound === 'item-size' ? 'a size cap' : 'a check of the roles';
}

class InputAnalyzer {
  constructor(private readonly scope: ProtectionScope) {}

  analyze(expression: ts.Expression, semantics: Semantics, context: CallContext, depth = 0): InputAnalysis {
    if (depth > 12) return NONE;
    const e = unwrap(expression);
    const next = (x: ts.Expression, s: Semantics = semantics, ctx = context) => this.analyze(x, s, ctx, depth + 1);

    if (ts.isArrayLiteralExpression(e)) {
      return merge(e.elements.map((element) => (ts.isSpreadElement(element) ? next(element.expression, 'messages') : this.analyzeItem(element, semantics, context, depth))));
    }
    if (ts.isObjectLiteralExpression(e)) return this.analyzeItem(e, semantics, context, depth);
    if (ts.isTemplateExpression(e)) return merge(e.templateSpans.map((span) => next(span.expression, 'text')));
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return merge([next(e.left, 'text'), next(e.right, 'text')]);
    if (ts.isConditionalExpression(e)) {
      // `ALLOWED.includes(x) ? x : 'default'`: the value passes only when it is one of a fixed list.
      if (isMembershipCheck(e.condition, e.whenTrue, this.scope.resolver)) return next(e.whenFalse);
      return merge([next(e.whenTrue), next(e.whenFalse)]);
    }
    // `new HumanMessage(text)`, `new ChatMessage({ role, content })`: the message carries its arguments.
    if (ts.isNewExpression(e)) return merge((e.arguments ?? []).map((argument) => next(argument, 'text')));
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      return merge([next(e.left), next(e.right)]);
    }
    if (ts.isIdentifier(e)) {
      // Follow a local alias to its initializer, so transformations there (`.slice`, `.join`) are seen.
      const declaration = this.scope.resolver.declarationOf(e);
      if (declaration && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name)) {
        const values = this.variableValues(declaration, semantics, context, depth);
        if (values) return values;
      }
      // A parameter of the function entered through a call is the argument, with what the caller did to it.
      const argument = declaration && ts.isParameter(declaration) ? argumentFor(declaration, context) : undefined;
      if (argument) return this.analyze(argument.value, semantics, argument.context, depth + 1);
    }
    if (ts.isCallExpression(e)) {
      const handled = this.analyzeCall(e, semantics, context, depth);
      if (handled) return handled;
    }
    const path = this.scope.resolver.resolve(e, context);
    const analysis = this.analyzePath(e, path, semantics, depth);
    return !analysis.fromRequest && semantics === 'text' ? this.itemOfLocalList(e, context, depth) ?? analysis : analysis;
  }

  /**
   * `messages[messages.length - 1].content` of a list built in the handler, or `doc.pageContent` of a
   * `doc = docs[i]` / `for (const doc of docs)`: as large as that list's items.
   */
  private itemOfLocalList(e: ts.Expression, context: CallContext, depth: number): InputAnalysis | undefined {
    const list = listOfElement(ts.isPropertyAccessExpression(e) ? unwrap(e.expression) : e, this.scope);
    if (!list || !ts.isIdentifier(list) || !ts.isVariableDeclaration(this.scope.resolver.declarationOf(list) ?? list)) return undefined;
    const items = this.analyze(list, 'messages', context, depth + 1);
    return items.fromRequest ? { fromRequest: true, missing: new Set([...items.missing].filter((b) => b === 'item-size')) } : undefined;
  }

  /**
   * What a variable holds: its initializer, the values assigned later when it starts empty (`let chunks = []`),
   * and the items pushed onto it (`history.push({ role: 'user', content })`).
   */
  private variableValues(declaration: ts.VariableDeclaration, semantics: Semantics, context: CallContext, depth: number): InputAnalysis | undefined {
    const { assigned, appended, grows } = writesTo(declaration, this.scope.resolver);
    const initial = declaration.initializer;
    const values = initial && !isEmptyValue(initial) ? [initial] : [...(initial ? [initial] : []), ...assigned];
    if (!values.length && !appended.length) return undefined;
    const held = merge([
      ...values.map((value) => this.analyze(value, semantics, context, depth + 1)),
      ...appended.map((item) => (ts.isSpreadElement(item) ? this.analyze(item.expression, 'messages', context, depth + 1) : this.analyzeItem(item, semantics, context, depth))),
    ]);
    // A module-level history every request adds to and none trims is resent in full, longer each time.
    return grows && held.fromRequest && semantics === 'messages' ? { fromRequest: true, missing: new Set([...held.missing, 'array-length']) } : held;
  }

  /** A message object `{ role, content }`, or an element of a text array. */
  private analyzeItem(element: ts.Expression, semantics: Semantics, context: CallContext, depth: number): InputAnalysis {
    const e = unwrap(element);
    if (!ts.isObjectLiteralExpression(e)) return this.analyze(e, 'text', context, depth + 1);
    const results: InputAnalysis[] = [];
    for (const property of e.properties) {
      if (ts.isSpreadAssignment(property)) {
        const spread = this.analyze(property.expression, 'messages', context, depth + 1);
        if (spread.fromRequest) results.push({ fromRequest: true, missing: without(spread.missing, 'array-length') });
        continue;
      }
      const name = propertyNameText(property.name);
      const value = propertyValue(property);
      if (!value) continue;
      const analysis = this.analyze(value, name === 'parts' || name === 'content' && ts.isArrayLiteralExpression(unwrap(value)) ? 'messages' : 'text', context, depth + 1);
      if (!analysis.fromRequest) continue;
      if (name === 'role') results.push({ fromRequest: true, missing: new Set(['roles']) });
      else results.push({ fromRequest: true, missing: new Set([...analysis.missing].filter((b) => b !== 'array-length' || semantics === 'text')) });
    }
    return merge(results);
  }

  private analyzeCall(call: ts.CallExpression, semantics: Semantics, context: CallContext, depth: number): InputAnalysis | undefined {
    const name = calleeName(call);
    const callee = unwrap(call.expression);
    const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
    if (name && receiver && TRUNCATING.has(name) && call.arguments.length > 0) {
      const base = this.analyze(receiver, semantics, context, depth + 1);
      if (dropsOnlyAFew(call)) return base;
      return { ...base, missing: without(base.missing, semantics === 'messages' ? 'array-length' : 'item-size') };
    }
    if (name && receiver && name === 'map') {
      const base = this.analyze(receiver, semantics, context, depth + 1);
      return { ...base, missing: boundsFromMapper(call.arguments[0], base.missing) };
    }
    if (name && receiver && name === 'filter') {
      const base = this.analyze(receiver, semantics, context, depth + 1);
      return mentionsRole(call.arguments[0]) ? { ...base, missing: without(base.missing, 'roles') } : base;
    }
    if (name && PASS_THROUGH.has(name)) {
      const inner = receiver && !['String', 'stringify'].includes(name) ? receiver : call.arguments[0];
      return inner ? this.analyze(inner, semantics, context, depth + 1) : NONE;
    }
    if (name && receiver && name === 'concat') {
      return merge([receiver, ...call.arguments].map((x) => this.analyze(x, semantics, context, depth + 1)));
    }
    const handlers = this.patternMatchHandlers(call, context);
    if (handlers) return merge(handlers.flatMap((h) => returnExpressions(h)).map((r) => this.analyze(r, semantics, context, depth + 1)));
    const fn = this.scope.resolver.resolveFunction(call.expression, context);
    if (fn) {
      const inner = context.enter(fn.fn, call);
      const returned = returnExpressions(fn.fn);
      if (returned.length) return merge(returned.map((r) => this.analyze(r, semantics, inner, depth + 1)));
    }
    // A library helper that converts its input (`convertToModelMessages(messages)`) passes it on unbounded.
    const library = this.scope.resolver.resolve(call.expression, context);
    // A text splitter's chunks carry all of its input: `splitter.createDocuments([text])`.
    if (library?.root.kind === 'module' && receiver && SPLITTER_MODULES.test(library.root.module) && SPLITTING.has(name ?? '')) {
      return merge(call.arguments.map((argument) => this.analyze(argument, semantics, context, depth + 1)));
    }
    if (library?.root.kind === 'module' && !receiver) {
      return merge(call.arguments.map((argument) => this.analyze(argument, semantics, context, depth + 1)));
    }
    return undefined;
  }

  private analyzePath(expression: ts.Expression, path: AccessPath | undefined, semantics: Semantics, depth: number): InputAnalysis {
    if (!path) return NONE;
    const origin = requestOrigin(path, this.scope.requestParams);
    if (origin) {
      if (origin.source === 'ip' || origin.source === 'user' || origin.source === 'credential') return NONE;
      let missing = without(required(semantics), ...this.boundsChecked(origin.key, semantics));
      missing = without(missing, ...this.boundsFromValidation(origin.key, semantics));
      missing = without(missing, ...declaredBounds(this.scope, origin.key, semantics, (schema, fields, s) => schemaMissing(schema, fields, s, this.scope)));
      return { fromRequest: true, missing };
    }
    if (path.root.kind === 'validated') {
      const input = path.root.input;
      const inputPath = input ? this.scope.resolver.resolve(input, path.context) : undefined;
      const inputOrigin = requestOrigin(inputPath, this.scope.requestParams);
      if (!inputOrigin) return NONE;
      const fields = memberNames(path.segments);
      if (path.root.method.startsWith('safeParse') && fields[0] === 'data') fields.shift();
      return { fromRequest: true, missing: schemaMissing(path.root.schema, fields, semantics, this.scope) };
    }
    if (path.root.kind === 'local' && path.segments.length === 0) {
      const node = path.root.node;
      if (node !== expression && (ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node) || ts.isTemplateExpression(node) || ts.isCallExpression(node))) {
        return this.analyze(node, semantics, path.context, depth + 1);
      }
    }
    return NONE;
  }

  /** ts-pattern's `match(x).with(p, () => value)...run()`: the value is what one of the handlers returns. */
  private patternMatchHandlers(call: ts.CallExpression, context: CallContext): (ts.ArrowFunction | ts.FunctionExpression)[] | undefined {
    if (!MATCH_RESULT.has(calleeName(call) ?? '')) return undefined;
    const handlers: (ts.ArrowFunction | ts.FunctionExpression)[] = [];
    let current: ts.Expression = call;
    while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
      for (const argument of current.arguments) {
        const fn = unwrap(argument);
        if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) handlers.push(fn);
      }
      current = unwrap(current.expression.expression);
    }
    if (!ts.isCallExpression(current)) return undefined;
    const base = this.scope.resolver.resolve(current.expression, context);
    const isMatch = base?.root.kind === 'module' && base.root.module === 'ts-pattern' && memberNames(base.segments).join('.') === 'match';
    return isMatch ? handlers : undefined;
  }

  /** Bounds established by guards that refuse: `if (text.length > 4000) return 400`, `messages.some(m => ...)`. */
  private boundsChecked(key: string, semantics: Semantics): InputBound[] {
    const found = new Set<InputBound>();
    for (const guard of this.scope.guards) {
      if (!guard.condition) continue;
      this.boundsInExpression(guard.condition, key, semantics, guard.region.context, found);
    }
    return [...found];
  }

  private boundsInExpression(condition: ts.Node, key: string, semantics: Semantics, context: CallContext, found: Set<InputBound>): void {
    const keyOf = (x: ts.Expression) => requestOrigin(this.scope.resolver.resolve(x, context), this.scope.requestParams)?.key;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && node.name.text === 'length' && isCompared(node) && keyOf(node.expression) === key) {
        found.add(semantics === 'messages' ? 'array-length' : 'item-size');
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['some', 'every', 'find', 'findIndex', 'filter'].includes(node.expression.name.text)) {
        if (keyOf(node.expression.expression) === key) {
          const callback = node.arguments[0];
          if (callback && hasLengthComparison(callback)) found.add('item-size');
          if (callback && mentionsRole(callback)) found.add('roles');
        }
      }
      // `if (!ALLOWED.has(value)) return 400`: a value from an allow-list has a known size.
      if (ts.isCallExpression(node) && ['has', 'includes'].includes(calleeName(node) ?? '') && isNegated(node) && node.arguments.some((a) => keyOf(a) === key)) {
        found.add('item-size');
      }
      ts.forEachChild(node, visit);
    };
    visit(condition);
    // for (const m of messages) { if (m.content.length > N) ...; if (!ALLOWED.has(m.role)) ... }
    const loop = enclosingForOf(condition);
    if (loop && keyOf(loop.expression) === key) {
      if (hasLengthComparison(condition)) found.add('item-size');
      if (mentionsRole(condition)) found.add('roles');
    }
  }

  /** `Schema.parse(body)` before the call validates `body.messages` even when the raw value is used. */
  private boundsFromValidation(key: string, semantics: Semantics): InputBound[] {
    const bounds = new Set<InputBound>();
    for (const { call, region } of this.scope.calls) {
      const path = this.scope.resolver.resolve(call, region.context);
      if (path?.root.kind !== 'validated' || !path.root.input) continue;
      const inputKey = requestOrigin(this.scope.resolver.resolve(path.root.input, region.context), this.scope.requestParams)?.key;
      if (!inputKey || !(key === inputKey || key.startsWith(inputKey + '.'))) continue;
      const fields = key.slice(inputKey.length).split('.').filter(Boolean);
      const missing = schemaMissing(path.root.schema, fields, semantics, this.scope);
      for (const bound of required(semantics)) if (!missing.has(bound)) bounds.add(bound);
    }
    return [...bounds];
  }
}

/** Does the condition hold only when `value` is one of a fixed set (`list.includes(v)`, `set.has(v)`, `v in map`)? */
function isMembershipCheck(condition: ts.Expression, value: ts.Expression, resolver: Resolver): boolean {
  const c = unwrap(condition);
  const same = (other: ts.Expression) => sameReference(other, value, resolver);
  if (ts.isCallExpression(c) && ['includes', 'has', 'hasOwnProperty'].includes(calleeName(c) ?? '')) return c.arguments.some(same);
  if (ts.isBinaryExpression(c) && c.operatorToken.kind === ts.SyntaxKind.InKeyword) return same(c.left);
  if (ts.isBinaryExpression(c) && c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken) {
    const [left, right] = [unwrap(c.left), unwrap(c.right)];
    return (same(left) && ts.isStringLiteralLike(right)) || (same(right) && ts.isStringLiteralLike(left));
  }
  return false;
}

/** Whether two expressions read the same variable or member: `body.model` here and there, bound alike. */
function sameReference(a: ts.Expression, b: ts.Expression, resolver: Resolver): boolean {
  const [x, y] = [unwrap(a), unwrap(b)];
  if (ts.isIdentifier(x) && ts.isIdentifier(y)) return x.text === y.text && resolver.declarationOf(x) === resolver.declarationOf(y);
  if (ts.isPropertyAccessExpression(x) && ts.isPropertyAccessExpression(y)) return x.name.text === y.name.text && sameReference(x.expression, y.expression, resolver);
  if (ts.isElementAccessExpression(x) && ts.isElementAccessExpression(y)) {
    const key = stringValue(x.argumentExpression);
    return key !== undefined && key === stringValue(y.argumentExpression) && sameReference(x.expression, y.expression, resolver);
  }
  return x.kind === ts.SyntaxKind.ThisKeyword && y.kind === ts.SyntaxKind.ThisKeyword;
}

function argumentFor(parameter: ts.ParameterDeclaration, context: CallContext): { value: ts.Expression; context: CallContext } | undefined {
  const frame = context.frameFor(parameter.parent);
  if (!frame?.call || !frame.parent || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name)) return undefined;
  const value = frame.call.arguments?.[(parameter.parent as ts.SignatureDeclaration).parameters.indexOf(parameter)];
  return value && !ts.isSpreadElement(value) ? { value, context: frame.parent } : undefined;
}

/** The list an element is read from: `list[i]`, or a variable given `list[i]` or iterating `for (const x of list)`. */
function listOfElement(element: ts.Expression, scope: ProtectionScope): ts.Expression | undefined {
  if (ts.isElementAccessExpression(element)) return unwrap(element.expression);
  const declaration = ts.isIdentifier(element) ? scope.resolver.declarationOf(element) : undefined;
  if (!declaration || !ts.isVariableDeclaration(declaration)) return undefined;
  const loop = declaration.parent.parent;
  if (ts.isForOfStatement(loop) && loop.initializer === declaration.parent) return unwrap(loop.expression);
  const initializer = declaration.initializer && unwrap(declaration.initializer);
  return initializer && ts.isElementAccessExpression(initializer) ? unwrap(initializer.expression) : undefined;
}

/** `[]`, `''`, `null`: a starting value the variable is filled in from later. */
function isEmptyValue(expression: ts.Expression): boolean {
  const e = unwrap(expression);
  if (ts.isArrayLiteralExpression(e)) return e.elements.length === 0;
  if (ts.isStringLiteralLike(e)) return e.text === '';
  return e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined');
}

function required(semantics: Semantics): Set<InputBound> {
  return new Set<InputBound>(semantics === 'messages' ? ['array-length', 'item-size', 'roles'] : ['item-size']);
}

function without(set: Set<InputBound>, ...bounds: InputBound[]): Set<InputBound> {
  const copy = new Set(set);
  for (const b of bounds) copy.delete(b);
  return copy;
}

function merge(results: InputAnalysis[]): InputAnalysis {
  const missing = new Set<InputBound>();
  let fromRequest = false;
  for (const r of results) {
    if (!r.fromRequest) continue;
    fromRequest = true;
    for (const b of r.missing) missing.add(b);
  }
  return fromRequest ? { fromRequest, missing } : NONE;
}

/** A comparison of the length with a bound; `length <= 0` and `length < 1` refuse empty input, not large. */
function isCompared(node: ts.Node): boolean {
  const parent = node.parent;
  if (!ts.isBinaryExpression(parent)) return false;
  const operator = parent.operatorToken.kind;
  const lengthOnLeft = parent.left === node;
  const other = unwrap(lengthOnLeft ? parent.right : parent.left);
  const limit = ts.isNumericLiteral(other) ? Number(other.text) : undefined;
  const below = lengthOnLeft ? LESS.get(operator) : GREATER.get(operator);
  if (below === undefined && !(lengthOnLeft ? GREATER : LESS).has(operator)) return false;
  return below === undefined || limit === undefined || limit > (below === 'strict' ? 1 : 0);
}

const LESS = new Map([[ts.SyntaxKind.LessThanToken, 'strict'], [ts.SyntaxKind.LessThanEqualsToken, 'loose']]);
const GREATER = new Map([[ts.SyntaxKind.GreaterThanToken, 'strict'], [ts.SyntaxKind.GreaterThanEqualsToken, 'loose']]);

function hasLengthComparison(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'length' && isCompared(n)) found = true;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function mentionsRole(node: ts.Node | undefined): boolean {
  if (!node) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if ((ts.isIdentifier(n) && n.text === 'role') || (ts.isStringLiteralLike(n) && ['user', 'assistant', 'system'].includes(n.text))) found = true;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function enclosingForOf(node: ts.Node): ts.ForOfStatement | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isForOfStatement(current)) return current;
    if (isFunctionNode(current)) return undefined;
  }
  return undefined;
}

/** `messages.map(m => ({ role: m.role === 'assistant' ? 'assistant' : 'user', content: m.content.slice(0, 4000) }))`. */
function boundsFromMapper(callback: ts.Expression | undefined, missing: Set<InputBound>): Set<InputBound> {
  if (!callback) return missing;
  const fn = unwrap(callback);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return missing;
  // `m.role === 'user' ? new HumanMessage(m.content) : new AIMessage(m.content)`: the server picks the message class.
  const constructed = returnExpressions(fn).map(unwrap);
  if (constructed.length > 0 && constructed.every(isMessageConstruction)) {
    const result = without(missing, 'roles');
    return constructed.every((e) => containsCall(e, TRUNCATING)) ? without(result, 'item-size') : result;
  }
  const returned = returnExpressions(fn).map(unwrap).find(ts.isObjectLiteralExpression);
  if (!returned) return missing;
  let result = new Set(missing);
  const role = propertyValue(objectProperty(returned, 'role'));
  if (role && isFixedChoice(role)) result = without(result, 'roles');
  const content = propertyValue(objectProperty(returned, 'content'));
  if (content && containsCall(content, TRUNCATING)) result = without(result, 'item-size');
  return result;
}

/** `slice(0, -1)` (all but the last), `slice(1)` (all but the first): a cut that leaves any length through. */
function dropsOnlyAFew(call: ts.CallExpression): boolean {
  const [start, end] = call.arguments.map(unwrap);
  if (isNegativeNumber(start)) return false;
  return end ? isNegativeNumber(end) : ts.isNumericLiteral(start);
}

function isNegativeNumber(e: ts.Expression | undefined): boolean {
  return !!e && ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand);
}

function isNegated(node: ts.Node): boolean {
  let parent = node.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAwaitExpression(parent))) parent = parent.parent;
  return !!parent && ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken;
}

function isMessageConstruction(expression: ts.Expression): boolean {
  const e = unwrap(expression);
  if (ts.isConditionalExpression(e)) return isMessageConstruction(e.whenTrue) && isMessageConstruction(e.whenFalse);
  return ts.isNewExpression(e);
}

function isFixedChoice(expression: ts.Expression): boolean {
  const e = unwrap(expression);
  if (ts.isStringLiteralLike(e)) return true;
  if (ts.isConditionalExpression(e)) return isFixedChoice(e.whenTrue) && isFixedChoice(e.whenFalse);
  return false;
}

function containsCall(node: ts.Node, names: Set<string>): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && names.has(calleeName(n) ?? '')) found = true;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/**
 * What a validator schema leaves unbounded at a field path: zod (`z.object`, `z.array(...).max()`,
 * `z.string().max()`, `z.enum`), and valibot's `pipe(string(), maxLength())` shape.
 */
function schemaMissing(schema: ts.Expression, fields: string[], semantics: Semantics, scope: ProtectionScope): Set<InputBound> {
  let node = schemaDefinition(schema, scope);
  for (const field of fields) {
    const object = node && objectShape(node, scope);
    const value = object && propertyValue(objectProperty(object, field));
    node = value ? schemaDefinition(value, scope) : undefined;
  }
  if (!node) return required(semantics);
  if (semantics === 'text') return isSizeBounded(node, scope) ? new Set() : new Set(['item-size']);
  const missing = new Set<InputBound>();
  if (!isCapped(node)) missing.add('array-length');
  const item = arrayItemOf(node);
  const itemNode = item ? schemaDefinition(item, scope) : undefined;
  const itemObject = itemNode && objectShape(itemNode, scope);
  if (itemObject) {
    // Every field but the role must be bounded: content, text, parts...
    const fields = itemObject.properties.filter((p) => propertyNameText(p.name) !== 'role');
    if (!fields.every((p) => isFieldBounded(propertyValue(p), scope, 0))) missing.add('item-size');
    const role = propertyValue(objectProperty(itemObject, 'role'));
    const roleNode = role ? schemaDefinition(role, scope) : undefined;
    if (roleNode && !callChain(roleNode).some((call) => ENUM_METHODS.has(calleeName(call) ?? ''))) missing.add('roles');
  } else if (!itemNode || !isSizeBounded(itemNode, scope)) {
    missing.add('item-size');
  }
  return missing;
}

function isFieldBounded(value: ts.Expression | undefined, scope: ProtectionScope, depth: number): boolean {
  const node = value && schemaDefinition(value, scope);
  return node !== undefined && isSizeBounded(node, scope, depth + 1);
}

const FIXED_SIZE_TYPES = new Set(['number', 'boolean', 'date', 'bigint', 'null', 'undefined', 'uuid', 'email', 'int', 'cuid', 'nanoid']);

/** Is every string and array inside this schema capped? Enums, literals, numbers are bounded by nature. */
function isSizeBounded(node: ts.Expression, scope: ProtectionScope, depth = 0): boolean {
  if (depth > 8) return false;
  const base = callChain(node).at(-1);
  const name = base ? calleeName(base) ?? '' : '';
  if (ENUM_METHODS.has(name) && name !== 'union') return true;
  if (FIXED_SIZE_TYPES.has(name)) return true;
  if (name === 'union' || name === 'discriminatedUnion') {
    const options = base!.arguments[name === 'union' ? 0 : 1];
    const list = options && unwrap(options);
    return !!list && ts.isArrayLiteralExpression(list) && list.elements.every((o) => isFieldBounded(o, scope, depth));
  }
  if (name === 'string') return isCapped(node);
  if (name === 'array') return isCapped(node) && isFieldBounded(arrayItemOf(node), scope, depth);
  const object = objectShape(node, scope);
  if (object) return object.properties.every((p) => isFieldBounded(propertyValue(p), scope, depth));
  return isCapped(node);
}

/** Follows identifiers to the schema expression they were built from. */
function schemaDefinition(expression: ts.Expression, scope: ProtectionScope): ts.Expression | undefined {
  return definitionOf(expression, scope.resolver);
}

/**
 * Calls of a chain, outermost first: `z.array(x).min(1).max(40)` → max, min, array. valibot's
 * `v.pipe(v.array(x), v.maxLength(40))` is a chain too: pipe, then its first schema's chain.
 */
function callChain(expression: ts.Expression): ts.CallExpression[] {
  const chain: ts.CallExpression[] = [];
  let e: ts.Expression = unwrap(expression);
  while (ts.isCallExpression(e)) {
    chain.push(e);
    const first = e.arguments[0] && unwrap(e.arguments[0]);
    if (calleeName(e) === 'pipe' && first && ts.isCallExpression(first)) {
      e = first;
      continue;
    }
    const callee = unwrap(e.expression);
    if (!ts.isPropertyAccessExpression(callee) || !ts.isCallExpression(unwrap(callee.expression))) break;
    e = unwrap(callee.expression);
  }
  return chain;
}

/**
 * A size cap anywhere on the chain: a method (`.max(40)`), a valibot pipe action (`v.maxLength(40)`), or an
 * action in the pipe array of older valibot (`v.array(x, [v.maxLength(40)])`).
 */
function isCapped(expression: ts.Expression): boolean {
  const isCapCall = (a: ts.Expression) => ts.isCallExpression(unwrap(a)) && CAP_METHODS.has(calleeName(unwrap(a) as ts.CallExpression) ?? '');
  return callChain(expression).some((call) => {
    const name = calleeName(call) ?? '';
    if (CAP_METHODS.has(name) && call.arguments.length > 0) return true;
    if (name === 'pipe' && call.arguments.some(isCapCall)) return true;
    return call.arguments.some((a) => ts.isArrayLiteralExpression(unwrap(a)) && (unwrap(a) as ts.ArrayLiteralExpression).elements.some(isCapCall));
  });
}

/** The item schema of an array schema: `z.array(item)`, `v.array(item)`, yup's `array().of(item)`. */
function arrayItemOf(node: ts.Expression): ts.Expression | undefined {
  const chain = callChain(node);
  const base = chain.at(-1);
  if (!base || calleeName(base) !== 'array') return undefined;
  return base.arguments[0] ?? chain.find((call) => calleeName(call) === 'of')?.arguments[0];
}

/** The object literal of a `z.object({...})` schema (also through `.extend({...})`, `.strict()`). */
function objectShape(expression: ts.Expression, scope: ProtectionScope): ts.ObjectLiteralExpression | undefined {
  for (const call of callChain(expression)) {
    const name = calleeName(call);
    if (name === 'object' || name === 'extend' || name === 'strictObject' || name === 'looseObject' || name === 'shape') {
      const argument = call.arguments[0] && unwrap(call.arguments[0]);
      if (argument && ts.isObjectLiteralExpression(argument)) return argument;
    }
    if (name === 'pipe') {
      const first = call.arguments[0] && schemaDefinition(call.arguments[0], scope);
      if (first) return objectShape(first, scope);
    }
  }
  return undefined;
}
