import { describe as group, expect, it } from 'vitest';
import { callsIn, unboundedIn } from './scan-snippet.js';

group('@mistralai/mistralai', () => {
  it('recognises chat.complete, chat.stream, fim and embeddings', async () => {
    expect(
      await callsIn(
        `import { Mistral } from '@mistralai/mistralai';
const mistral = new Mistral({ apiKey: process.env.MISTRAL_API_KEY });`,
        `  const a = await mistral.chat.complete({ model: 'mistral-large-latest', messages: req.body.messages, maxTokens: 400 });
  const b = await mistral.chat.stream({ model: 'mistral-small-latest', messages: [] });
  const c = await mistral.embeddings.create({ model: 'mistral-embed', inputs: [req.body.q] });
  const d = await mistral.fim.complete({ model: 'codestral-latest', prompt: req.body.code });
  await mistral.models.list();
  res.json({ a, b, c, d });`,
      ),
    ).toEqual(['mistral chat.complete mistral-large-latest', 'mistral chat.stream mistral-small-latest', 'mistral embeddings.create mistral-embed', 'mistral fim.complete codestral-latest']);
  });

  it('analyses the messages option', async () => {
    expect(
      await unboundedIn(
        `import { Mistral } from '@mistralai/mistralai';
const mistral = new Mistral();`,
        `  res.json(await mistral.chat.complete({ model: 'mistral-small-latest', messages: req.body.messages }));`,
      ),
    ).toEqual(['messages: array-length,item-size,roles']);
  });
});

group('cohere-ai', () => {
  it('recognises v1 and v2 clients', async () => {
    expect(
      await callsIn(
        `import { CohereClient, CohereClientV2 } from 'cohere-ai';
const v1 = new CohereClient({ token: process.env.CO_API_KEY });
const v2 = new CohereClientV2({});`,
        `  const a = await v1.chat({ model: 'command-r-plus', message: req.body.message, chatHistory: req.body.history });
  const b = await v2.chatStream({ model: 'command-a-03-2025', messages: [] });
  const c = await v1.generate({ prompt: 'x' });
  const d = await v2.embed({ model: 'embed-v4.0', texts: [req.body.q], inputType: 'search_query', embeddingTypes: ['float'] });
  res.json({ a, b, c, d });`,
      ),
    ).toEqual(['cohere chat command-r-plus', 'cohere chatStream command-a-03-2025', 'cohere generate', 'cohere embed embed-v4.0']);
  });

  it('analyses the v1 message and chat history', async () => {
    expect(
      await unboundedIn(
        `import { CohereClient } from 'cohere-ai';
const cohere = new CohereClient({ token: process.env.CO_API_KEY });`,
        `  res.json(await cohere.chat({ model: 'command-r', message: req.body.message, chatHistory: req.body.history }));`,
      ),
    ).toEqual(['message: item-size', 'chatHistory: array-length,item-size,roles']);
  });
});

group('groq-sdk and together-ai', () => {
  it('recognises the OpenAI-shaped clients', async () => {
    expect(
      await callsIn(
        `import Groq from 'groq-sdk';
import Together from 'together-ai';
const groq = new Groq();
const together = new Together({ apiKey: process.env.TOGETHER_API_KEY });`,
        `  const a = await groq.chat.completions.create({ model: 'llama-3.3-70b-versatile', messages: req.body.messages });
  const b = await together.chat.completions.create({ model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', messages: [] });
  const c = await together.images.create({ model: 'black-forest-labs/FLUX.1-schnell', prompt: req.body.prompt });
  res.json({ a, b, c });`,
      ),
    ).toEqual([
      'groq chat.completions.create llama-3.3-70b-versatile',
      'together chat.completions.create meta-llama/Llama-3.3-70B-Instruct-Turbo',
      'together images.create black-forest-labs/FLUX.1-schnell',
    ]);
  });
});

group('replicate', () => {
  const setup = `import Replicate from 'replicate';
const replicate = new Replicate({ auth: process.env.REPLICATE_API_TOKEN });`;

  it('recognises run, stream and prediction creation, not polling', async () => {
    expect(
      await callsIn(
        setup,
        `  const a = await replicate.run('black-forest-labs/flux-schnell', { input: { prompt: req.body.prompt } });
  for await (const event of replicate.stream('meta/meta-llama-3-70b-instruct', { input: { prompt: 'hi' } })) console.log(String(event));
  const p = await replicate.predictions.create({ version: '5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa', input: { prompt: 'x' } });
  const q = await replicate.models.predictions.create('stability-ai', 'sdxl', { input: { prompt: 'y' } });
  const done = await replicate.predictions.get(p.id);
  res.json({ a, done, q });`,
      ),
    ).toEqual([
      'replicate run black-forest-labs/flux-schnell',
      'replicate stream meta/meta-llama-3-70b-instruct',
      'replicate predictions.create 5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa',
      'replicate models.predictions.create stability-ai/sdxl',
    ]);
  });

  it('analyses the input object', async () => {
    expect(await unboundedIn(setup, `  res.json(await replicate.run('meta/meta-llama-3-8b-instruct', { input: { prompt: req.body.prompt, max_tokens: 256 } }));`)).toEqual([
      'input: item-size',
    ]);
  });
});

