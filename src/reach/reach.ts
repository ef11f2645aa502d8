/**
 * Stage 6, reach: from a handler, follow calls into project functions (across files) to the paid AI calls
 * they make, bounded in depth and in functions visited. Each reached call keeps the path of call sites that
 * led to it, so the analyses know what ran before it in every function on the way.
 */
import ts from '../typescript.cjs';
import type { AiCallMatch, Provider } from '../providers/index.js';
import { type FunctionNode, stringValue, unwrap, walk } from '../semantic/ast.js';
import { type AccessPath, CallContext, member, memberNames, type Resolver } from '../semantic/resolve.js';
import { importedSpecifier } from '../semantic/bindings.js';
import { convexFunctionsRun } from '../frameworks/convex.js';

/** One function on the way to a paid call, and the call site in it that leads on (or the paid call itself). */
export interface Step {
  fn: FunctionNode;
  site: ts.CallExpression;
  context: CallContext;
}

export interface ReachedAiCall {
  match: AiCallMatch;
  /** Handler first; the last step's site is the paid call. */
  steps: Step[];
}

const MAX_DEPTH = 12;
const MAX_FUNCTIONS = 400;

export function reachAiCalls(
  handler: FunctionNode,
  context: CallContext,
  resolver: Resolver,
  providers: readonly Provider[],
): ReachedAiCall[] {
  const reached: ReachedAiCall[] = [];
  const visited = new Set<FunctionNode>();
  const visit = (fn: FunctionNode, ctx: CallContext, steps: Step[]): void => {
    if (visited.has(fn) || visited.size >= MAX_FUNCTIONS || steps.length > MAX_DEPTH || !fn.body) return;
    visited.add(fn);
    forEachCall(fn.body, (call) => {
      const step = { fn, site: call, context: ctx };
      if (!leadsNowhere(call, ctx, resolver)) {
        const match = matchAiCall(call, ctx, resolver, providers);
        if (match) {
          reached.push({ match, steps: [...steps, step] });
          return;
        }
        const target = resolver.resolveFunction(call.expression, ctx);
        if (target) visit(target.fn, ctx.enter(target.fn, call), [...steps, step]);
        else for (const fn of approximateCallees(call, ctx, resolver)) visit(fn, ctx.enter(fn, call), [...steps, step]);
      }
      // Functions passed by reference run too: `withRetry(callModel)`, `items.map(summarize)`.
      for (const argument of call.arguments) {
        if (!ts.isIdentifier(argument) && !ts.isPropertyAccessExpression(argument)) continue;
        const passed = resolver.resolveFunction(argument, ctx);
        if (passed) visit(passed.fn, ctx.enter(passed.fn, undefined), [...steps, step]);
      }
      // A Convex function scheduled or run by reference runs its handler.
      for (const handler of convexFunctionsRun(call, resolver)) {
        const fn = resolver.resolveFunction(handler, ctx);
        if (fn) visit(fn.fn, ctx.enter(fn.fn, undefined), [...steps, step]);
      }
      // Running a LangGraph graph runs its nodes.
      for (const node of graphNodes(call, ctx, resolver)) {
        const fn = resolver.resolveFunction(node, ctx);
        if (fn) visit(fn.fn, ctx.enter(fn.fn, undefined), [...steps, step]);
      }
    });
  };
  visit(handler, context, []);
  return reached;
}

export function matchAiCall(
  call: ts.CallExpression,
  context: CallContext,
  resolver: Resolver,
  providers: readonly Provider[],
): AiCallMatch | undefined {
  const callee = resolver.resolve(call.expression, context);
  for (const provider of providers) {
    const match = provider.matchCall(call, callee, resolver);
    if (match) return withPassedOptions(match, context, resolver);
  }
  for (const attached of attachedClients(call, callee, resolver)) {
    for (const provider of providers) {
      const match = provider.matchCall(call, attached, resolver);
      if (match) return match;
    }
  }
  return undefined;
}

