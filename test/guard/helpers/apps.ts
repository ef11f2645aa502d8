/**
 * Small apps with one guarded paid route (and an unguarded health route), served on 127.0.0.1, one per adapter:
 * Express, Fastify and h3 (Nuxt) on their own Node servers; Hono through `app.fetch`; the Next.js, SvelteKit,
 * Remix, Astro and Workers handlers called with a web `Request` by a Node server that plays the platform in
 * front: it appends the peer address to X-Forwarded-For, as nginx's `$proxy_add_x_forwarded_for` does, or for
 * Workers overwrites cf-connecting-ip, as Cloudflare does. The route calls the model stub.
 */
import express from 'express';
import Fastify from 'fastify';
import { createApp, createRouter, defineEventHandler, toNodeListener } from 'h3';
import { Hono } from 'hono';
import http from 'node:http';
import { createAstroGuard } from '../../../src/guard/templates/astro.js';
import { createExpressGuard, paidCall } from '../../../src/guard/templates/express.js';
import { createFastifyGuard, paidCall as fastifyPaidCall } from '../../../src/guard/templates/fastify.js';
import type { GuardResult } from '../../../src/guard/templates/fetch.js';
import { createHonoGuard, paidCall as honoPaidCall } from '../../../src/guard/templates/hono.js';
import { createNextGuard } from '../../../src/guard/templates/next.js';
import { createNuxtGuard } from '../../../src/guard/templates/nuxt.js';
import { createRemixGuard } from '../../../src/guard/templates/remix.js';
import { createSvelteKitGuard } from '../../../src/guard/templates/sveltekit.js';
import { createWorkersGuard } from '../../../src/guard/templates/workers.js';
import type { AuditEntry, CounterStore, GuardOptions, GuardUser, ModelConfig, ProxyConfig } from '../../../src/guard/templates/types.js';
import { close, listen, readBody } from './servers.js';

