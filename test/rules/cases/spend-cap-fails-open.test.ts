import { spendCapFailsOpen } from '../../../rules/spend-cap-fails-open.js';
import { endpoint, evidence, testRule } from '../rule-tester.js';

testRule(spendCapFailsOpen, {
  id: 'spend-cap-fails-open',
  severity: 'high',
  valid: [
    { name: 'a spend check that fails closed', endpoints: [endpoint({ facts: { spendCaps: [evidence(6, 'credits checked')] } })] },
    { name: 'no spend check at all (no-spend-cap reports that)' },
  ],
  invalid: [
    {
      name: 'a catch that goes on to the call',
      endpoints: [endpoint({ facts: { spendCaps: [evidence(6, 'credits checked')], failOpenSpendCaps: [evidence(8, 'the catch around checkCredits() falls through')] } })],
      findings: [{ line: 8, message: ['POST /api/chat: the catch around checkCredits() falls through, so the paid call goes ahead when the spend check fails.'] }],
    },
  ],
});
