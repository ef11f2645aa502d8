/**
 * Command-line habits JavaScript developers expect: -f for --format, globs and several paths, did-you-mean on
 * misspelt rules and subcommands, folders named like subcommands, text paths a terminal can open, the help text.
 */
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, REPO, runCli, tempDir } from './helpers.js';

const CLASSIC = path.join('fixtures', 'express-classic', 'vulnerable');

interface JsonReport {
  findings: { ruleId: string; file: string; line: number }[];
}
const findingsOf = (stdout: string) => (JSON.parse(stdout) as JsonReport).findings;

describe('help text', () => {
  it('lists -f/--format, one default for --concurrency, the path forms and -- , spelled one way', async () => {
    const help = await runCli(['--help']);
    expect(help.status).toBe(0);
    // Commander wraps the help to the terminal's width.
    const flat = help.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('-f, --format <format> report format (choices: "text", "json", "sarif", "github", "markdown", default: "text")');
    expect(flat).toContain('--concurrency <threads> analysis threads: a number, auto (several only on 4+ cores and large projects) or off (one) (default: 1)');
    expect(flat).not.toContain('the default)');
    expect(flat).toContain("quoted glob ('src/**/api/*.ts')");
    expect(flat).toContain('./rules, rules/ or after --: -- rules');
    expect(flat).toContain('could not be analyzed');
    expect(help.stdout).not.toMatch(/analysed/);
    for (const command of ['rules', 'explain <rule-id>', 'init [options] [dir]', 'guard [options]']) expect(help.stdout).toContain(`  ${command}`);
  });
});

describe('paths', () => {
  it('-f is --format', async () => {
    const run = await runCli([CLASSIC, '-f', 'json']);
    expect(run.status, run.stderr).toBe(1);
    expect(findingsOf(run.stdout)).toContainEqual(expect.objectContaining({ ruleId: 'no-auth', file: 'server.js', line: 29 }));
  });

  it('scans several paths, and expands a quoted glob without a shell', async () => {
    const several = findingsOf((await runCli([CLASSIC, path.join('fixtures', 'express-raw-fetch', 'vulnerable'), '-f', 'json'])).stdout);
    const globbed = await runCli(['fixtures/express-{classic,raw-fetch}/vulnerable', '-f', 'json']);
    expect(globbed.status, globbed.stderr).toBe(1);
    const files = new Set(findingsOf(globbed.stdout).map((f) => f.file));
    expect(files).toContain('express-classic/vulnerable/server.js');
    expect(files).toContain('express-raw-fetch/vulnerable/src/lib/openaiChat.js');
    expect(findingsOf(globbed.stdout)).toHaveLength(several.length);
  });

  it('a glob that matches nothing is a usage error', async () => {
    const run = await runCli(['fixtures/no-such-*/vulnerable']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no file or folder matches fixtures/no-such-*/vulnerable');
  });

  it('names files from the current folder in the text report, from the scanned root in JSON', async () => {
    const text = await runCli([CLASSIC, '--no-color']);
    expect(text.stdout).toContain('POST /api/generate  fixtures/express-classic/vulnerable/server.js:29');
    const inside = await runCli(['.', '--no-color'], { cwd: path.join(REPO, CLASSIC) });
    expect(inside.stdout).toContain('POST /api/generate  server.js:29');
  });
});

describe('misspellings', () => {
  it('explain suggests the rule id meant', async () => {
    const run = await runCli(['explain', 'no-auht']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown rule "no-auht" (did you mean "no-auth"?)');
  });

  it('a misspelt subcommand is not read as a path', async () => {
    const run = await runCli(['explian', 'no-auth']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown command "explian" (did you mean "explain"?)');
  });
});

describe('a folder named like a subcommand', () => {
  let project: { dir: string; remove: () => void };
  beforeAll(() => {
    project = tempDir();
    mkdirSync(path.join(project.dir, 'rules'));
    cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), path.join(project.dir, 'rules'), { recursive: true });
  });
  afterAll(() => project.remove());

  for (const args of [['./rules', '-f', 'json'], ['rules/', '-f', 'json'], ['-f', 'json', '--', 'rules']]) {
    it(`is scanned as ${args.join(' ')}`, async () => {
      const run = await runCli(args, { cwd: project.dir });
      expect(run.status, run.stderr).toBe(1);
      expect(findingsOf(run.stdout).map((f) => f.ruleId)).toContain('no-auth');
    });
  }

  it('while the bare word is still the subcommand', async () => {
    const run = await runCli(['rules'], { cwd: project.dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^RULE\s+SEVERITY/);
  });
});
