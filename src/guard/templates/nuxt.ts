/**
 * The AI route guard for Nuxt server routes and any h3 app (`server/api/*.post.ts`):
 *
 *   export default defineEventHandler(async (event) => {
 *     const gate = await aiGuard.check(event, { route: 'chat' });
 *     if (!gate.ok) return gate.response;
 *     ... call the model with gate.input.messages, then gate.settle(usage), or gate.release() if it failed
 *   });
 *
 * `authenticate` receives the event (`event.context`, cookies). With `proxy: 'none'` the client address is the
 * socket's peer; no forwarding header is read unless `proxy` names what stands in front.
 */
import { getRequestIP, type H3Event, toWebRequest } from 'h3';
import { createGuardCore } from './core.js';
import { answer, bodyReader, type GuardResult, requestAddress } from './fetch.js';
import type { GuardOptions, RouteOptions } from './types.js';

export function createNuxtGuard(options: GuardOptions<H3Event>) {
  const core = createGuardCore(options);

  function check(event: H3Event, route: RouteOptions): Promise<GuardResult> {
    const request = toWebRequest(event);
    return answer(core.admit(event, route, requestAddress(core, request, getRequestIP(event)), undefined, bodyReader(core, request)));
  }

  return { check, model: core.model, settings: core.settings };
}
