/**
 * Mastra agents (`@mastra/core`): `agent.generate(input)` / `agent.stream(input)` run the agent's model in a
 * loop. The agent is a `new Agent({ model })`, used directly or looked up with `mastra.getAgent('name')` on
 * the `new Mastra({ agents: { name } })` it was registered with. The model is a string (`'openai/gpt-4o'`) or
 * an AI SDK model (`openai('gpt-4o')`); the input is the first argument, per-call options the second.
 */
import ts from '../typescript.cjs';
import { objectProperty, propertyValue, unwrap } from '../semantic/ast.js';
import { type AccessPath, constantString, type Resolver } from '../semantic/resolve.js';
import type { Provider } from './types.js';
import { modelId, optionsObject, positionalInputKind } from './types.js';

const MASTRA_MODULES = /^@mastra\/core(?:\/(?:agent|mastra))?$/;
const AGENT_RUNS = new Set(['generate', 'stream', 'generateVNext', 'streamVNext', 'generateLegacy', 'streamLegacy']);

export const mastraProvider: Provider = {
  name: 'mastra',
  triggers: { packages: ['@mastra/core/*'] },
  sdkModules: [],
  matchCall(call, callee, resolver) {
    if (!callee || callee.root.kind !== 'module' || !MASTRA_MODULES.test(callee.root.module) || call.arguments.length === 0) return undefined;
    const last = callee.segments[callee.segments.length - 1];
    if (last?.kind !== 'member' || !AGENT_RUNS.has(last.name)) return undefined;
    const agent = agentOptions({ ...callee, segments: callee.segments.slice(0, -1) }, resolver);
    if (agent === undefined) return undefined;
    const model = agent ? propertyValue(objectProperty(agent, 'model')) : undefined;
    const input = call.arguments[0]!;
    const id = modelId(model, resolver);
    return {
      provider: model ? providerOf(model, resolver) : 'mastra',
      api: `agent.${last.name}`,
      call,
      options: optionsObject(call.arguments[1], resolver),
      inputProperties: [],
      outputCapProperties: ['maxTokens', 'maxOutputTokens', 'modelSettings.maxOutputTokens'],
      ...(id !== undefined ? { model: id } : {}),
      inputArguments: [{ name: 'input', value: input, kind: positionalInputKind(input, resolver) }],
    };
  },
};

/**
 * The options of the agent a path stands for: `new Agent({...})`, or `new Mastra({ agents }).getAgent('name')`.
 * `null` for an agent whose construction cannot be seen (still an agent run); undefined for anything else.
 */
function agentOptions(path: AccessPath, resolver: Resolver, depth = 0): ts.ObjectLiteralExpression | null | undefined {
  const [first, second, third, fourth] = path.segments;
  if (first?.kind !== 'member' || second?.kind !== 'new') return undefined;
  if (first.name === 'Agent' && path.segments.length === 2) return optionsObject(second.call?.arguments?.[0], resolver) ?? null;
  if (first.name !== 'Mastra' || third?.kind !== 'member' || third.name !== 'getAgent' || fourth?.kind !== 'call') return undefined;
  const mastraOptions = optionsObject(second.call?.arguments?.[0], resolver);
  const agents = mastraOptions && optionsObject(propertyValue(objectProperty(mastraOptions, 'agents')), resolver);
  const name = constantString(fourth.call.arguments[0], resolver);
  const registered = agents && name !== undefined ? propertyValue(objectProperty(agents, name)) : undefined;
  const agent = registered && resolver.resolve(registered);
  // A registry that refers to itself (`agents: { a: mastra.getAgent('a') }`) is not followed around.
  return agent && depth < 3 ? agentOptions(agent, resolver, depth + 1) ?? null : null;
}

/** `'openai/gpt-4o'` → `openai`; `anthropic('claude-…')` from `@ai-sdk/anthropic` → `anthropic`. */
function providerOf(model: ts.Expression, resolver: Resolver): string {
  const named = constantString(model, resolver);
  if (named !== undefined) return named.includes('/') ? named.slice(0, named.indexOf('/')) : 'mastra';
  const e = unwrap(model);
  const path = ts.isCallExpression(e) ? resolver.resolve(e.expression) : undefined;
  const sdk = path?.root.kind === 'module' ? /^@ai-sdk\/([\w-]+)$/.exec(path.root.module)?.[1] : undefined;
  return sdk ?? 'mastra';
}

