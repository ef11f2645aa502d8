/** The Vercel AI SDK (`ai`), with models from `@ai-sdk/*` providers. */
import ts from '../typescript.cjs';
import { objectProperty, propertyValue } from '../semantic/ast.js';
import type { Resolver } from '../semantic/resolve.js';
import { isLocalModelUrl, urlText } from './hosts.js';
import type { Provider } from './types.js';
import { matchClientMethod, matchModuleFunction, modelId, optionsObject, unseenOptions } from './types.js';

const TEXT_FUNCTIONS = ['generateText', 'streamText', 'generateObject', 'streamObject'];
const EMBED_FUNCTIONS = ['embed', 'embedMany'];
/** Media models, billed by the image, the character or the minute of audio rather than by tokens. */
const MEDIA_FUNCTIONS: Record<string, { inputs: string[]; billedBy: 'images' | 'characters' | 'audio' }> = {
  generateImage: { inputs: ['prompt'], billedBy: 'images' },
  experimental_generateImage: { inputs: ['prompt'], billedBy: 'images' },
  generateSpeech: { inputs: ['text', 'instructions'], billedBy: 'characters' },
  experimental_generateSpeech: { inputs: ['text', 'instructions'], billedBy: 'characters' },
  transcribe: { inputs: ['audio'], billedBy: 'audio' },
  experimental_transcribe: { inputs: ['audio'], billedBy: 'audio' },
};
/** Agents run the model in a loop: their runs, and the helpers that stream an agent to a response. */
const AGENT_CLASSES = ['ToolLoopAgent', 'Experimental_Agent', 'Agent'];
const AGENT_RUNS = { generate: { inputs: ['prompt', 'messages'], outputCaps: [] }, stream: { inputs: ['prompt', 'messages'], outputCaps: [] } };
const AGENT_STREAM_FUNCTIONS = ['createAgentUIStreamResponse', 'pipeAgentUIStreamToResponse', 'createAgentUIStream'];

export const vercelAiProvider: Provider = {
  name: 'vercel-ai',
  triggers: { packages: ['ai', '@ai-sdk/*'] },
  sdkModules: [],
  matchCall(call, callee, resolver) {
    const agentRun = matchClientMethod(callee, ['ai'], AGENT_CLASSES, AGENT_RUNS);
    const agentStream = matchModuleFunction(callee, ['ai'], AGENT_STREAM_FUNCTIONS);
    if (agentRun || agentStream) {
      // The agent's own model and limits are set where it is built; its output cap is not checked here.
      const options = optionsObject(call.arguments[0], resolver);
      return {
        provider: 'vercel-ai',
        api: agentRun ? `agent.${agentRun.api}` : agentStream!,
        call,
        options,
        inputProperties: ['prompt', 'messages', 'uiMessages'],
        outputCapProperties: [],
      };
    }
    const api = matchModuleFunction(callee, ['ai'], [...TEXT_FUNCTIONS, ...EMBED_FUNCTIONS, ...Object.keys(MEDIA_FUNCTIONS)]);
    if (!api) return undefined;
    const options = optionsObject(call.arguments[0], resolver);
    const modelExpression = propertyValue(options ? objectProperty(options, 'model') : undefined);
    if (modelExpression && isLocalModel(modelExpression, resolver)) return undefined;
    const media = MEDIA_FUNCTIONS[api];
    if (media) {
      return { provider: 'vercel-ai', api, call, options, inputProperties: media.inputs, outputCapProperties: [], model: modelId(modelExpression, resolver), billedBy: media.billedBy };
    }
    const isEmbedding = EMBED_FUNCTIONS.includes(api);
    return {
      provider: 'vercel-ai',
      api,
      call,
      options,
      ...unseenOptions(call, options),
      inputProperties: isEmbedding ? ['value', 'values'] : ['messages', 'prompt', 'system'],
      outputCapProperties: isEmbedding ? [] : ['maxOutputTokens', 'maxTokens'],
      model: modelId(propertyValue(options ? objectProperty(options, 'model') : undefined), resolver),
    };
  },
};

/**
 * A model served on the developer's machine: `ollama('llama3')` from an Ollama provider package, or a provider
 * made with `createOpenAI({ baseURL: 'http://localhost:11434/v1' })` / `createOpenAICompatible(...)`.
 */
function isLocalModel(expression: ts.Expression, resolver: Resolver): boolean {
  const path = resolver.resolve(expression);
  if (path?.root.kind !== 'module') return false;
  if (/ollama/i.test(path.root.module)) return true;
  for (const segment of path.segments) {
    if (segment.kind !== 'call') continue;
    const settings = optionsObject(segment.call.arguments[0], resolver);
    const baseURL = propertyValue(settings ? objectProperty(settings, 'baseURL') : undefined);
    const url = baseURL ? urlText(baseURL, resolver) : undefined;
    if (url !== undefined && isLocalModelUrl(url)) return true;
  }
  return false;
}
