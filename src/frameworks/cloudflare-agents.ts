/**
 * Cloudflare Agents (`agents`): a class extending `Agent`, `AIChatAgent` or `McpAgent` is a Durable Object that
 * `routeAgentRequest(request, env)` serves at `/agents/<class-name-in-kebab-case>/<instance>`. Any client can
 * open its WebSocket (`onMessage`, `onChatMessage`, `@callable()` methods) or send it HTTP (`onRequest`); the
 * Worker's fetch handler that routes there runs first.
 */
import ts from '../typescript.cjs';
import { callsIn, calleeName, enclosingFunction, propertyNameText } from '../semantic/ast.js';
import type { Segment } from '../semantic/resolve.js';
import type { FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';

const MODULES = /^(?:agents(?:\/.*)?|@cloudflare\/ai-chat)$/;
const AGENT_BASES = new Set(['Agent', 'AIChatAgent', 'McpAgent']);

/** Entry methods, their method in the inventory, and which parameters carry what the client sent. */
const ENTRY_METHODS: Record<string, { method: string; parts: ReadonlyMap<number, Segment[]> }> = {
  onRequest: { method: 'ALL', parts: new Map([[0, []]]) },
  onMessage: { method: 'WS', parts: new Map([[1, []]]) },
  // The chat history the client sent is the agent's `this.messages`, not a parameter.
  onChatMessage: { method: 'WS', parts: new Map() },
};

export const cloudflareAgentsFramework: FrameworkPlugin = {
  name: 'cloudflare-agents',
  triggers: { packages: ['agents', 'agents/*', '@cloudflare/ai-chat'] },
  findRoutes(context) {
    const routers = routingHandlers(context);
    const routes: RouteEntry[] = [];
    for (const sourceFile of context.routeFiles) {
      for (const statement of sourceFile.statements) {
        if (ts.isClassDeclaration(statement) && statement.name && extendsAgent(statement, sourceFile)) {
          routes.push(...agentRoutes(statement, statement.name.text, routers));
        }
      }
    }
    return routes;
  },
};

function agentRoutes(declaration: ts.ClassDeclaration, name: string, routers: RouteLink[]): RouteEntry[] {
  const path = `/agents/${kebabCase(name)}/:name`;
  const routes: RouteEntry[] = [];
  for (const member of declaration.members) {
    if (!ts.isMethodDeclaration(member) || !member.body) continue;
    const methodName = propertyNameText(member.name) ?? '';
    const entry = Object.hasOwn(ENTRY_METHODS, methodName) ? ENTRY_METHODS[methodName] : isCallable(member) ? callableEntry(member) : undefined;
    if (!entry) continue;
    const handler: RouteLink = { role: 'handler', expression: member as unknown as ts.Expression, requestParts: entry.parts };
    routes.push({
      framework: 'cloudflare-agents',
      method: entry.method,
      path: isCallable(member) ? `${path}#${methodName}` : path,
      anchor: member.name,
      chain: [...routers, handler],
    });
  }
  return routes;
}

/** `@callable()` methods are RPC over the WebSocket: every argument is the client's. */
function callableEntry(member: ts.MethodDeclaration) {
  return { method: 'WS', parts: new Map(member.parameters.map((_, i) => [i, [] as Segment[]])) };
}

function isCallable(member: ts.MethodDeclaration): boolean {
  return (ts.getDecorators(member) ?? []).some((d) => ts.isCallExpression(d.expression) && calleeName(d.expression) === 'callable');
}

/** `class X extends Agent<Env>`, with `Agent` imported from the Agents SDK. */
function extendsAgent(declaration: ts.ClassDeclaration, sourceFile: ts.SourceFile): boolean {
  const base = declaration.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!base || !ts.isIdentifier(base)) return false;
  return sourceFile.statements.some((s) => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && MODULES.test(s.moduleSpecifier.text)
    && !!s.importClause?.namedBindings && ts.isNamedImports(s.importClause.namedBindings)
    && s.importClause.namedBindings.elements.some((e) => e.name.text === base.text && AGENT_BASES.has((e.propertyName ?? e.name).text)));
}

/** The functions that call `routeAgentRequest(...)` (the Worker's fetch handler): they run before every agent. */
function routingHandlers(context: FrameworkContext): RouteLink[] {
  const links: RouteLink[] = [];
  for (const sourceFile of context.routeFiles) {
    if (!sourceFile.text.includes('routeAgentRequest')) continue;
    for (const call of callsIn(sourceFile)) {
      const fn = calleeName(call) === 'routeAgentRequest' ? enclosingFunction(call) : undefined;
      if (fn && !links.some((l) => (l.expression as ts.Node) === fn)) links.push({ role: 'middleware', expression: fn as unknown as ts.Expression, handsOnAt: call });
    }
  }
  return links;
}

function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();
}
