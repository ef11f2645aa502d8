import type { Rule } from '../src/model.js';
import { callName, defineMeta, routeFinding, routeName } from './types.js';

export const noRateLimit: Rule = {
  meta: defineMeta({
    id: 'no-rate-limit',
    name: 'NoRateLimit',
    severity: 'high',
    shortDescription: 'Paid AI endpoint without a rate limit',
    fullDescription:
      'No rate limiter stands in front of the paid AI call, so one script can send requests as fast as the server answers them and run up the bill.',
    fix: 'Add a rate limiter keyed on the client IP or the verified user id (express-rate-limit, @upstash/ratelimit) before the paid call.',
    tags: ['security', 'rate-limiting', 'cost'],
  }),
  checkEndpoint(endpoint) {
    if (endpoint.facts.rateLimits.length > 0) return [];
    return [routeFinding(endpoint, `${routeName(endpoint)} calls ${callName(endpoint)} with no rate limit: one script can send requests as fast as the server answers.`)];
  },
};
