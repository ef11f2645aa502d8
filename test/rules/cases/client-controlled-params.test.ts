import { clientControlledParams } from '../../../rules/client-controlled-params.js';
import { endpoint, evidence, testRule } from '../rule-tester.js';

const param = (line: number, parameter: string) => ({ ...evidence(line, `${parameter} comes from req.body.${parameter}`), parameter });

testRule(clientControlledParams, {
  id: 'client-controlled-params',
  severity: 'high',
  valid: [{ name: 'model and output cap fixed on the server' }],
  invalid: [
    {
      name: 'the model from the body',
      endpoints: [endpoint({ facts: { clientParams: [param(11, 'model')] } })],
      findings: [{ line: 11, message: ['POST /api/chat: model comes from req.body.model', 'a client can pick the most expensive model'] }],
    },
    {
      name: 'one finding per endpoint, at the first parameter',
      endpoints: [endpoint({ facts: { clientParams: [param(11, 'model'), param(12, 'max_tokens')] } })],
      findings: [{ line: 11, message: ['model comes from req.body.model'] }],
    },
  ],
});
