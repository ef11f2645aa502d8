/**
 * Guards: code that refuses the request (an error status, a throw, a redirect, `next(err)`) under a
 * condition, found in the code that runs before a paid call. A guard is classified by what it does and
 * what it looks at: 401 or a missing session is authentication, 402 or a comparison of credits or spend
 * is a spend cap, 429 or a request counter is a rate limit.
 */
import ts from '../typescript.cjs';
import { type FunctionNode, calleeName, enclosingCatch, enclosingFunction, identifierWords, isFunctionNode, unwrap } from '../semantic/ast.js';
import { type CallContext, type Resolver, returnExpressions } from '../semantic/resolve.js';

/** A stretch of code that runs before the paid call: a function body, or its part before a call site. */
export interface Region {
  fn: FunctionNode;
  context: CallContext;
  /** Only code that ends before this position counts; the whole body when undefined. */
  before?: number;
  /** The call site the region leads to, whose enclosing `if` conditions are preconditions. */
  site?: ts.Node;
  /** Also look inside nested functions (middleware factories, wrappers that return the handler). */
  includeNested?: boolean;
  /** Where this code sits relative to the route: a layer before the handler, or the handler's own path. */
  origin: 'middleware' | 'next-middleware' | 'handler';
  /** The function refuses the request by returning false (a NestJS guard). */
  refusesOnFalse?: boolean;
}

export type RefusalKind = 'status' | 'throw' | 'redirect' | 'next-error' | 'precondition';

export interface Guard {
  node: ts.Node;
  condition?: ts.Expression;
  statuses: number[];
  refusal: RefusalKind;
  /** Lower-case words from the condition, the values it reads, and the refusal's messages. */
  words: Set<string>;
  region: Region;
  /** The condition reads what a verifier handed its callback: `jwt.verify(token, key, (err) => ...)`. */
  verification?: boolean;
}

export const AUTH_WORDS = new Set([
  'session', 'user', 'auth', 'authenticated', 'authorization', 'authorized', 'unauthorized', 'unauthenticated',
  'token', 'jwt', 'claims', 'principal', 'identity', 'login', 'signin', 'signed', 'logged', 'bearer',
  'credential', 'credentials', 'member', 'verified', 'verify', 'decoded', 'payload', 'clerk', 'userid', 'uid',
]);
export const SPEND_WORDS = new Set([
  'credit', 'credits', 'quota', 'quotas', 'spend', 'spent', 'spending', 'budget', 'budgets', 'cost', 'costs',
  'balance', 'usage', 'allowance', 'billing', 'dollars', 'usd', 'cents', 'cap', 'tokens', 'payment', 'funds',
]);
/** Spend words that speak of money or tokens, not of a count of requests. */
const MONEY_WORDS = new Set([
  'credit', 'credits', 'spend', 'spent', 'spending', 'budget', 'budgets', 'cost', 'costs', 'balance', 'billing',
  'dollars', 'usd', 'cents', 'cap', 'tokens', 'payment', 'funds',
]);
export const RATE_WORDS = new Set([
  'rate', 'ratelimit', 'ratelimited', 'limiter', 'throttle', 'throttled', 'requests', 'hits', 'attempts', 'count',
  'many', 'slow', 'window',
]);

export function intersects(words: Set<string>, vocabulary: Set<string>): boolean {
  for (const w of words) if (vocabulary.has(w)) return true;
  return false;
}

export function isAuthGuard(guard: Guard): boolean {
  if (guard.statuses.includes(401)) return true;
  // Whatever the status, refusing when the verifier reports a failure is the verification taking effect.
  if (guard.verification && (guard.statuses.some((s) => s < 500) || guard.refusal === 'throw' || guard.refusal === 'next-error')) return true;
  if (guard.refusal === 'redirect' && (intersects(guard.words, AUTH_WORDS) || guard.words.has('sign') || guard.words.has('signin'))) return true;
  // A limiter keyed on the user reads the user too: its refusal is the limit, not authentication.
  if (!intersects(guard.words, AUTH_WORDS) || isSpendGuard(guard) || isRateGuard(guard) || guard.statuses.includes(429)) return false;
  // `if (!session) return res.status(500)...`: a server error is as much a refusal as a 401.
  const serverError = guard.refusal === 'status' && ts.isIfStatement(guard.node) && guard.statuses.some((s) => s >= 500);
  return guard.statuses.includes(403) || serverError || guard.refusal === 'throw' || guard.refusal === 'next-error' || guard.refusal === 'precondition' || guard.refusal === 'redirect';
}

