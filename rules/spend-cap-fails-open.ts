import type { Rule } from '../src/model.js';
import { aiCallEvidence, defineMeta, routeName } from './types.js';
import { leastProtected } from './least-protected.js';

export const spendCapFailsOpen: Rule = {
  meta: defineMeta({
    id: 'spend-cap-fails-open',
    name: 'SpendCapFailsOpen',
    severity: 'high',
    shortDescription: 'Spend cap that lets the paid call through when its check fails',
    fullDescription:
      'A spend, credit or quota check exists, but when it throws or its store is unavailable the paid call still goes ahead: an attacker who can slow or break the store (or who waits for an outage) gets unlimited spend.',
    fix: 'When the spend check throws or its store is down, refuse the request (503) instead of calling the model. A drop-in reference: npx ai-endpoint-audit guard --framework express|next.',
    tags: ['security', 'cost', 'fail-open'],
    cwe: ['CWE-636'],
    owasp: ['LLM10:2025'],
    precision: 'high',
  }),
  checkEndpoint(endpoint) {
    const failure = leastProtected(endpoint.callFacts).failOpenSpendCaps[0];
    if (!failure) return [];
    return [
      {
        location: failure.location,
        message: `${routeName(endpoint)}: ${failure.description}, so the paid call goes ahead when the spend check fails.`,
        endpointId: endpoint.id,
        related: aiCallEvidence(endpoint),
      },
    ];
  },
};
