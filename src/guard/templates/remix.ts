/**
 * The AI route guard for Remix and React Router (framework mode) actions:
 *
 *   export async function action(args: ActionFunctionArgs) {
 *     const gate = await aiGuard.check(args, { route: 'chat' });
 *     if (!gate.ok) return gate.response;
 *     ... call the model with gate.input.messages, then gate.settle(usage), or gate.release() if it failed
 *   }
 *
 * `authenticate` receives the action's arguments (`request`, `context`). Actions see no client address: name the
 * platform in front (`proxy`), or every client shares one per-IP limit.
 */
import { createGuardCore } from './core.js';
import { answer, bodyReader, type GuardResult, requestAddress } from './fetch.js';
import type { GuardOptions, RouteOptions } from './types.js';

/** The part of an action's (or loader's) arguments the guard uses. */
export interface RemixArgs {
  request: Request;
}

export function createRemixGuard<A extends RemixArgs = RemixArgs>(options: GuardOptions<A>) {
  const core = createGuardCore(options);

  function check(args: A, route: RouteOptions): Promise<GuardResult> {
    return answer(core.admit(args, route, requestAddress(core, args.request), undefined, bodyReader(core, args.request)));
  }

  return { check, model: core.model, settings: core.settings };
}
