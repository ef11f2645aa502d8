/** Framework decorations: a client set on a request, app or instance in one file and read in another. */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects } from '../rules/project.js';
import { endpointsOf, summaries } from '../frameworks/server-helpers.js';

afterAll(removeProjects);

const routesOf = async (files: Record<string, string>) => (await endpointsOf(files)).map((e) => `${e.framework} ${e.method} ${e.path}`).sort();

describe('decorated clients', () => {
  it('follows Hono c.set() to c.get() and c.var', async () => {
    expect(
      await routesOf({
        'src/middleware/ai.ts': `import { createMiddleware } from 'hono/factory';
import OpenAI from 'openai';
const openai = new OpenAI();
export const withAi = createMiddleware(async (c, next) => {
  c.set('ai', openai);
  await next();
});
`,
        'src/index.ts': `import { Hono } from 'hono';
import { withAi } from './middleware/ai';
const app = new Hono();
app.use('*', withAi);
app.post('/api/ask', async (c) => {
  const { question } = await c.req.json();
  return c.json(await c.get('ai').chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] }));
});
app.post('/api/title', async (c) => {
  const { text } = await c.req.json();
  return c.json(await c.var.ai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] }));
});
app.get('/api/health', (c) => c.json({ ok: Boolean(c.get('ai')) }));
export default app;
`,
      }),
    ).toEqual(['hono POST /api/ask', 'hono POST /api/title']);
  });

  it('follows Express app.locals set where the client is made', async () => {
    expect(
      await routesOf({
        'src/server.ts': `import express from 'express';
import OpenAI from 'openai';
import { chat } from './chat';
const app = express();
app.locals.openai = new OpenAI();
app.post('/api/chat', chat);
app.listen(3000);
`,
        'src/chat.ts': `import type { Request, Response } from 'express';
export async function chat(req: Request, res: Response) {
  const out = await req.app.locals.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: req.body.messages });
  res.json(out);
}
`,
      }),
    ).toEqual(['express POST /api/chat']);
  });

  it('keeps a verified user set beside the client as the request user', async () => {
    const list = await summaries({
      'server/middleware/context.ts': `import OpenAI from 'openai';
const openai = new OpenAI();
export default defineEventHandler(async (event) => {
  event.context.openai = openai;
  event.context.user = (await getUserSession(event)).user ?? null;
});
`,
      'server/api/ask.post.ts': `export default defineEventHandler(async (event) => {
  if (!event.context.user) throw createError({ statusCode: 401 });
  const { question } = await readBody(event);
  return event.context.openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 200, messages: [{ role: 'user', content: String(question).slice(0, 500) }] });
});
`,
    });
    expect(list.map((s) => `${s.route} auth=${s.auth}`)).toEqual(['POST /api/ask auth=true']);
  });
});
