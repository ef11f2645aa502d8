/**
 * AssemblyAI's `assemblyai`: transcription billed by the hour of audio (`transcripts.transcribe`, `submit`,
 * `create`, the synchronous `sync.transcribe(audio, config)`), LeMUR tasks over transcripts and the LLM
 * gateway's OpenAI-shaped chat completions, billed by tokens.
 */
import type { SdkMethod } from './types.js';
import { clientSdkProvider } from './types.js';

const TRANSCRIBE: SdkMethod = { inputs: ['audio', 'audio_url'], outputCaps: [], billedBy: 'audio' };
/** LeMUR caps its answer at `max_output_size` tokens, 2,000 unless set: always bounded. */
const LEMUR: SdkMethod = { inputs: ['prompt', 'input_text', 'transcript_ids', 'context', 'questions'], outputCaps: [] };

export const assemblyaiProvider = clientSdkProvider('assemblyai', {
  provider: 'assemblyai',
  modules: ['assemblyai'],
  classNames: ['AssemblyAI'],
  modelOption: ['speech_model', 'final_model', 'model'],
  methods: {
    'transcripts.transcribe': TRANSCRIBE,
    'transcripts.submit': TRANSCRIBE,
    'transcripts.create': TRANSCRIBE,
    'sync.transcribe': { inputs: [], outputCaps: [], optionsArgument: 1, inputArguments: { 0: 'audio' }, billedBy: 'audio' },
    'lemur.task': LEMUR,
    'lemur.summary': LEMUR,
    'lemur.questionAnswer': LEMUR,
    'lemur.actionItems': LEMUR,
    'llmGateway.chatCompletions': { inputs: ['messages'], outputCaps: ['max_tokens'] },
  },
});
