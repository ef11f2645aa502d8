import type { Rule } from '../src/model.js';
import { compareLocations } from '../src/findings/order.js';
import { defineMeta } from './types.js';

export const noUsageTracking: Rule = {
  meta: defineMeta({
    id: 'no-usage-tracking',
    name: 'NoUsageTracking',
    severity: 'low',
    shortDescription: 'Token usage of paid calls is never recorded',
    fullDescription:
      'The project never reads the token usage its paid calls report (usage, onFinish usage, usageMetadata), so per-user quotas, spend alerts and cost attribution cannot work.',
    fix: 'Record each paid call\'s token usage (response.usage, onFinish({ usage })) per user and route, and alert on spend spikes.',
    tags: ['cost', 'monitoring'],
    cwe: ['CWE-778'],
    precision: 'medium',
  }),
  checkProject(project, endpoints) {
    if (project.usageTracked) return [];
    const first = endpoints.flatMap((e) => e.aiCalls.map((call) => ({ call, endpoint: e }))).sort((a, b) => compareLocations(a.call.location, b.call.location))[0];
    if (!first) return [];
    return [
      {
        location: first.call.location,
        message: 'No paid AI call in the project has its token usage recorded: per-user quotas and spend alerts have nothing to count.',
        endpointId: first.endpoint.id,
        related: [],
      },
    ];
  },
};