/** A usage quota over a period (`messageCount > maxMessagesPerDay`) bounds spend like a credit balance. */
const PERIOD_WORDS = new Set(['day', 'daily', 'today', 'days', 'month', 'monthly', 'week', 'weekly']);

export function isSpendGuard(guard: Guard): boolean {
  if (guard.statuses.includes(402)) return true;
  if (boundsSizeOrPace(guard)) return false;
  if (intersects(guard.words, PERIOD_WORDS) && hasComparison(guard.condition) && intersects(guard.words, RATE_WORDS)) return true;
  return intersects(guard.words, SPEND_WORDS) && guard.refusal !== 'precondition' || (guard.refusal === 'precondition' && hasComparison(guard.condition) && intersects(guard.words, SPEND_WORDS));
}

/** Refusals of a malformed or oversized request: the input is rejected, no bill is counted. */
const INPUT_REJECTIONS = new Set([400, 413, 422]);
/** Windows too short for a spend ceiling: a count over them paces requests. */
const PACE_WORDS = new Set(['second', 'seconds', 'minute', 'minutes', 'sec', 'min']);

/**
 * Without a word of money or of a day-or-longer period, a check that rejects the input (400, 413, 422),
 * compares a length (`prompt.length > limits.messageLength`, `conversation.messages.length > limits.messages`)
 * or counts over a minute bounds one request or its pace, even when it reads a `usageLimits` setting.
 */
function boundsSizeOrPace(guard: Guard): boolean {
  if (intersects(guard.words, MONEY_WORDS) || intersects(guard.words, PERIOD_WORDS)) return false;
  if (rejectsInputOnly(guard)) return true;
  return intersects(guard.words, PACE_WORDS) || comparesLength(guard.condition);
}

function rejectsInputOnly(guard: Guard): boolean {
  return guard.statuses.length > 0 && guard.statuses.every((s) => INPUT_REJECTIONS.has(s));
}

function comparesLength(condition: ts.Expression | undefined): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind)) {
      found = [node.left, node.right].some((side) => readsLength(unwrap(side)));
    }
    ts.forEachChild(node, visit);
  };
  if (condition) visit(condition);
  return found;
}

/** `x.length`, `x?.length ?? 0`. */
function readsLength(expression: ts.Expression): boolean {
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) return readsLength(unwrap(expression.left));
  return ts.isPropertyAccessExpression(expression) && expression.name.text === 'length';
}

/** A request counter refusing with 429 is a rate limit; a per-user daily request quota is one too. */
export function isRateGuard(guard: Guard): boolean {
  // `if (!packageCount) return res.status(400)`: a missing field, whatever it is called, is no counter over a limit.
  if (rejectsInputOnly(guard) && !hasComparison(guard.condition)) return false;
  // `const { count } = await db.user.updateMany({ where: { credits: { gte: n } } }); if (count <= 0)`: a credit check.
  if (intersects(guard.words, MONEY_WORDS) && !guard.statuses.includes(429) && !hasSpecificRateWord(guard.words)) return false;
  if (intersects(guard.words, RATE_WORDS)) return true;
  return guard.statuses.includes(429) && !intersects(guard.words, MONEY_WORDS);
}

/** Rate words that also name any count (rows updated, `too many`): alone they do not make a money check a rate limit. */
const GENERIC_RATE_WORDS = new Set(['count', 'many']);

function hasSpecificRateWord(words: Set<string>): boolean {
  for (const w of words) if (RATE_WORDS.has(w) && !GENERIC_RATE_WORDS.has(w)) return true;
  return false;
}

