/**
 * Helpers for frameworks whose routes are module exports: file-system routers (SvelteKit, Nuxt, Remix, Astro),
 * function platforms (Lambda, Vercel, Netlify, Cloudflare) and server actions.
 */
import ts from '../typescript.cjs';
import { isFunctionNode, objectProperty, propertyValue, stringValue, unwrap, walk } from '../semantic/ast.js';
import { segmentSignature } from '../semantic/resolve.js';
import { handlerChain } from './nextjs-app.js';
import type { FrameworkContext, RouteLink } from './types.js';

export interface ModuleExport {
  name: string;
  /** The exported function or expression. */
  value: ts.Expression;
  /** The exporting statement: where route-level findings point. */
  anchor: ts.Node;
}

/**
 * Every value a module exports: `export function f`, `export const f = ...`, `export { f as g }`,
 * `export default ...`, and CommonJS `exports.f = ...` / `module.exports = { f }`.
 */
export function moduleExports(sourceFile: ts.SourceFile): ModuleExport[] {
  const found: ModuleExport[] = [];
  const locals = new Map<string, ts.Node>();
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) locals.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer) locals.set(d.name.text, d);
    }
  }
  for (const statement of sourceFile.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : [];
    const exported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (exported && ts.isFunctionDeclaration(statement)) {
      const name = isDefault ? 'default' : statement.name?.text;
      if (name) found.push({ name, value: statement as unknown as ts.Expression, anchor: statement });
    } else if (exported && ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer) found.push({ name: d.name.text, value: d.initializer, anchor: statement });
      }
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
      found.push({ name: 'default', value: statement.expression, anchor: statement });
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const specifier of statement.exportClause.elements) {
        const local = locals.get((specifier.propertyName ?? specifier.name).text);
        const value = local && (ts.isVariableDeclaration(local) ? local.initializer : (local as ts.Expression));
        if (value) found.push({ name: specifier.name.text, value, anchor: local && ts.isVariableDeclaration(local) ? local.parent.parent : local! });
      }
    } else if (ts.isExpressionStatement(statement)) {
      found.push(...commonJsExports(statement));
    }
  }
  return found;
}

/** `exports.handler = fn`, `module.exports.handler = fn`, `module.exports = { handler }`, `module.exports = fn`. */
function commonJsExports(statement: ts.ExpressionStatement): ModuleExport[] {
  const e = statement.expression;
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return [];
  const target = e.left.getText().replace(/\s/g, '');
  const named = /^(?:module\.)?exports\.(\w+)$/.exec(target);
  if (named) return [{ name: named[1], value: e.right, anchor: statement }];
  if (target !== 'module.exports') return [];
  const value = unwrap(e.right);
  if (!ts.isObjectLiteralExpression(value)) return [{ name: 'default', value: e.right, anchor: statement }];
  return value.properties.flatMap((p) => {
    const v = propertyValue(p) ?? (ts.isMethodDeclaration(p) ? (p as unknown as ts.Expression) : undefined);
    return v && p.name && ts.isIdentifier(p.name) ? [{ name: p.name.text, value: v, anchor: statement }] : [];
  });
}

export function exportNamed(sourceFile: ts.SourceFile, name: string): ModuleExport | undefined {
  return moduleExports(sourceFile).find((e) => e.name === name);
}

/** Library calls that only declare a handler: `defineEventHandler(fn)`, `onRequest(opts, fn)`, `defineMiddleware(fn)`. */
export interface Definer {
  module: RegExp;
  /** Member-and-call signature of the callee after the module, e.g. `defineEventHandler`, `https.onRequest`. */
  signature: RegExp;
}

/**
 * The chain of an exported handler value: library definers are looked through (they add no protection of
 * their own), project wrappers (`withAuth(fn)`) become links, the innermost function the handler.
 */
export function definedHandlerChain(value: ts.Expression, context: FrameworkContext, definers: readonly Definer[]): RouteLink[] {
  let current = unwrap(value);
  for (let i = 0; i < 5; i++) {
    const inner = definedFunction(current, context, definers);
    if (!inner) break;
    current = inner;
  }
  return handlerChain(current, context);
}

