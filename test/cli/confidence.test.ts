/**
 * Confidence in the reports and the exit code: a finding whose path holds middleware the scanner cannot see into
 * is reported with a lower confidence, grouped after the others in text, and counted for the exit code unless
 * --min-confidence (or minConfidence in the config) leaves it out.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { copyFixture, FIXTURES, runCli, tempDir } from './helpers.js';

const UNSEEN = path.join(FIXTURES, 'express-unseen-middleware', 'vulnerable');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((remove) => remove()));

/** The vulnerable fixture with only no-auth on: one low (requireTeamMember) and one medium (platformMiddleware) finding. */
function onlyUnseenFindings(extra = ''): string {
  const scratch = tempDir();
  cleanups.push(scratch.remove);
  const project = copyFixture('express-unseen-middleware/vulnerable', scratch.dir);
  writeFileSync(
    path.join(project, '.ai-endpoint-audit.yml'),
    `rules:\n  no-rate-limit: off\n  no-spend-cap: off\n  no-usage-tracking: off\n${extra}`,
  );
  return project;
}

describe('confidence in the reports', () => {
  it('JSON findings carry confidence and its reason; protections say unknown and list what was not seen', async () => {
    const report = JSON.parse((await runCli([UNSEEN, '--format', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
    const noAuth = report.findings.filter((f) => f.ruleId === 'no-auth').map((f) => [f.line, f.confidence, f.confidenceReason]);
    expect(noAuth).toEqual([
      [10, 'low', 'could not see into requireTeamMember() (src/server.ts:10), which may authenticate the caller'],
      [11, 'medium', 'could not see into platformMiddleware() (src/server.ts:11), which may authenticate the caller'],
    ]);
    const rateLimit = report.findings.find((f) => f.ruleId === 'no-rate-limit' && f.line === 10)!;
    expect(rateLimit.confidence).toBe('high');
    expect(rateLimit).not.toHaveProperty('confidenceReason');
    const draft = report.endpoints.find((e) => e.path === '/api/replies/draft')!;
    expect(draft.protections.auth).toMatchObject({ present: false, status: 'unknown', unseen: [{ name: 'requireTeamMember()', file: 'src/server.ts', line: 10 }] });
    expect(draft.protections.rateLimit).toMatchObject({ present: false, status: 'absent' });
    expect(draft.protections.rateLimit).not.toHaveProperty('unseen');
    expect(report.findings.find((f) => f.line === 10 && f.ruleId === 'no-auth')!.message).toContain('requireTeamMember() (src/server.ts:10)');
  });

  it('SARIF results carry properties.confidence and the reason', async () => {
    const log = JSON.parse((await runCli([UNSEEN, '--format', 'sarif', '--fail-on', 'none'])).stdout);
    const results = log.runs[0].results as { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[]; properties: Record<string, string> }[];
    const at = (rule: string, line: number) => results.find((r) => r.ruleId === rule && r.locations[0].physicalLocation.region.startLine === line)!.properties;
    expect(at('no-auth', 10)).toEqual({ confidence: 'low', confidenceReason: 'could not see into requireTeamMember() (src/server.ts:10), which may authenticate the caller' });
    expect(at('no-spend-cap', 11).confidence).toBe('medium');
    expect(at('no-rate-limit', 10)).toEqual({ confidence: 'high' });
  });

  it('the text report lists lower-confidence findings after the others', async () => {
    const text = (await runCli([UNSEEN, '--no-color', '--fail-on', 'none'])).stdout;
    const sure = text.indexOf('Findings (3)');
    const unsure = text.indexOf('Lower-confidence findings (4)');
    expect(sure).toBeGreaterThan(0);
    expect(unsure).toBeGreaterThan(sure);
    expect(text.slice(sure, unsure)).not.toContain('no-auth');
    expect(text.slice(unsure)).toContain('low confidence');
    expect(text).toMatch(/auth \?/);
  });
});

describe('--min-confidence', () => {
  it('counts every finding by default, and only those at or above the level when given', async () => {
    const project = onlyUnseenFindings();
    expect((await runCli([project, '--format', 'json'])).status).toBe(1);
    expect((await runCli([project, '--format', 'json', '--min-confidence', 'low'])).status).toBe(1);
    expect((await runCli([project, '--format', 'json', '--min-confidence', 'medium'])).status).toBe(1);
    expect((await runCli([project, '--format', 'json', '--min-confidence', 'high'])).status).toBe(0);
  });

  it('reads minConfidence from the config; the flag wins', async () => {
    const project = onlyUnseenFindings('minConfidence: high\n');
    const run = await runCli([project, '--format', 'json']);
    expect(run.status).toBe(0);
    // The report still lists what the exit code leaves out.
    expect((JSON.parse(run.stdout) as JsonReport).findings.map((f) => f.confidence).sort()).toEqual(['low', 'medium']);
    expect((await runCli([project, '--format', 'json', '--min-confidence', 'medium'])).status).toBe(1);
  });

  it('rejects an unknown level', async () => {
    const run = await runCli([UNSEEN, '--min-confidence', 'certain']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('certain');
  });
});