export function hasComparison(condition: ts.Expression | undefined): boolean {
  if (!condition) return false;
  let found = false;
  const visit = (node: ts.Node) => {
    if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind)) found = true;
    if (!found) ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

const COMPARISONS = new Set([
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
]);

/** Every node in a region, in source order, without entering nested functions unless asked. */
export function regionNodes(region: Region, visit: (node: ts.Node) => void): void {
  nodesOfRegion(region).forEach(visit);
}

/** Regions recur (routes share middleware and helpers, analyses walk the same region): listed once. */
const regionNodeLists = new WeakMap<ts.Node, Map<string, ts.Node[]>>();

function nodesOfRegion(region: Region): ts.Node[] {
  const body = region.fn.body;
  if (!body) return [];
  let lists = regionNodeLists.get(body);
  if (!lists) regionNodeLists.set(body, (lists = new Map()));
  const key = `${region.before ?? ''}:${region.includeNested === true}`;
  let nodes = lists.get(key);
  if (nodes) return nodes;
  const found: ts.Node[] = [];
  const before = region.before;
  const recurse = (node: ts.Node): void => {
    // A node that ends before the cut starts before it too; only nodes across it need their start.
    if (before !== undefined && node.end > before && node.getStart() >= before) return;
    if (!region.includeNested && isFunctionNode(node)) return;
    found.push(node);
    ts.forEachChild(node, recurse);
  };
  recurse(body);
  lists.set(key, (nodes = found));
  return nodes;
}

export function findGuards(region: Region, resolver: Resolver): Guard[] {
  const guards: Guard[] = [];
  regionNodes(region, (node) => {
    if (ts.isIfStatement(node)) {
      if (region.before !== undefined && node.getEnd() > region.before) return; // an enclosing if: handled below
      for (const branch of [node.thenStatement, node.elseStatement]) {
        const refusal = branch && (refusalOf(branch) ?? helperRefusal(branch, resolver));
        if (refusal) {
          const words = conditionWords(node.expression, refusal.words, resolver);
          for (const w of argumentWords(node.expression, region, resolver)) words.add(w);
          guards.push({ node, condition: node.expression, ...refusal, words, region, verification: readsVerifierResult(node.expression, resolver) });
          break;
        }
      }
    } else if (ts.isTryStatement(node) && node.catchClause) {
      if (region.before !== undefined && node.getEnd() > region.before && !isInside(region.site, node.catchClause)) {
        // The paid call sits inside this try; its catch says what happens on failure, not a guard before it.
        return;
      }
      const refusal = refusalOf(node.catchClause.block);
      if (refusal && !(refusal.refusal === 'throw' && refusal.statuses.length === 0 && rethrowsOnly(node.catchClause))) {
        guards.push({ node, condition: undefined, ...refusal, words: blockCallWords(node.tryBlock, refusal.words), region });
      }
    }
  });
  if (region.site) guards.push(...enclosingPreconditions(region, resolver));
  guards.push(...assertionGuards(region, resolver), ...invariantGuards(region, resolver));
  if (region.refusesOnFalse) guards.push(...falseReturnGuards(region, resolver));
  return guards.filter((guard) => !caughtAndReturnedHere(guard, resolver));
}

/** A try whose catch refuses, or whose catch may return normally for this call (then the failure refuses nobody). */
function caughtAndReturnedHere(guard: Guard, resolver: Resolver): boolean {
  const node = guard.node;
  if (ts.isTryStatement(node) && node.catchClause) return catchReturns(node.catchClause.block, guard.region.context, resolver);
  return guard.refusal === 'throw' && caughtAndReturned(node, guard.region.context, resolver);
}

/**
 * Inside a try whose catch returns normally for this call: `catch (e) { if (optional) return GUEST; throw e }`
 * reached as `getUser(request, reply, true)`. What the try block throws never reaches the caller. A return under
 * a condition counts only when the condition is `true` here (a literal, or a parameter this call binds to one).
 */
export function caughtAndReturned(node: ts.Node, context: CallContext, resolver: Resolver): boolean {
  const clause = enclosingCatch(node);
  return clause !== undefined && catchReturns(clause.block, context, resolver);
}

