/**
 * Spend-cap facts: a check of credits, quota, spend or budget against a ceiling that refuses before the call,
 * and whether it fails closed. It fails open when an error in the check lets the paid call go ahead: a catch
 * that swallows and continues, a `.catch(() => 0)` default that passes, a helper whose catch returns "fine".
 * Reading a counter that does not exist yet as 0 is not failing open: only error paths are.
 */
import ts from '../typescript.cjs';
import type { Evidence, SpendCapFact } from '../model.js';
import { calleeName, enclosingCatch, identifierWords, isFunctionNode, locationOf, propertyNameText, propertyValue, unwrap, walk } from '../semantic/ast.js';
import { numericValue } from './numbers.js';
import { type Guard, type Region, isSpendGuard } from './checks.js';
import { requestOrigin } from './request.js';
import { returnExpressions } from '../semantic/resolve.js';
import type { ProtectionScope } from './scope.js';

export function spendCapFacts(scope: ProtectionScope): SpendCapFact[] {
  return scope.guards.filter((guard) => isSpendGuard(guard) && !clientSetsCeiling(guard, scope)).map((guard) => ({
    description: `${guard.refusal === 'throw' ? 'throws' : `refuses${guard.statuses.length ? ` with ${guard.statuses.join('/')}` : ''}`} when the spend or credit ceiling is reached`,
    location: locationOf(scope.project, guard.node),
  }));
}

/** Names of a balance or a ceiling: read from the request, the client sets it. */
const CEILING_NAMES = /credit|quota|budget|balance|allowance|remaining/i;
const CLIENT_SENT = new Set(['body', 'query', 'params', 'header', 'cookie', 'url']);

/**
 * A credit or quota the request carries (`req.body.credits`, a header, a cookie) is not a cap: the client sends
 * whatever passes. A cap reads server-side state.
 */
function clientSetsCeiling(guard: Guard, scope: ProtectionScope): boolean {
  if (!guard.condition) return false;
  const values: ts.Expression[] = [];
  const collect = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) {
      values.push(node as ts.Expression);
      return;
    }
    ts.forEachChild(node, collect);
  };
  collect(guard.condition);
  const sent = values.map((value) => ({ value, origin: clientOrigin(value, guard, scope, 0) }));
  if (sent.some(({ origin }) => origin && CEILING_NAMES.test(origin))) return true;
  return sent.length > 0 && sent.every(({ origin }) => origin !== undefined);
}

/** The request key a value is read from, through locals and number conversions, when the client sends it. */
function clientOrigin(expression: ts.Expression, guard: Guard, scope: ProtectionScope, depth: number): string | undefined {
  const e = unwrap(expression);
  if (depth > 3) return undefined;
  if (ts.isCallExpression(e) && ['Number', 'parseInt', 'parseFloat'].includes(calleeName(e) ?? '') && e.arguments[0]) return clientOrigin(e.arguments[0], guard, scope, depth + 1);
  const origin = requestOrigin(scope.resolver.resolve(e, guard.region.context), scope.requestParams);
  if (origin) return CLIENT_SENT.has(origin.source) ? origin.key : undefined;
  const declaration = ts.isIdentifier(e) ? scope.resolver.declarationOf(e) : undefined;
  const initializer = declaration && initializerOf(declaration);
  return initializer ? clientOrigin(initializer, guard, scope, depth + 1) : undefined;
}

export function failOpenSpendCapFacts(scope: ProtectionScope): Evidence[] {
  const facts: Evidence[] = [];
  const seen = new Set<ts.Node>();
  const add = (node: ts.Node, description: string) => {
    if (seen.has(node)) return;
    seen.add(node);
    facts.push({ description, location: locationOf(scope.project, node) });
  };
  for (const guard of scope.guards.filter(isSpendGuard)) {
    for (const { node, region } of checkSites(guard, scope)) {
      const swallowing = swallowingCatch(node, region, guard);
      if (swallowing) add(swallowing, 'the spend check is inside a try whose catch lets the request continue to the paid call');
    }
    if (guard.condition) {
      const fallback = errorFallback(guard.condition, scope);
      if (fallback) add(fallback, 'an error reading the spend counter turns into a value that passes the check');
      const swallowedRead = swallowedAssignment(guard.condition, scope);
      if (swallowedRead) add(swallowedRead, 'the spend counter is read in a try whose catch keeps its passing default');
    }
  }
  return facts;
}

