/**
 * What the analysis could not see into before a paid call: a middleware or wrapper from a package no table
 * describes, a value that does not resolve, a call into such a package whose name speaks of a protection
 * and whose result is not checked where we can see it. A protection missing from the facts may be there:
 * rules lower their confidence instead of calling it absent.
 */
import ts from '../typescript.cjs';
import type { EndpointFacts, Evidence, ProtectionKind, SourceLocation, UnseenElement } from '../model.js';
import { calleeName, identifierWords, isFunctionNode, locationOf, unwrap } from '../semantic/ast.js';
import { AUTH_WORDS, type Guard, RATE_WORDS, SPEND_WORDS, intersects, isAuthGuard, isRateGuard, isSpendGuard } from './checks.js';
import { type AccessPath, segmentSignature } from '../semantic/resolve.js';
import type { LibraryLink, ProtectionScope } from './scope.js';

const MAX_NAME = 60;

/**
 * The elements of one paid call's scope that the analysis could not see into. `dismissed`: elements it saw and
 * judged to protect nothing (a limiter switched off), which are not unknown either.
 */
export function unseenElements(scope: ProtectionScope, facts: Pick<EndpointFacts, 'auth' | 'rateLimits' | 'spendCaps'>, dismissed: Evidence[] = []): UnseenElement[] {
  const provided = [...facts.auth, ...facts.rateLimits, ...facts.spendCaps, ...dismissed];
  const unseen: UnseenElement[] = [];
  for (const link of scope.libraryLinks) {
    if (isKnownNonProtection(scope, link.path) || recognised(scope, link, provided)) continue;
    unseen.push(element(scope, link.expression, link.path));
  }
  for (const { call, region } of scope.calls) {
    const path = scope.resolver.resolve(call.expression, region.context);
    if (path?.root.kind !== 'module' || isKnownNonProtection(scope, path) || !resultDiscarded(call) || !namesACheck(call)) continue;
    if (provided.some((fact) => overlaps(fact.location, locationOf(scope.project, call)))) continue;
    const found = element(scope, call, path);
    // A call that says nothing about a protection (`await track(event)`) is not a check.
    if (found.named) unseen.push(found);
  }
  unseen.push(...pathUndecidedElements(scope));
  return unseen;
}

/**
 * A layer's checks under a condition on the request path the analysis cannot evaluate for this route
 * (`if (gateForPath(pathname)) { ...401... }`): they may run for it or not. One element per condition.
 */
function pathUndecidedElements(scope: ProtectionScope): UnseenElement[] {
  const byCondition = new Map<ts.Expression, Set<ProtectionKind>>();
  for (const { condition, guard } of scope.pathUndecided) {
    const kinds = byCondition.get(condition) ?? new Set<ProtectionKind>();
    for (const kind of guard ? guardKinds(guard) : []) kinds.add(kind);
    byCondition.set(condition, kinds);
  }
  return [...byCondition].map(([condition, kinds]) => {
    const text = condition.getText();
    const shown = text.length > MAX_NAME ? `${text.slice(0, MAX_NAME - 1)}…` : text;
    return {
      name: shown,
      mayProvide: kinds.size ? [...kinds] : ['auth', 'rateLimit', 'spendCap'],
      named: kinds.size > 0,
      location: locationOf(scope.project, condition),
      description: `checks that run only when ${shown} holds, a condition on the request path the analysis cannot evaluate for this route`,
    };
  });
}

function guardKinds(guard: Guard): ProtectionKind[] {
  const kinds: ProtectionKind[] = [];
  if (isAuthGuard(guard)) kinds.push('auth');
  if (isRateGuard(guard)) kinds.push('rateLimit');
  if (isSpendGuard(guard)) kinds.push('spendCap');
  return kinds;
}

function element(scope: ProtectionScope, expression: ts.Expression, path: AccessPath | undefined): UnseenElement {
  const e = unwrap(expression);
  const name = ts.isCallExpression(e) ? calleeText(e) : e.getText();
  const module = path?.root.kind === 'module' ? path.root.module : undefined;
  const hinted = protectionsNamed(`${name} ${module ?? ''}`);
  const shown = name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
  return {
    name: shown,
    mayProvide: hinted.length ? hinted : ['auth', 'rateLimit', 'spendCap'],
    named: hinted.length > 0,
    location: locationOf(scope.project, expression),
    description: module ? `${shown} from ${module}, which the analysis does not know` : `${shown}, which the analysis could not resolve`,
  };
}

function calleeText(call: ts.CallExpression): string {
  return `${unwrap(call.expression).getText()}()`;
}

/** Verbs of a call that checks something and throws when it does not hold. */
const CHECK_VERBS = new Set(['check', 'assert', 'ensure', 'require', 'enforce', 'verify', 'validate', 'protect', 'guard', 'authorize', 'authenticate', 'limit', 'consume', 'deny']);

function namesACheck(call: ts.CallExpression): boolean {
  return identifierWords(calleeName(call) ?? '').some((w) => CHECK_VERBS.has(w));
}

/** `requireAuth` → auth, `rateLimiter` → rate limit, `checkQuota` → spend cap. */
function protectionsNamed(text: string): ProtectionKind[] {
  const words = new Set(identifierWords(text.replace(/[^A-Za-z0-9]+/g, ' ')));
  const kinds: ProtectionKind[] = [];
  if (intersects(words, AUTH_WORDS) || words.has('guard') || words.has('protect') || words.has('protected')) kinds.push('auth');
  if (intersects(words, RATE_WORDS) || words.has('limit') || words.has('limiter')) kinds.push('rateLimit');
  if (intersects(words, SPEND_WORDS)) kinds.push('spendCap');
  return kinds;
}

function isKnownNonProtection(scope: ProtectionScope, path: AccessPath | undefined): boolean {
  if (path?.root.kind !== 'module') return false;
  const module = path.root.module;
  const signature = segmentSignature(path.segments).replace(/^default\.?/, '');
  return scope.libraries.harmless.some((entry) => entry.module.test(module) && (!entry.signature || entry.signature.test(signature)));
}

/** A table recognised the link: a fact points inside it, or inside the call that created it. */
function recognised(scope: ProtectionScope, link: LibraryLink, provided: Evidence[]): boolean {
  const spans = [locationOf(scope.project, link.expression)];
  for (const segment of link.path?.segments ?? []) {
    if (segment.kind === 'call') spans.push(locationOf(scope.project, segment.call));
    if (segment.kind === 'new' && segment.call) spans.push(locationOf(scope.project, segment.call));
  }
  return provided.some((fact) => spans.some((span) => overlaps(fact.location, span)));
}

function overlaps(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line <= b.endLine && b.line <= a.endLine;
}

/**
 * `await requireUser()` as a statement: whatever it checks, it checks by throwing, out of our sight. A call
 * given a callback hands its outcome to code we see.
 */
function resultDiscarded(call: ts.CallExpression): boolean {
  if (call.arguments.some((argument) => isFunctionNode(unwrap(argument)))) return false;
  let outer: ts.Node = call;
  while (ts.isAwaitExpression(outer.parent) || ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  return ts.isExpressionStatement(outer.parent) && !isFunctionNode(call.expression) && calleeName(call) !== undefined;
}
