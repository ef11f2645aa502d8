/**
 * The OpenAI Agents SDK (`@openai/agents`): an `Agent` runs the model in a loop when it is run, with
 * `run(agent, input)` or `new Runner().run(agent, input)`. The model and its settings are the agent's
 * (`new Agent({ model: 'gpt-4.1', modelSettings: { maxTokens } })`); the input is the second argument.
 */
import ts from '../typescript.cjs';
import { memberNames } from '../semantic/resolve.js';
import type { Resolver } from '../semantic/resolve.js';
import type { Provider } from './types.js';
import { literalOption, optionsObject, positionalInputKind } from './types.js';

const AGENTS_MODULES = /^@openai\/agents(?:-core|-openai)?$/;

export const openaiAgentsProvider: Provider = {
  name: 'openai-agents',
  triggers: { packages: ['@openai/agents', '@openai/agents-core', '@openai/agents-openai'] },
  sdkModules: [],
  matchCall(call, callee, resolver) {
    if (!callee || callee.root.kind !== 'module' || !AGENTS_MODULES.test(callee.root.module) || call.arguments.length < 2) return undefined;
    const names = memberNames(callee.segments);
    const runsFunction = names.length === 1 && names[0] === 'run' && callee.segments.length === 1;
    const runsRunner = names[0] === 'Runner' && callee.segments[1]?.kind === 'new' && names[names.length - 1] === 'run';
    if (!runsFunction && !runsRunner) return undefined;
    const agentOptions = agentConstruction(call.arguments[0]!, resolver);
    const input = call.arguments[1]!;
    const model = agentOptions && literalOption(agentOptions, 'model', resolver);
    return {
      provider: 'openai',
      api: 'agents.run',
      call,
      inputProperties: [],
      outputCapProperties: ['modelSettings.maxTokens'],
      // The agent's options are the run's parameters: its model, its instructions, its model settings.
      ...(agentOptions ? { options: agentOptions, modelOptions: agentOptions } : {}),
      ...(model !== undefined ? { model } : {}),
      inputArguments: [{ name: 'input', value: input, kind: positionalInputKind(input, resolver) }],
    };
  },
};

/** The options of the `new Agent({...})` an expression holds, when it can be traced. */
function agentConstruction(agent: ts.Expression, resolver: Resolver): ts.ObjectLiteralExpression | undefined {
  const path = resolver.resolve(agent);
  if (!path || path.root.kind !== 'module' || !AGENTS_MODULES.test(path.root.module)) return undefined;
  const [first, second] = path.segments;
  if (first?.kind !== 'member' || first.name !== 'Agent' || second?.kind !== 'new') return undefined;
  return optionsObject(second.call?.arguments?.[0], resolver);
}
