/**
 * Files that register routes or middleware on an app or router they import name no framework themselves;
 * the scan still finds them through the imports of the files that create the app.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { makeProject, removeProjects } from '../robustness/project.js';

afterAll(removeProjects);

const summary = async (files: Record<string, string>) => {
  const result = await scan({ paths: [makeProject(files, false)] });
  return result.endpoints.map((e) => `${e.method} ${e.path} ${e.location.file}:${e.location.line} auth=${e.facts.auth.length > 0}`);
};

describe('route files found through the app that imports them', () => {
  it('an Express router created in one file and given a paid route in another', async () => {
    expect(
      await summary({
        'src/router.ts': "import express from 'express';\nexport const router = express.Router();\n",
        'src/routes/chat.ts': `import OpenAI from 'openai';\nimport { router } from '../router';\nconst openai = new OpenAI();\nrouter.post('/chat', async (req, res) => {\n  res.json(await openai.chat.completions.create({ model: 'gpt-4o', messages: req.body.messages }));\n});\n`,
        'src/server.ts': "import express from 'express';\nimport { router } from './router';\nimport './routes/chat';\nconst app = express();\napp.use('/api', router);\n",
      }),
    ).toEqual(['POST /api/chat src/routes/chat.ts:4 auth=false']);
  });

  it('middleware added in a file of its own (CommonJS) still guards the routes after it', async () => {
    expect(
      await summary({
        'src/router.js': "const express = require('express');\nmodule.exports = express.Router();\n",
        'src/auth.js': "const router = require('./router');\nrouter.use((req, res, next) => {\n  if (req.headers.authorization !== `Bearer ${process.env.API_TOKEN}`) return res.status(401).end();\n  next();\n});\n",
        'src/chat.js': "const OpenAI = require('openai');\nconst router = require('./router');\nconst openai = new OpenAI();\nrouter.post('/chat', async (req, res) => res.json(await openai.chat.completions.create({ model: 'gpt-4o', messages: req.body.messages })));\n",
        'src/server.js': "const express = require('express');\nconst router = require('./router');\nrequire('./auth');\nrequire('./chat');\nconst app = express();\napp.use('/api', router);\n",
      }),
    ).toEqual(['POST /api/chat src/chat.js:4 auth=true']);
  });

  it('a Fastify plugin that never imports fastify', async () => {
    expect(
      await summary({
        'src/server.ts': "import Fastify from 'fastify';\nimport chat from './routes/chat';\nconst app = Fastify();\napp.register(chat, { prefix: '/api' });\n",
        'src/routes/chat.ts': `import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport default async function chat(app: any) {\n  app.post('/chat', async (req: any) => openai.chat.completions.create({ model: 'gpt-4o', messages: req.body.messages }));\n}\n`,
      }),
    ).toEqual(['POST /api/chat src/routes/chat.ts:4 auth=false']);
  });
});

describe('tRPC routers built with names the index does not know', () => {
  it('a sub-router made with the project’s own `router` and `procedure` aliases', async () => {
    expect(
      await summary({
        'src/server/trpc.ts': "import { initTRPC } from '@trpc/server';\nconst t = initTRPC.create();\nexport const router = t.router;\nexport const procedure = t.procedure;\n",
        'src/server/routers/chat.ts': `import OpenAI from 'openai';\nimport { z } from 'zod';\nimport { router, procedure } from '../trpc';\nconst openai = new OpenAI();\nexport const chatRouter = router({\n  ask: procedure.input(z.object({ prompt: z.string() })).mutation(({ input }) => openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: input.prompt }] })),\n});\n`,
        'src/server/root.ts': "import { router } from './trpc';\nimport { chatRouter } from './routers/chat';\nexport const appRouter = router({ chat: chatRouter });\n",
        'src/app/api/trpc/[trpc]/route.ts': "import { fetchRequestHandler } from '@trpc/server/adapters/fetch';\nimport { appRouter } from '../../../../server/root';\nconst handler = (req: Request) => fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext: () => ({}) });\nexport { handler as GET, handler as POST };\n",
      }),
    ).toEqual(['POST trpc.chat.ask src/server/routers/chat.ts:6 auth=false']);
  });
});

describe('Express routes registered by functions the app is passed to', () => {
  const server = (calls: string) =>
    `import express from 'express';\nimport { registerRoutes } from './routes';\nimport { requireUser } from './auth';\nconst app = express();\n${calls}\napp.listen(3000);\n`;
  const files = (calls: string) => ({
    'server/index.ts': server(calls),
    'server/auth.ts': "export function requireUser(req: any, res: any, next: any) {\n  if (!req.session?.userId) return res.status(401).end();\n  next();\n}\n",
    'server/routes.ts': `import type { Express } from 'express';\nimport { createServer } from 'http';\nimport registerChat from './chat';\nexport async function registerRoutes(app: Express) {\n  registerChat(app, '/api/chat');\n  return createServer(app);\n}\n`,
    'server/chat.js': `const OpenAI = require('openai');\nconst openai = new OpenAI();\nmodule.exports = function registerChat(app) {\n  app.post('/api/chat', async (req, res) => res.json(await openai.chat.completions.create({ model: 'gpt-4o', messages: req.body.messages })));\n};\n`,
  });

  it('follows the app through two calls, into a file that never imports express', async () => {
    expect(await summary(files('registerRoutes(app);'))).toEqual(['POST /api/chat server/chat.js:4 auth=false']);
  });

  it('middleware added before the call guards the routes; added after, it does not', async () => {
    expect(await summary(files("app.use('/', requireUser);\nregisterRoutes(app);"))).toEqual(['POST /api/chat server/chat.js:4 auth=true']);
    expect(await summary(files("registerRoutes(app);\napp.use('/', requireUser);"))).toEqual(['POST /api/chat server/chat.js:4 auth=false']);
  });

  it('a client passed in beside the app reaches the handlers registered with it, also through require(...)(app)', async () => {
    const files = (call: string) => ({
      'src/index.js': `const express = require('express');\nconst OpenAI = require('openai');\nconst app = express();\nconst openai = new OpenAI();\n${call}\napp.listen(5000);\n`,
      'src/routes/index.js': `module.exports = function routes(app, openai) {\n  app.post('/ask', async (req, res) => res.json(await openai.chat.completions.create({ model: 'gpt-4o', messages: req.body.messages })));\n};\n`,
    });
    expect(await summary(files("const routes = require('./routes');\nroutes(app, openai);"))).toEqual(['POST /ask src/routes/index.js:2 auth=false']);
    expect(await summary(files("require('./routes')(app, openai);"))).toEqual(['POST /ask src/routes/index.js:2 auth=false']);
  });

  it('a function typed to take an Express app or router, with no call found, still registers its routes', async () => {
    expect(
      await summary({
        'src/ai-routes.ts': `import type { Router } from 'express';\nimport OpenAI from 'openai';\nconst openai = new OpenAI();\nexport function mountAi(router: Router) {\n  router.post('/ask', async (req, res) => res.json(await openai.responses.create({ model: 'gpt-4o', input: req.body.prompt })));\n}\n`,
      }),
    ).toEqual(['POST /ask src/ai-routes.ts:5 auth=false']);
  });
});

describe('Express paths written as constants and templates', () => {
  it('a path from a constant, a template with a constant prefix, and a scope from a constant', async () => {
    expect(
      await summary({
        'src/paths.ts': "export const API = '/api/v1';\nexport const CHAT_PATH = '/chat';\n",
        'src/server.ts': `import express from 'express';\nimport OpenAI from 'openai';\nimport { API, CHAT_PATH } from './paths';\nconst openai = new OpenAI();\nconst app = express();\nconst router = express.Router();\nconst ask = async (req: any, res: any) => res.json(await openai.responses.create({ model: 'gpt-4o', input: req.body.prompt }));\nrouter.post(CHAT_PATH, ask);\napp.post(\`\${API}/ask\`, ask);\napp.use(API, router);\n`,
      }),
    ).toEqual(['POST /api/v1/chat src/server.ts:8 auth=false', 'POST /api/v1/ask src/server.ts:9 auth=false']);
  });
});
