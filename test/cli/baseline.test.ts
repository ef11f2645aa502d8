/**
 * Baselines: fingerprints that survive unrelated edits above the code, --write-baseline then --baseline reporting
 * only what is new, and clear errors for a missing or malformed baseline file.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { copyFixture, runCli, tempDir } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function scratch(): string {
  const { dir, remove } = tempDir('aea-baseline-');
  cleanups.push(remove);
  return dir;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(dir, file))
    .filter((file) => /\.(ts|js)$/.test(file) && statSync(file).isFile());
}

interface JsonReport {
  findings: { ruleId: string; file: string; line: number; fingerprint: string; endpointId: string | null }[];
}

describe('fingerprints', () => {
  for (const fixture of ['express-classic/vulnerable', 'express-router-modules/vulnerable', 'next-app-chatbot/vulnerable']) {
    it(`survive lines inserted at the top of every file (${fixture})`, async () => {
      const project = copyFixture(fixture, scratch());
      const before = await scan({ paths: [project] });
      expect(before.findings.length).toBeGreaterThan(0);

      for (const file of sourceFiles(project)) {
        const text = readFileSync(file, 'utf8');
        writeFileSync(file, `// Copyright notice\n// added after the code was written\n\n${text}`);
      }
      const after = await scan({ paths: [project] });

      const identity = (f: { ruleId: string; location: { file: string }; fingerprint: string }) => `${f.ruleId} ${f.location.file} ${f.fingerprint}`;
      expect(after.findings.map(identity).sort()).toEqual(before.findings.map(identity).sort());
      // The lines did move: the fingerprints do not depend on them.
      expect(after.findings.map((f) => f.location.line).sort()).not.toEqual(before.findings.map((f) => f.location.line).sort());
    });
  }
});

describe('--write-baseline and --baseline', () => {
  it('round trip: a baseline of the current findings reports nothing; a new finding is reported alone', async () => {
    const dir = scratch();
    const project = copyFixture('express-classic/vulnerable', dir);
    const baselineFile = path.join(dir, 'baseline.json');

    const all = JSON.parse((await runCli([project, '--format', 'json'])).stdout) as JsonReport;
    expect(all.findings.length).toBeGreaterThan(0);

    const write = await runCli([project, '--format', 'json', '--write-baseline', baselineFile]);
    expect(write.status, write.stderr).toBe(0);
    const baseline = JSON.parse(readFileSync(baselineFile, 'utf8')) as {
      format: number;
      tool: { name: string; version: string };
      findings: { fingerprint: string; rule: string; file: string; message: string }[];
    };
    expect(baseline.format).toBe(1);
    expect(baseline.tool.name).toBe('ai-endpoint-audit');
    expect(baseline.findings.map((f) => f.fingerprint).sort()).toEqual([...new Set(all.findings.map((f) => f.fingerprint))].sort());
    expect(baseline.findings.find((f) => f.rule === 'no-auth')).toMatchObject({ file: 'server.js', message: expect.stringContaining('without authentication') });

    const clean = await runCli([project, '--format', 'json', '--baseline', baselineFile]);
    expect(clean.status, clean.stderr).toBe(0);
    expect((JSON.parse(clean.stdout) as JsonReport).findings).toEqual([]);

    // Unrelated edits above the code keep the baseline matching.
    const server = path.join(project, 'server.js');
    writeFileSync(server, `'use strict';\n// Service entry point\n${readFileSync(server, 'utf8')}`);
    expect((await runCli([project, '--format', 'json', '--baseline', baselineFile])).status).toBe(0);

    // A second public AI route is new: only its findings are reported.
    writeFileSync(
      server,
      readFileSync(server, 'utf8').replace(
        /\napp\.listen/,
        `\napp.post('/api/rewrite', async (req, res) => {\n  const completion = await openai.chat.completions.create({\n    model: 'gpt-4o',\n    messages: [{ role: 'user', content: req.body.text }],\n  });\n  res.json({ text: completion.choices[0].message.content });\n});\n\napp.listen`,
      ),
    );
    const fresh = await runCli([project, '--format', 'json', '--baseline', baselineFile]);
    expect(fresh.status, fresh.stderr).toBe(1);
    const reported = (JSON.parse(fresh.stdout) as JsonReport).findings;
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.every((f) => f.endpointId === null || f.endpointId.startsWith('POST /api/rewrite'))).toBe(true);
    expect(reported.map((f) => f.ruleId)).toContain('no-auth');
  });

  it('a missing baseline file exits 2 and says how to create one', async () => {
    const dir = scratch();
    const project = copyFixture('express-classic/vulnerable', dir);
    const run = await runCli([project, '--baseline', path.join(dir, 'none.json')]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain('baseline not found');
    expect(run.stderr).toContain('--write-baseline');
  });

  it('a file that is not a baseline exits 2', async () => {
    const dir = scratch();
    const project = copyFixture('express-classic/vulnerable', dir);
    writeFileSync(path.join(dir, 'bad.json'), '{"findings": "all"}');
    const run = await runCli([project, '--baseline', path.join(dir, 'bad.json')]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain('is not a baseline file');
    writeFileSync(path.join(dir, 'bad.json'), '{not json');
    expect((await runCli([project, '--baseline', path.join(dir, 'bad.json')])).stderr).toContain('is not valid JSON');
  });

  it('--write-baseline with --changed-since is refused', async () => {
    const dir = scratch();
    const project = copyFixture('express-classic/vulnerable', dir);
    const run = await runCli([project, '--write-baseline', path.join(dir, 'b.json'), '--changed-since', 'HEAD']);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain('cannot be combined with --changed-since');
  });
});
