import type { Rule } from '../src/model.js';
import { aiCallEvidence, defineMeta, routeName } from './types.js';
import { leastProtected } from './least-protected.js';

export const clientControlledParams: Rule = {
  meta: defineMeta({
    id: 'client-controlled-params',
    name: 'ClientControlledParams',
    severity: 'high',
    shortDescription: 'Model or output-token cap chosen by the client',
    fullDescription:
      'A cost parameter of the paid call (model, max_tokens / maxOutputTokens, n, image size...) comes from the request, so a client can switch to the most expensive model and the largest output on every call.',
    fix: 'Fix the model and the output-token cap on the server, or check the requested value against an allow-list and clamp it (Math.min).',
    tags: ['security', 'cost', 'input-validation'],
    cwe: ['CWE-770', 'CWE-20'],
    owasp: ['LLM10:2025'],
    precision: 'high',
  }),
  checkEndpoint(endpoint) {
    const facts = leastProtected(endpoint.callFacts);
    const param = facts.clientParams[0];
    if (!param) return [];
    const others = facts.clientParams.slice(1).map((p) => ({ location: p.location, description: p.description }));
    return [
      {
        location: param.location,
        message: `${routeName(endpoint)}: ${param.description}; a client can pick the most expensive model and the largest output.`,
        endpointId: endpoint.id,
        related: [...others, ...aiCallEvidence(endpoint)],
      },
    ];
  },
};
