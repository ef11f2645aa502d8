import type { Rule } from '../src/model.js';
import { aiCallEvidence, defineMeta, routeName } from './types.js';
import { leastProtected } from './least-protected.js';

export const unboundedInput: Rule = {
  meta: defineMeta({
    id: 'unbounded-input',
    name: 'UnboundedInput',
    severity: 'medium',
    shortDescription: 'Request-derived prompt or messages reach the model without caps',
    fullDescription:
      'Prompt or message input taken from the request reaches the paid model without a cap on the number of messages, the size of each, or a check of the roles, so one request can fill the context window (and inject a system prompt).',
    fix: 'Validate the input before the call: at most N messages, at most M characters each, roles limited to user and assistant (zod .max(), z.enum). A drop-in reference: npx ai-endpoint-audit guard --framework express|next.',
    tags: ['security', 'input-validation', 'cost'],
    cwe: ['CWE-770', 'CWE-20'],
    owasp: ['LLM10:2025'],
    precision: 'high',
  }),
  checkEndpoint(endpoint) {
    const input = leastProtected(endpoint.callFacts).unboundedInputs[0];
    if (!input) return [];
    return [
      {
        location: input.location,
        message: `${routeName(endpoint)}: ${input.description}; one request can fill the model's context window at your expense.`,
        endpointId: endpoint.id,
        related: aiCallEvidence(endpoint),
      },
    ];
  },
};