/** The guard itself and, when it sits in a helper, the call to that helper in its caller's region. */
function checkSites(guard: Guard, scope: ProtectionScope): { node: ts.Node; region: Region | undefined }[] {
  const sites: { node: ts.Node; region: Region | undefined }[] = [{ node: guard.node, region: guard.region }];
  const call = guard.region.site ? undefined : guard.region.context.call;
  if (call) sites.push({ node: call, region: scope.regions.find((r) => r.site && within(call, r.fn)) });
  return sites;
}

/**
 * A try around the check whose catch does not stop the request. When the paid call itself is inside the same
 * try block, an error skips it: that is closed.
 */
function swallowingCatch(node: ts.Node, region: Region | undefined, guard: Guard): ts.CatchClause | undefined {
  const clause = enclosingCatch(node);
  if (!clause) return undefined;
  const site = region?.site;
  if (site && within(site, clause.parent.tryBlock)) return undefined;
  if (alwaysExits(clause.block, guard.refusal === 'throw' && !site ? 'throw' : 'any')) return undefined;
  return clause;
}

function within(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && node.pos >= container.pos && node.end <= container.end;
}

/** Does every path through the block return or throw (or, for assert-style helpers, throw)? */
function alwaysExits(block: ts.Block, how: 'any' | 'throw'): boolean {
  return block.statements.some((statement) => statementExits(statement, how));
}

function statementExits(statement: ts.Statement, how: 'any' | 'throw'): boolean {
  if (ts.isThrowStatement(statement)) return true;
  if (ts.isReturnStatement(statement)) return how === 'any';
  if (ts.isBlock(statement)) return alwaysExits(statement, how);
  if (ts.isIfStatement(statement)) {
    return !!statement.elseStatement && statementExits(statement.thenStatement, how) && statementExits(statement.elseStatement, how);
  }
  return false;
}

/** `(await getSpend(id).catch(() => 0))`, or a helper whose catch returns 0 / true / null. */
function errorFallback(condition: ts.Expression, scope: ProtectionScope): ts.Node | undefined {
  let found: ts.Node | undefined;
  const inspect = (expression: ts.Expression, depth: number): void => {
    if (found || depth > 3) return;
    const e = unwrap(expression);
    if (ts.isCallExpression(e)) {
      if (calleeName(e) === 'catch' && e.arguments[0] && passingDefault(e.arguments[0])) {
        found = e;
        return;
      }
      const fn = scope.resolver.resolveFunction(e.expression);
      if (fn?.fn.body && ts.isBlock(fn.fn.body)) {
        const catchClause = findCatchReturningPass(fn.fn.body);
        if (catchClause) {
          found = catchClause;
          return;
        }
      }
      const callee = unwrap(e.expression);
      if (ts.isPropertyAccessExpression(callee)) inspect(callee.expression, depth + 1);
      for (const argument of e.arguments) inspect(argument, depth + 1);
    } else if (ts.isIdentifier(e)) {
      const declaration = scope.resolver.declarationOf(e);
      const initializer = declaration && initializerOf(declaration);
      if (initializer) inspect(initializer, depth + 1);
    } else {
      ts.forEachChild(e, (child) => {
        if (ts.isExpression(child)) inspect(child, depth + 1);
      });
    }
  };
  inspect(condition, 0);
  return found;
}

/**
 * `let spent = 0; try { spent = await getSpend(id) } catch (e) { log(e) }` then `if (spent > cap) ...`: when the
 * read fails the variable keeps its initial value and the check passes.
 */
function swallowedAssignment(condition: ts.Expression, scope: ProtectionScope): ts.CatchClause | undefined {
  let found: ts.CatchClause | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node)) {
      const declaration = scope.resolver.declarationOf(node);
      if (declaration && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && declaration.initializer && isPassingValue(declaration.initializer)) {
        found = catchKeepingDefault(declaration, scope);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

function catchKeepingDefault(declaration: ts.VariableDeclaration, scope: ProtectionScope): ts.CatchClause | undefined {
  const scopeNode = declaration.parent.parent.parent;
  let found: ts.CatchClause | undefined;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionNode(node)) return;
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(node.left) &&
      scope.resolver.declarationOf(node.left) === declaration
    ) {
      const tryStatement = ts.findAncestor(node, (n) => ts.isTryStatement(n) || isFunctionNode(n));
      if (tryStatement && ts.isTryStatement(tryStatement) && tryStatement.catchClause && within(node, tryStatement.tryBlock)) {
        if (!alwaysExits(tryStatement.catchClause.block, 'any') && !assigns(tryStatement.catchClause.block, declaration, scope)) found = tryStatement.catchClause;
      }
    }
    ts.forEachChild(node, visit);
  };
  if (scopeNode) ts.forEachChild(scopeNode, visit);
  return found;
}