/** Options a helper received as a parameter (`fetchGemini(apiKey, body)`): the object the route built and passed down. */
function withPassedOptions(match: AiCallMatch, context: CallContext, resolver: Resolver): AiCallMatch {
  if (match.options || !match.optionsSource || context === CallContext.ROOT) return match;
  const resolved = resolver.resolve(match.optionsSource, context);
  const node = resolved?.root.kind === 'local' && resolved.segments.length === 0 ? resolved.root.node : undefined;
  return node && ts.isObjectLiteralExpression(node) ? { ...match, options: node } : match;
}

/**
 * Where `x.m(...)` resolves to no function (a method of an injected service, a container's instance, a
 * decorated object), the functions stored under `m` in files that can reach a paid call, a few at most.
 */
function approximateCallees(call: ts.CallExpression, context: CallContext, resolver: Resolver): FunctionNode[] {
  const callee = unwrap(call.expression);
  if (!resolver.fields || !ts.isPropertyAccessExpression(callee) || isGlobal(callee.expression, resolver)) return [];
  if (!mayHoldProjectObject(resolver.resolve(callee.expression, context))) return [];
  return resolver.fields.functionsNamed(callee.name.text);
}

/**
 * Whether a value the resolver could not follow to its definition may be a project object: something the
 * framework or a container hands in (a parameter, an injected field), or a value it could not resolve at
 * all. A package's own objects (`db.select()`, `res`, `JSON`) have the package's methods, not the project's.
 */
function mayHoldProjectObject(receiver: AccessPath | undefined): boolean {
  if (!receiver) return true;
  if (receiver.root.kind === 'param') return true;
  if (receiver.root.kind !== 'local') return false;
  const node = receiver.root.node;
  if (ts.isParameter(node) || ts.isPropertyDeclaration(node) || ts.isClassLike(node) || node.kind === ts.SyntaxKind.ThisKeyword) return true;
  // What a call returned, or a member of a local value, where the resolver could not follow it further
  // (`const { connector } = await pick(...)`, a property the object literal it found does not show).
  return receiver.segments.length > 0 || ts.isCallExpression(node) || ts.isAwaitExpression(node);
}

/**
 * A client reached through a name the code attached it to elsewhere (`fastify.decorate('openai', client)`
 * then `request.server.openai.chat.completions.create(...)`, Hono's `c.set('ai', client)` then `c.var.ai`):
 * the callee read as the stored value followed by the rest of the access.
 */
function attachedClients(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): AccessPath[] {
  const fields = resolver.fields;
  if (!fields || !mayHoldProjectObject(callee) || isGlobal(chainRoot(call.expression), resolver)) return [];
  const found: AccessPath[] = [];
  // As written (`c.get('ai').chat...`), and as resolved through locals (`const ai = event.context.ai; ai.chat...`).
  const chains = [memberChain(call.expression)];
  if (callee?.root.kind === 'param' && callee.segments.every((s) => s.kind === 'member')) chains.push(['param', ...memberNames(callee.segments)]);
  for (const names of chains) {
    // The chain's first name is a variable, not a field: stop before it.
    for (let i = names.length - 2; i >= 1; i--) {
      for (const value of fields.valuesNamed(names[i])) {
        const stored = resolver.resolve(value);
        if (stored?.root.kind !== 'module') continue;
        found.push({ ...stored, segments: [...stored.segments, ...names.slice(i + 1).map(member)] });
      }
    }
  }
  return found;
}

/** A name no declaration binds: a global of the runtime (`Date`, `Math`, `console`, `fetch`). */
function isGlobal(expression: ts.Expression, resolver: Resolver): boolean {
  const e = unwrap(expression);
  return ts.isIdentifier(e) && resolver.declarationOf(e) === undefined;
}

/** `a` in `a.b.c`; the expression itself when it is not an access chain. */
function chainRoot(expression: ts.Expression): ts.Expression {
  let current = unwrap(expression);
  while (ts.isPropertyAccessExpression(current)) current = unwrap(current.expression);
  return current;
}

