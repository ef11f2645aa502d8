/** Shared helpers for the server-framework tests: small projects and a one-line summary of each endpoint. */
import type { Endpoint } from '../../src/model.js';
import { scanProject } from '../rules/project.js';

export const OPENAI_CLIENT = `import OpenAI from 'openai';\nexport const openai = new OpenAI();\n`;

/** A paid call whose only request-derived input is `input`, with an output cap. */
export const chatCall = (input: string) =>
  `await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages: [{ role: 'user', content: ${input} }] })`;

export interface Summary {
  route: string;
  auth: boolean;
  /** Keys of the rate limiters, e.g. `['ip']`; empty when there is none. */
  limits: string[];
  spendCap: boolean;
  /** Bounds missing on request-derived input, e.g. `['item-size']`. */
  unbounded: string[];
}

export function summarize(endpoint: Endpoint): Summary {
  return {
    route: `${endpoint.method} ${endpoint.path}`,
    auth: endpoint.facts.auth.length > 0,
    limits: endpoint.facts.rateLimits.map((l) => l.key),
    spendCap: endpoint.facts.spendCaps.length > 0,
    unbounded: [...new Set(endpoint.facts.unboundedInputs.flatMap((u) => u.missing))].sort(),
  };
}

export async function summaries(files: Record<string, string>): Promise<Summary[]> {
  const result = await scanProject({ 'lib/openai.ts': OPENAI_CLIENT, ...files });
  return result.endpoints.map(summarize).sort((a, b) => a.route.localeCompare(b.route));
}

export async function endpointsOf(files: Record<string, string>): Promise<Endpoint[]> {
  return (await scanProject({ 'lib/openai.ts': OPENAI_CLIENT, ...files })).endpoints;
}

/** The summary of the one endpoint at `route` (`POST /api/chat`). */
export function at(list: Summary[], route: string): Summary {
  const found = list.find((s) => s.route === route);
  if (!found) throw new Error(`no endpoint ${route}; found ${list.map((s) => s.route).join(', ')}`);
  return found;
}
