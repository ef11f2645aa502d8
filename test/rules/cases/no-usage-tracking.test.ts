import { noUsageTracking } from '../../../rules/no-usage-tracking.js';
import { aiCall, at, endpoint, projectFacts, testRule } from '../rule-tester.js';

const untracked = projectFacts({ usageTracked: false });

testRule(noUsageTracking, {
  id: 'no-usage-tracking',
  severity: 'low',
  valid: [
    { name: 'usage recorded somewhere in the project', project: projectFacts({ usageTracked: true }) },
    { name: 'no paid endpoint', endpoints: [], project: untracked },
  ],
  invalid: [
    {
      name: 'one finding for the project, at the first paid call in file order',
      project: untracked,
      endpoints: [
        endpoint({ path: '/api/b', location: at(3, 'b.ts'), aiCalls: [aiCall(10, { location: at(10, 'b.ts') })] }),
        endpoint({ path: '/api/a', location: at(3, 'a.ts'), aiCalls: [aiCall(20, { location: at(20, 'a.ts') }), aiCall(8, { location: at(8, 'a.ts') })] }),
      ],
      findings: [{ line: 8, file: 'a.ts', message: ['No paid AI call in the project has its token usage recorded'] }],
    },
  ],
});
