import type { Rule } from '../src/model.js';
import { callName, defineMeta, routeFinding, routeName } from './types.js';
import { leastProtected, limiterStrength } from './least-protected.js';

export const clientKeyedRateLimit: Rule = {
  meta: defineMeta({
    id: 'client-keyed-rate-limit',
    name: 'ClientKeyedRateLimit',
    severity: 'high',
    shortDescription: 'Rate limit keyed on a value the client controls',
    fullDescription:
      'Every rate limiter on the endpoint is keyed on a value the client sends (body, query, a header or cookie it sets or mints). A script that rotates the value gets a fresh allowance on every request, so the limit does not hold.',
    fix: 'Key the limiter on the client IP (req.ip, ipAddress(req)) or the verified user id, never on an id the browser mints. A drop-in reference: npx ai-endpoint-audit guard --framework express|next.',
    tags: ['security', 'rate-limiting', 'cost'],
    cwe: ['CWE-770', 'CWE-807'],
    owasp: ['LLM10:2025'],
    precision: 'high',
    protection: 'rateLimit',
  }),
  checkEndpoint(endpoint) {
    const limiters = leastProtected(endpoint.callFacts).rateLimits;
    if (limiterStrength(limiters) !== 'client-keyed-only') return [];
    const related = limiters.map((l) => ({
      location: l.keyLocation ?? l.location,
      description: `limiter key the client controls: ${l.keyDescription ?? l.description}`,
    }));
    return [routeFinding(endpoint, `${routeName(endpoint)} calls ${callName(endpoint)} behind a rate limit keyed on a value the client controls (${limiters[0].keyDescription ?? 'client input'}): rotating it gives a fresh allowance every request.`, related)];
  },
};
