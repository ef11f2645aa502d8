/** Static numeric values: literals, consts and simple arithmetic (`60 * 1000`), never evaluated code. */
import ts from '../typescript.cjs';
import { unwrap } from '../semantic/ast.js';
import type { Resolver } from '../semantic/resolve.js';

export function numericValue(expression: ts.Expression | undefined, resolver: Resolver, depth = 0): number | undefined {
  if (!expression || depth > 8) return undefined;
  const e = unwrap(expression);
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) {
    const value = numericValue(e.operand, resolver, depth + 1);
    return value === undefined ? undefined : -value;
  }
  if (ts.isBinaryExpression(e)) {
    const left = numericValue(e.left, resolver, depth + 1);
    const right = numericValue(e.right, resolver, depth + 1);
    if (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken) return left ?? right;
    if (left === undefined || right === undefined) return undefined;
    switch (e.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken:
        return left * right;
      case ts.SyntaxKind.PlusToken:
        return left + right;
      case ts.SyntaxKind.MinusToken:
        return left - right;
      case ts.SyntaxKind.SlashToken:
        return right === 0 ? undefined : left / right;
      default:
        return undefined;
    }
  }
  // Number(process.env.CAP ?? '20'): the fallback the code states.
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && ['Number', 'parseInt', 'parseFloat'].includes(e.expression.text)) {
    const argument = e.arguments[0] && unwrap(e.arguments[0]);
    if (argument && ts.isStringLiteralLike(argument)) return Number(argument.text) || undefined;
    if (argument && ts.isBinaryExpression(argument)) {
      const fallback = unwrap(argument.right);
      if (ts.isStringLiteralLike(fallback)) return Number(fallback.text) || undefined;
      return numericValue(fallback, resolver, depth + 1);
    }
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const declaration = resolver.declarationOf(e);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return numericValue(declaration.initializer, resolver, depth + 1);
  }
  return undefined;
}