/** The function a definer call declares, when `expression` is such a call. */
export function definedFunction(expression: ts.Expression, context: FrameworkContext, definers: readonly Definer[]): ts.Expression | undefined {
  const e = initializerOf(expression, context);
  if (!ts.isCallExpression(e) || !isDefinerCall(e, context, definers)) return undefined;
  for (const argument of [...e.arguments].reverse()) {
    const a = unwrap(argument);
    if (isFunctionNode(a) || context.resolver.resolveFunction(a)) return a;
    // defineEventHandler({ handler, onRequest }) and Bun.serve({ fetch })
    if (ts.isObjectLiteralExpression(a)) {
      const handler = propertyValue(objectProperty(a, 'handler'));
      if (handler) return handler;
    }
  }
  return undefined;
}

/** `name` declared as `const name = <call>` (in this or another project file): the call; else the expression. */
export function initializerOf(expression: ts.Expression, context: FrameworkContext): ts.Expression {
  let e = unwrap(expression);
  for (let i = 0; i < 4 && ts.isIdentifier(e); i++) {
    const declaration = context.resolver.declarationOf(e);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isIdentifier(declaration.name)) break;
    const initializer = unwrap(declaration.initializer);
    if (!ts.isCallExpression(initializer) && !ts.isIdentifier(initializer)) break;
    e = initializer;
  }
  return e;
}

export function isDefinerCall(call: ts.CallExpression, context: FrameworkContext, definers: readonly Definer[]): boolean {
  const path = context.resolver.resolve(call.expression);
  if (path?.root.kind !== 'module') return false;
  const module = path.root.module;
  const signature = segmentSignature(path.segments).replace(/^default\.?/, '');
  return definers.some((d) => d.module.test(module) && d.signature.test(signature));
}

/** The statement that declares a function: where route-level findings point. */
export function declarationAnchor(fn: ts.Node): ts.Node {
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent)) return fn.parent.parent.parent;
  return fn;
}

/**
 * A file-system route segment in bracket syntax (SvelteKit, Astro, Nuxt, Cloudflare Pages): `[id]` → `:id`,
 * `[id=int]` → `:id`, `[...rest]` → `:rest*`, `[[lang]]` → `:lang?` (SvelteKit) or `:lang*` (Cloudflare).
 */
export function bracketSegment(segment: string, doubleBrackets: 'optional' | 'catch-all' = 'optional'): string {
  return segment.replace(/\[\[(\.\.\.)?(\w+)(?:=\w+)?\]\]|\[(\.\.\.)?(\w+)(?:=\w+)?\]/g, (_m, optSpread, optName, spread, name) => {
    if (optName) return optSpread || doubleBrackets === 'catch-all' ? `:${optName}*` : `:${optName}?`;
    return spread ? `:${name}*` : `:${name}`;
  });
}

/** `/api` + `chat/index` → `/api/chat`. */
export function joinRoute(...parts: string[]): string {
  const segments = parts.flatMap((p) => p.split('/')).filter(Boolean);
  if (segments[segments.length - 1] === 'index') segments.pop();
  return '/' + segments.join('/');
}

/**
 * A handler that refuses every method but one (`if (req.method !== 'POST') return 405`) serves that one.
 * `methodProperties` names the request's method field (`method`, Lambda's `httpMethod`).
 */
export function singleMethod(fn: ts.Node, methodProperties: readonly string[] = ['method']): string {
  const methods = new Set<string>();
  walk(fn, (node) => {
    if (!ts.isBinaryExpression(node)) return;
    const op = node.operatorToken.kind;
    if (op !== ts.SyntaxKind.ExclamationEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsEqualsToken) return;
    const [left, right] = [unwrap(node.left), unwrap(node.right)];
    const isMethod = (e: ts.Expression) => ts.isPropertyAccessExpression(e) && methodProperties.includes(e.name.text);
    const literal = isMethod(left) ? stringValue(right) : isMethod(right) ? stringValue(left) : undefined;
    if (literal) methods.add(literal.toUpperCase());
  });
  return methods.size === 1 ? [...methods][0] : 'ALL';
}

/** Text of an exported entry point whose name matches `names` (a regular-expression source): `export async function POST`. */
export function exportsEntry(names: string): RegExp {
  return new RegExp(`export\\s+(?:async\\s+)?(?:function|const|let)\\s+(?:${names})\\b`);
}
