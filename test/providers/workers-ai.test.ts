import { describe as group, expect, it } from 'vitest';
import { scanFiles } from './scan-snippet.js';

const summary = async (files: Record<string, string>) =>
  (await scanFiles(files)).map((e) => `${e.method} ${e.path} ${e.aiCalls.map((c) => `${c.provider} ${c.api} ${c.model ?? '?'}`).join(', ')} inputs=${e.facts.unboundedInputs.length}`);

group('Cloudflare Workers AI', () => {
  it('recognises the AI binding in a Worker and in Hono, with its messages as input', async () => {
    expect(
      await summary({
        'src/index.ts': `export interface Env { AI: Ai }
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { messages } = await request.json<{ messages: RoleScopedChatInput[] }>();
    const answer = await env.AI.run('@cf/meta/llama-3.1-8b-instruct', { messages, max_tokens: 512 });
    return Response.json(answer);
  },
};
`,
      }),
    ).toEqual(['ALL /* workers-ai AI.run @cf/meta/llama-3.1-8b-instruct inputs=1']);
    expect(
      await summary({
        'src/index.ts': `import { Hono } from 'hono';
const MODEL = '@cf/mistral/mistral-7b-instruct-v0.1';
const app = new Hono<{ Bindings: { AI: Ai } }>();
app.post('/api/ask', async (c) => {
  const { prompt } = await c.req.json();
  return c.json(await c.env.AI.run(MODEL, { prompt: String(prompt).slice(0, 2000), max_tokens: 256 }));
});
export default app;
`,
      }),
    ).toEqual(['POST /api/ask workers-ai AI.run @cf/mistral/mistral-7b-instruct-v0.1 inputs=0']);
  });

  it('does not count other run methods', async () => {
    expect(
      await summary({
        'src/index.ts': `import { Hono } from 'hono';
const app = new Hono();
app.post('/api/job', async (c) => c.json(await c.env.QUEUE_RUNNER.run('nightly', { at: Date.now() })));
export default app;
`,
      }),
    ).toEqual([]);
  });
});