function catchReturns(block: ts.Block, context: CallContext, resolver: Resolver): boolean {
  // `catch { res.writeHead(401).end(); return; }` answers the refusal itself.
  const refusal = refusalOf(block);
  if (refusal && refusal.refusal !== 'throw') return false;
  let returns = false;
  const visit = (node: ts.Node): void => {
    if (returns || isFunctionNode(node)) return;
    if (ts.isReturnStatement(node) && !refusalOf(node) && holdsOnTheWay(node, block, context, resolver)) returns = true;
    ts.forEachChild(node, visit);
  };
  visit(block);
  return returns;
}

function holdsOnTheWay(node: ts.Node, block: ts.Block, context: CallContext, resolver: Resolver): boolean {
  for (let child: ts.Node = node; child.parent && child !== block; child = child.parent) {
    const parent = child.parent;
    if (ts.isIfStatement(parent) && child !== parent.expression && (child === parent.elseStatement || !isTrueHere(parent.expression, context, resolver))) return false;
  }
  return true;
}

function isTrueHere(condition: ts.Expression, context: CallContext, resolver: Resolver): boolean {
  const e = unwrap(condition);
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  const path = resolver.resolve(e, context);
  return path?.root.kind === 'local' && path.segments.length === 0 && path.root.node.kind === ts.SyntaxKind.TrueKeyword;
}

function isInside(node: ts.Node | undefined, container: ts.Node): boolean {
  return !!node && node.pos >= container.pos && node.end <= container.end;
}

/** `catch (e) { throw e }`, or `catch (e) { log(e); throw e }`: the failure passes on, this code refuses nothing. */
function rethrowsOnly(clause: ts.CatchClause): boolean {
  const statements = clause.block.statements;
  const last = statements[statements.length - 1];
  if (!last || !ts.isThrowStatement(last)) return false;
  if (statements.length === 1) return true;
  const binding = clause.variableDeclaration?.name;
  const thrown = last.expression && unwrap(last.expression);
  return !!binding && ts.isIdentifier(binding) && !!thrown && ts.isIdentifier(thrown) && thrown.text === binding.text && !throwsBefore(statements.slice(0, -1));
}

function throwsBefore(statements: readonly ts.Statement[]): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionNode(node)) return;
    if (ts.isThrowStatement(node) || ts.isReturnStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  statements.forEach(visit);
  return found;
}

/** `if (session) { ...paid call... }`: the condition must hold for the call to run. */
function enclosingPreconditions(region: Region, resolver: Resolver): Guard[] {
  const guards: Guard[] = [];
  for (let node = region.site?.parent; node && node !== region.fn; node = node.parent) {
    const parent = node.parent;
    if (parent && ts.isIfStatement(parent) && parent.thenStatement === node) {
      const refusal = parent.elseStatement ? refusalOf(parent.elseStatement) : undefined;
      guards.push({
        node: parent,
        condition: parent.expression,
        statuses: refusal?.statuses ?? [],
        refusal: refusal?.refusal ?? 'precondition',
        words: conditionWords(parent.expression, refusal?.words ?? new Set(), resolver),
        region,
        verification: readsVerifierResult(parent.expression, resolver),
      });
    }
  }
  return guards;
}

/** Koa's `ctx.assert(ctx.state.user, 401, 'message')`: throws with the status when the value is falsy. */
function assertionGuards(region: Region, resolver: Resolver): Guard[] {
  const guards: Guard[] = [];
  regionNodes(region, (node) => {
    if (!ts.isExpressionStatement(node) || !ts.isCallExpression(node.expression)) return;
    const call = node.expression;
    if (calleeName(call) !== 'assert' || !ts.isPropertyAccessExpression(call.expression) || call.arguments.length < 2) return;
    const status = call.arguments.slice(1).map(unwrap).find(ts.isNumericLiteral);
    const value = status ? Number(status.text) : NaN;
    if (!(value >= 400 && value < 600)) return;
    const words = new Set<string>();
    for (const argument of call.arguments.slice(1)) {
      if (ts.isStringLiteralLike(argument)) for (const w of identifierWords(argument.text)) words.add(w);
    }
    guards.push({ node, condition: call.arguments[0], statuses: [value], refusal: 'throw', words: conditionWords(call.arguments[0], words, resolver), region });
  });
  return guards;
}

