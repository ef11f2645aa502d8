/**
 * Small apps with one guarded paid route, served on 127.0.0.1: an Express app, and a Next.js-style route
 * handler behind a Node server that plays the trusted proxy (it appends the peer address to
 * X-Forwarded-For, as nginx's `$proxy_add_x_forwarded_for` does). The route calls the model stub.
 */
import express from 'express';
import http from 'node:http';
import { createExpressGuard, paidCall } from '../../../src/guard/templates/express.js';
import { createNextGuard } from '../../../src/guard/templates/next.js';
import type { AuditEntry, CounterStore, GuardOptions, GuardUser, ModelConfig, ProxyConfig } from '../../../src/guard/templates/types.js';
import { close, listen, readBody } from './servers.js';

export type Framework = 'express' | 'next';

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

export async function startNextApp(options: AppOptions): Promise<RunningApp> {
  const aiGuard = createNextGuard(guardOptions<Request>({ proxy: { forwardedForHops: 1 }, ...options }, (request, name) => request.headers.get(name) ?? undefined));

  // app/api/chat/route.ts
  async function POST(request: Request): Promise<Response> {
    const gate = await aiGuard.check(request, { route: 'chat', public: options.public });
    if (!gate.ok) return gate.response;
    try {
      const completion = await callModel(options.modelUrl, aiGuard.model, [{ role: 'system', content: 'Answer briefly.' }, ...gate.input.messages]);
      await gate.settle(completion.usage);
      return Response.json({ reply: completion.choices[0].message.content });
    } catch {
      await gate.release();
      return Response.json({ error: 'model_failed' }, { status: 502 });
    }
  }

  const server = http.createServer((req, res) => {
    serveRoute(req, res, POST).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  return { url: `${await listen(server)}/api/chat`, close: () => close(server) };
}

async function serveRoute(req: http.IncomingMessage, res: http.ServerResponse, handler: (request: Request) => Promise<Response>): Promise<void> {
  const body = await readBody(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const peer = req.socket.remoteAddress ?? '';
  const forwarded = headers.get('x-forwarded-for');
  headers.set('x-forwarded-for', forwarded ? `${forwarded}, ${peer}` : peer);
  const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
  const response = await handler(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

export const START_APP: Record<Framework, (options: AppOptions) => Promise<RunningApp>> = {
  express: startExpressApp,
  next: startNextApp,
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
