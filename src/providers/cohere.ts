/** Cohere's `cohere-ai`: `CohereClient` (v1 chat with `message`, generate, embed) and `CohereClientV2` (chat with `messages`). */
import type { SdkMethod } from './types.js';
import { clientSdkProvider } from './types.js';

/** v1 chat takes one `message`, the earlier turns as `chatHistory` and a `preamble`; v2 takes OpenAI-style `messages`. */
const CHAT: SdkMethod = { inputs: ['messages', 'message', 'chatHistory', 'preamble', 'documents'], outputCaps: ['maxTokens'] };
const GENERATE: SdkMethod = { inputs: ['prompt'], outputCaps: ['maxTokens', 'numGenerations'] };
const EMBED: SdkMethod = { inputs: ['texts', 'images', 'inputs'], outputCaps: [] };
const RERANK: SdkMethod = { inputs: ['query', 'documents'], outputCaps: [] };

export const cohereProvider = clientSdkProvider('cohere', {
  provider: 'cohere',
  modules: ['cohere-ai'],
  classNames: ['CohereClient', 'CohereClientV2'],
  methods: {
    chat: CHAT,
    chatStream: CHAT,
    generate: GENERATE,
    generateStream: GENERATE,
    embed: EMBED,
    rerank: RERANK,
    summarize: { inputs: ['text'], outputCaps: [] },
    classify: { inputs: ['inputs'], outputCaps: [] },
    'v2.chat': CHAT,
    'v2.chatStream': CHAT,
    'v2.embed': EMBED,
    'v2.rerank': RERANK,
  },
});
