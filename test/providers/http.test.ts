import { describe as group, expect, it } from 'vitest';
import { callsIn } from './scan-snippet.js';

const post = (url: string) => `  const r = await fetch(${url}, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'm-1', messages: req.body.messages }),
  });
  res.json(await r.json());`;

group('raw HTTP to the providers', () => {
  it.each([
    ["'https://api.mistral.ai/v1/chat/completions'", 'mistral'],
    ["'https://api.cohere.com/v2/chat'", 'cohere'],
    ["'https://api.cohere.ai/v1/chat'", 'cohere'],
    ["'https://api.groq.com/openai/v1/chat/completions'", 'groq'],
    ["'https://api.together.xyz/v1/chat/completions'", 'together'],
    ["'https://api.replicate.com/v1/predictions'", 'replicate'],
    ['`https://bedrock-runtime.${process.env.AWS_REGION}.amazonaws.com/model/m-1/converse`', 'bedrock'],
    ["'https://openrouter.ai/api/v1/chat/completions'", 'openrouter'],
    ["'https://api.deepseek.com/chat/completions'", 'deepseek'],
    ["'https://api.x.ai/v1/chat/completions'", 'xai'],
    ["'https://api.fireworks.ai/inference/v1/chat/completions'", 'fireworks'],
    ['`https://${process.env.AZURE_RESOURCE}.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`', 'azure-openai'],
  ])('fetch(%s) is a paid %s call', async (url, provider) => {
    const calls = await callsIn('', post(url));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(new RegExp(`^${provider} POST .* m-1$`));
  });

  it('reads a configurable base URL as its default, also through a function that hands the URL back', async () => {
    const setup = `const OPENAI_BASE_URL = 'https://api.openai.com';
const config = { baseUrl: process.env.BASE_URL };
function throughGateway(url: string) {
  if (url.includes('gateway.example.com')) return url.split('/').slice(0, 5).join('/');
  return url;
}`;
    const body = `  let baseUrl = config.baseUrl || OPENAI_BASE_URL;
  const fetchUrl = throughGateway(\`\${baseUrl}/v1/chat/completions\`);
${post('fetchUrl')}`;
    expect(await callsIn(setup, body)).toEqual(['openai POST api.openai.com/v1/chat/completions m-1']);
    expect(await callsIn(setup, body.replace('config.baseUrl || OPENAI_BASE_URL', 'config.baseUrl'))).toEqual([]);
    // A local model in development and OpenAI otherwise: the paid branch counts.
    const local = body.replace('config.baseUrl || OPENAI_BASE_URL', "process.env.NODE_ENV === 'development' ? 'http://localhost:11434' : OPENAI_BASE_URL");
    expect(await callsIn(setup, local)).toEqual(['openai POST api.openai.com/v1/chat/completions m-1']);
  });

  it('reads a base URL through the string methods that tidy it (trim, a trailing slash replaced away)', async () => {
    const body = (base: string) => `  const baseUrl = ${base};
${post('`${baseUrl}/v1/chat/completions`')}`;
    const tidied = "(process.env.OPENAI_API_BASE_URL || 'https://api.openai.com').trim().replace(/\\/$/, '')";
    expect(await callsIn('', body(tidied))).toEqual(['openai POST api.openai.com/v1/chat/completions m-1']);
    expect(await callsIn('', body('`${process.env.HOST || "https://api.mistral.ai"}`.toLowerCase()'))).toEqual(['mistral POST api.mistral.ai/v1/chat/completions m-1']);
    // Other methods make something else of the text: not read as a URL.
    expect(await callsIn('', body("'https://api.openai.com'.split('/')[0]"))).toEqual([]);
    expect(await callsIn('', body("'https://api.openai.com'.length.toString()"))).toEqual([]);
  });

  it('does not count a fetch that only reads (polling a prediction)', async () => {
    expect(await callsIn('', `  const r = await fetch('https://api.replicate.com/v1/predictions/' + req.params.id, { headers: { Authorization: 'Bearer x' } });\n  res.json(await r.json());`)).toEqual([]);
    expect(await callsIn('', `  const r = await fetch('https://openrouter.ai/api/v1/models');\n  res.json(await r.json());`)).toEqual([]);
  });

  it('recognises axios, ky and got, also through an instance with a base URL', async () => {
    expect(
      await callsIn(
        `import axios from 'axios';
import ky from 'ky';
import got from 'got';
const openrouter = axios.create({ baseURL: 'https://openrouter.ai/api/v1' });`,
        `  const a = await axios.post('https://api.mistral.ai/v1/chat/completions', { model: 'mistral-small-latest', messages: [] });
  const b = await ky.post('https://api.groq.com/openai/v1/chat/completions', { json: { model: 'llama-3.1-8b-instant', messages: [] } }).json();
  const c = await got.post('https://api.deepseek.com/chat/completions', { json: { model: 'deepseek-chat', messages: [] } }).json();
  const d = await openrouter.post('/chat/completions', { model: 'openai/gpt-4o-mini', messages: [] });
  res.json({ a, b, c, d });`,
      ),
    ).toEqual([
      'mistral POST api.mistral.ai/v1/chat/completions mistral-small-latest',
      'groq POST api.groq.com/openai/v1/chat/completions llama-3.1-8b-instant',
      'deepseek POST api.deepseek.com/chat/completions deepseek-chat',
      'openrouter POST openrouter.ai/api/v1/chat/completions openai/gpt-4o-mini',
    ]);
  });

  it('does not count free token-counting endpoints', async () => {
    expect(await callsIn('', post("'https://api.anthropic.com/v1/messages/count_tokens'"))).toEqual([]);
    expect(await callsIn('', post('`https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:countTokens?key=${process.env.KEY}`'))).toEqual([]);
  });

  it('does not count requests to a model on localhost', async () => {
    expect(await callsIn('', post("'http://localhost:11434/api/chat'"))).toEqual([]);
    expect(await callsIn('', post("'http://127.0.0.1:11434/v1/chat/completions'"))).toEqual([]);
  });
});

group('model ids in the URL', () => {
  it('reads the Gemini and Bedrock model from the path', async () => {
    const gemini = await callsIn(
      '',
      `  const r = await fetch(\`https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent?key=\${process.env.KEY}\`, { method: 'POST', body: JSON.stringify({ contents: [] }) });\n  res.json(await r.json());`,
    );
    expect(gemini).toEqual(['google POST generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent gemini-2.0-flash']);
    const bedrock = await callsIn(
      '',
      `  const r = await fetch('https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse', { method: 'POST', body: JSON.stringify({ messages: [] }) });\n  res.json(await r.json());`,
    );
    expect(bedrock).toEqual(['bedrock POST bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse amazon.nova-lite-v1:0']);
  });
});
