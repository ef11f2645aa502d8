/**
 * The AI route guard for Hono (any runtime): a middleware for each paid route.
 *
 *   app.post('/api/chat', aiGuard.protect({ route: 'chat' }), async (c) => {
 *     const call = paidCall(c);
 *     ... call the model with call.input.messages, then call.settle(usage), or call.release() if it failed
 *   });
 *
 * The guard reads the request body itself: use `paidCall(c).input`, not `c.req.json()`. The client address is
 * the socket's peer on @hono/node-server; elsewhere pass `peerAddress` or name the platform in `proxy`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { createGuardCore, type Pass } from './core.js';
import { answer, bodyReader, requestAddress } from './fetch.js';
import type { GuardOptions, RouteOptions } from './types.js';

export interface HonoGuardOptions extends GuardOptions<Context> {
  /** The connection's peer address. Default: the socket's on @hono/node-server, none elsewhere. */
  peerAddress?: (c: Context) => string | undefined;
}

const passes = new WeakMap<Request, Pass>();

export function createHonoGuard(options: HonoGuardOptions) {
  const core = createGuardCore(options);
  const peerAddress = options.peerAddress ?? nodeServerPeer;

  /** The middleware for one paid route. */
  function protect(route: RouteOptions): MiddlewareHandler {
    core.assertRoute(route);
    return async function aiGuard(c, next) {
      const request = c.req.raw;
      const gate = await answer(core.admit(c, route, requestAddress(core, request, peerAddress(c)), undefined, bodyReader(core, request)));
      if (!gate.ok) return gate.response;
      passes.set(c.req.raw, gate);
      await next();
    };
  }

  return { protect, model: core.model, settings: core.settings };
}

/** The guarded call of this request: its validated input, and settle or release. */
export function paidCall(c: Context): Pass {
  const pass = passes.get(c.req.raw);
  if (!pass) throw new Error('ai-guard: this route is not behind aiGuard.protect()');
  return pass;
}

function nodeServerPeer(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}
