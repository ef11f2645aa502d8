import type { Rule } from '../src/model.js';
import { defineMeta } from './types.js';

export const exposedApiKey: Rule = {
  meta: defineMeta({
    id: 'exposed-api-key',
    name: 'ExposedApiKey',
    severity: 'critical',
    shortDescription: 'AI provider key exposed in source or to the browser',
    fullDescription:
      'A provider key is hard-coded in source, read from a browser-exposed environment variable, or given to an SDK client that runs in the browser. Anyone who reads the repository or the JavaScript bundle can call the model on your account, with no route in between.',
    fix: 'Revoke the key, keep it in a server-only environment variable (process.env.OPENAI_API_KEY), and call the model from a server route with auth, limits and a spend cap.',
    tags: ['security', 'secrets', 'cost'],
    cwe: ['CWE-798', 'CWE-200'],
    precision: 'high',
  }),
  checkProject(project) {
    return project.exposedKeys.map((key) => ({ location: key.location, message: `${key.description}. Revoke it and move the call behind a protected server route.`, related: [] }));
  },
};
