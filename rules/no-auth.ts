import type { Rule } from '../src/model.js';
import { callName, defineMeta, routeFinding, routeName } from './types.js';
import { leastProtected } from './least-protected.js';

export const noAuth: Rule = {
  meta: defineMeta({
    id: 'no-auth',
    name: 'NoAuth',
    severity: 'high',
    shortDescription: 'Paid AI endpoint reachable without authentication',
    fullDescription:
      'The endpoint calls a paid AI model and nothing on its path rejects a caller without a valid session or credential, so anyone who finds the URL can spend the AI budget.',
    fix: 'Put an authentication check (middleware or an in-handler 401) in front of the paid call, or declare the route public with compensating controls. A drop-in reference: npx ai-endpoint-audit guard --framework express|next.',
    tags: ['security', 'authentication', 'cost'],
    cwe: ['CWE-306'],
    precision: 'high',
    protection: 'auth',
  }),
  checkEndpoint(endpoint) {
    const facts = leastProtected(endpoint.callFacts);
    if (facts.auth.length > 0) return [];
    const presence = facts.presenceOnlyAuth ?? [];
    if (presence.length > 0) {
      const where = `${presence[0].location.file}:${presence[0].location.line}`;
      const related = presence.map((p) => ({ location: p.location, description: `presence check, not authentication: ${p.description}` }));
      return [routeFinding(endpoint, `${routeName(endpoint)} calls ${callName(endpoint)} behind only a presence check (${where}): any value passes it, nothing verifies the credential, so anyone who finds the URL can run it at your expense.`, related)];
    }
    return [routeFinding(endpoint, `${routeName(endpoint)} calls ${callName(endpoint)} without authentication: anyone who finds the URL can run it at your expense.`)];
  },
};