group('a client assigned after its declaration', () => {
  const call = `  res.json(await openai.chat.completions.create({ model: 'gpt-4o', messages: req.body.messages }));`;

  for (const assignment of ['openai = new OpenAI();', 'openai=new OpenAI();', 'openai\n  = new OpenAI();', 'openai ??= new OpenAI();']) {
    it(`is found from \`${assignment.replace(/\s+/g, ' ')}\`, however it is spaced`, async () => {
      expect(await callsIn(`import OpenAI from 'openai';\nlet openai: OpenAI;\n${assignment}`, call)).toEqual(['openai chat.completions.create gpt-4o']);
    });
  }

  it('is found when a function assigns it on first use', async () => {
    expect(
      await callsIn(
        `import OpenAI from 'openai';\nlet openai;\nfunction client() {\n  if (!openai) openai=new OpenAI();\n  return openai;\n}`,
        `  res.json(await client().chat.completions.create({ model: 'gpt-4o', messages: req.body.messages }));`,
      ),
    ).toEqual(['openai chat.completions.create gpt-4o']);
  });
});

group('@anthropic-ai/sdk', () => {
  it('recognises the 0.2x prompt-caching beta namespace', async () => {
    expect(
      await callsIn(
        `import Anthropic from '@anthropic-ai/sdk';
const anthropic = new Anthropic();`,
        `  res.json(await anthropic.beta.promptCaching.messages.create({ model: 'claude-3-5-sonnet-latest', max_tokens: 1024, messages: req.body.messages }));`,
      ),
    ).toEqual(['anthropic beta.promptCaching.messages.create claude-3-5-sonnet-latest']);
  });
});

group('options passed into a helper', () => {
  const setup = (send: string) => `import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
const openai = new OpenAI();
const anthropic = new Anthropic();
async function send(params: any) {
  return ${send};
}
async function withRetry(params: any) {
  try { return await send(params); } catch { return await send(params); }
}`;
  const body = `  const params = { model: 'm-1', max_tokens: 300, messages: req.body.messages };
  res.json(await withRetry(params));`;

  it.each([
    ['openai', 'openai.chat.completions.create(params)'],
    ['anthropic', 'anthropic.messages.create(params)'],
  ])('reads the object the route built for a %s call two helpers down', async (_, send) => {
    expect(await unboundedIn(setup(send), body)).toEqual(['messages: array-length,item-size,roles']);
  });
});

group('options passed into a helper, other SDKs', () => {
  const route = (imports: string, send: string, params: string) =>
    unboundedIn(
      `${imports}
async function send(params: any) {
  return ${send};
}`,
      `  const params = ${params};
  res.json(await send(params));`,
    );

  it('reads the object for the AI SDK', async () => {
    const imports = `import { generateText } from 'ai';\nimport { openai } from '@ai-sdk/openai';`;
    expect(await route(imports, 'generateText(params)', `{ model: openai('gpt-4o-mini'), maxOutputTokens: 300, messages: req.body.messages }`)).toEqual([
      'messages: array-length,item-size,roles',
    ]);
  });

  it('reads the object for Google GenAI', async () => {
    const imports = `import { GoogleGenAI } from '@google/genai';\nconst ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });`;
    expect(await route(imports, 'ai.models.generateContent(params)', `{ model: 'gemini-2.5-flash', contents: req.body.contents, config: { maxOutputTokens: 300 } }`)).toEqual([
      'contents: array-length,item-size,roles',
    ]);
  });
});

group('cuts of the message list', () => {
  const setup = `import OpenAI from 'openai';\nconst openai = new OpenAI();`;
  const call = (messages: string) =>
    `  const history = req.body.messages.map((m: any) => ({ role: m.role === 'assistant' ? 'assistant' : 'user', content: String(m.content).slice(0, 2000) }));
  res.json(await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages: ${messages} }));`;

  it.each(['history.slice(-20)', 'history.slice(0, 20)', 'history.slice(-21, -1)', 'history.slice(history.length - 20)'])('%s bounds the number of messages', async (messages) => {
    expect(await unboundedIn(setup, call(messages))).toEqual([]);
  });

  it.each(['history.slice(0, -1)', 'history.slice(1)'])('%s drops one message and bounds nothing', async (messages) => {
    expect(await unboundedIn(setup, call(messages))).toEqual(['messages: array-length']);
  });
});
