/** Shared helpers for rule modules: metadata with its documentation page, and finding drafts. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint, Evidence, FindingDraft, RuleMeta } from '../src/model.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The rule's documentation page, `rules/<id>.md`, next to the source or above the build output. */
export function ruleDocs(id: string): string {
  for (const dir of [here, path.join(here, '..', '..', 'rules')]) {
    const file = path.join(dir, `${id}.md`);
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  return `# ${id}\n`;
}

/** Where each rule's page is published. */
const RULE_PAGES = 'https://github.com/ai-endpoint-audit/ai-endpoint-audit/blob/main/rules';

export function defineMeta(meta: Omit<RuleMeta, 'helpMarkdown' | 'helpUri'>): RuleMeta {
  return { ...meta, helpMarkdown: ruleDocs(meta.id), helpUri: `${RULE_PAGES}/${meta.id}.md` };
}

/** The AI call sites of an endpoint as related locations. */
export function aiCallEvidence(endpoint: Endpoint): Evidence[] {
  return endpoint.aiCalls.map((call) => ({
    location: call.location,
    description: `paid call: ${call.provider} ${call.api}${call.model ? ` (${call.model})` : ''}`,
  }));
}

export function routeFinding(endpoint: Endpoint, message: string, related: Evidence[] = []): FindingDraft {
  return {
    location: endpoint.location,
    message: endpoint.exposure ? `${message} Exposure: up to ${endpoint.exposure.display}/day.` : message,
    endpointId: endpoint.id,
    related: [...related, ...aiCallEvidence(endpoint)],
  };
}

/** `POST /api/generate` */
export function routeName(endpoint: Endpoint): string {
  return `${endpoint.method === 'ALL' ? 'ANY' : endpoint.method} ${endpoint.path}`;
}

/** `openai chat.completions.create` */
export function callName(endpoint: Endpoint): string {
  const call = endpoint.aiCalls[0];
  return call ? `${call.provider} ${call.api}` : 'a paid model';
}
