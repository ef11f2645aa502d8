import { describe as group, expect, it } from 'vitest';
import { callsIn, scanFiles, expressRoute, unboundedIn } from './scan-snippet.js';

group('@elevenlabs/elevenlabs-js and elevenlabs', () => {
  const setup = `import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
const elevenlabs = new ElevenLabsClient({ apiKey: process.env.ELEVENLABS_API_KEY });`;

  it('recognises speech, transcription, sound effects and music, not voice listing', async () => {
    expect(
      await callsIn(
        setup,
        `  const a = await elevenlabs.textToSpeech.convert(req.body.voiceId, { text: req.body.text, modelId: 'eleven_multilingual_v2' });
  const b = await elevenlabs.textToSpeech.stream('JBFqnCBsd6RMkjVDRZzb', { text: 'hi', modelId: 'eleven_flash_v2_5' });
  const c = await elevenlabs.speechToText.convert({ file: req.file, modelId: 'scribe_v1' });
  const d = await elevenlabs.textToSoundEffects.convert({ text: req.body.effect });
  const e = await elevenlabs.music.compose({ prompt: req.body.prompt, musicLengthMs: 10000 });
  const voices = await elevenlabs.voices.search();
  res.json({ a, b, c, d, e, voices });`,
      ),
    ).toEqual([
      'elevenlabs textToSpeech.convert eleven_multilingual_v2',
      'elevenlabs textToSpeech.stream eleven_flash_v2_5',
      'elevenlabs speechToText.convert scribe_v1',
      'elevenlabs textToSoundEffects.convert',
      'elevenlabs music.compose',
    ]);
  });

  it('recognises minting a browser session for a conversational agent', async () => {
    expect(
      await callsIn(
        setup,
        `  const a = await elevenlabs.conversationalAi.conversations.getSignedUrl({ agentId: process.env.AGENT_ID! });
  const b = await elevenlabs.conversationalAi.conversations.getWebrtcToken({ agentId: process.env.AGENT_ID! });
  res.json({ a, b });`,
      ),
    ).toEqual(['elevenlabs conversationalAi.conversations.getSignedUrl', 'elevenlabs conversationalAi.conversations.getWebrtcToken']);
  });

  it('reads the text after the voice id, and the 1.x snake_case model option', async () => {
    const old = `import { ElevenLabsClient } from 'elevenlabs';
const client = new ElevenLabsClient();`;
    expect(await callsIn(old, `  res.json(await client.textToSpeech.convert('v', { text: req.body.text, model_id: 'eleven_turbo_v2' }));`)).toEqual([
      'elevenlabs textToSpeech.convert eleven_turbo_v2',
    ]);
    expect(await unboundedIn(setup, `  res.json(await elevenlabs.textToSpeech.convert('v', { text: req.body.text }));`)).toEqual(['text: item-size']);
  });
});

group('@deepgram/sdk', () => {
  it('recognises the v3 client made by createClient, the source first and the options second', async () => {
    expect(
      await callsIn(
        `import { createClient } from '@deepgram/sdk';
const deepgram = createClient(process.env.DEEPGRAM_API_KEY);`,
        `  const a = await deepgram.listen.prerecorded.transcribeUrl({ url: req.body.url }, { model: 'nova-3', smart_format: true });
  const b = await deepgram.listen.prerecorded.transcribeFile(req.body.audio, { model: 'nova-2' });
  const c = await deepgram.speak.request({ text: req.body.text }, { model: 'aura-2-thalia-en' });
  const projects = await deepgram.manage.getProjects();
  res.json({ a, b, c, projects });`,
      ),
    ).toEqual(['deepgram listen.prerecorded.transcribeUrl nova-3', 'deepgram listen.prerecorded.transcribeFile nova-2', 'deepgram speak.request aura-2-thalia-en']);
  });

  it('recognises the v5 DeepgramClient', async () => {
    expect(
      await callsIn(
        `import { DeepgramClient } from '@deepgram/sdk';
const client = new DeepgramClient({ apiKey: process.env.DEEPGRAM_API_KEY });`,
        `  const a = await client.listen.v1.media.transcribeUrl({ url: req.body.url, model: 'nova-3' });
  const b = await client.speak.v1.audio.generate({ text: req.body.text, model: 'aura-2-asteria-en' });
  res.json({ a, b });`,
      ),
    ).toEqual(['deepgram listen.v1.media.transcribeUrl nova-3', 'deepgram speak.v1.audio.generate aura-2-asteria-en']);
  });

  it('analyses text passed positionally to speak.request', async () => {
    expect(
      await unboundedIn(
        `import { createClient } from '@deepgram/sdk';
const deepgram = createClient(process.env.DEEPGRAM_API_KEY);`,
        `  res.json(await deepgram.speak.request({ text: req.body.text }, { model: 'aura-2-thalia-en' }));`,
      ),
    ).toEqual(['text: item-size']);
  });
});

