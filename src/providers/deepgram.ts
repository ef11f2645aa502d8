/**
 * Deepgram's `@deepgram/sdk`, billed by the minute of audio or the character of speech. v3/v4 make the client
 * with `createClient(key)` and take the source first and the options second
 * (`listen.prerecorded.transcribeUrl({ url }, { model })`, `speak.request({ text }, { model })`); v5 is
 * `new DeepgramClient()` with one request object (`listen.v1.media.transcribeUrl({ url, model })`,
 * `speak.v1.audio.generate({ text, model })`) except for a file, which comes first.
 */
import type { SdkMethod } from './types.js';
import { clientSdkProvider } from './types.js';

/** v3/v4: the source (`{ url }`, a buffer or stream) is the first argument, the options the second. */
const V3_TRANSCRIBE: SdkMethod = { inputs: [], outputCaps: [], optionsArgument: 1, inputArguments: { 0: 'source' }, billedBy: 'audio' };
const V5_TRANSCRIBE_URL: SdkMethod = { inputs: ['url'], outputCaps: [], billedBy: 'audio' };
const V5_TRANSCRIBE_FILE: SdkMethod = { inputs: [], outputCaps: [], optionsArgument: 1, inputArguments: { 0: 'file' }, billedBy: 'audio' };
const V5_SPEAK: SdkMethod = { inputs: ['text'], outputCaps: [], billedBy: 'characters' };

export const deepgramProvider = clientSdkProvider('deepgram', {
  provider: 'deepgram',
  modules: ['@deepgram/sdk'],
  classNames: ['DeepgramClient', 'DefaultDeepgramClient', 'Deepgram'],
  factories: ['createClient'],
  methods: {
    'listen.prerecorded.transcribeUrl': V3_TRANSCRIBE,
    'listen.prerecorded.transcribeFile': V3_TRANSCRIBE,
    'listen.prerecorded.transcribeUrlCallback': V3_TRANSCRIBE,
    'listen.prerecorded.transcribeFileCallback': V3_TRANSCRIBE,
    'speak.request': { inputs: ['text'], outputCaps: [], modelArgument: 1, billedBy: 'characters' },
    'read.analyzeText': { inputs: [], outputCaps: [], optionsArgument: 1, inputArguments: { 0: 'source' }, billedBy: 'characters' },
    // v2: new Deepgram(key).transcription.preRecorded(source, options)
    'transcription.preRecorded': V3_TRANSCRIBE,
    'listen.v1.media.transcribeUrl': V5_TRANSCRIBE_URL,
    'listen.v1.media.transcribeFile': V5_TRANSCRIBE_FILE,
    'speak.v1.audio.generate': V5_SPEAK,
    'speak.v2.audio.generate': V5_SPEAK,
    'read.v1.text.analyze': { inputs: ['body'], outputCaps: [], billedBy: 'characters' },
  },
});
