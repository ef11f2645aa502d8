/** Hono: routes, mounts and base paths, middleware order and scope, and the protections its idioms express. */
import { afterAll, describe, expect, it } from 'vitest';
import { honoPatternCovers } from '../../src/frameworks/hono.js';
import { removeProjects } from '../rules/project.js';
import { at, chatCall, endpointsOf, summaries } from './server-helpers.js';

afterAll(removeProjects);

const IMPORTS = `import { Hono } from 'hono';\nimport { openai } from '../lib/openai';\n`;

describe('Hono routes', () => {
  it('joins basePath, route() mounts, app.on methods and chained registrations', async () => {
    const found = await endpointsOf({
      'src/index.ts': `${IMPORTS}import { drafts } from './drafts';
const app = new Hono().basePath('/api');
app.route('/v1', drafts);
export default { fetch: app.fetch };
`,
      'src/drafts.ts': `${IMPORTS}
export const drafts = new Hono()
  .post('/outline', async (c) => c.json(${chatCall("String((await c.req.json()).topic).slice(0, 200)")}))
  .post('/title', async (c) => c.json(${chatCall("String((await c.req.json()).topic).slice(0, 200)")}));
drafts.on(['PUT', 'PATCH'], '/revise', async (c) => c.json(${chatCall("(await c.req.text()).slice(0, 2000)")}));
`,
    });
    expect(found.map((e) => `${e.framework} ${e.method} ${e.path} :${e.location.line}`).sort()).toEqual([
      'hono PATCH /api/v1/revise :7',
      'hono POST /api/v1/outline :5',
      'hono POST /api/v1/title :6',
      'hono PUT /api/v1/revise :7',
    ]);
  });

  it('follows a sub-app mounted inline with require()', async () => {
    const found = await endpointsOf({
      'src/index.js': `const { Hono } = require('hono');
const app = new Hono();
app.route('/legacy', require('./legacy'));
module.exports = app;
`,
      'src/legacy.js': `const { Hono } = require('hono');
const { openai } = require('../lib/openai');
const legacy = new Hono();
legacy.post('/complete', async (c) => c.json(${chatCall("String((await c.req.json()).prompt).slice(0, 500)")}));
module.exports = legacy;
`,
    });
    expect(found.map((e) => `${e.method} ${e.path} ${e.mount ?? 'resolved'}`)).toEqual(['POST /legacy/complete resolved']);
  });

  it('matches use() scopes like Hono does', () => {
    expect(honoPatternCovers('*', '/api/chat')).toBe(true);
    expect(honoPatternCovers('/api/*', '/api/chat')).toBe(true);
    expect(honoPatternCovers('/api/*', '/api')).toBe(true);
    expect(honoPatternCovers('/api/*', '/apiary')).toBe(false);
    expect(honoPatternCovers('/api/chat', '/api/chat/stream')).toBe(false);
    expect(honoPatternCovers('/api/:team/chat', '/api/acme/chat')).toBe(true);
  });
});

describe('Hono middleware', () => {
  it('applies use() layers registered before a route whose path they cover', async () => {
    const list = await summaries({
      'src/index.ts': `${IMPORTS}import { bearerAuth } from 'hono/bearer-auth';
import { basicAuth } from 'hono/basic-auth';
const app = new Hono();
app.post('/api/early', async (c) => c.json(${chatCall("'hello'")}));
app.use('/api/*', bearerAuth({ token: process.env.API_TOKEN! }));
app.use('/admin/*', basicAuth({ username: 'admin', password: process.env.ADMIN_PASSWORD! }));
app.post('/api/chat', async (c) => c.json(${chatCall("'hello'")}));
app.post('/public/chat', async (c) => c.json(${chatCall("'hello'")}));
export default app;
`,
    });
    expect(at(list, 'POST /api/early').auth).toBe(false);
    expect(at(list, 'POST /api/chat').auth).toBe(true);
    expect(at(list, 'POST /public/chat').auth).toBe(false);
  });

  it('recognises a 401 from the handler or a thrown HTTPException, reading c.get() variables', async () => {
    const list = await summaries({
      'src/index.ts': `${IMPORTS}import { HTTPException } from 'hono/http-exception';
const app = new Hono();
app.post('/a', async (c) => {
  if (!c.get('user')) return c.json({ error: 'Sign in first' }, 401);
  return c.json(${chatCall("'hello'")});
});
app.post('/b', async (c) => {
  const session = c.get('session');
  if (!session?.userId) throw new HTTPException(401, { message: 'Unauthorized' });
  return c.json(${chatCall("'hello'")});
});
export default app;
`,
    });
    expect(at(list, 'POST /a').auth).toBe(true);
    expect(at(list, 'POST /b').auth).toBe(true);
  });

  it('traces hono-rate-limiter keys: the connecting IP, a verified user, a client header', async () => {
    const limited = (key: string) => `${IMPORTS}import { rateLimiter } from 'hono-rate-limiter';
import { getConnInfo } from 'hono/bun';
const app = new Hono();
app.use('*', rateLimiter({ windowMs: 60_000, limit: 10, keyGenerator: (c) => ${key} }));
app.post('/chat', async (c) => c.json(${chatCall("'hello'")}));
export default app;
`;
    const key = async (expression: string) => at(await summaries({ 'src/index.ts': limited(expression) }), 'POST /chat').limits;
    const onCloudflare = async (expression: string) => at(await summaries({ 'src/index.ts': limited(expression), 'wrangler.toml': 'name = "chat"\n' }), 'POST /chat').limits;
    expect(await onCloudflare("c.req.header('cf-connecting-ip') ?? ''")).toEqual(['ip']);
    // Served by Bun with nothing in front that overwrites it, the header is whatever the client sends.
    expect(await key("c.req.header('cf-connecting-ip') ?? ''")).toEqual(['client']);
    expect(await key('getConnInfo(c).remote.address ?? ""')).toEqual(['ip']);
    expect(await key("c.get('jwtPayload').sub")).toEqual(['user']);
    expect(await key("c.req.header('x-device-id') ?? 'anon'")).toEqual(['client']);
  });

  it('reads zValidator bounds for the validated target only', async () => {
    const route = (target: string) => `${IMPORTS}import { zValidator } from '@hono/zod-validator';
import { z } from 'zod';
const Ask = z.object({ q: z.string().max(500) });
const app = new Hono();
app.post('/ask', zValidator('${target}', Ask), async (c) => {
  const { q } = c.req.valid('json');
  return c.json(${chatCall('q')});
});
export default app;
`;
    expect(at(await summaries({ 'src/index.ts': route('json') }), 'POST /ask').unbounded).toEqual([]);
    expect(at(await summaries({ 'src/index.ts': route('query') }), 'POST /ask').unbounded).toEqual(['item-size']);
  });
});
