/**
 * Perplexity's `@perplexity-ai/perplexity_ai`: Sonar chat completions, the Agent API's responses, and the
 * Search API billed by the request. The OpenAI SDK pointed at `api.perplexity.ai` is read by the OpenAI module.
 */
import type { SdkMethod } from './types.js';
import { clientSdkProvider } from './types.js';

const CHAT: SdkMethod = { inputs: ['messages'], outputCaps: ['max_tokens'] };

export const perplexityProvider = clientSdkProvider('perplexity', {
  provider: 'perplexity',
  modules: ['@perplexity-ai/perplexity_ai'],
  classNames: ['Perplexity'],
  methods: {
    'chat.completions.create': CHAT,
    'async.chat.completions.create': { inputs: ['request'], outputCaps: ['request.max_tokens'] },
    'responses.create': { inputs: ['input', 'instructions'], outputCaps: ['max_output_tokens'] },
    'search.create': { inputs: ['query'], outputCaps: [], billedBy: 'requests' },
  },
});
