/**
 * The ESLint preset reports the project scan's findings on the file being linted, at their locations, with the
 * rule's severity: what VS Code and every ESLint integration then show inline.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';
import aiEndpointAudit, { clearScans, recommended } from '../../src/eslint/index.js';

const FIXTURE = path.resolve(__dirname, '../../fixtures/express-classic/vulnerable');

afterEach(clearScans);

async function lint(cwd: string, file: string) {
  const eslint = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: [recommended] as never });
  const [result] = await eslint.lintFiles([file]);
  return result.messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.severity === 2 ? 'error' : 'warn'}`).sort();
}

describe('the ESLint preset', () => {
  it('reports the scan findings of the linted file, with their rule, place and severity', async () => {
    expect(await lint(FIXTURE, 'server.js')).toEqual(
      [
        'ai-endpoint-audit/no-auth 29:1 error',
        'ai-endpoint-audit/no-output-cap 37:30 warn',
        'ai-endpoint-audit/no-rate-limit 29:1 error',
        'ai-endpoint-audit/no-spend-cap 29:1 warn',
        'ai-endpoint-audit/no-usage-tracking 37:30 warn',
        'ai-endpoint-audit/unbounded-input 39:7 warn',
      ].sort(),
    );
  });

  it('reports nothing on a file without findings, and exposes every rule', async () => {
    const fixed = path.resolve(__dirname, '../../fixtures/express-service-container/fixed');
    expect(await lint(fixed, 'src/routes/clauses.js')).toEqual([]);
    expect(await lint(fixed, 'src/services/clause-service.js')).toEqual(['ai-endpoint-audit/no-usage-tracking 9:30 warn']);
    expect(Object.keys(aiEndpointAudit.rules).sort()).toEqual(Object.keys(recommended.rules).map((id) => id.replace('ai-endpoint-audit/', '')).sort());
    expect(aiEndpointAudit.configs.recommended).toBe(recommended);
  });
});
