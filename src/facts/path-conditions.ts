/**
 * Layers that run for every route (Next.js middleware, app-wide hooks) often check only some paths:
 * `if (pathname.startsWith('/dashboard')) { ...redirect to login... }`. A check under a condition on the
 * request path counts for a route only when that condition holds for the route's path.
 */
import ts from '../typescript.cjs';
import { matcherToRegExp } from '../frameworks/nextjs-middleware.js';
import { calleeName, stringValue, unwrap } from '../semantic/ast.js';
import { type RequestParameters, requestOrigin } from './request.js';
import type { Resolver } from '../semantic/resolve.js';

/** What a condition is read with: the resolver, and which parameters carry the request. */
interface PathReading {
  resolver: Resolver;
  requestParams: RequestParameters;
}

/**
 * Where the code at `node`, inside the layer function `fn`, stands for a request to `routePath`: it `runs`, it is
 * `skipped` (a path condition excludes this route), or it sits under a condition on the request path the analysis
 * cannot evaluate (`if (gateFor(pathname))`), whose `condition` it returns.
 */
export type PathPlacement = { runs: true } | { runs: false; condition?: ts.Expression };

export function placementForPath(node: ts.Node, fn: ts.Node, routePath: string, reading: PathReading): PathPlacement {
  const path = routePath.replace(/:\w+\*?/g, 'x');
  let undecided: ts.Expression | undefined;
  const weigh = (condition: ts.Expression, excludesWhen: boolean): boolean => {
    const value = evaluate(condition, path, reading);
    if (value === excludesWhen) return true;
    // The outermost undecided condition names the gate best: `if (gate)` rather than what is computed under it.
    if (value === undefined && undecidedPathPart(condition, path, reading)) undecided = condition;
    return false;
  };
  for (let child: ts.Node = node, parent = node.parent; parent && child !== fn; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && child !== parent.expression) {
      if (child === parent.thenStatement && weigh(parent.expression, false)) return { runs: false };
      if (child === parent.elseStatement && weigh(parent.expression, true)) return { runs: false };
    }
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
      // An early exit before the check: `if (!pathname.startsWith('/app')) return NextResponse.next();`
      for (const statement of parent.statements) {
        if (statement === child) break;
        if (ts.isIfStatement(statement) && !statement.elseStatement && exits(statement.thenStatement) && weigh(statement.expression, true)) {
          return { runs: false };
        }
      }
    }
  }
  return undecided ? { runs: false, condition: undecided } : { runs: true };
}

/** Does the code at `node` run for a request to `routePath`, as far as the analysis can tell? */
export function runsForPath(node: ts.Node, fn: ts.Node, routePath: string, reading: PathReading): boolean {
  return placementForPath(node, fn, routePath, reading).runs;
}

/**
 * The part of a condition about the request path the analysis cannot evaluate for this route, if any: in
 * `pathname.startsWith('/api') && !user` every path part evaluates; in `gate && !token` (`gate` computed from
 * the path) `gate` does not.
 */
export function undecidedPathPart(condition: ts.Expression, routePath: string, reading: PathReading): ts.Expression | undefined {
  const path = routePath.replace(/:\w+\*?/g, 'x');
  const visit = (expression: ts.Expression, depth: number): ts.Expression | undefined => {
    const e = unwrap(expression);
    if (depth < 12 && ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return visit(e.operand, depth + 1);
    if (depth < 12 && ts.isBinaryExpression(e) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind)) {
      return visit(e.left, depth + 1) ?? visit(e.right, depth + 1);
    }
    return evaluate(e, path, reading) === undefined && dependsOnRequestPath(e, reading) ? e : undefined;
  };
  return visit(condition, 0);
}

/**
 * Does the condition read the request path, directly or through a local computed from it
 * (`const gate = gateForPath(url.pathname); if (gate)`)?
 */
function dependsOnRequestPath(condition: ts.Expression, reading: PathReading, depth = 0): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || depth > 3) return;
    if (ts.isExpression(node) && (ts.isPropertyAccessExpression(node) || ts.isIdentifier(node)) && readsRequestPath(node, reading)) {
      found = true;
      return;
    }
    if (ts.isIdentifier(node)) {
      const declaration = reading.resolver.declarationOf(node);
      const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.getSourceFile() === node.getSourceFile() ? declaration.initializer : undefined;
      if (initializer && dependsOnRequestPath(initializer, reading, depth + 1)) found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/** For a condition about the request path alone (`pathname.startsWith('/api/')`): does it hold for this route? */
export function pathConditionHolds(condition: ts.Expression, routePath: string, reading: PathReading): boolean | undefined {
  return evaluate(condition, routePath.replace(/:\w+\*?/g, 'x'), reading);
}

function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.some((s) => ts.isReturnStatement(s));
}