/**
 * The names of an access chain, its root first: `request.server.openai.chat.completions.create` gives six,
 * `this.openai.chat...` starts with `this`; a context read by key (`c.get('ai')`) reads as the member `ai`.
 */
function memberChain(expression: ts.Expression): string[] {
  const names: string[] = [];
  let current = unwrap(expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(current)) {
      names.unshift(current.name.text);
      current = unwrap(current.expression);
    } else if (isKeyedRead(current)) {
      names.unshift(stringValue(current.arguments[0])!);
      current = unwrap((current.expression as ts.PropertyAccessExpression).expression);
    } else break;
  }
  names.unshift(ts.isIdentifier(current) ? current.text : 'this');
  return names;
}

/** `c.get('ai')`: Hono's and similar context objects' read of a value stored with `set('ai', ...)`. */
function isKeyedRead(node: ts.Expression): node is ts.CallExpression {
  return (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'get' &&
    node.arguments.length === 1 &&
    stringValue(node.arguments[0]) !== undefined
  );
}

/**
 * A call into a project module that cannot reach a paid call (nothing in its import closure mentions an AI
 * SDK or provider), given nothing that could make one (a client, a provider URL), leads nowhere: it is
 * neither parsed nor followed. Callbacks written inline are walked where they stand, and functions passed
 * by reference are followed apart from the call.
 */
function leadsNowhere(call: ts.CallExpression, context: CallContext, resolver: Resolver): boolean {
  const graph = resolver.importGraph;
  const root = rootIdentifier(call.expression);
  if (!graph || !root) return false;
  const module = importedModule(root, resolver);
  if (module === undefined || module.file === undefined || graph.reaches(module.file)) return false;
  return !call.arguments.some((argument) => mayCarryAi(argument, context, resolver));
}

/** Whether a value passed to a call may be, or hold, something that calls a model. */
function mayCarryAi(argument: ts.Expression, context: CallContext, resolver: Resolver): boolean {
  if (ts.isFunctionLike(argument) || ts.isLiteralExpression(argument)) return textMayCallAi(argument.getText(), resolver);
  if (textMayCallAi(argument.getText(), resolver)) return true;
  let carries = false;
  const visit = (node: ts.Node): void => {
    if (carries) return;
    if (ts.isIdentifier(node) && !isPropertyName(node)) carries = identifierMayCarryAi(node, context, resolver);
    else if (node.kind === ts.SyntaxKind.ThisKeyword) carries = true;
    else if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  visit(argument);
  return carries;
}

/** Whether a piece of code names an AI SDK, a provider host or a configured AI wrapper (the import graph's test). */
function textMayCallAi(text: string, resolver: Resolver): boolean {
  return resolver.importGraph!.textPasses(text);
}

function identifierMayCarryAi(identifier: ts.Identifier, context: CallContext, resolver: Resolver): boolean {
  const module = importedModule(identifier, resolver);
  if (module) return module.file === undefined ? resolver.importGraph!.packagePasses(module.specifier) : resolver.importGraph!.reaches(module.file);
  const path = resolver.resolve(identifier, context);
  if (!path) return false;
  // A client, a module or a class of an AI SDK; not what a call returned (a completion is data).
  if (path.root.kind === 'module') return resolver.importGraph!.packagePasses(path.root.module) && !path.segments.some((s) => s.kind === 'call');
  if (path.root.kind !== 'local') return false;
  const node = path.root.node;
  return ts.isClassLike(node) || ts.isFunctionLike(node) || ts.isSourceFile(node) || textMayCallAi(node.getText(), resolver);
}

/** `a` in `a.b.c()`, `a()`, `a.b().c()`. */
function rootIdentifier(expression: ts.Expression): ts.Identifier | undefined {
  let current = unwrap(expression);
  for (;;) {
    if (ts.isIdentifier(current)) return current;
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current)) current = unwrap(current.expression);
    else return undefined;
  }
}