/** Assertion packages that throw when their first argument is falsy: `invariant(session, 'sign in first')`. */
const INVARIANT_MODULES = /^(tiny-invariant|invariant|assert|node:assert)$/;

function invariantGuards(region: Region, resolver: Resolver): Guard[] {
  const guards: Guard[] = [];
  regionNodes(region, (node) => {
    if (!ts.isExpressionStatement(node) || !ts.isCallExpression(node.expression) || !node.expression.arguments[0]) return;
    const call = node.expression;
    const path = resolver.resolve(call.expression, region.context);
    if (path?.root.kind !== 'module' || !INVARIANT_MODULES.test(path.root.module) || path.segments.some((s) => s.kind === 'member' && s.name !== 'default' && s.name !== 'ok')) return;
    const words = new Set<string>();
    for (const argument of call.arguments.slice(1)) {
      if (ts.isStringLiteralLike(argument)) for (const w of identifierWords(argument.text)) words.add(w);
    }
    guards.push({ node, condition: call.arguments[0], statuses: [], refusal: 'throw', words: conditionWords(call.arguments[0], words, resolver), region });
  });
  return guards;
}

/** A function that refuses by returning false (a NestJS guard): `if (!user) return false`, `return !!request.user`. */
function falseReturnGuards(region: Region, resolver: Resolver): Guard[] {
  const guards: Guard[] = [];
  regionNodes(region, (node) => {
    if (!ts.isReturnStatement(node) || !node.expression || enclosingFunction(node) !== region.fn) return;
    const value = unwrap(node.expression);
    if (value.kind === ts.SyntaxKind.TrueKeyword) return;
    const guardIf = value.kind === ts.SyntaxKind.FalseKeyword ? enclosingIf(node, region.fn) : undefined;
    const condition = value.kind === ts.SyntaxKind.FalseKeyword ? guardIf?.expression : value;
    if (!condition) return;
    // Returning false is the framework's 403 Forbidden.
    guards.push({ node: guardIf ?? node, condition, statuses: [403], refusal: 'status', words: conditionWords(condition, new Set(), resolver), region });
  });
  return guards;
}

function enclosingIf(node: ts.Node, fn: FunctionNode): ts.IfStatement | undefined {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (ts.isIfStatement(current)) return current;
  }
  return undefined;
}

interface Refusal {
  statuses: number[];
  refusal: RefusalKind;
  words: Set<string>;
}

const REFUSING_CALLS = new Set(['redirect', 'permanentRedirect', 'notFound', 'unauthorized', 'forbidden']);
const REFUSING_WORDS = new Set(['unauthorized', 'forbidden', 'deny', 'denied', 'reject', 'refuse', 'error', 'fail']);

