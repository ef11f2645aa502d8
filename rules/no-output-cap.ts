import type { Rule } from '../src/model.js';
import { defineMeta, routeName } from './types.js';
import { leastProtected } from './least-protected.js';

/** Providers whose API refuses a call without an output cap: a cap the code does not show is set elsewhere. */
const CAP_REQUIRED_BY_API = new Set(['anthropic']);

export const noOutputCap: Rule = {
  meta: defineMeta({
    id: 'no-output-cap',
    name: 'NoOutputCap',
    severity: 'low',
    shortDescription: 'Paid call without an output-token limit',
    fullDescription:
      'The paid call sets no output-token limit, so each request may generate up to the model maximum, the most expensive part of most calls.',
    fix: 'Set max_tokens / max_completion_tokens / maxOutputTokens on the paid call to what the feature needs.',
    tags: ['cost'],
    cwe: ['CWE-770'],
    owasp: ['LLM10:2025'],
    precision: 'medium',
  }),
  checkEndpoint(endpoint) {
    const call = leastProtected(endpoint.callFacts).uncappedOutputs.find((c) => !CAP_REQUIRED_BY_API.has(c.provider));
    if (!call) return [];
    return [{ location: call.location, message: `${routeName(endpoint)}: ${call.description}; every request may run to the model's maximum output.`, endpointId: endpoint.id, related: [] }];
  },
};