/** The module an identifier is imported from (ES import or `const x = require('…')`), and its project file. */
function importedModule(identifier: ts.Identifier, resolver: Resolver): { specifier: string; file: string | undefined } | undefined {
  const declaration = resolver.bindings.localDeclarationOf(identifier);
  const specifier = declaration && importedSpecifier(declaration);
  if (!specifier || !ts.isStringLiteralLike(specifier)) return undefined;
  const file = resolver.project.resolveImport(specifier.text, identifier.getSourceFile().fileName);
  return { specifier: specifier.text, file };
}

function isPropertyName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === identifier) || (ts.isPropertyAssignment(parent) && parent.name === identifier);
}

const callsOf = new WeakMap<ts.Node, ts.CallExpression[]>();

/** Every call in a function body, including inside callbacks defined there (memoized: routes share helpers). */
function forEachCall(body: ts.Node, visit: (call: ts.CallExpression) => void): void {
  let calls = callsOf.get(body);
  if (!calls) {
    const found: ts.CallExpression[] = [];
    const recurse = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) found.push(node);
      if (ts.isClassLike(node)) return;
      ts.forEachChild(node, recurse);
    };
    recurse(body);
    callsOf.set(body, (calls = found));
  }
  calls.forEach(visit);
}

const LANGGRAPH = /^@langchain\/langgraph(\/|$)/;
const GRAPH_RUNS = new Set(['invoke', 'stream', 'streamEvents', 'batch']);

/**
 * The functions a LangGraph graph runs when `graph.invoke(...)` is called: the nodes given to `addNode`
 * (chained on the constructor, or called on the variable holding it) and the function of an `entrypoint`.
 */
function graphNodes(call: ts.CallExpression, context: CallContext, resolver: Resolver): ts.Expression[] {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !GRAPH_RUNS.has(callee.name.text)) return [];
  const path = resolver.resolve(callee, context);
  if (path?.root.kind !== 'module' || !LANGGRAPH.test(path.root.module)) return [];
  const nodes: ts.Expression[] = [];
  for (const segment of path.segments) {
    if (segment.kind !== 'call' && segment.kind !== 'new') continue;
    const registration = segment.call;
    if (!registration) continue;
    nodes.push(...nodeArguments(registration));
    if (segment.kind === 'new') nodes.push(...addedLater(registration, resolver).flatMap(nodeArguments));
  }
  return nodes;
}

/** `addNode('agent', callModel)`, `addNode({ agent: callModel })`, `entrypoint('name', async (input) => ...)`. */
function nodeArguments(registration: ts.CallExpression | ts.NewExpression): ts.Expression[] {
  const callee = unwrap(registration.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  if (name !== 'addNode' && name !== 'entrypoint') return [];
  return (registration.arguments ?? []).flatMap((argument) => {
    const e = unwrap(argument);
    if (ts.isObjectLiteralExpression(e)) return e.properties.flatMap((p) => (ts.isPropertyAssignment(p) ? [p.initializer] : ts.isShorthandPropertyAssignment(p) ? [p.name] : []));
    return ts.isStringLiteralLike(e) ? [] : [e];
  });
}

/** `const workflow = new StateGraph(...)` then `workflow.addNode(...)` statements in the same scope. */
function addedLater(construction: ts.CallExpression | ts.NewExpression, resolver: Resolver): ts.CallExpression[] {
  const declaration = construction.parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || declaration.initializer !== construction) return [];
  const name = declaration.name.text;
  const scope = ts.findAncestor(declaration, (n) => ts.isBlock(n) || ts.isSourceFile(n)) ?? declaration.getSourceFile();
  const calls: ts.CallExpression[] = [];
  walk(scope, (node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'addNode' &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === name &&
      resolver.declarationOf(node.expression.expression) === declaration
    ) {
      calls.push(node);
    }
  });
  return calls;
}