/** Does this statement refuse the request? With which statuses and what it says. */
export function refusalOf(statement: ts.Node): Refusal | undefined {
  const statuses = new Set<number>();
  const words = new Set<string>();
  let hasReturn = ts.isReturnStatement(statement);
  let hasThrow = ts.isThrowStatement(statement);
  let redirect = false;
  let nextError = false;
  let namedRefusal = false;
  let sendsResponse = false;
  let constructsError = false;
  const visit = (node: ts.Node): void => {
    if (isFunctionNode(node)) return;
    if (ts.isReturnStatement(node)) hasReturn = true;
    if (ts.isThrowStatement(node)) hasThrow = true;
    if (ts.isNumericLiteral(node)) {
      const value = Number(node.text);
      if (value >= 400 && value < 600 && Number.isInteger(value)) statuses.add(value);
    }
    if (ts.isStringLiteralLike(node)) for (const w of identifierWords(node.text)) words.add(w);
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
      const classWords = nameWords(node.expression.text);
      for (const w of classWords) words.add(w);
      // `return new ApiError('unauthorized').toResponse()`: an error object turned into the response.
      if (classWords.some((w) => w === 'error' || w === 'exception')) constructsError = true;
    }
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name) {
        for (const w of nameWords(name)) words.add(w);
        // redirect(), permanentRedirect(), Clerk's redirectToSignIn()
        if (REFUSING_CALLS.has(name) || /^redirect/i.test(name)) redirect ||= name.toLowerCase().includes('redirect');
        if (REFUSING_CALLS.has(name)) namedRefusal = true;
        if (identifierWords(name).some((w) => REFUSING_WORDS.has(w))) namedRefusal = true;
        if (name === 'next' && node.arguments.length > 0) nextError = true;
        // Koa's ctx.throw(401, 'message')
        if (name === 'throw' && ts.isPropertyAccessExpression(node.expression)) hasThrow = true;
        // SvelteKit's error(401, 'message') throws by itself
        const status = node.arguments[0];
        if (name === 'error' && ts.isIdentifier(node.expression) && status && ts.isNumericLiteral(status) && Number(status.text) >= 400) hasThrow = true;
        if (['status', 'sendStatus', 'writeHead', 'json', 'send', 'end'].includes(name)) sendsResponse = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(statement);
  const statusList = [...statuses].sort();
  if (hasThrow) return { statuses: statusList, refusal: 'throw', words };
  if (redirect) return { statuses: statusList, refusal: 'redirect', words };
  if (nextError) return { statuses: statusList, refusal: 'next-error', words };
  if (statusList.length && (hasReturn || sendsResponse)) return { statuses: statusList, refusal: 'status', words };
  if ((namedRefusal || constructsError) && hasReturn) return { statuses: statusList, refusal: 'status', words };
  return undefined;
}

/**
 * `return rateLimitResponse()`, where the project helper returns `errJson('Too many requests', 429)`: the
 * helper's response is the refusal. Followed two helpers deep; only a refusal with a status counts.
 */
function helperRefusal(statement: ts.Node, resolver: Resolver, depth = 0): Refusal | undefined {
  const returned = ts.isBlock(statement) && statement.statements.length === 1 ? statement.statements[0] : statement;
  if (depth > 1 || !ts.isReturnStatement(returned) || !returned.expression) return undefined;
  let call = unwrap(returned.expression);
  if (ts.isAwaitExpression(call)) call = unwrap(call.expression);
  if (!ts.isCallExpression(call)) return undefined;
  const helper = resolver.resolveFunction(call.expression);
  if (!helper) return undefined;
  for (const expression of returnExpressions(helper.fn)) {
    if (!ts.isReturnStatement(expression.parent)) continue;
    const refusal = refusalOf(expression.parent) ?? helperRefusal(expression.parent, resolver, depth + 1);
    if (refusal?.statuses.length) return { ...refusal, words: new Set([...nameWords(calleeName(call) ?? ''), ...refusal.words]) };
  }
  return undefined;
}

