/** Small helpers over TypeScript's AST, shared by frameworks, providers and analyses. */
import ts from '../typescript.cjs';
import type { SourceLocation } from '../model.js';
import type { ParsedProject } from '../parse/program.js';

export type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration;

/** A table by kind (the analyses ask this of most nodes they visit). */
export function isFunctionNode(node: ts.Node): node is FunctionNode {
  return FUNCTION_KINDS[node.kind] === 1;
}

/** A lookup table over syntax kinds, for predicates asked millions of times a scan. */
export function kindTable(kinds: readonly ts.SyntaxKind[]): Uint8Array {
  const table = new Uint8Array(ts.SyntaxKind.Count);
  for (const kind of kinds) table[kind] = 1;
  return table;
}

const FUNCTION_KINDS = kindTable([ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.MethodDeclaration]);

export function locationOf(project: ParsedProject, node: ts.Node): SourceLocation {
  const sourceFile = node.getSourceFile();
  const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  const end = sourceFile.getLineAndCharacterOfPosition(node.getEnd());
  return {
    file: project.relative(sourceFile.fileName),
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
  };
}

/** Strips parentheses, `await`, type assertions and non-null assertions. */
export function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (WRAPPER_KINDS[current.kind] === 1) current = (current as WrapperExpression).expression;
  return current;
}

type WrapperExpression = ts.ParenthesizedExpression | ts.AwaitExpression | ts.NonNullExpression | ts.AsExpression | ts.TypeAssertion | ts.SatisfiesExpression;

const WRAPPER_KINDS = kindTable([
  ts.SyntaxKind.ParenthesizedExpression,
  ts.SyntaxKind.AwaitExpression,
  ts.SyntaxKind.NonNullExpression,
  ts.SyntaxKind.AsExpression,
  ts.SyntaxKind.TypeAssertionExpression,
  ts.SyntaxKind.SatisfiesExpression,
]);

/** The name of a property name node when it is static. */
export function propertyNameText(name: ts.PropertyName | ts.MemberName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/** A property of an object literal by name (not spread). */
export function objectProperty(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((p) => !ts.isSpreadAssignment(p) && propertyNameText(p.name) === name);
}

/** `a.b.c`: the expression the chain starts from (`a`) and the member names read on it (`['b', 'c']`). */
export function accessChain(expression: ts.Expression): { root: ts.Expression; names: string[] } {
  const names: string[] = [];
  let current = unwrap(expression);
  while (ts.isPropertyAccessExpression(current)) {
    names.unshift(current.name.text);
    current = unwrap(current.expression);
  }
  return { root: current, names };
}

/** The value expression of an object literal property (`a: x` → x, shorthand `a` → the identifier). */
export function propertyValue(property: ts.ObjectLiteralElementLike | undefined): ts.Expression | undefined {
  if (!property) return undefined;
  if (ts.isPropertyAssignment(property)) return property.initializer;
  if (ts.isShorthandPropertyAssignment(property)) return property.name;
  return undefined;
}

/** The static text of a string-ish expression: literals and templates without substitutions. */
export function stringValue(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const e = unwrap(expression);
  if (ts.isStringLiteralLike(e)) return e.text;
  return undefined;
}

/** Visits every descendant, depth first, without entering nodes for which `enter` returns false. */
export function walk(node: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  const recurse = (child: ts.Node): void => {
    if (visit(child) === false) return;
    ts.forEachChild(child, recurse);
  };
  ts.forEachChild(node, recurse);
}

const callsInFile = new WeakMap<ts.SourceFile, ts.CallExpression[]>();

/** Every call in a file, in source order; listed once, since each framework looks through the route files. */
export function callsIn(sourceFile: ts.SourceFile): readonly ts.CallExpression[] {
  let calls = callsInFile.get(sourceFile);
  if (!calls) {
    const found: ts.CallExpression[] = [];
    walk(sourceFile, (node) => {
      if (ts.isCallExpression(node)) found.push(node);
    });
    callsInFile.set(sourceFile, (calls = found));
  }
  return calls;
}

/** The function whose body contains a node (not counting the node itself). */
export function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  let current = node.parent;
  while (current) {
    if (isFunctionNode(current)) return current;
    current = current.parent;
  }
  return undefined;
}

/** The catch clause of the nearest `try` whose try block holds the node, in the function holding it. */
export function enclosingCatch(node: ts.Node): ts.CatchClause | undefined {
  for (let child = node; child.parent && !isFunctionNode(child); child = child.parent) {
    const parent = child.parent;
    if (ts.isTryStatement(parent) && parent.tryBlock === child && parent.catchClause) return parent.catchClause;
  }
  return undefined;
}

/** The callee's last name: `a.b.c()` → `c`, `f()` → `f`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee)) return stringValue(callee.argumentExpression);
  return undefined;
}

/** Words of an identifier, lower-case: `getRemainingCredits` → get, remaining, credits. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}
