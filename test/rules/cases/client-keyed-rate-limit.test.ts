import { clientKeyedRateLimit } from '../../../rules/client-keyed-rate-limit.js';
import type { RateLimitKey } from '../../../src/model.js';
import { at, endpoint, evidence, testRule } from '../rule-tester.js';

const limiter = (key: RateLimitKey, line = 4) => ({ ...evidence(line, `limiter keyed on ${key}`), library: '@upstash/ratelimit', key });

testRule(clientKeyedRateLimit, {
  id: 'client-keyed-rate-limit',
  severity: 'high',
  valid: [
    { name: 'no limiter (no-rate-limit reports that)' },
    { name: 'an IP-keyed limiter', endpoints: [endpoint({ facts: { rateLimits: [limiter('ip')] } })] },
    { name: 'a client-keyed limiter behind a user-keyed one', endpoints: [endpoint({ facts: { rateLimits: [limiter('client'), limiter('user', 5)] } })] },
    {
      name: 'one paid call with no limiter, another behind a client-keyed one (no-rate-limit reports the weaker call)',
      endpoints: [endpoint({ calls: [{ rateLimits: [limiter('client')] }, {}] })],
    },
  ],
  invalid: [
    {
      name: 'every limiter keyed on a client value',
      endpoints: [endpoint({ facts: { rateLimits: [{ ...limiter('client'), keyLocation: at(7), keyDescription: 'body.sessionId' }] } })],
      findings: [{ line: 3, message: ['behind a rate limit keyed on a value the client controls (body.sessionId)', 'rotating it gives a fresh allowance'] }],
    },
    {
      name: 'one paid call behind a user-keyed limiter, another behind only a client-keyed one',
      endpoints: [endpoint({ calls: [{ rateLimits: [limiter('user')] }, { rateLimits: [{ ...limiter('client', 8), keyDescription: 'the x-session-id header' }] }] })],
      findings: [{ line: 3, message: ['(the x-session-id header)'] }],
    },
    {
      name: 'a key without a description',
      endpoints: [endpoint({ facts: { rateLimits: [limiter('client')] } })],
      findings: [{ line: 3, message: ['(client input)'] }],
    },
  ],
});
