/**
 * Fastify: plugins and their prefixes (also loaded by @fastify/autoload or through import()), encapsulation
 * of hooks, fastify-plugin sharing, @fastify/rate-limit registration and route config, @fastify/auth,
 * @fastify/jwt, and route schemas as input bounds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects } from '../rules/project.js';
import { at, chatCall, summaries } from './server-helpers.js';

afterAll(removeProjects);

const FASTIFY = `import Fastify, { type FastifyInstance } from 'fastify';\nimport { openai } from '../lib/openai';\n`;
const HANDLER = `async () => ${chatCall("'hello'")}`;
const VERIFY = `async function verifyUser(request) {\n  await request.jwtVerify();\n}\n`;

describe('Fastify plugins and hooks', () => {
  it('keeps a plugin hook inside the plugin, and shares the hooks of a fastify-plugin plugin', async () => {
    const list = await summaries({
      'src/app.ts': `${FASTIFY}import fp from 'fastify-plugin';
${VERIFY}
const app = Fastify();
async function privateRoutes(fastify: FastifyInstance) {
  fastify.addHook('onRequest', verifyUser);
  fastify.post('/chat', ${HANDLER});
}
async function openRoutes(fastify: FastifyInstance) {
  fastify.post('/chat', ${HANDLER});
}
const sharedAuth = fp(async (fastify: FastifyInstance) => {
  fastify.addHook('preHandler', verifyUser);
});
async function teamRoutes(fastify: FastifyInstance) {
  await fastify.register(sharedAuth);
  fastify.post('/chat', ${HANDLER});
  await fastify.register(async (child) => {
    child.post('/nested', ${HANDLER});
  }, { prefix: '/deep' });
}
app.register(privateRoutes, { prefix: '/private' });
app.register(openRoutes, { prefix: '/open' });
app.register(teamRoutes, { prefix: '/team' });
`,
    });
    expect(list.map((s) => `${s.route} ${s.auth}`)).toEqual([
      'POST /open/chat false',
      'POST /private/chat true',
      'POST /team/chat true',
      'POST /team/deep/nested true',
    ]);
  });

  it('resolves decorators and @fastify/auth strategies given as route hooks', async () => {
    const list = await summaries({
      'src/app.ts': `${FASTIFY}${VERIFY}
const app = Fastify();
app.decorate('verifyUser', verifyUser);
app.decorate('verifyApiKey', async (request) => {
  if (request.headers['x-api-key'] !== process.env.API_KEY) throw new Error('Unauthorized');
});
app.post('/a', { onRequest: [app.verifyUser] }, ${HANDLER});
app.route({ method: 'POST', url: '/b', preHandler: app.auth([app.verifyApiKey]), handler: ${HANDLER} });
app.post('/c', { preHandler: [] }, ${HANDLER});
`,
    });
    expect(list.map((s) => `${s.route} ${s.auth}`)).toEqual(['POST /a true', 'POST /b true', 'POST /c false']);
  });

  it('counts @fastify/bearer-auth registered in the route context unless it adds no hook', async () => {
    const app = (options: string) => `${FASTIFY}import bearerAuth from '@fastify/bearer-auth';
const app = Fastify();
app.register(async (api) => {
  await api.register(bearerAuth, { keys: new Set([process.env.API_KEY!])${options} });
  api.post('/chat', ${HANDLER});
}, { prefix: '/api' });
app.post('/open', ${HANDLER});
`;
    const hooked = await summaries({ 'src/app.ts': app('') });
    expect(hooked.map((s) => `${s.route} ${s.auth}`)).toEqual(['POST /api/chat true', 'POST /open false']);
    expect(at(await summaries({ 'src/app.ts': app(', addHook: false') }), 'POST /api/chat').auth).toBe(false);
  });

  it('does not count request.jwtVerify() whose failure a catch swallows', async () => {
    const list = await summaries({
      'src/app.ts': `${FASTIFY}
const app = Fastify();
app.addHook('onRequest', async (request) => {
  try {
    await request.jwtVerify();
  } catch {
    request.log.debug('anonymous request');
  }
});
app.post('/chat', ${HANDLER});
`,
    });
    expect(at(list, 'POST /chat').auth).toBe(false);
  });

  it('registers plugins loaded by @fastify/autoload under their folder path, and through import()', async () => {
    const list = await summaries({
      'src/app.ts': `import AutoLoad from '@fastify/autoload';
import Fastify from 'fastify';
import path from 'node:path';
const app = Fastify();
app.register(AutoLoad, { dir: path.join(__dirname, 'plugins') });
app.register(AutoLoad, { dir: path.join(__dirname, 'routes'), options: { prefix: '/api' } });
app.register(import('./legacy/summarize.js'), { prefix: '/legacy' });
`,
      'src/plugins/auth.ts': `import fp from 'fastify-plugin';
${VERIFY}
export default fp(async (fastify) => {
  fastify.addHook('onRequest', verifyUser);
});
`,
      'src/routes/chat/index.ts': `import type { FastifyPluginAsync } from 'fastify';
import { openai } from '../../../lib/openai';
const chat: FastifyPluginAsync = async (fastify) => {
  fastify.post('/', ${HANDLER});
};
export default chat;
`,
      'src/legacy/summarize.ts': `import type { FastifyInstance } from 'fastify';
import { openai } from '../../lib/openai';
export default async function summarize(fastify: FastifyInstance) {
  fastify.post('/summarize', ${HANDLER});
}
`,
    });
    expect(list.map((s) => `${s.route} ${s.auth}`)).toEqual(['POST /api/chat true', 'POST /legacy/summarize true']);
  });

  it('honours autoload dirNameRoutePrefix: false and a plugin file\'s autoPrefix / prefixOverride', async () => {
    const route = (extra: string) => `import type { FastifyPluginAsync } from 'fastify';
import { openai } from '../../../lib/openai';
${extra}
const plugin: FastifyPluginAsync = async (fastify) => {
  fastify.post('/run', ${HANDLER});
};
export default plugin;
`;
    const list = await summaries({
      'src/app.ts': `import AutoLoad from '@fastify/autoload';
import Fastify from 'fastify';
import path from 'node:path';
const app = Fastify();
app.register(AutoLoad, { dir: path.join(__dirname, 'routes'), dirNameRoutePrefix: false, options: { prefix: '/api' } });
`,
      'src/routes/tools/plain.ts': route(''),
      'src/routes/jobs/prefixed.ts': route(`export const autoPrefix = '/v2';`),
      'src/routes/admin/override.ts': route(`export const prefixOverride = '/internal';`),
    });
    expect(list.map((s) => s.route)).toEqual(['POST /api/run', 'POST /api/v2/run', 'POST /internal/run']);
  });
});

describe('@fastify/rate-limit', () => {
  const app = (registration: string, routes: string) => `${FASTIFY}import rateLimit from '@fastify/rate-limit';
const app = Fastify();
await app.register(rateLimit, ${registration});
${routes}
`;

  it('limits every route unless it opts out with config.rateLimit = false', async () => {
    const list = await summaries({
      'src/app.ts': app('{ max: 50, timeWindow: 60_000 }', `app.post('/a', ${HANDLER});
app.post('/b', { config: { rateLimit: false } }, ${HANDLER});`),
    });
    expect(at(list, 'POST /a').limits).toEqual(['ip']);
    expect(at(list, 'POST /b').limits).toEqual([]);
  });

  it('with global: false, limits only routes that configure it, with the route key generator winning', async () => {
    const list = await summaries({
      'src/app.ts': app(
        '{ global: false, keyGenerator: (request) => request.user.id }',
        `app.post('/a', ${HANDLER});
app.post('/b', { config: { rateLimit: { max: 5 } } }, ${HANDLER});
app.post('/c', { config: { rateLimit: { max: 5, keyGenerator: (request) => request.headers['x-client-id'] } } }, ${HANDLER});
app.post('/d', { onRequest: app.rateLimit({ max: 3 }) }, ${HANDLER});`,
      ),
    });
    expect(list.map((s) => `${s.route} ${s.limits.join(',')}`)).toEqual(['POST /a ', 'POST /b user', 'POST /c client', 'POST /d user']);
  });
});

describe('Fastify route schemas', () => {
  it('bounds request.body with the route JSON schema unless validation errors are only attached', async () => {
    const schema = `{ body: { type: 'object', properties: { prompt: { type: 'string', maxLength: 2000 } } } }`;
    const list = await summaries({
      'src/app.ts': `${FASTIFY}
const app = Fastify();
app.post('/a', { schema: ${schema} }, async (request) => ${chatCall('request.body.prompt')});
app.post('/b', { schema: ${schema}, attachValidation: true }, async (request) => ${chatCall('request.body.prompt')});
app.post('/c', async (request) => ${chatCall('request.body.prompt')});
`,
    });
    expect(list.map((s) => `${s.route} ${s.unbounded.join(',')}`)).toEqual(['POST /a ', 'POST /b item-size', 'POST /c item-size']);
  });

  it('reads message bounds from JSON Schema: maxItems, maxLength of content, an enum of roles', async () => {
    const route = (items: string, extra = '') => `${FASTIFY}
const app = Fastify();
app.post('/chat', {
  schema: { body: { type: 'object', properties: { messages: { type: 'array'${extra}, items: ${items} } } } },
}, async (request) => openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages: request.body.messages }));
`;
    const missing = async (items: string, extra?: string) => at(await summaries({ 'src/app.ts': route(items, extra) }), 'POST /chat').unbounded;
    const bounded = `{ type: 'object', properties: { role: { enum: ['user', 'assistant'] }, content: { type: 'string', maxLength: 4000 } } }`;
    expect(await missing(bounded, ', maxItems: 40')).toEqual([]);
    expect(await missing(bounded)).toEqual(['array-length']);
    expect(await missing(`{ type: 'object', properties: { role: { type: 'string' }, content: { type: 'string', maxLength: 4000 } } }`, ', maxItems: 40')).toEqual(['roles']);
    expect(await missing(`{ type: 'object', additionalProperties: false, properties: { content: { type: 'string', maxLength: 4000 } } }`, ', maxItems: 40')).toEqual([]);
  });
});
