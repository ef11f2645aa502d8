/** Reading validator schemas as written: the definition behind a name, and its chain of method calls. */
import ts from '../typescript.cjs';
import { unwrap } from '../semantic/ast.js';
import type { Resolver } from '../semantic/resolve.js';

/** Follows identifiers to the schema expression they were built from; undefined unless it is a call. */
export function schemaDefinition(expression: ts.Expression, resolver: Resolver): ts.CallExpression | undefined {
  let e: ts.Expression = unwrap(expression);
  for (let i = 0; i < 5 && ts.isIdentifier(e); i++) {
    const declaration = resolver.declarationOf(e);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    e = unwrap(declaration.initializer);
  }
  return ts.isCallExpression(e) ? e : undefined;
}

/** The calls of a method chain, outermost first: `z.array(x).min(1).max(40)` → max, min, array. */
export function methodChain(expression: ts.Expression): ts.CallExpression[] {
  const chain: ts.CallExpression[] = [];
  for (let e: ts.Expression = unwrap(expression); ts.isCallExpression(e); ) {
    chain.push(e);
    const callee = unwrap(e.expression);
    if (!ts.isPropertyAccessExpression(callee) || !ts.isCallExpression(unwrap(callee.expression))) break;
    e = unwrap(callee.expression);
  }
  return chain;
}
