/** Groq's `groq-sdk`: the OpenAI-shaped `new Groq().chat.completions.create`. */
import type { SdkMethod } from './types.js';
import { clientSdkProvider } from './types.js';

const CHAT: SdkMethod = { inputs: ['messages'], outputCaps: ['max_completion_tokens', 'max_tokens'] };

export const groqProvider = clientSdkProvider('groq', {
  provider: 'groq',
  modules: ['groq-sdk'],
  classNames: ['Groq'],
  methods: {
    'chat.completions.create': CHAT,
    'embeddings.create': { inputs: ['input'], outputCaps: [] },
    'audio.transcriptions.create': { inputs: ['file', 'url', 'prompt'], outputCaps: [] },
    'audio.translations.create': { inputs: ['file', 'url', 'prompt'], outputCaps: [] },
    'audio.speech.create': { inputs: ['input'], outputCaps: [] },
  },
});
