import { describe as group, expect, it } from 'vitest';
import { callsIn } from './scan-snippet.js';

const chat = (client: string) => `  res.json(await ${client}.chat.completions.create({ model: 'some-model', messages: req.body.messages }));`;

group('OpenAI SDK pointed at other APIs', () => {
  it.each([
    ['https://openrouter.ai/api/v1', 'openrouter'],
    ['https://api.deepseek.com', 'deepseek'],
    ['https://api.x.ai/v1', 'xai'],
    ['https://api.together.xyz/v1', 'together'],
    ['https://api.fireworks.ai/inference/v1', 'fireworks'],
    ['https://api.groq.com/openai/v1', 'groq'],
  ])('reports a client with baseURL %s as %s', async (baseURL, provider) => {
    expect(await callsIn(`import OpenAI from 'openai';\nconst client = new OpenAI({ baseURL: '${baseURL}', apiKey: process.env.API_KEY });`, chat('client'))).toEqual([
      `${provider} chat.completions.create some-model`,
    ]);
  });

  it('follows a base URL held in a constant', async () => {
    expect(
      await callsIn(
        `import OpenAI from 'openai';
const OPENROUTER_URL = 'https://openrouter.ai/api/v1';
const openrouter = new OpenAI({ baseURL: OPENROUTER_URL, apiKey: process.env.OPENROUTER_API_KEY });`,
        chat('openrouter'),
      ),
    ).toEqual(['openrouter chat.completions.create some-model']);
  });

  it('keeps an unknown or configurable base URL as a paid OpenAI call', async () => {
    expect(await callsIn(`import OpenAI from 'openai';\nconst client = new OpenAI({ baseURL: process.env.LLM_BASE_URL });`, chat('client'))).toEqual([
      'openai chat.completions.create some-model',
    ]);
  });

  it.each(['http://localhost:11434/v1', 'http://127.0.0.1:11434/v1', 'http://ollama:11434/v1', 'http://localhost:1234/v1'])(
    'does not count a model served at %s',
    async (baseURL) => {
      expect(await callsIn(`import OpenAI from 'openai';\nconst local = new OpenAI({ baseURL: '${baseURL}', apiKey: 'ollama' });`, chat('local'))).toEqual([]);
    },
  );
});

group('Azure OpenAI', () => {
  it('reports the AzureOpenAI class of the openai package', async () => {
    expect(
      await callsIn(
        `import { AzureOpenAI } from 'openai';
const azure = new AzureOpenAI({ endpoint: process.env.AZURE_OPENAI_ENDPOINT, apiVersion: '2024-10-21', deployment: 'gpt-4o' });`,
        chat('azure'),
      ),
    ).toEqual(['azure-openai chat.completions.create some-model']);
  });

  it('reports a client pointed at an *.openai.azure.com resource', async () => {
    expect(await callsIn(`import OpenAI from 'openai';\nconst client = new OpenAI({ baseURL: 'https://contoso.openai.azure.com/openai/v1/' });`, chat('client'))).toEqual([
      'azure-openai chat.completions.create some-model',
    ]);
  });

  it('recognises the @azure/openai OpenAIClient with the deployment as the model', async () => {
    expect(
      await callsIn(
        `import { AzureKeyCredential, OpenAIClient } from '@azure/openai';
const client = new OpenAIClient(process.env.AZURE_OPENAI_ENDPOINT!, new AzureKeyCredential(process.env.AZURE_OPENAI_KEY!));`,
        `  const a = await client.getChatCompletions('gpt-35-turbo', req.body.messages, { maxTokens: 256 });
  const events = await client.streamChatCompletions('gpt-4o', [{ role: 'user', content: 'hi' }]);
  res.json({ a, events });`,
      ),
    ).toEqual(['azure-openai getChatCompletions gpt-35-turbo', 'azure-openai streamChatCompletions gpt-4o']);
  });
});
