import { noSpendCap } from '../../../rules/no-spend-cap.js';
import { endpoint, evidence, testRule } from '../rule-tester.js';

testRule(noSpendCap, {
  id: 'no-spend-cap',
  severity: 'medium',
  valid: [
    { name: 'a credit check before the call', endpoints: [endpoint({ facts: { spendCaps: [evidence(6, 'credits checked')] } })] },
    { name: 'a cap that fails open still counts as a cap (spend-cap-fails-open reports that)', endpoints: [endpoint({ facts: { spendCaps: [evidence(6, 'quota')], failOpenSpendCaps: [evidence(6, 'catch goes on')] } })] },
  ],
  invalid: [
    {
      name: 'a credit check before the first paid call only',
      endpoints: [endpoint({ calls: [{ spendCaps: [evidence(6, 'credits checked')] }, {}] })],
      findings: [{ line: 3, message: ['with no spend, credit or quota ceiling'] }],
    },
    { name: 'no ceiling', findings: [{ line: 3, message: ['POST /api/chat calls openai chat.completions.create with no spend, credit or quota ceiling'] }] },
    {
      name: 'a public route needs one that fails closed',
      endpoints: [endpoint({ declaredPublic: { reason: 'demo', source: 'inline' } })],
      findings: [{ line: 3, message: ['It is declared public (demo), so a ceiling that fails closed is required.'] }],
    },
    {
      name: 'an unseen element named for a quota: low confidence',
      endpoints: [endpoint({ facts: { unseen: [{ ...evidence(5, 'call into an unknown package'), name: 'checkQuota()', mayProvide: ['spendCap'], named: true }] } })],
      findings: [{ line: 3, message: ['which may cap spending'], confidence: 'low' }],
    },
  ],
});