/** true / false when the condition depends only on the request path; undefined otherwise. */
function evaluate(expression: ts.Expression, path: string, reading: PathReading, depth = 0): boolean | undefined {
  if (depth > 10) return undefined;
  const e = unwrap(expression);
  const next = (x: ts.Expression) => evaluate(x, path, reading, depth + 1);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = next(e.operand);
    return inner === undefined ? undefined : !inner;
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      const [left, right] = [next(e.left), next(e.right)];
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) return left === false || right === false ? false : left && right ? true : undefined;
      return left === true || right === true ? true : left === false && right === false ? false : undefined;
    }
    if ([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(op)) {
      const literal = stringValue(e.right) ?? stringValue(e.left);
      const other = stringValue(e.right) !== undefined ? e.left : e.right;
      if (literal === undefined || !readsRequestPath(other, reading)) return undefined;
      const equal = path === literal || path === literal.replace(/\/$/, '');
      return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken ? equal : !equal;
    }
    return undefined;
  }
  if (ts.isCallExpression(e)) return evaluateCall(e, path, reading);
  // `const isApi = pathname.startsWith('/api/'); if (isApi)`
  const initializer = ts.isIdentifier(e) ? constInitializer(e, reading.resolver) : undefined;
  return initializer ? next(initializer) : undefined;
}

function constInitializer(identifier: ts.Identifier, resolver: Resolver): ts.Expression | undefined {
  const declaration = resolver.declarationOf(identifier);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const list = declaration.parent;
  return ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const ? declaration.initializer : undefined;
}

function evaluateCall(call: ts.CallExpression, path: string, reading: PathReading): boolean | undefined {
  const { resolver } = reading;
  const name = calleeName(call) ?? '';
  const callee = unwrap(call.expression);
  const receiver = ts.isPropertyAccessExpression(callee) ? unwrap(callee.expression) : undefined;
  const literal = stringValue(call.arguments[0]);
  // pathname.startsWith('/api'), url.includes('/admin')
  if (receiver && literal !== undefined && readsRequestPath(receiver, reading)) {
    if (name === 'startsWith') return path.startsWith(literal);
    if (name === 'endsWith') return path.endsWith(literal);
    if (name === 'includes') return path.includes(literal);
  }
  // /^\/api\//.test(pathname)
  if (receiver && ts.isRegularExpressionLiteral(receiver) && name === 'test' && call.arguments[0] && readsRequestPath(call.arguments[0], reading)) {
    const match = /^\/(.*)\/([a-z]*)$/.exec(receiver.text);
    try {
      return match ? new RegExp(match[1], match[2]).test(path) : undefined;
    } catch {
      return undefined;
    }
  }
  // ['/a', '/b'].includes(pathname), PUBLIC_PATHS.some((p) => pathname.startsWith(p))
  const list = receiver ? stringList(receiver, resolver) : undefined;
  if (list && name === 'includes' && call.arguments[0] && readsRequestPath(call.arguments[0], reading)) return list.includes(path);
  if (list && name === 'some' && call.arguments[0] && /startsWith/.test(call.arguments[0].getText())) return list.some((p) => path.startsWith(p));
  // Clerk's createRouteMatcher(['/dashboard(.*)']) called with the request.
  const patterns = routeMatcherPatterns(call, resolver);
  if (patterns) return patterns.some((p) => matcherToRegExp(p).test(path));
  return undefined;
}

/**
 * Whether a value is the path (or URL) the client asked for: a request part the request analysis classifies
 * as the URL (`request.nextUrl.pathname`, `req.path`, `c.req.path`), or a URL made from one (`new URL(req.url)`).
 */
function readsRequestPath(expression: ts.Expression, reading: PathReading, depth = 0): boolean {
  const path = reading.resolver.resolve(unwrap(expression));
  if (requestOrigin(path, reading.requestParams)?.source === 'url') return true;
  const made = path?.root.kind === 'local' ? path.root.node : undefined;
  const from = made && ts.isNewExpression(made) ? made.arguments?.[0] : undefined;
  return from !== undefined && depth < 4 && readsRequestPath(from, reading, depth + 1);
}

function stringList(expression: ts.Expression, resolver: Resolver): string[] | undefined {
  let e = unwrap(expression);
  if (ts.isIdentifier(e)) {
    const declaration = resolver.declarationOf(e);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    e = unwrap(declaration.initializer);
  }
  if (!ts.isArrayLiteralExpression(e)) return undefined;
  const values = e.elements.map((x) => stringValue(x as ts.Expression));
  return values.every((v) => v !== undefined) ? (values as string[]) : undefined;
}

/** `const isProtected = createRouteMatcher(['/dashboard(.*)', '/api/(.*)'])` → its patterns. */
function routeMatcherPatterns(call: ts.CallExpression, resolver: Resolver): string[] | undefined {
  const callee = unwrap(call.expression);
  if (!ts.isIdentifier(callee)) return undefined;
  const declaration = resolver.declarationOf(callee);
  const init = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? unwrap(declaration.initializer) : undefined;
  if (!init || !ts.isCallExpression(init) || calleeName(init) !== 'createRouteMatcher' || !init.arguments[0]) return undefined;
  const argument = unwrap(init.arguments[0]);
  const list = ts.isArrayLiteralExpression(argument) ? stringList(argument, resolver) : stringValue(argument) !== undefined ? [stringValue(argument)!] : undefined;
  return list;
}

