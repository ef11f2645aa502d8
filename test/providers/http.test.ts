import { describe as group, expect, it } from 'vitest';
import { callsIn, expressRoute, scanFiles } from './scan-snippet.js';

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

  it('follows a Request object to its URL, also on a class field defaulting to a provider host', async () => {
    const client = (field: string) => `class Mistral {
  ${field}
  async send(messages: unknown[]) {
    const request = new Request(new URL('/v1/chat/completions', this.baseURL), {
      method: 'POST',
      body: JSON.stringify({ model: 'm-1', messages }),
    });
    return fetch(request);
  }
}
const mistral = new Mistral();`;
    const body = `  res.json(await mistral.send(req.body.messages));`;
    expect(await callsIn(client("baseURL = 'https://api.mistral.ai';"), body)).toEqual(['mistral POST api.mistral.ai/v1/chat/completions m-1']);
    expect(await callsIn(client('baseURL = process.env.CHAT_HOST;'), body)).toEqual([]);
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

  it("recognises Node's https.request to a provider host, and not a GET or another host", async () => {
    const request = (options: string) =>
      `  const upstream = https.request(${options}, (reply) => reply.pipe(res));\n  upstream.write(JSON.stringify({ model: 'gpt-4o-mini', messages: req.body.messages }));\n  upstream.end();`;
    const node = "import https from 'node:https';";
    expect(await callsIn(node, request("{ hostname: 'api.openai.com', path: '/v1/chat/completions', method: 'POST', headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}` } }"))).toEqual([
      'openai POST api.openai.com/v1/chat/completions',
    ]);
    expect(await callsIn(node, request("'https://api.anthropic.com/v1/messages', { method: 'POST' }"))).toEqual(['anthropic POST api.anthropic.com/v1/messages']);
    expect(await callsIn(node, request("{ hostname: 'api.openai.com', path: '/v1/models', method: 'GET' }"))).toEqual([]);
    expect(await callsIn(node, request("{ hostname: 'hooks.example.com', path: '/notify', method: 'POST' }"))).toEqual([]);
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

group('raw HTTP to a URL from configuration, authorised by a provider key', () => {
  const configured = '<configured URL>';

  it.each([
    [
      'needle with the method first',
      `import needle from 'needle';`,
      `  const key = process.env.OPENAI_API_KEY;
  const r = await needle('post', process.env.OPENAI_URL, { model: 'gpt-4o', messages: req.body.messages }, { headers: { authorization: 'Bearer ' + key }, json: true });`,
      `openai POST ${configured} gpt-4o`,
    ],
    [
      'needle.post',
      `import needle from 'needle';`,
      `  const r = await needle.post(process.env.LLM_URL, { model: 'mistral-large-latest', prompt: req.body.q }, { headers: { Authorization: \`Bearer \${process.env.MISTRAL_API_KEY}\` } });`,
      `mistral POST ${configured} mistral-large-latest`,
    ],
    [
      'superagent with the key set on the chain',
      `import superagent from 'superagent';`,
      `  const r = await superagent.post(process.env.CLAUDE_PROXY_URL!).set('x-api-key', process.env.ANTHROPIC_API_KEY!).send({ model: 'claude-sonnet-4-5', messages: req.body.messages, max_tokens: 512 });`,
      `anthropic POST ${configured} claude-sonnet-4-5`,
    ],
    [
      "undici's request",
      `import { request } from 'undici';`,
      `  const r = await request(process.env.GROQ_URL!, { method: 'POST', headers: { Authorization: \`Bearer \${process.env.GROQ_API_KEY}\` }, body: JSON.stringify({ model: 'llama-3.3-70b-versatile', messages: req.body.messages }) });`,
      `groq POST ${configured} llama-3.3-70b-versatile`,
    ],
    [
      'ofetch with an object body',
      `import { ofetch } from 'ofetch';`,
      `  const r = await ofetch(process.env.AI_URL!, { method: 'POST', headers: { Authorization: 'Bearer ' + process.env.OPENROUTER_API_KEY }, body: { model: 'openai/gpt-4o-mini', messages: req.body.messages } });`,
      `openrouter POST ${configured} openai/gpt-4o-mini`,
    ],
    [
      "Nuxt's global $fetch",
      '',
      `  const r = await $fetch(useRuntimeConfig().aiUrl, { method: 'POST', headers: { Authorization: \`Bearer \${process.env.DEEPSEEK_API_KEY}\` }, body: { model: 'deepseek-chat', messages: req.body.messages } });`,
      `deepseek POST ${configured} deepseek-chat`,
    ],
    [
      'axios with the headers in its config',
      `import axios from 'axios';`,
      `  const r = await axios.post(\`\${process.env.GATEWAY_URL}/v1/responses\`, { model: 'gpt-4.1', input: req.body.q }, { headers: { Authorization: \`Bearer \${process.env.OPENAI_API_KEY}\` } });`,
      `openai POST ${configured}/v1/responses gpt-4.1`,
    ],
    [
      'fetch with a key behind a framework prefix',
      '',
      `  const r = await fetch(process.env.AI_URL!, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: \`Bearer \${process.env.AZURE_OPENAI_API_KEY}\` }, body: JSON.stringify({ model: 'gpt-4o', messages: req.body.messages }) });`,
      `azure-openai POST ${configured} gpt-4o`,
    ],
  ])('%s is a paid call', async (_name, setup, body, expected) => {
    expect(await callsIn(setup, `${body}\n  res.json(r);`)).toEqual([expected]);
  });

  it('needs the model with its input and a key named after a provider', async () => {
    const request = (headers: string, payload: string) =>
      `  const r = await fetch(process.env.AI_URL!, { method: 'POST', headers: { ${headers} }, body: JSON.stringify(${payload}) });\n  res.json(await r.json());`;
    const key = 'Authorization: `Bearer ${process.env.OPENAI_API_KEY}`';
    expect(await callsIn('', request(key, '{ model: "gpt-4o", messages: req.body.messages }'))).toHaveLength(1);
    // Not a provider's key: a webhook or an internal service.
    expect(await callsIn('', request('Authorization: `Bearer ${process.env.INTERNAL_SERVICE_TOKEN}`', '{ model: "gpt-4o", messages: req.body.messages }'))).toEqual([]);
    // No model, or a model without input: not a generation request.
    expect(await callsIn('', request(key, '{ messages: req.body.messages }'))).toEqual([]);
    expect(await callsIn('', request(key, '{ model: "gpt-4o", purpose: "fine-tune" }'))).toEqual([]);
    // The key read but not sent.
    expect(await callsIn('', request("'Content-Type': 'application/json'", '{ model: "gpt-4o", messages: req.body.messages, key: process.env.OPENAI_API_KEY }'))).toEqual([]);
    // A model served on the developer's machine.
    const local = `  const r = await fetch('http://localhost:11434/v1/chat/completions', { method: 'POST', headers: { ${key} }, body: JSON.stringify({ model: 'llama3', messages: [] }) });\n  res.json(r);`;
    expect(await callsIn('', local)).toEqual([]);
  });

  it('analyses the body like a request to the provider host', async () => {
    const body = `  const r = await fetch(process.env.OPENAI_URL!, { method: 'POST', headers: { Authorization: \`Bearer \${process.env.OPENAI_API_KEY}\` }, body: JSON.stringify({ model: 'gpt-4o', messages: req.body.messages }) });
  res.json(await r.json());`;
    const endpoints = await scanFiles({ 'src/server.ts': expressRoute('', body) });
    expect(endpoints.flatMap((e) => e.facts.unboundedInputs).map((u) => u.argument)).toEqual(['messages']);
    expect(endpoints.flatMap((e) => e.facts.uncappedOutputs)).toHaveLength(1);
  });
});

group('media APIs over raw HTTP', () => {
  it.each([
    ["'https://api.elevenlabs.io/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb'", '{ text: req.body.text, model_id: "eleven_multilingual_v2" }', 'elevenlabs POST api.elevenlabs.io/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb eleven_multilingual_v2'],
    ["'https://api.deepgram.com/v1/listen?model=nova-3'", '{ url: req.body.url }', 'deepgram POST api.deepgram.com/v1/listen'],
    ["'https://api.assemblyai.com/v2/transcript'", '{ audio_url: req.body.url }', 'assemblyai POST api.assemblyai.com/v2/transcript'],
    ["'https://fal.run/fal-ai/flux/dev'", '{ prompt: req.body.prompt }', 'fal POST fal.run/fal-ai/flux/dev'],
    ["'https://api.stability.ai/v2beta/stable-image/generate/ultra'", '{ prompt: req.body.prompt }', 'stability POST api.stability.ai/v2beta/stable-image/generate/ultra'],
  ])('fetch(%s) is a paid call', async (url, payload, expected) => {
    expect(await callsIn('', `  const r = await fetch(${url}, { method: 'POST', body: JSON.stringify(${payload}) });\n  res.json(await r.json());`)).toEqual([expected]);
  });

  it('recognises axios.postForm to Stability, whose body is multipart', async () => {
    expect(
      await callsIn(
        `import axios from 'axios';`,
        `  const r = await axios.postForm('https://api.stability.ai/v2beta/stable-image/generate/core', axios.toFormData({ prompt: req.body.prompt, output_format: 'webp' }), { headers: { Authorization: \`Bearer \${process.env.STABILITY_API_KEY}\` } });\n  res.json(r.data);`,
      ),
    ).toEqual(['stability POST api.stability.ai/v2beta/stable-image/generate/core']);
  });
});
