import { noAuth } from '../../../rules/no-auth.js';
import { endpoint, evidence, testRule } from '../rule-tester.js';

const session = { ...evidence(2, 'getServerSession()'), kind: 'handler-check' as const };
const unseen = (named: boolean) => ({ ...evidence(5, 'middleware from an unknown package'), name: 'requireAuth()', mayProvide: ['auth' as const], named });

testRule(noAuth, {
  id: 'no-auth',
  severity: 'high',
  valid: [
    { name: 'a verified session before the call', endpoints: [endpoint({ facts: { auth: [{ ...evidence(5, 'getServerSession()'), kind: 'handler-check' }] } })] },
    { name: 'a middleware on the chain', endpoints: [endpoint({ facts: { auth: [{ ...evidence(2, 'passport.authenticate'), kind: 'middleware' }] } })] },
    { name: 'two paid calls, each behind the chain middleware', endpoints: [endpoint({ calls: [{ auth: [session] }, { auth: [session] }] })] },
  ],
  invalid: [
    {
      name: 'two paid calls, only the first behind a check: the other is the way in',
      endpoints: [endpoint({ calls: [{ auth: [session] }, {}] })],
      findings: [{ line: 3, message: ['without authentication'] }],
    },
    {
      name: 'a presence check before one paid call, a verified session before another',
      endpoints: [endpoint({ calls: [{ auth: [session] }, { presenceOnlyAuth: [{ ...evidence(6, 'req.headers.authorization is set'), kind: 'handler-check' }] }] })],
      findings: [{ line: 3, message: ['behind only a presence check (app/api/chat/route.ts:6)'] }],
    },
    { name: 'no check at all', findings: [{ line: 3, message: ['POST /api/chat calls openai chat.completions.create without authentication'] }] },
    {
      name: 'only a presence check',
      endpoints: [endpoint({ facts: { presenceOnlyAuth: [{ ...evidence(6, 'req.headers.authorization is set'), kind: 'handler-check' }] } })],
      findings: [{ line: 3, message: ['behind only a presence check (app/api/chat/route.ts:6)', 'nothing verifies the credential'] }],
    },
    {
      name: 'an unseen middleware whose name says auth: low confidence',
      endpoints: [endpoint({ facts: { unseen: [unseen(true)] } })],
      findings: [{ line: 3, message: ['without authentication', 'Unverified: the analysis could not see into requireAuth() (app/api/chat/route.ts:5), which may authenticate the caller'], confidence: 'low' }],
    },
    {
      name: 'an unseen element whose name says nothing: medium confidence',
      endpoints: [endpoint({ facts: { unseen: [unseen(false)] } })],
      findings: [{ line: 3, message: ['without authentication', 'Unverified'], confidence: 'medium' }],
    },
    {
      name: 'a priced endpoint states its exposure',
      endpoints: [endpoint({ method: 'ALL', exposure: { usdPerDay: 4700, display: '~$4,700', model: 'gpt-4o', inputTokens: 1, outputTokens: 1, requestsPerDay: 1, priceDate: '2026-01-01', assumptions: [] } })],
      findings: [{ line: 3, message: ['ANY /api/chat calls', 'Exposure: up to ~$4,700/day.'] }],
    },
  ],
});