export const FRAMEWORKS = ['express', 'next', 'hono', 'fastify', 'sveltekit', 'remix', 'astro', 'nuxt', 'workers'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** Estimate for the test messages below ≈ $0.004 a call; the stub's usage settles at $0.0036. */
export const TEST_MODEL: ModelConfig = { id: 'gpt-test-mini', maxOutputTokens: 100, inputUsdPerMillionTokens: 10, outputUsdPerMillionTokens: 30 };

export interface AppOptions {
  store: CounterStore;
  modelUrl: string;
  public?: boolean;
  /** Who the caller is, from a request header reader. Default: `authorization: Bearer <user id>`. */
  authenticate?: (header: (name: string) => string | undefined) => GuardUser | null;
  proxy?: ProxyConfig;
  guard?: Partial<Pick<GuardOptions<unknown>, 'rateLimit' | 'spend' | 'alerts' | 'now' | 'storeTimeoutMs' | 'input'>>;
  audit?: AuditEntry[];
}

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

export const bearerUser = (header: (name: string) => string | undefined): GuardUser | null => {
  const token = /^Bearer (\S+)$/.exec(header('authorization') ?? '')?.[1];
  return token ? { id: token } : null;
};

interface Completion {
  choices: { message: { content: string } }[];
  usage: unknown;
}

async function callModel(modelUrl: string, model: ModelConfig, messages: unknown[]): Promise<Completion> {
  const response = await fetch(`${modelUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: model.id, max_tokens: model.maxOutputTokens, messages }),
  });
  if (!response.ok) throw new Error(`model answered ${response.status}`);
  return (await response.json()) as Completion;
}

function guardOptions<T>(options: AppOptions, header: (request: T, name: string) => string | undefined): GuardOptions<T> {
  const authenticate = options.authenticate ?? bearerUser;
  return {
    model: TEST_MODEL,
    store: options.store,
    authenticate: (request) => authenticate((name) => header(request, name)),
    proxy: options.proxy,
    audit: (entry) => options.audit?.push(entry),
    ...options.guard,
  };
}

export async function startExpressApp(options: AppOptions): Promise<RunningApp> {
  const aiGuard = createExpressGuard(guardOptions<express.Request>(options, (req, name) => req.get(name)));
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.get('/health', (_req, res) => void res.json({ ok: true }));
  app.post('/api/chat', aiGuard.protect({ route: 'chat', public: options.public }), async (req, res, next) => {
    const call = paidCall(res);
    try {
      const completion = await callModel(options.modelUrl, aiGuard.model, [{ role: 'system', content: 'Answer briefly.' }, ...req.body.messages]);
      await call.settle(completion.usage);
      res.json({ reply: completion.choices[0].message.content });
    } catch (error) {
      await call.release();
      next(error);
    }
  });
  const server = http.createServer(app);
  return { url: `${await listen(server)}/api/chat`, close: () => close(server) };
}

/** The route body every fetch-style adapter shares: the model call after the guard let the request through. */
async function answerChat(gate: GuardResult, options: AppOptions, model: ModelConfig): Promise<Response> {
  if (!gate.ok) return gate.response;
  try {
    const completion = await callModel(options.modelUrl, model, [{ role: 'system', content: 'Answer briefly.' }, ...gate.input.messages]);
    await gate.settle(completion.usage);
    return Response.json({ reply: completion.choices[0].message.content });
  } catch {
    await gate.release();
    return Response.json({ error: 'model_failed' }, { status: 502 });
  }
}

const webHeader = (request: Request, name: string) => request.headers.get(name) ?? undefined;
const BEHIND_ONE_PROXY: Pick<AppOptions, 'proxy'> = { proxy: { forwardedForHops: 1 } };

export async function startNextApp(options: AppOptions): Promise<RunningApp> {
  const aiGuard = createNextGuard(guardOptions<Request>({ ...BEHIND_ONE_PROXY, ...options }, webHeader));
  // app/api/chat/route.ts
  const POST = async (request: Request) => answerChat(await aiGuard.check(request, { route: 'chat', public: options.public }), options, aiGuard.model);
  return serveFetch((request) => POST(request), 'x-forwarded-for');
}

export async function startSvelteKitApp(options: AppOptions): Promise<RunningApp> {
  type Event = { request: Request; getClientAddress(): string; locals: Record<string, unknown> };
  const aiGuard = createSvelteKitGuard<Event>(guardOptions<Event>(options, (event, name) => webHeader(event.request, name)));
  // src/routes/api/chat/+server.ts
  const POST = async (event: Event) => answerChat(await aiGuard.check(event, { route: 'chat', public: options.public }), options, aiGuard.model);
  return serveFetch((request, peer) => POST({ request, getClientAddress: () => peer, locals: {} }), 'none');
}

export async function startRemixApp(options: AppOptions): Promise<RunningApp> {
  type Args = { request: Request; context: Record<string, unknown>; params: Record<string, string> };
  const aiGuard = createRemixGuard<Args>(guardOptions<Args>({ ...BEHIND_ONE_PROXY, ...options }, (args, name) => webHeader(args.request, name)));
  // app/routes/api.chat.ts
  const action = async (args: Args) => answerChat(await aiGuard.check(args, { route: 'chat', public: options.public }), options, aiGuard.model);
  return serveFetch((request) => action({ request, context: {}, params: {} }), 'x-forwarded-for');
}

export async function startAstroApp(options: AppOptions): Promise<RunningApp> {
  type Context = { request: Request; readonly clientAddress: string; locals: Record<string, unknown> };
  const aiGuard = createAstroGuard<Context>(guardOptions<Context>(options, (context, name) => webHeader(context.request, name)));
  // src/pages/api/chat.ts
  const POST = async (context: Context) => answerChat(await aiGuard.check(context, { route: 'chat', public: options.public }), options, aiGuard.model);
  return serveFetch((request, peer) => POST({ request, clientAddress: peer, locals: {} }), 'none');
}

export async function startWorkersApp(options: AppOptions): Promise<RunningApp> {
  const aiGuard = createWorkersGuard(guardOptions<Request>({ proxy: 'cloudflare', ...options }, webHeader));
  const worker = {
    async fetch(request: Request): Promise<Response> {
      if (new URL(request.url).pathname === '/health') return Response.json({ ok: true });
      return answerChat(await aiGuard.check(request, { route: 'chat', public: options.public }), options, aiGuard.model);
    },
  };
  return serveFetch((request) => worker.fetch(request), 'cf-connecting-ip');
}

export async function startHonoApp(options: AppOptions): Promise<RunningApp> {
  const aiGuard = createHonoGuard(guardOptions({ ...BEHIND_ONE_PROXY, ...options }, (c, name) => c.req.header(name)));
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true }));
  app.post('/api/chat', aiGuard.protect({ route: 'chat', public: options.public }), async (c) => {
    const call = honoPaidCall(c);
    try {
      const completion = await callModel(options.modelUrl, aiGuard.model, [{ role: 'system', content: 'Answer briefly.' }, ...call.input.messages]);
      await call.settle(completion.usage);
      return c.json({ reply: completion.choices[0].message.content });
    } catch {
      await call.release();
      return c.json({ error: 'model_failed' }, 502);
    }
  });
  return serveFetch((request) => Promise.resolve(app.fetch(request)), 'x-forwarded-for');
}

export async function startFastifyApp(options: AppOptions): Promise<RunningApp> {
  const aiGuard = createFastifyGuard(guardOptions(options, (request, name) => headerOf(request.headers[name])));
  const app = Fastify({ bodyLimit: 1024 * 1024 });
  app.get('/health', async () => ({ ok: true }));
  app.post('/api/chat', { preHandler: aiGuard.protect({ route: 'chat', public: options.public }) }, async (request, reply) => {
    const call = fastifyPaidCall(request);
    try {
      const completion = await callModel(options.modelUrl, aiGuard.model, [{ role: 'system', content: 'Answer briefly.' }, ...call.input.messages]);
      await call.settle(completion.usage);
      return { reply: completion.choices[0].message.content };
    } catch {
      await call.release();
      return reply.code(502).send({ error: 'model_failed' });
    }
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${address}/api/chat`, close: () => app.close() };
}

export async function startNuxtApp(options: AppOptions): Promise<RunningApp> {
  const aiGuard = createNuxtGuard(guardOptions(options, (event, name) => headerOf(event.node.req.headers[name])));
  const router = createRouter();
  router.get('/health', defineEventHandler(() => ({ ok: true })));
  // server/api/chat.post.ts
  router.post(
    '/api/chat',
    defineEventHandler(async (event) => answerChat(await aiGuard.check(event, { route: 'chat', public: options.public }), options, aiGuard.model)),
  );
  const app = createApp();
  app.use(router);
  const server = http.createServer(toNodeListener(app));
  return { url: `${await listen(server)}/api/chat`, close: () => close(server) };
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A Node server that calls a web handler with a `Request`, playing the platform in front: for 'x-forwarded-for'
 * it appends the peer address (a proxy such as nginx); for 'cf-connecting-ip' it overwrites that header with the
 * peer (Cloudflare); for 'none' it passes the headers as the client sent them and hands the handler the peer.
 */
async function serveFetch(handler: (request: Request, peer: string) => Promise<Response>, platform: 'x-forwarded-for' | 'cf-connecting-ip' | 'none'): Promise<RunningApp> {
  const server = http.createServer((req, res) => {
    serveRoute(req, res, handler, platform).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  return { url: `${await listen(server)}/api/chat`, close: () => close(server) };
}

async function serveRoute(req: http.IncomingMessage, res: http.ServerResponse, handler: (request: Request, peer: string) => Promise<Response>, platform: string): Promise<void> {
  const body = await readBody(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const peer = req.socket.remoteAddress ?? '';
  if (platform === 'x-forwarded-for') {
    const forwarded = headers.get('x-forwarded-for');
    headers.set('x-forwarded-for', forwarded ? `${forwarded}, ${peer}` : peer);
  }
  if (platform === 'cf-connecting-ip') headers.set('cf-connecting-ip', peer);
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    return;
  }
  const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
  const response = await handler(request, peer);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

export const START_APP: Record<Framework, (options: AppOptions) => Promise<RunningApp>> = {
  express: startExpressApp,
  next: startNextApp,
  hono: startHonoApp,
  fastify: startFastifyApp,
  sveltekit: startSvelteKitApp,
  remix: startRemixApp,
  astro: startAstroApp,
  nuxt: startNuxtApp,
  workers: startWorkersApp,
};
export interface ChatReply {
  status: number;
  body: { error?: string; scope?: string; reply?: string; issues?: unknown[] };
}

/** One client request: a chat turn as a browser would send it. */
export async function chat(url: string, init: { headers?: Record<string, string>; body?: unknown } = {}): Promise<ChatReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify(init.body ?? { messages: [{ role: 'user', content: TEST_QUESTION }] }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/** 300 characters: the estimate is 104 input tokens and 100 output tokens, 4,040 micro-dollars. */
export const TEST_QUESTION = 'Explain sliding window rate limits. '.repeat(9).slice(0, 300);
