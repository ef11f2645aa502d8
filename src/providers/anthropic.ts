/** The official `@anthropic-ai/sdk`. */
import type { Provider, SdkMethod } from './types.js';
import { literalOption, matchClientMethod, optionsObject, unseenOptions } from './types.js';

const MESSAGES: SdkMethod = { inputs: ['messages', 'system'], outputCaps: ['max_tokens'] };

const METHODS: Record<string, SdkMethod> = {
  'messages.create': MESSAGES,
  'messages.stream': MESSAGES,
  'beta.messages.create': MESSAGES,
  'beta.messages.stream': MESSAGES,
  // SDK 0.2x put beta features under their own namespace.
  'beta.promptCaching.messages.create': MESSAGES,
  'beta.promptCaching.messages.stream': MESSAGES,
  'beta.tools.messages.create': MESSAGES,
  'beta.tools.messages.stream': MESSAGES,
  'completions.create': { inputs: ['prompt'], outputCaps: ['max_tokens_to_sample'] },
};

export const anthropicProvider: Provider = {
  name: 'anthropic',
  triggers: { packages: ['@anthropic-ai/sdk'] },
  sdkModules: ['@anthropic-ai/sdk'],
  matchCall(call, callee, resolver) {
    const matched = matchClientMethod(callee, ['@anthropic-ai/sdk'], ['Anthropic'], METHODS);
    if (!matched) return undefined;
    const options = optionsObject(call.arguments[0], resolver);
    return {
      provider: 'anthropic',
      api: matched.api,
      call,
      options,
      ...unseenOptions(call, options),
      inputProperties: matched.method.inputs,
      outputCapProperties: matched.method.outputCaps,
      model: literalOption(options, 'model', resolver),
    };
  },
};
