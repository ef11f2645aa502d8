/**
 * Limiters that never limit, and limiters that limit only under an environment variable. A limiter registered
 * or called only when `NODE_ENV === 'test'` (or `!== 'production'`) never runs in production; one under
 * `if (process.env.UPSTASH_REDIS_REST_URL)` runs only where that variable is set: it counts, and the
 * inventory says it is conditional. Options can switch a limiter off too: `skip: () => true`, a limit of
 * `Infinity`, or `max: 0` where the library reads 0 as "no limit" (express-rate-limit before v7).
 */
import ts from '../typescript.cjs';
import { isFunctionNode, objectProperty, propertyValue, unwrap } from '../semantic/ast.js';
import { refusalOf } from './checks.js';
import type { Resolver } from '../semantic/resolve.js';
import { returnExpressions } from '../semantic/resolve.js';

/** `never`: does not run in production; `conditional`: runs only when the condition (its text) holds. */
export type EnvGate = { kind: 'never' } | { kind: 'conditional'; condition: string } | undefined;

/** The environment conditions that decide whether `node` runs, from its statement up to its function. */
export function envGate(node: ts.Node, resolver: Resolver): EnvGate {
  let gate: EnvGate;
  for (const { condition, holds } of conditionsAround(node)) {
    const next = judge(condition, holds, resolver);
    if (next?.kind === 'never') return next;
    gate ??= next;
  }
  return gate;
}

/** Combines the gates of a limiter's creation and its registration. */
export function strictest(...gates: EnvGate[]): EnvGate {
  return gates.find((g) => g?.kind === 'never') ?? gates.find((g) => g?.kind === 'conditional');
}

interface Applied {
  condition: ts.Expression;
  /** Whether the condition is true (or false) where the node runs. */
  holds: boolean;
}

function conditionsAround(node: ts.Node): Applied[] {
  const applied: Applied[] = [];
  for (let current = node; current.parent && !isFunctionNode(current); current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.expression !== current) applied.push({ condition: parent.expression, holds: parent.thenStatement === current });
    if (ts.isConditionalExpression(parent) && parent.condition !== current) applied.push({ condition: parent.condition, holds: parent.whenTrue === current });
    if (ts.isBinaryExpression(parent) && parent.right === current && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) applied.push({ condition: parent.left, holds: true });
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) applied.push(...earlyExits(parent.statements, current));
  }
  return applied;
}

/**
 * `if (!process.env.UPSTASH_URL) return next();` before the node: past it, the condition is false. Only an exit
 * that passes the request on counts: any other return before the limiter skips the paid call too.
 */
function earlyExits(statements: ts.NodeArray<ts.Statement>, current: ts.Node): Applied[] {
  const applied: Applied[] = [];
  for (const statement of statements) {
    if (statement === current) break;
    if (!ts.isIfStatement(statement) || statement.elseStatement || !exits(statement.thenStatement) || refusalOf(statement.thenStatement)) continue;
    applied.push({ condition: statement.expression, holds: false });
  }
  return applied;
}

function exits(statement: ts.Statement): boolean {
  if (ts.isBlock(statement)) return statement.statements.some(exits);
  if (!ts.isReturnStatement(statement) || !statement.expression) return false;
  const returned = unwrap(statement.expression);
  return ts.isCallExpression(returned) && ts.isIdentifier(returned.expression) && returned.expression.text === 'next';
}

/** What an applied condition means for production: never true there, or dependent on a variable. */
function judge(condition: ts.Expression, holds: boolean, resolver: Resolver): EnvGate {
  if (!readsEnv(condition, resolver, 0)) return undefined;
  const value = inProduction(condition, resolver);
  if (value !== undefined && value !== holds) return { kind: 'never' };
  if (value === holds && !readsOtherEnv(condition)) return undefined;
  return { kind: 'conditional', condition: holds ? condition.getText() : negated(condition) };
}

function negated(condition: ts.Expression): string {
  const e = unwrap(condition);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return e.operand.getText();
  return `!(${condition.getText()})`;
}

