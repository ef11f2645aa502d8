/**
 * Hugging Face Inference's `@huggingface/inference`: a client (`new InferenceClient(token)`, the older
 * `HfInference`) or the same tasks as functions taking `accessToken`. Calls bill the token's account through
 * Inference Providers; `textGeneration` caps output in `parameters.max_new_tokens`, chat in `max_tokens`.
 */
import { objectProperty, propertyValue } from '../semantic/ast.js';
import type { Provider, SdkMethod } from './types.js';
import { constantString, matchClientMethod, matchModuleFunction, methodOptions } from './types.js';

const MODULES = ['@huggingface/inference'];
const CHAT: SdkMethod = { inputs: ['messages'], outputCaps: ['max_tokens'] };
const TEXT: SdkMethod = { inputs: ['inputs'], outputCaps: ['parameters.max_new_tokens'] };
const ONE_SHOT: SdkMethod = { inputs: ['inputs'], outputCaps: [] };

const TASKS: Record<string, SdkMethod> = {
  chatCompletion: CHAT,
  chatCompletionStream: CHAT,
  textGeneration: TEXT,
  textGenerationStream: TEXT,
  summarization: ONE_SHOT,
  translation: ONE_SHOT,
  questionAnswering: ONE_SHOT,
  featureExtraction: ONE_SHOT,
  imageToText: ONE_SHOT,
  textToImage: { inputs: ['inputs'], outputCaps: [], billedBy: 'images' },
  textToSpeech: { inputs: ['inputs'], outputCaps: [], billedBy: 'characters' },
  automaticSpeechRecognition: { inputs: ['data', 'inputs'], outputCaps: [], billedBy: 'audio' },
};

export const huggingfaceProvider: Provider = {
  name: 'huggingface',
  triggers: { packages: MODULES },
  sdkModules: MODULES,
  matchCall(call, callee, resolver) {
    const client = matchClientMethod(callee, MODULES, ['InferenceClient', 'HfInference'], TASKS);
    const api = client?.api ?? matchModuleFunction(callee, MODULES, Object.keys(TASKS));
    const method = client?.method ?? (api ? TASKS[api] : undefined);
    if (!api || !method) return undefined;
    const options = methodOptions(call, method, resolver);
    const model = options ? constantString(propertyValue(objectProperty(options, 'model')), resolver) : undefined;
    return {
      provider: 'huggingface',
      api,
      call,
      options,
      inputProperties: method.inputs,
      outputCapProperties: method.outputCaps,
      ...(model ? { model } : {}),
      ...(method.billedBy ? { billedBy: method.billedBy } : {}),
    };
  },
};
