/**
 * action.yml: its scan step run as the Actions runner would run it (bash -eo pipefail, inputs in the environment, the action's
 * own folder as GITHUB_ACTION_PATH), against a fixture. The install step (npm ci) is what `npm test` already did.
 */
import { execFile } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanEnv, FIXTURES, REPO, tempDir } from './helpers.js';

interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: { id?: string; run?: string; shell?: string; env?: Record<string, string> }[] };
}

const action = parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as Action;
const scanStep = action.runs.steps.find((step) => step.id === 'scan')!;

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** The environment the runner builds: each `${{ inputs.x }}` in the step's env replaced by the input's value. */
function stepEnv(inputs: Record<string, string>, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = cleanEnv(extra);
  for (const [name, expression] of Object.entries(scanStep.env ?? {})) {
    const input = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(expression)?.[1];
    expect(input, `${name} reads an input`).toBeDefined();
    env[name] = inputs[input!] ?? action.inputs[input!]?.default ?? '';
  }
  return env;
}

function runStep(cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', scanStep.run!], { cwd, env, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ status: typeof code === 'number' ? code : 0, stdout, stderr });
    });
  });
}

describe('action.yml', () => {
  it('is a composite action with the documented inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['paths', 'fail-on', 'format', 'sarif-file']));
  });

  it('annotates, writes SARIF and the step summary, and fails the step on findings', async () => {
    const { dir, remove } = tempDir('aea-action-');
    cleanups.push(remove);
    const workspace = path.join(dir, 'workspace');
    cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), path.join(workspace, 'rules'), { recursive: true });
    const output = path.join(dir, 'output.txt');
    const summary = path.join(dir, 'summary.md');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const env = stepEnv(
      // A folder named like a subcommand must still be scanned as a folder.
      { paths: 'rules', 'sarif-file': 'results.sarif' },
      { GITHUB_ACTION_PATH: REPO, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: workspace, CI: 'true' },
    );
    const run = await runStep(workspace, env);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^::error file=rules\/server\.js,line=29,.*title=no-auth::/m);
    expect(JSON.parse(readFileSync(path.join(workspace, 'results.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(summary, 'utf8')).toContain('| `POST /api/generate` |');
    expect(readFileSync(output, 'utf8')).toBe('exit-code=1\n');
  });

  it("keeps the gate when the scanned repository's config says failOn: none", async () => {
    const { dir, remove } = tempDir('aea-action-');
    cleanups.push(remove);
    cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), path.join(dir, 'app'), { recursive: true });
    writeFileSync(path.join(dir, 'app', '.ai-endpoint-audit.yml'), 'failOn: none\n');
    const output = path.join(dir, 'output.txt');
    writeFileSync(output, '');
    const env = stepEnv({ paths: 'app', summary: 'false' }, { GITHUB_ACTION_PATH: REPO, GITHUB_OUTPUT: output, GITHUB_WORKSPACE: dir, CI: 'true' });
    const run = await runStep(dir, env);
    expect(run.status, run.stderr).toBe(1);
    expect(readFileSync(output, 'utf8')).toBe('exit-code=1\n');
  });

  it('fail-on none passes the step', async () => {
    const { dir, remove } = tempDir('aea-action-');
    cleanups.push(remove);
    cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), path.join(dir, 'app'), { recursive: true });
    const output = path.join(dir, 'output.txt');
    writeFileSync(output, '');
    const env = stepEnv({ paths: 'app', 'fail-on': 'none', summary: 'false' }, { GITHUB_ACTION_PATH: REPO, GITHUB_OUTPUT: output, GITHUB_WORKSPACE: dir, CI: 'true' });
    const run = await runStep(dir, env);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe('exit-code=0\n');
  });
});
