/**
 * The AI route guard for Express (4 and 5). Put `aiGuard.protect(...)` in front of a paid route, after a
 * JSON body parser whose limit fits the input limits (`express.json({ limit: '1mb' })`):
 *
 *   app.post('/api/chat', aiGuard.protect({ route: 'chat' }), async (req, res) => {
 *     const call = paidCall(res);
 *     const completion = await openai.chat.completions.create({
 *       model: aiGuard.model.id,
 *       max_tokens: aiGuard.model.maxOutputTokens,
 *       messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...req.body.messages],
 *     });
 *     await call.settle(completion.usage);
 *     res.json({ reply: completion.choices[0].message.content });
 *   });
 *
 * By the time the handler runs, `req.body` holds only the validated messages.
 */
import type { Request, RequestHandler, Response } from 'express';
import { createGuardCore, describeIssues, forwardedClient, headerValue, limiterAddress, STORE_UNAVAILABLE_BODY, StoreUnavailableError } from './core.js';
import type { GuardOptions, PaidCall, ProxyConfig, RouteOptions, WindowLimit } from './types.js';

export type ExpressGuardOptions = GuardOptions<Request>;

const PAID_CALL = 'aiGuardPaidCall';

export function createExpressGuard(options: ExpressGuardOptions) {
  const core = createGuardCore(options);
  const limits = core.settings.rateLimit;
  const proxy = options.proxy ?? 'none';

  /** The middleware for one paid route. */
  function protect(route: RouteOptions): RequestHandler {
    if (!route.public && !options.authenticate) {
      throw new Error(`ai-guard: route "${route.route}" is not public, so the guard needs an authenticate function`);
    }
    return function aiGuard(req, res, next) {
      admit(req, res, route).then(
        (admitted) => {
          if (admitted) next();
        },
        (error: unknown) => {
          if (error instanceof StoreUnavailableError) {
            res.status(503).json(STORE_UNAVAILABLE_BODY);
            return;
          }
          next(error);
        },
      );
    };
  }

  /** The checks, in order. Answers the request and returns false at the first refusal. */
  async function admit(req: Request, res: Response, route: RouteOptions): Promise<boolean> {
    const user = route.public ? undefined : (await options.authenticate?.(req)) ?? undefined;
    if (!route.public && !user?.id) {
      res.status(401).json({ error: 'unauthenticated', message: 'Sign in to use this endpoint.' });
      return false;
    }

    const ip = clientIp(req, proxy);
    const ipRequests = await core.increment(`ip:${limiterAddress(ip)}`, limits.perIp);
    if (ipRequests > limits.perIp.limit) {
      res.set('Retry-After', retryAfterSeconds(limits.perIp)).status(429).json({ error: 'rate_limited', message: 'Too many requests from this address. Try again shortly.' });
      return false;
    }
    if (user) {
      const userRequests = await core.increment(`user:${user.id}`, limits.perUser);
      if (userRequests > limits.perUser.limit) {
        res.set('Retry-After', retryAfterSeconds(limits.perUser)).status(429).json({ error: 'rate_limited', message: 'Too many requests for this account. Try again shortly.' });
        return false;
      }
    }

    const parsed = core.validate(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid_request', issues: describeIssues(parsed.error) });
      return false;
    }
    req.body = parsed.data;

    const spend = await core.reserveSpend(user, parsed.data.messages, route.promptTokens);
    if (!spend.allowed) {
      const whose = spend.scope === 'app' ? 'The service' : 'Your account';
      res.status(402).json({ error: 'spend_cap_reached', scope: spend.scope, message: `${whose} reached its daily AI spending limit. It resets at midnight UTC.` });
      return false;
    }
    res.locals[PAID_CALL] = core.paidCall(spend.reservation, { route: route.route, user, ip });
    return true;
  }

  return { protect, model: core.model, settings: core.settings };
}

/** The guarded call of this response: settle it from the model's usage, or release it if the call failed. */
export function paidCall(res: Response): PaidCall {
  const call = res.locals[PAID_CALL] as PaidCall | undefined;
  if (!call) throw new Error('ai-guard: this route is not behind aiGuard.protect()');
  return call;
}

/** The client address. Forwarding headers are read only behind the proxy the app declared. */
function clientIp(req: Request, proxy: ProxyConfig): string {
  if (proxy === 'cloudflare') return headerValue(req.headers['cf-connecting-ip']) ?? peerAddress(req);
  if (proxy === 'vercel') return headerValue(req.headers['x-real-ip']) ?? peerAddress(req);
  if (typeof proxy === 'object') return forwardedClient(req.headers['x-forwarded-for'], proxy.forwardedForHops) ?? peerAddress(req);
  return peerAddress(req);
}

function peerAddress(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function retryAfterSeconds(window: WindowLimit): string {
  return String(Math.ceil(window.windowMs / 1000));
}