group('assemblyai', () => {
  it('recognises transcription and LeMUR, not reading a transcript back', async () => {
    expect(
      await callsIn(
        `import { AssemblyAI } from 'assemblyai';
const client = new AssemblyAI({ apiKey: process.env.ASSEMBLYAI_API_KEY! });`,
        `  const t = await client.transcripts.transcribe({ audio: req.body.audioUrl, speech_model: 'universal' });
  const s = await client.transcripts.submit({ audio_url: req.body.audioUrl });
  const answer = await client.lemur.task({ transcript_ids: [t.id], prompt: req.body.question, final_model: 'anthropic/claude-sonnet-4-20250514' });
  const again = await client.transcripts.get(t.id);
  res.json({ s, answer, again });`,
      ),
    ).toEqual(['assemblyai transcripts.transcribe universal', 'assemblyai transcripts.submit', 'assemblyai lemur.task anthropic/claude-sonnet-4-20250514']);
  });
});

group('@fal-ai/client', () => {
  it('recognises subscribe, run, stream and queue.submit on the singleton and a created client, not polling', async () => {
    expect(
      await callsIn(
        `import { fal, createFalClient } from '@fal-ai/client';
const falClient = createFalClient({ credentials: process.env.FAL_KEY });`,
        `  const a = await fal.subscribe('fal-ai/flux/dev', { input: { prompt: req.body.prompt }, logs: true });
  const b = await fal.run('fal-ai/fast-sdxl', { input: { prompt: 'x' } });
  const { request_id } = await fal.queue.submit('fal-ai/kling-video/v2/master/text-to-video', { input: { prompt: req.body.prompt } });
  const status = await fal.queue.status('fal-ai/kling-video/v2/master/text-to-video', { requestId: request_id });
  const c = await falClient.subscribe('fal-ai/flux-pro/v1.1', { input: { prompt: 'y' } });
  res.json({ a, b, c, status });`,
      ),
    ).toEqual(['fal subscribe fal-ai/flux/dev', 'fal run fal-ai/fast-sdxl', 'fal queue.submit fal-ai/kling-video/v2/master/text-to-video', 'fal subscribe fal-ai/flux-pro/v1.1']);
  });

  it('recognises the deprecated serverless client imported as a namespace', async () => {
    expect(await callsIn(`import * as fal from '@fal-ai/serverless-client';`, `  res.json(await fal.subscribe('fal-ai/flux/schnell', { input: { prompt: req.body.prompt } }));`)).toEqual([
      'fal subscribe fal-ai/flux/schnell',
    ]);
  });
});

group('@perplexity-ai/perplexity_ai', () => {
  it('recognises Sonar chat, responses and search', async () => {
    expect(
      await callsIn(
        `import Perplexity from '@perplexity-ai/perplexity_ai';
const client = new Perplexity();`,
        `  const a = await client.chat.completions.create({ model: 'sonar-pro', messages: req.body.messages });
  const b = await client.responses.create({ model: 'openai/gpt-5.2', input: req.body.input, max_output_tokens: 800 });
  const c = await client.search.create({ query: req.body.q, max_results: 5 });
  res.json({ a, b, c });`,
      ),
    ).toEqual(['perplexity chat.completions.create sonar-pro', 'perplexity responses.create openai/gpt-5.2', 'perplexity search.create']);
  });
});

