/**
 * The AI route guard for Next.js: App Router route handlers (any runtime) and server actions.
 *
 *   // app/api/chat/route.ts
 *   export async function POST(request: Request) {
 *     const gate = await aiGuard.check(request, { route: 'chat' });
 *     if (!gate.ok) return gate.response;
 *     ... call the model with gate.input.messages, then gate.settle(usage), or gate.release() if it failed
 *   }
 *
 *   // a server action
 *   'use server';
 *   export async function ask(input: { prompt: string }) {
 *     const gate = await aiGuard.action(input, { route: 'ask' }, await headers());
 *     if (!gate.ok) return { error: gate.body };
 *     ...
 *   }
 *
 * Next.js gives no client address: name the platform in front (`proxy`), or every client shares one per-IP limit.
 */
import { clientAddress, createGuardCore, type Refusal, refuseWhenStoreIsDown } from './core.js';
import { answer, bodyReader, type GuardResult, requestAddress } from './fetch.js';
import type { GuardOptions, RouteOptions } from './types.js';

export type { GuardResult } from './fetch.js';
export type NextGuardOptions = GuardOptions<Request>;

/** Where `authenticate` sees a server action's call: a request with its headers (cookies included) and no body. */
const ACTION_URL = 'http://server-action.invalid/';

export function createNextGuard(options: NextGuardOptions) {
  const core = createGuardCore(options);

  /** The guard for a route handler. */
  function check(request: Request, route: RouteOptions): Promise<GuardResult> {
    core.assertRoute(route);
    return answer(core.admit(request, route, requestAddress(core, request), undefined, bodyReader(core, request)));
  }

  /**
   * The guard for a server action: `input` is what the action received, `requestHeaders` is `await headers()` from
   * `next/headers`. A refusal comes back as data (status and body) for the action to return.
   */
  function action(input: unknown, route: RouteOptions, requestHeaders: Headers): Promise<Refusal | Exclude<GuardResult, { ok: false }>> {
    core.assertRoute(route);
    const request = new Request(ACTION_URL, { method: 'POST', headers: new Headers(requestHeaders) });
    const ip = clientAddress(core.proxy, requestHeaders, undefined);
    return core.admit(request, route, ip, input).catch(refuseWhenStoreIsDown);
  }

  return { check, action, model: core.model, settings: core.settings };
}
