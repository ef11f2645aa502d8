/**
 * Presence is not authentication. A guard that refuses only when a credential the client sends is missing
 * (`if (!req.headers.authorization) return 401`, `cookies.has('session')`, `if (!req.body.userId)`), or when an
 * unverified decode of it is empty (`jwt.decode(token)`), lets through any string: nothing is verified.
 * Anything else the condition reads (a comparison with a server-held secret, a session looked up with a
 * call, a user an auth middleware set) makes it a real check.
 */
import ts from '../typescript.cjs';
import type { AuthFact } from '../model.js';
import { locationOf, unwrap } from '../semantic/ast.js';
import { type Guard, isAuthGuard } from './checks.js';
import { requestOrigin } from './request.js';
import { type AccessPath, segmentSignature } from '../semantic/resolve.js';
import type { ProtectionScope } from './scope.js';

/** Request parts that carry a credential the client writes freely: their presence proves nothing. The URL path is no credential. */
const CLIENT_SENT = new Set(['body', 'query', 'params', 'header', 'cookie', 'credential']);

/** Tests that only ask whether a value is there: `x.startsWith('Bearer ')`, `cookies.has('sid')`, `x.length`. */
const PRESENCE_METHODS = new Set(['startsWith', 'has', 'get', 'trim']);

/** Auth guards on the route whose condition only tests that a client-sent credential is present. */
export function presenceOnlyAuth(scope: ProtectionScope): AuthFact[] {
  const facts: AuthFact[] = [];
  for (const guard of scope.guards) {
    const tested = isAuthGuard(guard) ? presenceTested(guard, scope) : undefined;
    if (!tested) continue;
    facts.push({
      kind: guard.region.origin === 'handler' ? 'handler-check' : guard.region.origin,
      description: `only checks that ${tested.map((o) => o.getText()).join(' / ')} is present: any value the client sends passes`,
      location: locationOf(scope.project, guard.node),
    });
  }
  return facts;
}

export function isPresenceOnly(guard: Guard, scope: ProtectionScope): boolean {
  return presenceTested(guard, scope) !== undefined;
}

/** The client-sent values the guard only tests for presence; undefined when it verifies anything. */
function presenceTested(guard: Guard, scope: ProtectionScope): ts.Expression[] | undefined {
  if (!guard.condition) return undefined;
  // A test of the URL path beside the credential test (`pathname.startsWith('/api') && !cookies.get('sid')`) routes, it does not verify.
  const operands = presenceOperands(guard.condition)?.filter((operand) => !isUrlValue(operand, guard, scope));
  const presenceOnly = !!operands?.length && operands.every((operand) => !fromProjectCall(operand, scope, 0) && fromClient(operand, guard, scope, 0));
  return presenceOnly ? operands : undefined;
}

function isUrlValue(operand: ts.Expression, guard: Guard, scope: ProtectionScope): boolean {
  return requestOrigin(scope.resolver.resolve(operand, guard.region.context), scope.requestParams)?.source === 'url';
}

/**
 * A value a project function returned (`const userId = await currentUserId()`): the function may verify what it
 * reads (a signature, a store lookup), so the test of its result is not a bare presence test.
 */
function fromProjectCall(expression: ts.Expression, scope: ProtectionScope, depth: number): boolean {
  if (depth > 4) return false;
  const e = unwrap(expression);
  if (ts.isCallExpression(e) && scope.resolver.resolveFunction(e.expression)) return true;
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return fromProjectCall(e.expression, scope, depth + 1);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) return fromProjectCall(e.expression.expression, scope, depth + 1);
  const initializer = ts.isIdentifier(e) ? initializerOf(e, scope) : undefined;
  return !!initializer && fromProjectCall(initializer, scope, depth + 1);
}

/** The value a local was declared with (the whole object for a destructured name). */
function initializerOf(identifier: ts.Identifier, scope: ProtectionScope): ts.Expression | undefined {
  let declaration: ts.Node | undefined = scope.resolver.declarationOf(identifier);
  while (declaration && ts.isBindingElement(declaration)) declaration = declaration.parent.parent;
  return declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
}

/**
 * The values a condition tests for presence, or undefined when it does more than that (a comparison with
 * another value, a call that verifies).
 */
function presenceOperands(condition: ts.Expression): ts.Expression[] | undefined {
  const e = unwrap(condition);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return presenceOperands(e.operand);
  if (ts.isBinaryExpression(e)) {
    const operator = e.operatorToken.kind;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken) {
      const left = presenceOperands(e.left);
      const right = presenceOperands(e.right);
      return left && right ? [...left, ...right] : undefined;
    }
    if (EQUALITY.has(operator)) {
      if (isEmptyValue(e.right)) return presenceOperands(e.left);
      if (isEmptyValue(e.left)) return presenceOperands(e.right);
    }
    return undefined;
  }
  if (ts.isTypeOfExpression(e)) return presenceOperands(e.expression);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && PRESENCE_METHODS.has(e.expression.name.text)) {
    // `authHeader.startsWith('Bearer ')` tests the header; `cookies.has('sid')` is itself the request value.
    return e.expression.name.text === 'startsWith' || e.expression.name.text === 'trim' ? presenceOperands(e.expression.expression) : [e];
  }
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'length') return presenceOperands(e.expression);
  return ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e) ? [e] : undefined;
}

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
]);

/** `null`, `undefined`, `''`, `'undefined'` (after typeof), `0`: comparing with them tests presence. */
function isEmptyValue(expression: ts.Expression): boolean {
  const e = unwrap(expression);
  if (e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(e) && e.text === 'undefined') return true;
  if (ts.isStringLiteralLike(e)) return e.text === '' || e.text === 'undefined';
  return ts.isNumericLiteral(e) && e.text === '0';
}

/** Global calls and string methods that decode or reshape a value without verifying it. */
const DECODING_CALLS = /^(JSON\.parse|atob|Buffer\.from|decodeURIComponent)$/;
const RESHAPING_METHODS = new Set(['toString', 'split', 'replace', 'trim', 'slice', 'substring', 'at', 'pop']);

/**
 * A value the client sends, or one read out of it without a signature check: `jwt.decode(token)`, or the payload
 * decoded by hand, `JSON.parse(Buffer.from(token.split('.')[1], 'base64').toString())`.
 */
function fromClient(expression: ts.Expression, guard: Guard, scope: ProtectionScope, depth: number): boolean {
  if (depth > 6) return false;
  const e = unwrap(expression);
  if (isClientValue(scope.resolver.resolve(e, guard.region.context), scope)) return true;
  const next = (x: ts.Expression) => fromClient(x, guard, scope, depth + 1);
  if (ts.isCallExpression(e)) {
    const callee = unwrap(e.expression);
    if (DECODING_CALLS.test(callee.getText())) return e.arguments.some(next);
    return ts.isPropertyAccessExpression(callee) && RESHAPING_METHODS.has(callee.name.text) && next(callee.expression);
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return next(e.expression);
  const initializer = ts.isIdentifier(e) ? initializerOf(e, scope) : undefined;
  return !!initializer && next(initializer);
}

/** A value the client sends, or an unverified decode of one. */
function isClientValue(path: AccessPath | undefined, scope: ProtectionScope): boolean {
  if (!path) return false;
  const origin = requestOrigin(path, scope.requestParams);
  if (origin) return CLIENT_SENT.has(origin.source);
  if (path.root.kind !== 'module') return false;
  const module = path.root.module;
  const signature = segmentSignature(path.segments);
  return scope.libraries.unverifiedDecoders.some((d) => d.module.test(module) && d.signature.test(signature));
}
