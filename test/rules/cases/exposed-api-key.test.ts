import { exposedApiKey } from '../../../rules/exposed-api-key.js';
import { endpoint, evidence, FILE, projectFacts, testRule } from '../rule-tester.js';

testRule(exposedApiKey, {
  id: 'exposed-api-key',
  severity: 'critical',
  valid: [
    { name: 'no exposed key', project: projectFacts() },
    { name: 'endpoints alone report nothing', endpoints: [endpoint(), endpoint({ path: '/api/other' })] },
  ],
  invalid: [
    {
      name: 'each exposed key, with no endpoint needed',
      endpoints: [],
      project: projectFacts({ exposedKeys: [evidence(2, 'OpenAI key hard-coded in source'), evidence(9, 'NEXT_PUBLIC_OPENAI_API_KEY reaches the browser')] }),
      findings: [
        { line: 2, file: FILE, message: ['OpenAI key hard-coded in source. Revoke it and move the call behind a protected server route.'] },
        { line: 9, message: ['NEXT_PUBLIC_OPENAI_API_KEY reaches the browser. Revoke it'] },
      ],
    },
  ],
});
