import { noOutputCap } from '../../../rules/no-output-cap.js';
import { endpoint, evidence, testRule } from '../rule-tester.js';

testRule(noOutputCap, {
  id: 'no-output-cap',
  severity: 'low',
  valid: [{ name: 'every paid call capped' }],
  invalid: [
    {
      name: 'a call without max_tokens, reported at the call',
      endpoints: [endpoint({ facts: { uncappedOutputs: [evidence(10, 'openai chat.completions.create sets no max_tokens')] } })],
      findings: [{ line: 10, message: ['POST /api/chat: openai chat.completions.create sets no max_tokens', "run to the model's maximum output"] }],
    },
  ],
});
