/**
 * A paid call whose provider the price table does not list gets no invented price (it used to be priced as the
 * most expensive model of any provider): the endpoint says the price is unknown and shows its token bounds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects, scanProject } from '../rules/project.js';

afterAll(removeProjects);

const route = (maxTokens: string) =>
  `import express from 'express';\nimport OpenAI from 'openai';\nconst router = new OpenAI({ baseURL: 'https://openrouter.ai/api/v1', apiKey: process.env.OPENROUTER_API_KEY });\nconst app = express();\napp.post('/api/ask', async (req, res) => {\n  const reply = await router.chat.completions.create({ model: 'meta-llama/llama-3.3-70b-instruct', ${maxTokens}messages: [{ role: 'user', content: String(req.body.q).slice(0, 2000) }] });\n  res.json(reply);\n});\napp.listen(3000);\n`;

describe('a provider outside the price table', () => {
  it('has no dollar figure, and its token bounds instead', async () => {
    const [endpoint] = (await scanProject({ 'src/server.ts': route('max_tokens: 200, ') })).endpoints;
    expect(endpoint.exposure).toBeUndefined();
    expect(endpoint.priceUnknown).toEqual([
      'openrouter chat.completions.create (meta-llama/llama-3.3-70b-instruct): no list price for openrouter; input unbounded and at most 200 output tokens per request',
    ]);
  });

  it('says which bound is missing', async () => {
    const [endpoint] = (await scanProject({ 'src/server.ts': route('') })).endpoints;
    expect(endpoint.priceUnknown?.[0]).toContain('output unbounded per request');
  });
});
