/**
 * The AI route guard for SvelteKit `+server.ts` endpoints (and form actions, which get the same event):
 *
 *   export const POST: RequestHandler = async (event) => {
 *     const gate = await aiGuard.check(event, { route: 'chat' });
 *     if (!gate.ok) return gate.response;
 *     ... call the model with gate.input.messages, then gate.settle(usage), or gate.release() if it failed
 *   };
 *
 * `authenticate` receives the event (`event.locals` holds what your hooks verified). With `proxy: 'none'` the
 * client address is `event.getClientAddress()`: on adapter-node that reads ADDRESS_HEADER when it is set, which is
 * safe only behind a proxy that overwrites that header.
 */
import { createGuardCore } from './core.js';
import { answer, bodyReader, type GuardResult, requestAddress } from './fetch.js';
import type { GuardOptions, RouteOptions } from './types.js';

/** The part of SvelteKit's RequestEvent the guard uses. */
export interface SvelteKitEvent {
  request: Request;
  getClientAddress(): string;
}

export function createSvelteKitGuard<E extends SvelteKitEvent = SvelteKitEvent>(options: GuardOptions<E>) {
  const core = createGuardCore(options);

  function check(event: E, route: RouteOptions): Promise<GuardResult> {
    return answer(core.admit(event, route, requestAddress(core, event.request, peerOf(event)), undefined, bodyReader(core, event.request)));
  }

  return { check, model: core.model, settings: core.settings };
}

/** Some adapters (static, some edge ones) have no client address and throw. */
function peerOf(event: SvelteKitEvent): string | undefined {
  try {
    return event.getClientAddress();
  } catch {
    return undefined;
  }
}