group('openai audio, images, video and realtime', () => {
  it('recognises speech, realtime client secrets and sessions, and video generation', async () => {
    expect(
      await callsIn(
        `import OpenAI from 'openai';
const openai = new OpenAI();`,
        `  const a = await openai.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'coral', input: req.body.text });
  const b = await openai.realtime.clientSecrets.create({ session: { type: 'realtime', model: 'gpt-realtime' } });
  const c = await openai.beta.realtime.sessions.create({ model: 'gpt-4o-realtime-preview', instructions: req.body.persona });
  const d = await openai.videos.create({ model: 'sora-2', prompt: req.body.prompt });
  const e = await openai.images.edit({ model: 'gpt-image-1', image: req.body.image, prompt: req.body.prompt });
  res.json({ a, b, c, d, e });`,
      ),
    ).toEqual([
      'openai audio.speech.create gpt-4o-mini-tts',
      'openai realtime.clientSecrets.create gpt-realtime',
      'openai beta.realtime.sessions.create gpt-4o-realtime-preview',
      'openai videos.create sora-2',
      'openai images.edit gpt-image-1',
    ]);
  });
});

group('exposure of calls billed by another unit than tokens', () => {
  const endpointOf = async (setup: string, body: string) => (await scanFiles({ 'src/server.ts': expressRoute(setup, body) }))[0];
  const exposureOf = async (setup: string, body: string) => (await endpointOf(setup, body))?.exposure;

  it('leaves the price unknown when the table has no figure in that unit, and says so', async () => {
    const setup = `import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
const elevenlabs = new ElevenLabsClient();`;
    const speech = await endpointOf(setup, `  res.json(await elevenlabs.textToSpeech.convert('v', { text: req.body.text, modelId: 'eleven_v3' }));`);
    expect(speech?.exposure).toBeUndefined();
    expect(speech?.priceUnknown).toEqual(['elevenlabs textToSpeech.convert, billed by characters']);
    const openai = `import OpenAI from 'openai';
const openai = new OpenAI();`;
    // gpt-4o-mini-tts must not be priced as the chat model gpt-4o-mini.
    expect(await exposureOf(openai, `  res.json(await openai.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'coral', input: req.body.text }));`)).toBeUndefined();
  });

  it('prices a model the table lists per minute or per image', async () => {
    const openai = `import OpenAI from 'openai';
const openai = new OpenAI();`;
    const whisper = await endpointOf(openai, `  res.json(await openai.audio.transcriptions.create({ model: 'whisper-1', file: req.body.file }));`);
    expect(whisper?.exposure?.model).toBe('whisper-1');
    expect(whisper?.priceUnknown).toBeUndefined();
    const image = await exposureOf(openai, `  res.json(await openai.images.generate({ model: 'dall-e-3', prompt: req.body.prompt }));`);
    expect(image?.model).toBe('dall-e-3');
  });
});

group('Perplexity and Fireworks through the OpenAI SDK and the AI SDK', () => {
  it('reports the OpenAI client pointed at their hosts as their calls', async () => {
    expect(
      await callsIn(
        `import OpenAI from 'openai';
const pplx = new OpenAI({ apiKey: process.env.PERPLEXITY_API_KEY, baseURL: 'https://api.perplexity.ai' });
const fireworks = new OpenAI({ apiKey: process.env.FIREWORKS_API_KEY, baseURL: 'https://api.fireworks.ai/inference/v1' });`,
        `  const a = await pplx.chat.completions.create({ model: 'sonar', messages: req.body.messages });
  const b = await fireworks.chat.completions.create({ model: 'accounts/fireworks/models/llama-v3p1-70b-instruct', messages: req.body.messages });
  res.json({ a, b });`,
      ),
    ).toEqual(['perplexity chat.completions.create sonar', 'fireworks chat.completions.create accounts/fireworks/models/llama-v3p1-70b-instruct']);
  });

  it('recognises their AI SDK providers', async () => {
    expect(
      await callsIn(
        `import { generateText } from 'ai';
import { perplexity } from '@ai-sdk/perplexity';
import { fireworks } from '@ai-sdk/fireworks';`,
        `  const a = await generateText({ model: perplexity('sonar-pro'), prompt: req.body.q });
  const b = await generateText({ model: fireworks('accounts/fireworks/models/deepseek-v3'), prompt: req.body.q });
  res.json({ a, b });`,
      ),
    ).toEqual(['vercel-ai generateText sonar-pro', 'vercel-ai generateText accounts/fireworks/models/deepseek-v3']);
  });
});
