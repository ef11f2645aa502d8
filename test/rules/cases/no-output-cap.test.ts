import { noOutputCap } from '../../../rules/no-output-cap.js';
import { endpoint, evidence, testRule } from '../rule-tester.js';

const uncapped = (line: number, provider: string, api: string) => ({ ...evidence(line, `${provider} ${api} sets no output-token limit`), provider });

testRule(noOutputCap, {
  id: 'no-output-cap',
  severity: 'low',
  valid: [
    { name: 'every paid call capped' },
    {
      name: 'a call to a provider whose API refuses a call without a cap: the cap is set where the code does not show it',
      endpoints: [endpoint({ facts: { uncappedOutputs: [uncapped(10, 'anthropic', 'messages.create')] } })],
    },
  ],
  invalid: [
    {
      name: 'a call without max_tokens, reported at the call',
      endpoints: [endpoint({ facts: { uncappedOutputs: [uncapped(10, 'openai', 'chat.completions.create')] } })],
      findings: [{ line: 10, message: ['POST /api/chat: openai chat.completions.create sets no output-token limit', "run to the model's maximum output"] }],
    },
    {
      name: 'the first call that needs a cap, past one whose API requires it',
      endpoints: [endpoint({ facts: { uncappedOutputs: [uncapped(8, 'anthropic', 'messages.create'), uncapped(12, 'groq', 'chat.completions.create')] } })],
      findings: [{ line: 12, message: ['groq chat.completions.create sets no output-token limit'] }],
    },
  ],
});
