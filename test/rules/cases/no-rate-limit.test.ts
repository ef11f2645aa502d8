import { noRateLimit } from '../../../rules/no-rate-limit.js';
import type { RateLimitKey } from '../../../src/model.js';
import { endpoint, evidence, testRule } from '../rule-tester.js';

const limiter = (key: RateLimitKey) => ({ ...evidence(4, `limiter keyed on ${key}`), library: 'express-rate-limit', key });
const declaredPublic = { reason: 'marketing demo', source: 'config' as const };

testRule(noRateLimit, {
  id: 'no-rate-limit',
  severity: 'high',
  valid: [
    { name: 'a limiter keyed on the user', endpoints: [endpoint({ facts: { rateLimits: [limiter('user')] } })] },
    { name: 'any limiter, even a client-keyed one (client-keyed-rate-limit reports that)', endpoints: [endpoint({ facts: { rateLimits: [limiter('client')] } })] },
    { name: 'a public route with an IP limiter', endpoints: [endpoint({ declaredPublic, facts: { rateLimits: [limiter('ip')] } })] },
    { name: 'a public route with a global limiter', endpoints: [endpoint({ declaredPublic, facts: { rateLimits: [limiter('global')] } })] },
  ],
  invalid: [
    {
      name: 'one paid call behind a user-keyed limiter, another behind none',
      endpoints: [endpoint({ calls: [{ rateLimits: [limiter('user')] }, {}] })],
      findings: [{ line: 3, message: ['with no rate limit'] }],
    },
    { name: 'no limiter', findings: [{ line: 3, message: ['POST /api/chat calls openai chat.completions.create with no rate limit'] }] },
    {
      name: 'a public route whose only limiter is keyed on the user',
      endpoints: [endpoint({ declaredPublic, facts: { rateLimits: [limiter('user')] } })],
      findings: [{ line: 3, message: ['is declared public (marketing demo) but has no IP-keyed or global rate limit'] }],
    },
    {
      name: 'an unseen wrapper that may limit: medium confidence',
      endpoints: [endpoint({ facts: { unseen: [{ ...evidence(2, 'wrapper'), name: 'withMiddleware', mayProvide: ['auth', 'rateLimit', 'spendCap'], named: false }] } })],
      findings: [{ line: 3, message: ['with no rate limit', 'which may rate-limit requests'], confidence: 'medium' }],
    },
  ],
});
