/**
 * A scan writes nothing into the scanned tree, `.git` included, even with --changed-since (git may refresh its
 * index on some commands) and every report written elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FIXTURES, runCli, tempDir } from './helpers.js';

let scratch: ReturnType<typeof tempDir>;
let project: string;

/** Every file and folder under `dir` with its mode, size, modification time and (for files) bytes. */
function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      const stat = statSync(full);
      const key = path.relative(dir, full);
      entries[key] = `${stat.mode}:${stat.size}:${stat.mtimeMs}`;
      if (stat.isDirectory()) walk(full);
      else entries[key] += `:${readFileSync(full).toString('base64')}`;
    }
  };
  walk(dir);
  return entries;
}

beforeAll(() => {
  scratch = tempDir('aea-no-writes-');
  project = path.join(scratch.dir, 'app');
  cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), project, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: project, env: { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'd@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'd@example.com' } });
  git('init', '--quiet');
  git('add', '.');
  git('commit', '--quiet', '-m', 'app');
  // A changed file whose stat differs from the index: the case where git would refresh the index.
  const server = path.join(project, 'server.js');
  writeFileSync(server, `${readFileSync(server, 'utf8')}\n// touched\n`);
});

afterAll(() => scratch.remove());

describe('the scanned tree is never written to', () => {
  it('a scan with --changed-since and every output file leaves the tree byte-for-byte unchanged', async () => {
    const before = snapshot(project);
    const out = (name: string) => path.join(scratch.dir, name);
    const run = await runCli([
      project, '--changed-since', 'HEAD', '--format', 'json', '-o', out('report.json'),
      '--sarif-output', out('report.sarif'), '--markdown-output', out('summary.md'),
    ]);
    expect(run.status, run.stderr).toBe(1);
    expect(JSON.parse(readFileSync(out('report.json'), 'utf8')).findings.length).toBeGreaterThan(0);
    expect(snapshot(project)).toEqual(before);
  });
});