const ENV_READ = /\b(process\.env|import\.meta\.env|Deno\.env|Bun\.env)\b|\benv\.[A-Z_][A-Z0-9_]*\b/;

/** Does the condition read an environment variable, directly or through a constant computed from one? */
function readsEnv(expression: ts.Node, resolver: Resolver, depth: number): boolean {
  if (ENV_READ.test(expression.getText())) return true;
  if (depth >= 2) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const initializer = ts.isIdentifier(node) ? initializerOf(node, resolver) : undefined;
    if (initializer && readsEnv(initializer, resolver, depth + 1)) found = true;
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

/** The value a name was declared with, through `export default name`. */
function initializerOf(identifier: ts.Identifier, resolver: Resolver): ts.Expression | undefined {
  let declaration = resolver.declarationOf(identifier);
  if (declaration && ts.isExportAssignment(declaration) && ts.isIdentifier(declaration.expression)) declaration = resolver.declarationOf(declaration.expression);
  return declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
}

function readsOtherEnv(condition: ts.Expression): boolean {
  return ENV_READ.test(condition.getText().replace(/\b(process\.env|import\.meta\.env)\.NODE_ENV\b/g, ''));
}

/** The condition's value with `NODE_ENV=production` and nothing else known; undefined when it depends on more. */
function inProduction(expression: ts.Expression, resolver: Resolver): boolean | undefined {
  const e = unwrap(expression);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = inProduction(e.operand, resolver);
    return inner === undefined ? undefined : !inner;
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      const left = inProduction(e.left, resolver);
      const right = inProduction(e.right, resolver);
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) return left === false || right === false ? false : left && right ? true : undefined;
      return left === true || right === true ? true : left === false && right === false ? false : undefined;
    }
    const equal = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const unequal = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    const literal = isNodeEnv(e.left) ? e.right : isNodeEnv(e.right) ? e.left : undefined;
    if ((equal || unequal) && literal && ts.isStringLiteralLike(unwrap(literal))) {
      const same = (unwrap(literal) as ts.StringLiteralLike).text === 'production';
      return equal ? same : !same;
    }
    return undefined;
  }
  if (isNodeEnv(e)) return true;
  if (ts.isIdentifier(e)) {
    const declaration = resolver.declarationOf(e);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isVariableDeclarationList(declaration.parent) && declaration.parent.flags & ts.NodeFlags.Const) {
      return inProduction(declaration.initializer, resolver);
    }
  }
  return undefined;
}

function isNodeEnv(expression: ts.Expression): boolean {
  return /^(process\.env|import\.meta\.env)\.NODE_ENV$/.test(unwrap(expression).getText());
}

/** Options that switch a limiter off: `skip: () => true` (or true in production), a limit of Infinity, `max: 0` where 0 means no limit. */
export function disabledByOptions(options: ts.ObjectLiteralExpression[], zeroMeansUnlimited: boolean, resolver: Resolver): string | undefined {
  for (const object of options) {
    const skip = propertyValue(objectProperty(object, 'skip'));
    if (skip && skipsAlways(skip, resolver)) return `skip: ${skip.getText()}`;
    for (const name of ['max', 'limit', 'points']) {
      const value = propertyValue(objectProperty(object, name));
      if (!value) continue;
      const text = unwrap(value).getText();
      if (/^(Infinity|Number\.POSITIVE_INFINITY|Number\.MAX_SAFE_INTEGER|Number\.MAX_VALUE)$/.test(text)) return `${name}: ${text}`;
      if (zeroMeansUnlimited && text === '0') return `${name}: 0`;
    }
  }
  return undefined;
}

function skipsAlways(value: ts.Expression, resolver: Resolver): boolean {
  const fn = resolver.resolveFunction(value);
  const returned = fn ? returnExpressions(fn.fn) : [unwrap(value)];
  return returned.length > 0 && returned.every((r) => unwrap(r).kind === ts.SyntaxKind.TrueKeyword || inProduction(r, resolver) === true);
}
