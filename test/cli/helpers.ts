/** Runs the built CLI (`bin/ai-endpoint-audit.js`, which loads dist/) as a user would, in a child process. */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const BIN = path.join(REPO, 'bin', 'ai-endpoint-audit.js');
export const FIXTURES = path.join(REPO, 'fixtures');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a plain terminal-less run: no CI markers, no colour overrides, no Actions workspace. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['CI', 'GITHUB_ACTIONS', 'GITHUB_WORKSPACE', 'FORCE_COLOR', 'NO_COLOR']) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Runs the CLI without blocking the test worker (a blocked worker misses vitest's own messages). */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd ?? REPO, env: options.env ?? cleanEnv(), encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = (error as (Error & { code?: unknown }) | null)?.code;
        if (error && typeof code !== 'number') {
          reject(error);
          return;
        }
        resolve({ status: typeof code === 'number' ? code : 0, stdout, stderr });
      },
    );
  });
}

/** A scratch folder removed by the returned function. */
export function tempDir(prefix = 'aea-cli-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of a fixture project in a scratch folder, so a test can edit it. */
export function copyFixture(fixture: string, into: string): string {
  const target = path.join(into, path.basename(path.dirname(fixture)) + '-' + path.basename(fixture));
  cpSync(path.join(FIXTURES, fixture), target, { recursive: true });
  return target;
}
