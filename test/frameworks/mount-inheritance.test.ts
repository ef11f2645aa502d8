/** Middleware registered on an app runs before the routes of the routers and sub-apps mounted under its scope. */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects } from '../rules/project.js';
import { at, chatCall, summaries } from './server-helpers.js';

afterAll(removeProjects);

const AUTH = `export async function requireUser(req: any, res: any, next: any) {
  const user = await lookupSession(req.get('authorization'));
  if (!user) return res.status(401).json({ error: 'sign in' });
  next();
}
async function lookupSession(token?: string) { return token === process.env.SESSION ? { id: 1 } : null; }
`;

describe('Express mounts', () => {
  it('app.use(path, auth, router) runs auth before the router, and only under its path', async () => {
    const found = await summaries({
      'src/auth.ts': AUTH,
      'src/ai.ts': `import { Router } from 'express';\nimport { openai } from '../lib/openai';\nexport const ai = Router();\nai.post('/chat', async (req, res) => res.json(${chatCall("String(req.body.p).slice(0, 200)")}));\n`,
      'src/open.ts': `import { Router } from 'express';\nimport { openai } from '../lib/openai';\nexport const open = Router();\nopen.post('/chat', async (req, res) => res.json(${chatCall("String(req.body.p).slice(0, 200)")}));\n`,
      'src/server.ts': `import express from 'express';\nimport { requireUser } from './auth';\nimport { ai } from './ai';\nimport { open } from './open';\nconst app = express();\napp.use('/api', requireUser, ai);\napp.use('/public', open);\napp.listen(3000);\n`,
    });
    expect(at(found, 'POST /api/chat').auth).toBe(true);
    expect(at(found, 'POST /public/chat').auth).toBe(false);
  });

  it('app.use(path, auth) before app.use(path, router) covers the router', async () => {
    const found = await summaries({
      'src/auth.ts': AUTH,
      'src/ai.ts': `import { Router } from 'express';\nimport { openai } from '../lib/openai';\nconst ai = Router();\nai.post('/chat', async (req, res) => res.json(${chatCall("String(req.body.p).slice(0, 200)")}));\nexport default ai;\n`,
      'src/server.ts': `import express from 'express';\nimport { requireUser } from './auth';\nimport ai from './ai';\nconst app = express();\napp.use('/api', requireUser);\napp.use('/api/ai', ai);\napp.listen(3000);\n`,
    });
    expect(at(found, 'POST /api/ai/chat').auth).toBe(true);
  });
});

describe('Hono mounts', () => {
  const HONO_AUTH = `import { createMiddleware } from 'hono/factory';
export const requireUser = createMiddleware(async (c, next) => {
  const user = await lookupSession(c.req.header('authorization'));
  if (!user) return c.json({ error: 'sign in' }, 401);
  await next();
});
async function lookupSession(token?: string) { return token === process.env.SESSION ? { id: 1 } : null; }
`;
  it("app.use('/api/*', auth) then app.route('/api', sub) runs auth before the sub-app's routes", async () => {
    const found = await summaries({
      'src/auth.ts': HONO_AUTH,
      'src/ai.ts': `import { Hono } from 'hono';\nimport { openai } from '../lib/openai';\nexport const ai = new Hono();\nai.post('/chat', async (c) => c.json(${chatCall("String((await c.req.json()).p).slice(0, 200)")}));\n`,
      'src/index.ts': `import { Hono } from 'hono';\nimport { requireUser } from './auth';\nimport { ai } from './ai';\nconst app = new Hono();\napp.use('/api/*', requireUser);\napp.route('/api', ai);\napp.route('/open', ai);\nexport default app;\n`,
    });
    expect(at(found, 'POST /api/chat').auth).toBe(true);
    expect(at(found, 'POST /open/chat').auth).toBe(false);
  });
});

describe('Koa mounts', () => {
  it('router.use(auth) then parent.use(router.routes()) runs auth before the nested routes', async () => {
    const found = await summaries({
      'src/auth.ts': `export async function requireUser(ctx: any, next: any) {\n  const user = await lookupSession(ctx.get('authorization'));\n  if (!user) ctx.throw(401, 'sign in');\n  await next();\n}\nasync function lookupSession(token?: string) { return token === process.env.SESSION ? { id: 1 } : null; }\n`,
      'src/ai.ts': `import Router from '@koa/router';\nimport { openai } from '../lib/openai';\nexport const ai = new Router();\nai.post('/chat', async (ctx) => { ctx.body = ${chatCall("String(ctx.request.body.p).slice(0, 200)")}; });\n`,
      'src/index.ts': `import Koa from 'koa';\nimport Router from '@koa/router';\nimport { requireUser } from './auth';\nimport { ai } from './ai';\nconst app = new Koa();\nconst api = new Router({ prefix: '/api' });\napi.use(requireUser);\napi.use('/ai', ai.routes());\napp.use(api.routes());\napp.listen(3000);\n`,
    });
    expect(at(found, 'POST /api/ai/chat').auth).toBe(true);
  });
});
