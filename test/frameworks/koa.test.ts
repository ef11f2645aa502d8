/** Koa with @koa/router: routers, prefixes and mounts, layer order, and koa-jwt / koa-ratelimit options. */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects } from '../rules/project.js';
import { at, chatCall, endpointsOf, summaries } from './server-helpers.js';

afterAll(removeProjects);

const IMPORTS = `import Koa from 'koa';\nimport Router from '@koa/router';\nimport { openai } from '../lib/openai';\n`;
const HANDLER = `async (ctx) => { ctx.body = ${chatCall("'hello'")}; }`;

describe('Koa routes', () => {
  it('follows a router mounted inline with require()', async () => {
    const found = await endpointsOf({
      'src/app.ts': `import Koa from 'koa';
const app = new Koa();
app.use(require('../routers/assistant').routes());
app.listen(3000);
`,
      'routers/assistant.ts': `${IMPORTS}
const router = new Router({ prefix: '/assistant' });
router.post('/explain', ${HANDLER});
module.exports = router;
`,
    });
    expect(found.map((e) => `${e.method} ${e.path} ${e.mount ?? 'resolved'}`)).toEqual(['POST /assistant/explain resolved']);
  });

  it('keeps the routes of a router mounted where the scan cannot follow, relative to it, behind the app middleware', async () => {
    const found = await endpointsOf({
      'src/app.ts': `import Koa from 'koa';
import fs from 'node:fs';
const app = new Koa();
app.use(async (ctx, next) => {
  if (!ctx.state.user) ctx.throw(401, 'Sign in first');
  await next();
});
for (const file of fs.readdirSync(__dirname + '/../routers')) app.use(require('../routers/' + file).routes());
app.listen(3000);
`,
      'routers/assistant.ts': `${IMPORTS}
const router = new Router();
router.post('/explain', ${HANDLER});
module.exports = router;
`,
    });
    expect(found.map((e) => `${e.method} ${e.path} ${e.mount ?? 'resolved'} auth=${e.facts.auth.length > 0}`)).toEqual(['POST /explain unresolved auth=true']);
  });

  it('joins router prefixes (constructor and prefix()) with nested mounts, and reads named routes', async () => {
    const list = await summaries({
      'src/app.ts': `${IMPORTS}
const app = new Koa();
const api = new Router({ prefix: '/api' });
const ai = new Router();
ai.prefix('/ai');
ai.post('ai-chat', '/chat', ${HANDLER});
ai.del('/history', ${HANDLER});
api.use('/v2', ai.routes(), ai.allowedMethods());
app.use(api.routes());
`,
    });
    expect(list.map((s) => s.route)).toEqual(['DELETE /api/v2/ai/history', 'POST /api/v2/ai/chat']);
  });

  it('runs router.use() and app.use() layers only for routes registered after them', async () => {
    const list = await summaries({
      'src/app.ts': `${IMPORTS}
async function requireUser(ctx, next) {
  if (!ctx.state.user) ctx.throw(401, 'Sign in first');
  await next();
}
const app = new Koa();
const router = new Router();
router.post('/before', ${HANDLER});
router.use(requireUser);
router.post('/after', ${HANDLER});
app.use(router.routes());
`,
    });
    expect(at(list, 'POST /before').auth).toBe(false);
    expect(at(list, 'POST /after').auth).toBe(true);
  });

  it('takes koa-jwt as authentication unless passthrough lets anonymous callers through', async () => {
    const app = (options: string) => `${IMPORTS}import jwt from 'koa-jwt';
const app = new Koa();
app.use(jwt({ secret: process.env.JWT_SECRET!${options} }));
const router = new Router();
router.post('/chat', ${HANDLER});
app.use(router.routes());
`;
    expect(at(await summaries({ 'src/app.ts': app('') }), 'POST /chat').auth).toBe(true);
    expect(at(await summaries({ 'src/app.ts': app(', passthrough: true') }), 'POST /chat').auth).toBe(false);
  });

  it('keys koa-ratelimit on the IP by default and traces its id function', async () => {
    const app = (options: string) => `${IMPORTS}import ratelimit from 'koa-ratelimit';
const app = new Koa();
app.use(ratelimit({ driver: 'memory', db: new Map(), duration: 60_000, max: 20${options} }));
const router = new Router();
router.post('/chat', ${HANDLER});
app.use(router.routes());
`;
    const limits = async (options: string) => at(await summaries({ 'src/app.ts': app(options) }), 'POST /chat').limits;
    expect(await limits('')).toEqual(['ip']);
    expect(await limits(', id: (ctx) => ctx.state.user.id')).toEqual(['user']);
    expect(await limits(", id: (ctx) => ctx.request.body.sessionId")).toEqual(['client']);
  });

  it('reads a 429 set through ctx.status as a hand-written limiter', async () => {
    const list = await summaries({
      'src/app.ts': `${IMPORTS}import { redis } from './redis';
const app = new Koa();
app.use(async (ctx, next) => {
  const hits = await redis.incr(\`rl:\${ctx.ip}\`);
  if (hits > 30) {
    ctx.status = 429;
    return;
  }
  await next();
});
const router = new Router();
router.post('/chat', ${HANDLER});
app.use(router.routes());
`,
      'src/redis.ts': `import { Redis } from 'ioredis';\nexport const redis = new Redis();\n`,
    });
    expect(at(list, 'POST /chat').limits).toEqual(['ip']);
  });
});
