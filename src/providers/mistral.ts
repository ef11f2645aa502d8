/** Mistral's `@mistralai/mistralai`: `new Mistral().chat.complete/stream`, and the 0.x `MistralClient`. */
import type { SdkMethod } from './types.js';
import { clientSdkProvider } from './types.js';

const CHAT: SdkMethod = { inputs: ['messages'], outputCaps: ['maxTokens'] };
const FIM: SdkMethod = { inputs: ['prompt', 'suffix'], outputCaps: ['maxTokens'] };

export const mistralProvider = clientSdkProvider('mistral', {
  provider: 'mistral',
  modules: ['@mistralai/mistralai'],
  classNames: ['Mistral', 'MistralClient'],
  methods: {
    'chat.complete': CHAT,
    'chat.stream': CHAT,
    'chat.parse': CHAT,
    'chat.parseStream': CHAT,
    'agents.complete': CHAT,
    'agents.stream': CHAT,
    'fim.complete': FIM,
    'fim.stream': FIM,
    'embeddings.create': { inputs: ['inputs'], outputCaps: [] },
    'classifiers.moderate': { inputs: ['inputs'], outputCaps: [] },
    'classifiers.moderateChat': { inputs: ['inputs'], outputCaps: [] },
    'ocr.process': { inputs: ['document'], outputCaps: [] },
    // 0.x client
    chat: CHAT,
    chatStream: CHAT,
    completion: FIM,
    completionStream: FIM,
    embeddings: { inputs: ['input'], outputCaps: [] },
  },
});
