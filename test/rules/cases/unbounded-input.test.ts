import { unboundedInput } from '../../../rules/unbounded-input.js';
import { endpoint, evidence, testRule } from '../rule-tester.js';

const input = (line: number, argument: string) => ({ ...evidence(line, `${argument} from req.body has no length cap`), argument, missing: ['array-length' as const] });

testRule(unboundedInput, {
  id: 'unbounded-input',
  severity: 'medium',
  valid: [{ name: 'every input bounded' }],
  invalid: [
    {
      name: 'request messages without caps, reported at the argument',
      endpoints: [endpoint({ facts: { unboundedInputs: [input(12, 'messages')] } })],
      findings: [{ line: 12, message: ['POST /api/chat: messages from req.body has no length cap', "fill the model's context window"] }],
    },
    {
      name: 'one finding per endpoint, the first input',
      endpoints: [endpoint({ facts: { unboundedInputs: [input(12, 'messages'), input(14, 'prompt')] } })],
      findings: [{ line: 12, message: ['messages from req.body'] }],
    },
    {
      name: 'an unbounded input to the second paid call only',
      endpoints: [endpoint({ calls: [{}, { unboundedInputs: [input(14, 'prompt')] }] })],
      findings: [{ line: 14, message: ['prompt from req.body'] }],
    },
  ],
});
