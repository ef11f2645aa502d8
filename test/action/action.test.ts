/**
 * The GitHub Action as the runner runs it: `node action/dist/index.cjs` (the committed bundle) in the workspace, each
 * input as INPUT_<NAME> with action.yml's defaults filled in, and the files the runner reads afterwards
 * (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY). `npm run check:action` keeps the bundle equal to the sources.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanEnv, FIXTURES, REPO, tempDir } from '../cli/helpers.js';

interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}

const action = parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as Action;
const BUNDLE = path.join(REPO, action.runs.main);

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

interface Run {
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** A scratch folder with a workspace, and empty output and summary files as the runner creates them. */
function workspace(): { dir: string; workspace: string } {
  const { dir, remove } = tempDir('aea-action-');
  cleanups.push(remove);
  const ws = path.join(dir, 'workspace');
  for (const file of ['output.txt', 'summary.md']) writeFileSync(path.join(dir, file), '');
  return { dir, workspace: ws };
}

async function runAction(dir: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<Run> {
  const ws = path.join(dir, 'workspace');
  const env = cleanEnv({
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: ws,
    GITHUB_OUTPUT: path.join(dir, 'output.txt'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    ...extraEnv,
  });
  for (const name of Object.keys(env)) if (name.startsWith('INPUT_') || name === 'GITHUB_EVENT_PATH' || name === 'GITHUB_BASE_REF') delete env[name];
  for (const [name, { default: fallback }] of Object.entries(action.inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? fallback ?? '';
  }
  for (const [name, value] of Object.entries(extraEnv)) env[name] = value;
  const { status, stdout, stderr } = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BUNDLE], { cwd: ws, env, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ status: error === null ? 0 : typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
  return {
    status,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(path.join(dir, 'output.txt'), 'utf8')),
    summary: readFileSync(path.join(dir, 'summary.md'), 'utf8'),
  };
}

/** GITHUB_OUTPUT in the runner's `name<<delimiter` form; anything else in the file fails the test. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const block = /([\w-]+)<<(ghadelimiter_[0-9a-f-]{36})\n([\s\S]*?)\n\2\n/y;
  let consumed = 0;
  for (let match = block.exec(text); match; match = block.exec(text)) {
    outputs[match[1]!] = match[3]!;
    consumed = block.lastIndex;
  }
  expect(text.slice(consumed), 'GITHUB_OUTPUT holds only name<<delimiter blocks').toBe('');
  return outputs;
}

function sarifResults(file: string): { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] {
  const sarif = JSON.parse(readFileSync(file, 'utf8')) as { version: string; runs: { results: never[] }[] };
  expect(sarif.version).toBe('2.1.0');
  return sarif.runs[0]!.results;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();
}

describe('action.yml', () => {
  it('runs the committed bundle on Node 24, with the outputs it writes', () => {
    expect(action.runs.using).toBe('node24');
    expect(existsSync(BUNDLE)).toBe(true);
    expect(existsSync(path.join(path.dirname(BUNDLE), 'vendor', 'typescript.cjs'))).toBe(true);
    expect(Object.keys(action.outputs).sort()).toEqual(['endpoints', 'exit-code', 'findings', 'highest-severity', 'sarif-file']);
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['paths', 'working-directory', 'format', 'fail-on', 'sarif-file', 'baseline', 'changed-since', 'strict', 'summary']),
    );
  });
});

describe.each(['README.md', 'docs/ci.md'])('%s', (file) => {
  const text = readFileSync(path.join(REPO, file), 'utf8');
  const section = text.slice(text.indexOf('### GitHub Actions'), text.indexOf('Without the action, run the package directly'));
  const tableNames = (heading: string) => {
    const table = section.slice(section.indexOf(heading)).split('\n\n')[1]!;
    return [...table.matchAll(/^\| `([\w-]+)` \|/gm)].map((m) => m[1]).sort();
  };

  it("documents every input and output of action.yml, and its workflow uses the action's outputs and inputs only", () => {
    expect(tableNames('Action inputs:')).toEqual(Object.keys(action.inputs).sort());
    expect(tableNames('Action outputs:')).toEqual(Object.keys(action.outputs).sort());
    const step = /uses: ai-endpoint-audit\/ai-endpoint-audit@v1\n\s+with:\n((?:\s+[\w-]+: .*\n)+)/.exec(section)![1]!;
    for (const [, name] of step.matchAll(/^\s+([\w-]+):/gm)) expect(Object.keys(action.inputs)).toContain(name);
    for (const [, name] of section.matchAll(/steps\.audit\.outputs\.([\w-]+)/g)) expect(Object.keys(action.outputs)).toContain(name);
    expect(section).toContain('uses: github/codeql-action/upload-sarif@');
  });
});

describe('the action bundle', () => {
  it('annotates, writes SARIF, appends the job summary, sets its outputs and fails at fail-on high', async () => {
    const { dir, workspace: ws } = workspace();
    // A folder named like a subcommand is still a folder.
    cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), path.join(ws, 'rules'), { recursive: true });
    writeFileSync(path.join(dir, 'summary.md'), 'An earlier step wrote this.\n');
    const run = await runAction(dir, { paths: 'rules', 'sarif-file': 'results.sarif' });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^::error file=rules\/server\.js,line=29,.*title=no-auth::/m);
    expect(run.stdout).toMatch(/^::notice file=rules\/server\.js,line=37,.*title=no-output-cap::/m);
    const sarifFile = path.join(ws, 'results.sarif');
    expect(sarifResults(sarifFile)).toHaveLength(6);
    // The rule pages, found from the bundle's folder, are the SARIF rules' help.
    expect(readFileSync(sarifFile, 'utf8')).toContain('"markdown": "# no-auth');
    expect(readFileSync(sarifFile, 'utf8')).not.toContain('"markdown": "# no-auth\\n"');
    expect(run.summary.startsWith('An earlier step wrote this.\n## ai-endpoint-audit')).toBe(true);
    expect(run.summary).toContain('| `POST /api/generate` | `server.js:29` |');
    expect(run.outputs).toEqual({ 'exit-code': '1', findings: '6', 'highest-severity': 'high', endpoints: '1', 'sarif-file': sarifFile });
  });

  it('passes on the fixed project, whose one finding is below fail-on', async () => {
    const { dir, workspace: ws } = workspace();
    cpSync(path.join(FIXTURES, 'express-classic', 'fixed'), ws, { recursive: true });
    const run = await runAction(dir, {});
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/^::(error|warning)/m);
    expect(run.stdout).toMatch(/^::notice file=src\/server\.ts,line=50,.*title=no-usage-tracking::/m);
    expect(run.summary).toContain('| `POST /api/generate` |');
    expect(run.outputs).toEqual({ 'exit-code': '0', findings: '1', 'highest-severity': 'low', endpoints: '1', 'sarif-file': '' });
  });

  it("keeps its fail-on when the scanned repository's config says failOn: none", async () => {
    const { dir, workspace: ws } = workspace();
    cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), path.join(ws, 'app'), { recursive: true });
    writeFileSync(path.join(ws, 'app', '.ai-endpoint-audit.yml'), 'failOn: none\n');
    const kept = await runAction(dir, { 'working-directory': 'app', summary: 'false' });
    expect(kept.status, kept.stderr).toBe(1);
    expect(kept.summary).toBe('');
    expect(kept.stdout).toMatch(/^::error file=app\/server\.js,line=29,/m);
    const { dir: dir2, workspace: ws2 } = workspace();
    cpSync(path.join(ws, 'app'), path.join(ws2, 'app'), { recursive: true });
    const none = await runAction(dir2, { paths: 'app', 'fail-on': 'none' });
    expect(none.status, none.stderr).toBe(0);
    expect(none.outputs['findings']).toBe('6');
  });

  it.each([
    [{ 'fail-on': 'hihg' }, 'input fail-on: "hihg" is not one of critical, high, medium, low, none (did you mean "high"?)'],
    [{ format: 'sarif2' }, 'input format: "sarif2" is not one of text, json, sarif, github, markdown (did you mean "sarif"?)'],
    [{ strict: 'yes' }, 'input strict: "yes" is not true or false'],
    [{ 'working-directory': 'missing' }, 'input working-directory: missing is not a folder in the workspace'],
  ])('exits 2 with a message naming a bad input: %j', async (inputs, message) => {
    const { dir, workspace: ws } = workspace();
    cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), ws, { recursive: true });
    const run = await runAction(dir, inputs);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`ai-endpoint-audit: ${message}\n`);
    expect(run.stdout).toBe(`::error title=ai-endpoint-audit::${message}\n`);
    expect(run.outputs).toEqual({ 'exit-code': '2' });
  });

  it('exits 2 on a tool error: a path that does not exist', async () => {
    const { dir, workspace: ws } = workspace();
    cpSync(path.join(FIXTURES, 'express-classic', 'fixed'), ws, { recursive: true });
    const run = await runAction(dir, { paths: 'src nowhere' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/nowhere/);
    expect(run.outputs['exit-code']).toBe('2');
  });

  it("reports on a pull request only what it touches, from the event's base commit; the SARIF file holds every finding", async () => {
    const { dir, workspace: ws } = workspace();
    for (const app of ['billing', 'chat']) cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), path.join(ws, app), { recursive: true });
    git(dir, 'init', '-q', ws);
    git(ws, 'add', '.');
    git(ws, 'commit', '-q', '-m', 'base');
    const base = git(ws, 'rev-parse', 'HEAD');
    const server = path.join(ws, 'chat', 'server.js');
    writeFileSync(server, `${readFileSync(server, 'utf8')}\n// Handles the chat page's requests.\n`);
    git(ws, 'commit', '-q', '-am', 'change the chat server');
    const event = path.join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, base: { sha: base, ref: 'main' } } }));

    const run = await runAction(dir, { 'sarif-file': 'results.sarif' }, { GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request', GITHUB_BASE_REF: 'main' });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^::error file=chat\/server\.js,line=29,.*title=no-auth::/m);
    expect(run.stdout).not.toContain('file=billing/');
    const annotated = run.stdout.match(/^::\w+ file=chat\/server\.js,.*title=([\w-]+)::/gm)!.map((line) => /title=([\w-]+)/.exec(line)![1]);
    expect(run.outputs['findings']).toBe(String(annotated.length));
    expect(run.outputs['endpoints']).toBe('2');
    const results = sarifResults(path.join(ws, 'results.sarif'));
    const uris = results.map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri} ${r.ruleId}`);
    expect(uris.filter((uri) => uri.startsWith('chat/')).map((uri) => uri.split(' ')[1]).sort()).toEqual([...annotated].sort());
    expect(uris).toEqual(expect.arrayContaining(['billing/server.js no-auth', 'billing/server.js no-rate-limit']));
    expect(results.length).toBeGreaterThan(annotated.length);
  });

  it("reports every finding, with a warning, when the pull request's base is not in the checkout", async () => {
    const { dir, workspace: ws } = workspace();
    cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), ws, { recursive: true });
    git(dir, 'init', '-q', ws);
    git(ws, 'add', '.');
    git(ws, 'commit', '-q', '-m', 'shallow checkout');
    const event = path.join(dir, 'event.json');
    const missing = 'a'.repeat(40);
    writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: missing } } }));
    const run = await runAction(dir, {}, { GITHUB_EVENT_PATH: event });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain(`::warning title=ai-endpoint-audit::The pull request's base (${missing}) is not in the checkout`);
    expect(run.outputs['findings']).toBe('6');
  });

  it('exits 2 when a changed-since ref that was given is missing', async () => {
    const { dir, workspace: ws } = workspace();
    cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), ws, { recursive: true });
    git(dir, 'init', '-q', ws);
    const run = await runAction(dir, { 'changed-since': 'origin/main' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('git ref not found: origin/main');
  });
});
