/** The Vercel AI SDK (`ai`), with models from `@ai-sdk/*` providers. */
import { ts } from 'ts-morph';
import { objectProperty, propertyValue, unwrap } from '../analysis/ast.js';
import type { Provider } from './types.js';
import { constantString, matchModuleFunction, optionsObject } from './types.js';

const TEXT_FUNCTIONS = ['generateText', 'streamText', 'generateObject', 'streamObject'];
const EMBED_FUNCTIONS = ['embed', 'embedMany'];

export const vercelAiProvider: Provider = {
  name: 'vercel-ai',
  sdkModules: [],
  matchCall(call, callee, resolver) {
    const api = matchModuleFunction(callee, ['ai'], [...TEXT_FUNCTIONS, ...EMBED_FUNCTIONS]);
    if (!api) return undefined;
    const options = optionsObject(call.arguments[0], resolver);
    const isEmbedding = EMBED_FUNCTIONS.includes(api);
    return {
      provider: 'vercel-ai',
      api,
      call,
      options,
      inputProperties: isEmbedding ? ['value', 'values'] : ['messages', 'prompt', 'system'],
      outputCapProperties: isEmbedding ? [] : ['maxOutputTokens', 'maxTokens'],
      model: modelId(propertyValue(options ? objectProperty(options, 'model') : undefined), resolver),
    };
  },
};

/** `openai('gpt-4o')`, `anthropic.messages('claude-...')`, `google('gemini-...')`: the first argument. */
function modelId(expression: ts.Expression | undefined, resolver: Parameters<Provider['matchCall']>[2]): string | undefined {
  if (!expression) return undefined;
  const e = unwrap(expression);
  if (ts.isCallExpression(e)) return constantString(e.arguments[0], resolver);
  return constantString(e, resolver);
}