/** Words of a condition, plus the names of what the values it reads were computed from. */
export function conditionWords(condition: ts.Expression, extra: Set<string>, resolver: Resolver): Set<string> {
  const words = new Set(extra);
  const add = (name: string) => {
    for (const w of nameWords(name)) words.add(w);
    words.add(name.toLowerCase());
  };
  const seen = new Set<ts.Node>();
  const visit = (node: ts.Node, depth: number): void => {
    if (ts.isIdentifier(node)) {
      add(node.text);
      if (depth < 2) {
        const declaration = resolver.declarationOf(node);
        if (declaration && !seen.has(declaration)) {
          seen.add(declaration);
          const initializer = initializerOf(declaration);
          if (initializer) calleeWords(initializer, add);
          // `let limit = 0; if (trial) limit = user.monthlyRequestCount;`: what the variable is set to names it too.
          for (const assigned of laterAssignments(declaration)) nameWordsOf(assigned, add);
        }
      }
    } else if (ts.isPrivateIdentifier(node)) {
      add(node.text);
    } else if (ts.isCallExpression(node)) {
      calleeWords(node, add);
    }
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  visit(condition, 0);
  return words;
}

/**
 * In a helper entered through a call, the words of the arguments its condition reads:
 * `invariantResponse(userId, '...')` refuses when `userId` is missing, not when `condition` is.
 */
function argumentWords(condition: ts.Expression, region: Region, resolver: Resolver): Set<string> {
  const words = new Set<string>();
  const call = region.context.call;
  if (!call || region.context.fn !== region.fn) return words;
  const visit = (node: ts.Node): void => {
    // The parameter's own value (`!condition`), not a member of it (`route.public`): the assertion-helper shape.
    if (ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node.parent)) {
      const declaration = resolver.declarationOf(node);
      const index = declaration && ts.isParameter(declaration) && declaration.parent === region.fn ? region.fn.parameters.indexOf(declaration) : -1;
      const argument = index >= 0 ? call.arguments?.[index] : undefined;
      if (argument) for (const w of conditionWords(argument, new Set(), resolver)) words.add(w);
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return words;
}

/** Callees that hand their callback the outcome of a credential check: `jwt.verify`, `passport.authenticate`. */
const VERIFIER_CALLEE = /verify|authenticate/i;

/** Does the condition read a parameter of a callback given to a verifier (`err`, `user`, `decoded`)? */
function readsVerifierResult(condition: ts.Expression, resolver: Resolver): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node)) {
      const declaration = resolver.declarationOf(node);
      const callback = declaration && ts.isParameter(declaration) ? declaration.parent : undefined;
      const call = callback?.parent;
      if (call && ts.isCallExpression(call) && call.arguments.includes(callback as ts.Expression) && VERIFIER_CALLEE.test(calleeName(call) ?? '')) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/** The values a `let` variable is assigned after its declaration, in the function that declares it. */
function laterAssignments(declaration: ts.Declaration): ts.Expression[] {
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return [];
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Let)) return [];
  const name = declaration.name.text;
  const scope = enclosingFunction(declaration) ?? declaration.getSourceFile();
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (found.length >= 4) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === name) found.push(node.right);
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/** The identifier and property names an expression reads (`user?.monthlyRequestCount` → user, monthlyRequestCount). */
function nameWordsOf(expression: ts.Node, add: (name: string) => void): void {
  if (ts.isIdentifier(expression)) add(expression.text);
  ts.forEachChild(expression, (child) => nameWordsOf(child, add));
}

function initializerOf(declaration: ts.Node): ts.Expression | undefined {
  if (ts.isVariableDeclaration(declaration)) return declaration.initializer;
  if (ts.isBindingElement(declaration)) {
    let node: ts.Node = declaration;
    while (ts.isBindingElement(node)) node = node.parent.parent;
    return ts.isVariableDeclaration(node) ? node.initializer : undefined;
  }
  return undefined;
}

/** Names of the calls in an expression (`await getRemainingCredits(id)` → get, remaining, credits). */
function calleeWords(expression: ts.Node, add: (name: string) => void): void {
  const visit = (node: ts.Node): void => {
    if (isFunctionNode(node)) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const name = calleeName(node);
      if (name) add(name);
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) add(callee.expression.text);
    }
    if (ts.isPropertyAccessExpression(node)) add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(expression);
}

/**
 * The words of a name in code. `many` says "too many requests" only after `too`: the bulk data calls
 * (`findMany`, `deleteMany`, `insertMany`) that read or write a list do not count requests.
 */
function nameWords(name: string): string[] {
  const words = identifierWords(name);
  return words.filter((w, i) => w !== 'many' || words[i - 1] === 'too');
}

function blockCallWords(block: ts.Block, extra: Set<string>): Set<string> {
  const words = new Set(extra);
  calleeWords(block, (name) => {
    for (const w of nameWords(name)) words.add(w);
  });
  return words;
}

/** Calls made in a region, for following into the helpers that run before the paid call. */
export function regionCalls(region: Region): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  regionNodes(region, (node) => {
    if (ts.isCallExpression(node) && (region.before === undefined || node.getEnd() <= region.before)) calls.push(node);
  });
  return calls;
}

