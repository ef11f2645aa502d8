/**
 * The AI route guard for Next.js App Router route handlers (any runtime with the web `Request`):
 *
 *   export async function POST(request: Request) {
 *     const gate = await aiGuard.check(request, { route: 'chat' });
 *     if (!gate.ok) return gate.response;
 *     const completion = await openai.chat.completions.create({
 *       model: aiGuard.model.id,
 *       max_tokens: aiGuard.model.maxOutputTokens,
 *       messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...gate.input.messages],
 *     });
 *     await gate.settle(completion.usage);
 *     return Response.json({ reply: completion.choices[0].message.content });
 *   }
 *
 * The guard reads the request body itself; use `gate.input`, never the raw body.
 */
import {
  type ChatMessage,
  createGuardCore,
  describeIssues,
  forwardedClient,
  headerValue,
  limiterAddress,
  STORE_UNAVAILABLE_BODY,
  StoreUnavailableError,
} from './core.js';
import type { GuardOptions, PaidCall, ProxyConfig, RouteOptions, WindowLimit } from './types.js';

export type NextGuardOptions = GuardOptions<Request>;

export type GuardResult =
  | { ok: false; response: Response }
  | ({ ok: true; input: { messages: ChatMessage[] } } & PaidCall);

/** Next.js route handlers see no socket: without a declared proxy every client shares this address. */
const UNKNOWN_CLIENT = 'unknown';
/** Room for JSON escaping and the object around the messages. */
const BODY_SLACK_BYTES = 16 * 1024;

export function createNextGuard(options: NextGuardOptions) {
  const core = createGuardCore(options);
  const limits = core.settings.rateLimit;
  const proxy = options.proxy ?? 'none';
  const maxBodyBytes = core.settings.input.maxMessages * core.settings.input.maxMessageChars * 4 + BODY_SLACK_BYTES;
  if (proxy === 'none') {
    console.warn('ai-guard: no proxy configured, so the per-IP limit is shared by all clients; set `proxy` to your hosting setup');
  }

  /** Runs the guard for one request: a refusal to return as is, or the validated input and the call's handle. */
  function check(request: Request, route: RouteOptions): Promise<GuardResult> {
    if (!route.public && !options.authenticate) {
      throw new Error(`ai-guard: route "${route.route}" is not public, so the guard needs an authenticate function`);
    }
    return admit(request, route).catch(refuseWhenStoreIsDown);
  }

  async function admit(request: Request, route: RouteOptions): Promise<GuardResult> {
    const user = route.public ? undefined : (await options.authenticate?.(request)) ?? undefined;
    if (!route.public && !user?.id) {
      return refuse(401, { error: 'unauthenticated', message: 'Sign in to use this endpoint.' });
    }

    const ip = clientIp(request, proxy);
    const ipRequests = await core.increment(`ip:${limiterAddress(ip)}`, limits.perIp);
    if (ipRequests > limits.perIp.limit) {
      return refuse(429, { error: 'rate_limited', message: 'Too many requests from this address. Try again shortly.' }, retryAfter(limits.perIp));
    }
    if (user) {
      const userRequests = await core.increment(`user:${user.id}`, limits.perUser);
      if (userRequests > limits.perUser.limit) {
        return refuse(429, { error: 'rate_limited', message: 'Too many requests for this account. Try again shortly.' }, retryAfter(limits.perUser));
      }
    }

    const body = await readJson(request, maxBodyBytes);
    if (body === TOO_LARGE) {
      return refuse(413, { error: 'request_too_large', message: 'The request body is larger than any valid request.' });
    }
    const parsed = core.validate(body);
    if (!parsed.success) {
      return refuse(400, { error: 'invalid_request', issues: describeIssues(parsed.error) });
    }

    const spend = await core.reserveSpend(user, parsed.data.messages, route.promptTokens);
    if (!spend.allowed) {
      const whose = spend.scope === 'app' ? 'The service' : 'Your account';
      return refuse(402, { error: 'spend_cap_reached', scope: spend.scope, message: `${whose} reached its daily AI spending limit. It resets at midnight UTC.` });
    }
    return { ok: true, input: parsed.data, ...core.paidCall(spend.reservation, { route: route.route, user, ip }) };
  }

  return { check, model: core.model, settings: core.settings };
}

function refuseWhenStoreIsDown(error: unknown): GuardResult {
  if (error instanceof StoreUnavailableError) return refuse(503, STORE_UNAVAILABLE_BODY);
  throw error;
}

function refuse(status: number, body: object, headers: Record<string, string> = {}): GuardResult {
  return { ok: false, response: Response.json(body, { status, headers }) };
}

function retryAfter(window: WindowLimit): Record<string, string> {
  return { 'Retry-After': String(Math.ceil(window.windowMs / 1000)) };
}

/** The client address. Forwarding headers are read only behind the proxy the app declared. */
function clientIp(request: Request, proxy: ProxyConfig): string {
  if (proxy === 'cloudflare') return headerValue(request.headers.get('cf-connecting-ip')) ?? UNKNOWN_CLIENT;
  if (proxy === 'vercel') return headerValue(request.headers.get('x-real-ip')) ?? UNKNOWN_CLIENT;
  if (typeof proxy === 'object') return forwardedClient(request.headers.get('x-forwarded-for'), proxy.forwardedForHops) ?? UNKNOWN_CLIENT;
  return UNKNOWN_CLIENT;
}

const TOO_LARGE = Symbol('too large');

/** The JSON body, or null when it is not JSON; reading stops as soon as it passes `maxBytes`. */
async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return TOO_LARGE;
  if (!request.body) return null;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
