/**
 * Where precise resolution gives up on the way from a handler to a paid call, the name-based fallback
 * (src/analysis/field-graph.ts) keeps the path: a client attached to a shared object in another file, a
 * method of a service handed in by a container. A name stored in too many places, or a runtime global, is
 * not followed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src/model.js';
import { removeProjects, scanProject } from '../rules/project.js';

afterAll(removeProjects);

const inventory = (endpoints: Endpoint[]) => endpoints.map((e) => `${e.method} ${e.path} ${e.aiCalls.map((c) => c.api).join(',')}`).sort();


/** Five services in `src/services/`, each a file whose text `source(n)` gives. */
function services(source: (n: number) => string): Record<string, string> {
  return Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`src/services/s${n}.js`, source(n)]));
}
const container = `const { createContainer } = require('awilix');\n${[1, 2, 3, 4, 5].map((n) => `require('./services/s${n}');`).join('\n')}\nexports.container = createContainer();\n`;
const server =
  "const express = require('express');\nconst { container } = require('./container');\nconst app = express();\napp.post('/api/summary', async (req, res) => {\n  const service = req.container.resolve('summaryService');\n  res.json({ at: Date.now(), summary: await service.summarizeNotes(req.body.notes) });\n});\napp.listen(3000);\n";

describe('approximate call graph', () => {
  it('follows a client a Nuxt server middleware puts on event.context, read through a local', async () => {
    const result = await scanProject({
      'nuxt.config.ts': 'export default defineNuxtConfig({});\n',
      'server/middleware/0.openai.ts': "import OpenAI from 'openai';\nexport default defineEventHandler((event) => {\n  event.context.openai = new OpenAI();\n});\n",
      'server/api/ask.post.ts':
        "export default defineEventHandler(async (event) => {\n  const { question } = await readBody(event);\n  const openai = event.context.openai;\n  return openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 200, messages: [{ role: 'user', content: question }] });\n});\n",
    });
    expect(inventory(result.endpoints)).toEqual(['POST /api/ask chat.completions.create']);
  });

  it('follows a Fastify decoration read as request.server.<name>', async () => {
    const result = await scanProject({
      'src/plugins/openai.ts':
        "import fp from 'fastify-plugin';\nimport OpenAI from 'openai';\nexport default fp(async (fastify) => {\n  fastify.decorate('openai', new OpenAI());\n});\n",
      'src/app.ts':
        "import Fastify from 'fastify';\nimport openaiPlugin from './plugins/openai';\nconst app = Fastify();\napp.register(openaiPlugin);\napp.post('/api/title', async (request) => {\n  const { text } = request.body as { text: string };\n  return request.server.openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: text }] });\n});\nexport default app;\n",
    });
    expect(inventory(result.endpoints)).toEqual(['POST /api/title chat.completions.create']);
  });

  it('follows a method of a service resolved from a container by name', async () => {
    const result = await scanProject({
      'src/services/summary.js':
        "const OpenAI = require('openai');\nclass SummaryService {\n  constructor() { this.client = new OpenAI(); }\n  async summarizeNotes(notes) {\n    return this.client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages: [{ role: 'user', content: notes }] });\n  }\n}\nmodule.exports = { SummaryService };\n",
      'src/container.js':
        "const { asClass, createContainer } = require('awilix');\nconst { SummaryService } = require('./services/summary');\nexports.container = createContainer().register({ summaryService: asClass(SummaryService) });\n",
      'src/server.js':
        "const express = require('express');\nconst { scopePerRequest } = require('awilix-express');\nconst { container } = require('./container');\nconst app = express();\napp.use(scopePerRequest(container));\napp.post('/api/summary', async (req, res) => {\n  const service = req.container.resolve('summaryService');\n  res.json(await service.summarizeNotes(req.body.notes));\n});\napp.listen(3000);\n",
    });
    expect(inventory(result.endpoints)).toEqual(['POST /api/summary chat.completions.create']);
  });

  it('follows a family of provider adapters: one method name implemented in many files that name an AI SDK', async () => {
    const result = await scanProject({
      ...services((n) => `const OpenAI = require('openai');\nclass S${n} {\n  async summarizeNotes(notes) {\n    return new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages: [{ role: 'user', content: notes }] });\n  }\n}\nmodule.exports = { S${n} };\n`),
      'src/container.js': container,
      'src/server.js': server,
    });
    expect(result.endpoints.map((e) => `${e.method} ${e.path} ${e.aiCalls.length}`)).toEqual(['POST /api/summary 5']);
  });

  it('does not follow a name stored in many files that name no AI SDK, nor a method of a runtime global', async () => {
    const result = await scanProject({
      ...services((n) => `const { callModel } = require('../ai');\nclass S${n} {\n  async summarizeNotes(notes) {\n    return notes.slice(0, ${n});\n  }\n  async other(notes) {\n    return callModel(notes);\n  }\n}\nmodule.exports = { S${n} };\n`),
      'src/ai.js': "const OpenAI = require('openai');\nexports.callModel = (notes) => new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages: [{ role: 'user', content: notes }] });\n",
      'src/lib/clock.js': "const OpenAI = require('openai');\nexports.clock = { now() { return new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [] }); } };\n",
      'src/container.js': container,
      'src/server.js': server,
    });
    expect(result.endpoints).toEqual([]);
  });
});

describe('names read by key', () => {
  it('may hold any character without breaking the analysis', async () => {
    const result = await scanProject({
      'src/index.ts':
        "import { Hono } from 'hono';\nimport OpenAI from 'openai';\nconst app = new Hono();\napp.use('*', async (c, next) => { c.set('ai.client(1)', new OpenAI()); await next(); });\napp.post('/api/x', async (c) => c.json(await c.get('ai.client(1)').chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [] })));\nexport default app;\n",
    });
    expect(result.errors.filter((e) => e.kind === 'internal')).toEqual([]);
    expect(inventory(result.endpoints)).toEqual(['POST /api/x chat.completions.create']);
  });
});
