/**
 * The AI route guard for Astro endpoints (`src/pages/api/*.ts`, server output):
 *
 *   export const POST: APIRoute = async (context) => {
 *     const gate = await aiGuard.check(context, { route: 'chat' });
 *     if (!gate.ok) return gate.response;
 *     ... call the model with gate.input.messages, then gate.settle(usage), or gate.release() if it failed
 *   };
 *
 * `authenticate` receives the context (`context.locals`, `context.cookies`). With `proxy: 'none'` the client
 * address is `context.clientAddress`, which each adapter fills from its platform.
 */
import { createGuardCore } from './core.js';
import { answer, bodyReader, type GuardResult, requestAddress } from './fetch.js';
import type { GuardOptions, RouteOptions } from './types.js';

/** The part of Astro's APIContext the guard uses. */
export interface AstroContext {
  request: Request;
  readonly clientAddress: string;
}

export function createAstroGuard<C extends AstroContext = AstroContext>(options: GuardOptions<C>) {
  const core = createGuardCore(options);

  function check(context: C, route: RouteOptions): Promise<GuardResult> {
    return answer(core.admit(context, route, requestAddress(core, context.request, peerOf(context)), undefined, bodyReader(core, context.request)));
  }

  return { check, model: core.model, settings: core.settings };
}

/** Astro throws when the adapter cannot tell the client address (or the page is prerendered). */
function peerOf(context: AstroContext): string | undefined {
  try {
    return context.clientAddress;
  } catch {
    return undefined;
  }
}
