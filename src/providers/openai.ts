/** The official `openai` SDK (also Azure OpenAI through its `AzureOpenAI` class). */
import type { Provider, SdkMethod } from './types.js';
import { literalOption, matchClientMethod, optionsObject } from './types.js';

const CHAT: SdkMethod = { inputs: ['messages'], outputCaps: ['max_tokens', 'max_completion_tokens'] };
const RESPONSES: SdkMethod = { inputs: ['input', 'instructions'], outputCaps: ['max_output_tokens'] };
const PROMPT: SdkMethod = { inputs: ['prompt'], outputCaps: ['max_tokens'] };
const IMAGE: SdkMethod = { inputs: ['prompt'], outputCaps: ['n'] };
const EMBEDDING: SdkMethod = { inputs: ['input'], outputCaps: [] };
const AUDIO_IN: SdkMethod = { inputs: ['file'], outputCaps: [] };
const SPEECH: SdkMethod = { inputs: ['input'], outputCaps: [] };

const METHODS: Record<string, SdkMethod> = {
  'chat.completions.create': CHAT,
  'chat.completions.stream': CHAT,
  'chat.completions.parse': CHAT,
  'beta.chat.completions.parse': CHAT,
  'beta.chat.completions.stream': CHAT,
  'responses.create': RESPONSES,
  'responses.stream': RESPONSES,
  'responses.parse': RESPONSES,
  'completions.create': PROMPT,
  'images.generate': IMAGE,
  'images.edit': IMAGE,
  'images.createVariation': IMAGE,
  'embeddings.create': EMBEDDING,
  'audio.transcriptions.create': AUDIO_IN,
  'audio.translations.create': AUDIO_IN,
  'audio.speech.create': SPEECH,
};

export const openaiProvider: Provider = {
  name: 'openai',
  sdkModules: ['openai'],
  matchCall(call, callee, resolver) {
    const matched = matchClientMethod(callee, ['openai'], ['OpenAI', 'AzureOpenAI'], METHODS);
    if (!matched) return undefined;
    const options = optionsObject(call.arguments[0], resolver);
    return {
      provider: 'openai',
      api: matched.api,
      call,
      options,
      inputProperties: matched.method.inputs,
      outputCapProperties: matched.method.outputCaps,
      model: literalOption(options, 'model', resolver),
    };
  },
};