/** Does the block give the variable a blocking value (`spent = Infinity`)? */
function assigns(block: ts.Block, declaration: ts.VariableDeclaration, scope: ProtectionScope): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && scope.resolver.declarationOf(node.left) === declaration) {
      found = !isPassingValue(node.right);
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

function initializerOf(declaration: ts.Node): ts.Expression | undefined {
  let node: ts.Node = declaration;
  while (ts.isBindingElement(node)) node = node.parent.parent;
  return ts.isVariableDeclaration(node) ? node.initializer : undefined;
}

/** A `.catch` handler or catch-return value that lets the check pass: 0, true, null, undefined, nothing. */
function passingDefault(handler: ts.Expression): boolean {
  const fn = unwrap(handler);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  const returned = returnExpressions(fn);
  if (returned.length === 0) return !containsThrow(fn);
  return returned.every(isPassingValue);
}

function findCatchReturningPass(body: ts.Block): ts.CatchClause | undefined {
  let found: ts.CatchClause | undefined;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionNode(node)) return;
    if (ts.isTryStatement(node) && node.catchClause) {
      const returns = node.catchClause.block.statements.filter(ts.isReturnStatement);
      if (returns.length && returns.every((r) => r.expression !== undefined && isPassingValue(r.expression))) found = node.catchClause;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

function isPassingValue(expression: ts.Expression): boolean {
  const e = unwrap(expression);
  if (ts.isNumericLiteral(e)) return Number(e.text) === 0;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(e) && e.text === 'undefined') return true;
  if (ts.isObjectLiteralExpression(e)) {
    // { allowed: true }, { ok: true }, { spent: 0 }
    return e.properties.some((p) => ts.isPropertyAssignment(p) && isPassingValue(p.initializer) && /allow|ok|success|pass|spent|used|count|total/i.test(p.name.getText()));
  }
  return false;
}

function containsThrow(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ts.isThrowStatement(n)) found = true;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** A name that says it holds a day's amount in dollars (`DAILY_BUDGET_USD`, `dailyCapUsd`) or cents. */
function dailyMoneyUnit(name: string): number | undefined {
  const words = identifierWords(name);
  const daily = words.some((w) => w === 'daily' || w === 'day' || w === 'today' || w === 'perday');
  if (!daily) return undefined;
  if (words.some((w) => w === 'usd' || w === 'dollars' || w === 'dollar')) return 1;
  if (words.some((w) => w === 'cents' || w === 'cent')) return 0.01;
  return undefined;
}

/** Words that say a counter or a cap is kept per account: such a cap times the accounts an attacker opens. */
const PER_ACCOUNT_WORDS = new Set(['user', 'userid', 'uid', 'account', 'member', 'customer', 'team', 'org', 'tenant', 'workspace', 'session', 'owner']);

function perAccountText(text: string): boolean {
  return identifierWords(text).some((w) => PER_ACCOUNT_WORDS.has(w));
}

/**
 * Is the spend a comparison reads counted per account? The condition's own text, and what its locals are
 * set from (`spentToday = await getSpentTodayUsd(userId)`), name a user.
 */
function readsPerAccountSpend(condition: ts.Expression, scope: ProtectionScope): boolean {
  const texts = [condition.getText()];
  const visit = (node: ts.Node): void => {
    if (!ts.isIdentifier(node)) return;
    const declaration = scope.resolver.declarationOf(node);
    if (!declaration || !ts.isVariableDeclaration(declaration)) return;
    if (declaration.initializer) texts.push(declaration.initializer.getText());
    const block = declaration.parent.parent.parent;
    walk(block, (inner) => {
      if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(inner.left) && inner.left.text === node.text) texts.push(inner.right.getText());
    });
  };
  visit(condition);
  walk(condition, visit);
  return texts.some(perAccountText);
}

