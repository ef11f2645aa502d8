/** Together AI's `together-ai`: the OpenAI-shaped `new Together().chat.completions.create`, images, embeddings. */
import type { SdkMethod } from './types.js';
import { clientSdkProvider } from './types.js';

const CHAT: SdkMethod = { inputs: ['messages'], outputCaps: ['max_tokens'] };

export const togetherProvider = clientSdkProvider('together', {
  provider: 'together',
  modules: ['together-ai'],
  classNames: ['Together'],
  methods: {
    'chat.completions.create': CHAT,
    'chat.completions.stream': CHAT,
    'completions.create': { inputs: ['prompt'], outputCaps: ['max_tokens'] },
    'images.create': { inputs: ['prompt', 'image_url'], outputCaps: ['n', 'steps'] },
    'images.generate': { inputs: ['prompt', 'image_url'], outputCaps: ['n', 'steps'] },
    'embeddings.create': { inputs: ['input'], outputCaps: [] },
    'rerank.create': { inputs: ['query', 'documents'], outputCaps: [] },
    'audio.create': { inputs: ['input'], outputCaps: [] },
    'audio.speech.create': { inputs: ['input'], outputCaps: [] },
    'audio.transcriptions.create': { inputs: ['file'], outputCaps: [] },
  },
});
