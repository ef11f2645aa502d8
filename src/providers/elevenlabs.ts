/**
 * ElevenLabs' `@elevenlabs/elevenlabs-js` (and the older `elevenlabs` package): speech, transcription, sound
 * effects, music, voice design and agent conversations, billed by the character or the minute of audio
 * rather than by tokens.
 * Methods that take a voice id first carry their options in the second argument.
 */
import type { SdkMethod } from './types.js';
import { clientSdkProvider } from './types.js';

const SPEECH: SdkMethod = { inputs: ['text'], outputCaps: [], optionsArgument: 1, billedBy: 'characters' };
const VOICE_CHANGE: SdkMethod = { inputs: ['audio'], outputCaps: [], optionsArgument: 1, billedBy: 'audio' };
const DIALOGUE: SdkMethod = { inputs: ['inputs'], outputCaps: [], billedBy: 'characters' };
const MUSIC: SdkMethod = { inputs: ['prompt', 'compositionPlan', 'composition_plan'], outputCaps: [], billedBy: 'audio' };
/** A signed URL or WebRTC token lets the browser talk to an agent, billed by the minute on the owner's account. */
const AGENT_SESSION: SdkMethod = { inputs: [], outputCaps: [], billedBy: 'audio' };
const VOICE_DESIGN: SdkMethod = { inputs: ['voiceDescription', 'voice_description', 'text'], outputCaps: [], billedBy: 'characters' };

export const elevenlabsProvider = clientSdkProvider('elevenlabs', {
  provider: 'elevenlabs',
  modules: ['@elevenlabs/elevenlabs-js', 'elevenlabs'],
  classNames: ['ElevenLabsClient'],
  modelOption: ['modelId', 'model_id'],
  methods: {
    'textToSpeech.convert': SPEECH,
    'textToSpeech.stream': SPEECH,
    'textToSpeech.convertWithTimestamps': SPEECH,
    'textToSpeech.streamWithTimestamps': SPEECH,
    'textToSpeech.convertAsStream': SPEECH,
    'speechToText.convert': { inputs: ['file', 'cloudStorageUrl', 'sourceUrl', 'cloud_storage_url'], outputCaps: [], billedBy: 'audio' },
    'speechToSpeech.convert': VOICE_CHANGE,
    'speechToSpeech.stream': VOICE_CHANGE,
    'textToSoundEffects.convert': { inputs: ['text'], outputCaps: [], billedBy: 'audio' },
    'textToDialogue.convert': DIALOGUE,
    'textToDialogue.stream': DIALOGUE,
    'textToDialogue.convertWithTimestamps': DIALOGUE,
    'textToDialogue.streamWithTimestamps': DIALOGUE,
    'music.compose': MUSIC,
    'music.composeDetailed': MUSIC,
    'music.stream': MUSIC,
    'textToVoice.createPreviews': VOICE_DESIGN,
    'textToVoice.design': VOICE_DESIGN,
    'conversationalAi.conversations.getSignedUrl': AGENT_SESSION,
    'conversationalAi.conversations.getWebrtcToken': AGENT_SESSION,
    'conversationalAi.getSignedUrl': AGENT_SESSION,
    // elevenlabs 0.x: client.generate({ voice, text, model_id })
    generate: { inputs: ['text'], outputCaps: [], billedBy: 'characters' },
  },
});
