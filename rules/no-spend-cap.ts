import type { Rule } from '../src/model.js';
import { callName, defineMeta, routeFinding, routeName } from './types.js';
import { leastProtected } from './least-protected.js';

export const noSpendCap: Rule = {
  meta: defineMeta({
    id: 'no-spend-cap',
    name: 'NoSpendCap',
    severity: 'medium',
    shortDescription: 'No server-side spend, credit or quota ceiling before the paid call',
    fullDescription:
      'Nothing checks a spend, credit or quota ceiling before the paid AI call and refuses when it is reached, so the bill has no upper bound: rate limits slow an abuser down but many clients or a long weekend still add up.',
    fix: 'Check a per-user and global daily spend or credit ceiling before the call, refuse with 402/429 when it is reached, and fail closed (503) when the store is down. A drop-in reference: npx ai-endpoint-audit guard --framework express|next.',
    tags: ['security', 'cost'],
    cwe: ['CWE-770', 'CWE-400'],
    owasp: ['LLM10:2025'],
    precision: 'high',
    protection: 'spendCap',
  }),
  checkEndpoint(endpoint) {
    if (leastProtected(endpoint.callFacts).spendCaps.length > 0) return [];
    const declared = endpoint.declaredPublic ? ` It is declared public (${endpoint.declaredPublic.reason}), so a ceiling that fails closed is required.` : '';
    return [routeFinding(endpoint, `${routeName(endpoint)} calls ${callName(endpoint)} with no spend, credit or quota ceiling checked before the call: nothing bounds the bill.${declared}`)];
  },
};
