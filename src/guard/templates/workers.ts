/**
 * The AI route guard for Cloudflare Workers (and Pages Functions):
 *
 *   export default {
 *     async fetch(request: Request, env: Env) {
 *       const gate = await aiGuard.check(request, { route: 'chat' });
 *       if (!gate.ok) return gate.response;
 *       ... call the model with gate.input.messages, then gate.settle(usage), or gate.release() if it failed
 *     },
 *   };
 *
 * Configure it with `proxy: 'cloudflare'`: on Workers every request comes through Cloudflare, which sets
 * `cf-connecting-ip` itself. The memory store lives in one isolate only; use a shared store for a real limit.
 */
import { createGuardCore } from './core.js';
import { answer, bodyReader, type GuardResult, requestAddress } from './fetch.js';
import type { GuardOptions, RouteOptions } from './types.js';

export function createWorkersGuard(options: GuardOptions<Request>) {
  const core = createGuardCore(options);

  function check(request: Request, route: RouteOptions): Promise<GuardResult> {
    return answer(core.admit(request, route, requestAddress(core, request), undefined, bodyReader(core, request)));
  }

  return { check, model: core.model, settings: core.settings };
}
