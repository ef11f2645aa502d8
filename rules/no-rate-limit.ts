import type { Rule } from '../src/model.js';
import { callName, defineMeta, routeFinding, routeName } from './types.js';
import { leastProtected, limiterStrength } from './least-protected.js';

export const noRateLimit: Rule = {
  meta: defineMeta({
    id: 'no-rate-limit',
    name: 'NoRateLimit',
    severity: 'high',
    shortDescription: 'Paid AI endpoint without a rate limit',
    fullDescription:
      'No rate limiter stands in front of the paid AI call, so one script can send requests as fast as the server answers them and run up the bill.',
    fix: 'Add a rate limiter keyed on the client IP or the verified user id (express-rate-limit, @upstash/ratelimit) before the paid call. A drop-in reference: npx ai-endpoint-audit guard --framework express|next.',
    tags: ['security', 'rate-limiting', 'cost'],
    cwe: ['CWE-770', 'CWE-799'],
    owasp: ['LLM10:2025'],
    precision: 'high',
    protection: 'rateLimit',
  }),
  checkEndpoint(endpoint) {
    const limiters = leastProtected(endpoint.callFacts).rateLimits;
    const declared = endpoint.declaredPublic;
    if (declared) {
      // A public route has no verified user to key on: it needs a limit per client address, or a global one.
      const holding = limiters.filter((l) => l.key === 'ip' || l.key === 'global');
      if (holding.length > 0 || limiterStrength(limiters) === 'client-keyed-only') return [];
      return [routeFinding(endpoint, `${routeName(endpoint)} is declared public (${declared.reason}) but has no IP-keyed or global rate limit in front of ${callName(endpoint)}.`)];
    }
    if (limiterStrength(limiters) !== 'none') return [];
    return [routeFinding(endpoint, `${routeName(endpoint)} calls ${callName(endpoint)} with no rate limit: one script can send requests as fast as the server answers.`)];
  },
};
