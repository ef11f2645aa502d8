/**
 * The exit code contract: 2 for a tool error that stops the scan (a path that does not exist); per-file problems
 * are reported on stderr and in the report but do not change the exit code, unless --strict.
 */
import path from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject, removeProjects, runCli } from './project.js';

afterAll(removeProjects);

const BINARY = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]);

describe('exit codes', () => {
  it('a path that does not exist exits 2 with a message', async () => {
    const missing = path.join(tmpdir(), 'aea-no-such-folder', 'app');
    const run = await runCli([missing, '--format', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`path does not exist: ${missing}`);
    expect(run.stdout).toBe('');
  });

  it('a per-file problem is on stderr and in the report, and does not change the exit code', async () => {
    const root = makeProject({ 'lib/blob.ts': BINARY });
    const withFindings = await runCli([root, '--format', 'json']);
    expect(withFindings.code).toBe(1);
    expect(withFindings.stderr).toContain('lib/blob.ts skipped: binary content');
    expect(JSON.parse(withFindings.stdout).errors).toEqual([{ file: 'lib/blob.ts', kind: 'binary', message: 'skipped: binary content' }]);
    const failOnNone = await runCli([root, '--format', 'json', '--fail-on', 'none']);
    expect(failOnNone.code).toBe(0);
  });

  it('--strict turns a per-file problem into exit 2, and changes nothing when every file was analysed', async () => {
    const odd = makeProject({ 'lib/blob.ts': BINARY });
    expect((await runCli([odd, '--format', 'json', '--strict'])).code).toBe(2);
    expect((await runCli([odd, '--format', 'json', '--strict', '--fail-on', 'none'])).code).toBe(2);
    const clean = makeProject();
    expect((await runCli([clean, '--format', 'json', '--strict'])).code).toBe(1);
    expect((await runCli([clean, '--format', 'json', '--strict', '--fail-on', 'none'])).code).toBe(0);
  });

  it('an empty project exits 0 with an empty report', async () => {
    const run = await runCli([makeProject({}, false), '--format', 'json', '--strict']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ endpoints: [], findings: [], errors: [], stats: { files: 0 } });
  });
});
