/**
 * What a variable is given after its declaration: later assignments (`chunks = await split(text)`) and items
 * appended to the array it holds (`history.push({ role: 'user', content })`), found in the scope it is visible in.
 */
import ts from '../typescript.cjs';
import { enclosingFunction, walk } from '../semantic/ast.js';
import type { Resolver } from '../semantic/resolve.js';

export interface Writes {
  assigned: ts.Expression[];
  appended: ts.Expression[];
  /** A module-level array appended to by functions and never emptied or cut: it grows with every call. */
  grows: boolean;
}

const APPENDING = new Set(['push', 'unshift']);
const REMOVING = new Set(['shift', 'pop', 'splice']);
const known = new WeakMap<ts.VariableDeclaration, Writes>();

export function writesTo(declaration: ts.VariableDeclaration, resolver: Resolver): Writes {
  let writes = known.get(declaration);
  if (!writes) known.set(declaration, (writes = findWrites(declaration, resolver)));
  return writes;
}

function findWrites(declaration: ts.VariableDeclaration, resolver: Resolver): Writes {
  const writes: Writes = { assigned: [], appended: [], grows: false };
  if (!ts.isIdentifier(declaration.name)) return writes;
  const name = declaration.name.text;
  const isVariable = (e: ts.Expression) => ts.isIdentifier(e) && e.text === name && resolver.declarationOf(e) === declaration;
  const owner = enclosingFunction(declaration);
  let appendedInFunction = false;
  let cut = false;
  walk(owner ?? declaration.getSourceFile(), (node) => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (isVariable(node.left)) writes.assigned.push(node.right);
      // `history.length = 0`
      if (ts.isPropertyAccessExpression(node.left) && node.left.name.text === 'length' && isVariable(node.left.expression)) cut = true;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && isVariable(node.expression.expression)) {
      const method = node.expression.name.text;
      if (APPENDING.has(method)) {
        writes.appended.push(...node.arguments);
        appendedInFunction ||= enclosingFunction(node) !== undefined;
      }
      if (REMOVING.has(method)) cut = true;
    }
  });
  writes.grows = !owner && appendedInFunction && !cut && writes.assigned.length === 0;
  return writes;
}
