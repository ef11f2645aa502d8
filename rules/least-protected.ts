/**
 * The policy every rule judges an endpoint by: it is as protected as its least protected paid call. The facts
 * stage describes each reached paid call on its own (`Endpoint.callFacts`); an attacker takes the unguarded one,
 * so a finding is due when any call lacks the protection, and the reports show that call's protections.
 */
import type { EndpointFacts, Evidence, RateLimitFact } from '../src/model.js';
import { placeKey } from '../src/model.js';

/**
 * How much the limiters in front of one paid call hold, weakest first. `client-keyed-only`: every limiter is
 * keyed on a value the client sets or mints, so rotating it resets the allowance.
 */
const LIMITER_STRENGTHS = ['none', 'client-keyed-only', 'holds'] as const;
export type LimiterStrength = (typeof LIMITER_STRENGTHS)[number];

export function limiterStrength(limiters: readonly RateLimitFact[]): LimiterStrength {
  if (limiters.length === 0) return 'none';
  return limiters.every((l) => l.key === 'client') ? 'client-keyed-only' : 'holds';
}

const views = new WeakMap<readonly EndpointFacts[], EndpointFacts>();

/**
 * Per protection, the facts of the paid call that has least of it (the first such call in reach order); the
 * problems found on any call (fail-open caps, unbounded inputs, client-set parameters, uncapped outputs, unseen
 * elements, presence-only checks) are all kept, once each.
 */
export function leastProtected(callFacts: readonly EndpointFacts[]): EndpointFacts {
  let view = views.get(callFacts);
  if (!view) views.set(callFacts, (view = combine(callFacts)));
  return view;
}

function combine(callFacts: readonly EndpointFacts[]): EndpointFacts {
  const weakest = <T>(pick: (f: EndpointFacts) => T[], strength: (items: T[]) => number) =>
    callFacts.map(pick).reduce((a, b) => (strength(b) < strength(a) ? b : a));
  const fewest = <T>(pick: (f: EndpointFacts) => T[]) => weakest(pick, (items) => items.length);
  const every = <T extends Evidence>(pick: (f: EndpointFacts) => T[] | undefined) => unique(callFacts.flatMap((f) => pick(f) ?? []));
  return {
    auth: fewest((f) => f.auth),
    presenceOnlyAuth: every((f) => f.presenceOnlyAuth),
    rateLimits: weakest((f) => f.rateLimits, (limiters) => LIMITER_STRENGTHS.indexOf(limiterStrength(limiters))),
    spendCaps: fewest((f) => f.spendCaps),
    failOpenSpendCaps: every((f) => f.failOpenSpendCaps),
    unboundedInputs: every((f) => f.unboundedInputs),
    clientParams: every((f) => f.clientParams),
    uncappedOutputs: every((f) => f.uncappedOutputs),
    unseen: every((f) => f.unseen),
  };
}

function unique<T extends Evidence>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = placeKey(item.location);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
