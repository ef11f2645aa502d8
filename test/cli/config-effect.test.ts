/**
 * A config file in the scanned tree (part of the pull request under review) can tune the scan and the gate, but
 * every format says it did: which file, the rules it turned off, the files it left out, the routes it declared
 * public, the helpers it named as protections and the threshold it set.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FIXTURES, runCli, tempDir } from './helpers.js';

const CONFIG = `failOn: none
rules:
  no-spend-cap: off
  no-output-cap: low
ignore:
  - src/legacy/**
publicRoutes:
  - /api/generate
functions:
  auth: [requireTeamMember]
`;

let scratch: ReturnType<typeof tempDir>;
let project: string;

beforeAll(() => {
  scratch = tempDir('aea-config-effect-');
  project = path.join(scratch.dir, 'app');
  cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), project, { recursive: true });
  mkdirSync(path.join(project, 'src', 'legacy'), { recursive: true });
  writeFileSync(path.join(project, 'src', 'legacy', 'old.js'), 'export const old = 1;\n');
  writeFileSync(path.join(project, '.ai-endpoint-audit.yml'), CONFIG);
});

afterAll(() => scratch.remove());

interface Report {
  findings: { ruleId: string }[];
  config: Record<string, unknown> | null;
}

async function jsonReport(args: string[]): Promise<{ status: number | null; report: Report }> {
  const run = await runCli([project, '--format', 'json', '--quiet', ...args]);
  return { status: run.status, report: JSON.parse(run.stdout) as Report };
}

describe('the report names the config and what it changed', () => {
  it('JSON: a top-level config object', async () => {
    const { status, report } = await jsonReport([]);
    expect(status).toBe(0);
    expect(report.config).toMatchObject({
      file: '.ai-endpoint-audit.yml',
      disabledRules: ['no-spend-cap'],
      severityOverrides: { 'no-output-cap': 'low' },
      ignoredGlobs: ['src/legacy/**'],
      ignoredFiles: 1,
      publicRoutes: ['/api/generate'],
      publicEndpoints: 1,
      customFunctions: { auth: ['requireTeamMember'] },
      failOn: 'none',
    });
    expect(report.config!.suppressedFindings).toBeGreaterThan(0);
  });

  it('a --fail-on flag wins, and the config no longer claims the threshold', async () => {
    const { status, report } = await jsonReport(['--fail-on', 'high']);
    expect(report.config).not.toHaveProperty('failOn');
    expect(status).toBe(report.findings.length > 0 ? 1 : 0);
  });

  it('text, markdown and github formats each name the file and the rules it turned off', async () => {
    for (const format of ['text', 'markdown', 'github']) {
      const run = await runCli([project, '--format', format, '--quiet']);
      expect(run.stdout, format).toMatch(/config[^\n]*\.ai-endpoint-audit\.yml[^\n]*failOn none[^\n]*1 rule off[^\n]*no-spend-cap/i);
      expect(run.stdout, format).toMatch(/1 ignore glob leaving out 1 file/);
    }
  });

  it('SARIF: the run carries the config in its properties', async () => {
    const run = await runCli([project, '--format', 'sarif', '--quiet']);
    const sarif = JSON.parse(run.stdout) as { runs: { properties?: { config?: { file: string; disabledRules: string[] } } }[] };
    expect(sarif.runs[0]!.properties?.config).toMatchObject({ file: '.ai-endpoint-audit.yml', disabledRules: ['no-spend-cap'] });
  });

  it('--no-config: no config in the report, and the rules it disabled are back', async () => {
    const withConfig = await jsonReport([]);
    const without = await jsonReport(['--no-config', '--fail-on', 'none']);
    expect(without.report.config).toBeNull();
    expect(withConfig.report.findings.some((f) => f.ruleId === 'no-spend-cap')).toBe(false);
    expect(without.report.findings.some((f) => f.ruleId === 'no-spend-cap')).toBe(true);
  });
});