/** The name an expression is read by: `DAILY_CAP_USD`, `limits.dailyUsd` → `dailyUsd`. */
function readName(expression: ts.Expression): string | undefined {
  const e = unwrap(expression);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/**
 * The amount of a daily spend cap, in dollars, when the code states it where a reader can see it: a spend check
 * that compares with a value named as a day's dollars (`if (spentToday + cost > DAILY_BUDGET_USD)`), or the
 * options given to the guard the route goes through (`createGuard({ spend: { dailyCapUsd: 8 } })`). Only a cap
 * that fails closed counts: one that lets the call through on an error bounds nothing.
 */
export function dailySpendCapUsd(scope: ProtectionScope, facts: { spendCaps: readonly unknown[]; failOpenSpendCaps: readonly unknown[] }): DailyCapAmount | undefined {
  if (facts.spendCaps.length === 0 || facts.failOpenSpendCaps.length > 0) return undefined;
  for (const guard of scope.guards.filter(isSpendGuard)) {
    const found = guard.condition && comparedDailyAmount(guard.condition, scope);
    if (found) return { ...found, perAccount: readsPerAccountSpend(guard.condition!, scope) };
  }
  for (const expression of [...scope.links, ...scope.calls.map((c) => c.call.expression)]) {
    const found = guardOptionsAmount(expression, scope);
    if (found) return { ...found, perAccount: false };
  }
  return undefined;
}

/** A daily cap's amount in dollars, where it is written, and whether it is kept per account rather than for the app. */
export interface DailyCapAmount {
  usd: number;
  node: ts.Node;
  perAccount: boolean;
}

function comparedDailyAmount(condition: ts.Expression, scope: ProtectionScope): { usd: number; node: ts.Node } | undefined {
  let found: { usd: number; node: ts.Node } | undefined;
  const visit = (node: ts.Node): void => {
    if (found || !ts.isBinaryExpression(node) || !COMPARISONS.has(node.operatorToken.kind)) return;
    for (const [side, other] of [[node.left, node.right], [node.right, node.left]] as const) {
      const unit = dailyMoneyUnit(readName(side) ?? '') ?? (ts.isNumericLiteral(unwrap(side)) ? dailyMoneyUnit(readName(other) ?? '') : undefined);
      const amount = unit === undefined ? undefined : numericValue(side, scope.resolver);
      if (unit !== undefined && amount !== undefined && amount > 0) {
        found = { usd: amount * unit, node: side };
        return;
      }
    }
  };
  visit(condition);
  walk(condition, visit);
  return found;
}

const COMPARISONS = new Set([ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken]);

/** `aiGuard.protect(...)` / `aiGuard.check(...)` with `const aiGuard = createGuard({ ... })`: the daily amount among its options. */
function guardOptionsAmount(expression: ts.Expression, scope: ProtectionScope): { usd: number; node: ts.Node } | undefined {
  let e = unwrap(expression);
  while (ts.isCallExpression(e) || ts.isPropertyAccessExpression(e)) e = unwrap(e.expression);
  if (!ts.isIdentifier(e)) return undefined;
  const declaration = scope.resolver.declarationOf(e);
  const initializer = declaration && initializerOf(declaration);
  const creation = initializer && unwrap(initializer);
  if (!creation || !ts.isCallExpression(creation)) return undefined;
  for (const argument of creation.arguments) {
    const options = unwrap(argument);
    const found = ts.isObjectLiteralExpression(options) ? dailyAmountIn(options, scope, 0) : undefined;
    if (found) return found;
  }
  return undefined;
}

function dailyAmountIn(options: ts.ObjectLiteralExpression, scope: ProtectionScope, depth: number): { usd: number; node: ts.Node } | undefined {
  for (const property of options.properties) {
    const value = propertyValue(property);
    if (!value) continue;
    const name = propertyNameText(property.name) ?? '';
    // `perUserDailyCapUsd` bounds one account; the app-wide `dailyCapUsd` next to it bounds the day.
    const unit = perAccountText(name) ? undefined : dailyMoneyUnit(name);
    const amount = unit === undefined ? undefined : numericValue(value, scope.resolver);
    if (unit !== undefined && amount !== undefined && amount > 0) return { usd: amount * unit, node: value };
    const nested = unwrap(value);
    if (depth < 3 && ts.isObjectLiteralExpression(nested)) {
      const found = dailyAmountIn(nested, scope, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
