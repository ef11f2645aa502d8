/**
 * The 1.0 betas of `@azure/openai`: `new OpenAIClient(endpoint, credential).getChatCompletions(deployment,
 * messages, options)`. Positional: the deployment names the model, the messages are the second argument.
 * (Later versions use the `AzureOpenAI` class of the `openai` package, handled with it.)
 */
import { unwrap } from '../semantic/ast.js';
import type { Provider } from './types.js';
import { constantString, matchClientMethod, optionsObject } from './types.js';

interface PositionalMethod {
  /** The model input argument after the deployment name. */
  input: { name: string; kind: 'messages' | 'text' };
  outputCaps: string[];
}

const CHAT: PositionalMethod = { input: { name: 'messages', kind: 'messages' }, outputCaps: ['maxTokens'] };
const METHODS: Record<string, PositionalMethod> = {
  getChatCompletions: CHAT,
  streamChatCompletions: CHAT,
  getCompletions: { input: { name: 'prompt', kind: 'text' }, outputCaps: ['maxTokens'] },
  streamCompletions: { input: { name: 'prompt', kind: 'text' }, outputCaps: ['maxTokens'] },
  getEmbeddings: { input: { name: 'input', kind: 'text' }, outputCaps: [] },
  getImages: { input: { name: 'prompt', kind: 'text' }, outputCaps: ['n'] },
  getAudioTranscription: { input: { name: 'file', kind: 'text' }, outputCaps: [] },
  getAudioTranslation: { input: { name: 'file', kind: 'text' }, outputCaps: [] },
};

const TABLE = Object.fromEntries(Object.keys(METHODS).map((name) => [name, { inputs: [], outputCaps: METHODS[name].outputCaps }]));

export const azureOpenaiProvider: Provider = {
  name: 'azure-openai',
  triggers: { packages: ['@azure/openai'] },
  sdkModules: ['@azure/openai'],
  matchCall(call, callee, resolver) {
    const matched = matchClientMethod(callee, ['@azure/openai'], ['OpenAIClient'], TABLE);
    if (!matched) return undefined;
    const method = METHODS[matched.api];
    const input = call.arguments[1];
    return {
      provider: 'azure-openai',
      api: matched.api,
      call,
      options: optionsObject(call.arguments[2], resolver),
      inputProperties: [],
      outputCapProperties: method.outputCaps,
      model: constantString(call.arguments[0], resolver),
      inputArguments: input ? [{ name: method.input.name, value: unwrap(input), kind: method.input.kind }] : [],
    };
  },
};
