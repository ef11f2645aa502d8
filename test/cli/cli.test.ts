/**
 * The command line as users run it: exit codes, report formats, --output, --fail-on, usage errors, the rules and
 * explain subcommands, init, and the progress line staying off when stderr is not a terminal.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULES } from '../../rules/index.js';
import { cleanEnv, FIXTURES, REPO, runCli, tempDir } from './helpers.js';

const VULNERABLE = path.join(FIXTURES, 'express-classic', 'vulnerable');
const FIXED = path.join(FIXTURES, 'express-classic', 'fixed');

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function scratch(): string {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  return dir;
}

interface JsonReport {
  findings: { ruleId: string; severity: string; file: string; line: number; fingerprint: string }[];
  endpoints: { id: string }[];
}

describe('scan exit codes and formats', () => {
  it('exits 1 when a finding is at or above the default fail-on (high)', async () => {
    const run = await runCli([VULNERABLE, '--no-color']);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain('POST /api/generate');
    expect(run.stdout).toContain('no-auth');
  });

  it('exits 1 exactly when a finding reaches --fail-on', async () => {
    const report = JSON.parse((await runCli([FIXED, '--format', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
    const order = ['low', 'medium', 'high', 'critical'];
    for (const failOn of order) {
      const expected = report.findings.some((f) => order.indexOf(f.severity) >= order.indexOf(failOn)) ? 1 : 0;
      expect((await runCli([FIXED, '--format', 'json', '--fail-on', failOn])).status, failOn).toBe(expected);
    }
  });

  it('--fail-on none never fails', async () => {
    expect((await runCli([VULNERABLE, '--fail-on', 'none', '--format', 'json'])).status).toBe(0);
  });

  it('writes JSON that names the expected findings', async () => {
    const report = JSON.parse((await runCli([VULNERABLE, '--format', 'json'])).stdout) as JsonReport;
    const keys = report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`);
    const expected = (parse(readFileSync(path.join(VULNERABLE, 'expected.yaml'), 'utf8')) as { findings: { rule: string; file: string; line: number }[] }).findings;
    for (const f of expected) expect(keys).toContain(`${f.rule} ${f.file}:${f.line}`);
  });

  it('writes SARIF 2.1.0', async () => {
    const sarif = JSON.parse((await runCli([VULNERABLE, '--format', 'sarif'])).stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain('no-auth');
  });

  it('--output writes the report to a file and nothing to stdout', async () => {
    const out = path.join(scratch(), 'report.json');
    const run = await runCli([VULNERABLE, '--format', 'json', '--output', out]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toBe('');
    expect((JSON.parse(readFileSync(out, 'utf8')) as JsonReport).findings.length).toBeGreaterThan(0);
  });

  it('--sarif-output and --markdown-output write extra reports beside the main one', async () => {
    const dir = scratch();
    const run = await runCli([VULNERABLE, '--format', 'github', '--sarif-output', path.join(dir, 'r.sarif'), '--markdown-output', path.join(dir, 'summary.md')]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^::error /m);
    expect(JSON.parse(readFileSync(path.join(dir, 'r.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain('### Findings');
  });

  it('exits 2 for a path that does not exist', async () => {
    const run = await runCli([path.join(REPO, 'no-such-folder')]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain('path does not exist');
    expect(run.stdout).toBe('');
  });

  it('exits 2 for an unknown option or format', async () => {
    expect((await runCli([VULNERABLE, '--frobnicate'])).status).toBe(2);
    expect((await runCli([VULNERABLE, '--format', 'xml'])).status).toBe(2);
    expect((await runCli([VULNERABLE, '--fail-on', 'severe'])).status).toBe(2);
  });

  it('exits 2 when the output file cannot be written', async () => {
    const run = await runCli([VULNERABLE, '--output', path.join(scratch(), 'missing-dir', 'r.txt')]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain('cannot write');
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    const run = await runCli(['--version']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it('prints no progress line when stderr is not a terminal', async () => {
    const run = await runCli([VULNERABLE, '--format', 'json'], { env: cleanEnv() });
    expect(run.stderr).not.toContain('files indexed');
  });
});

describe('a sub-folder or one file of a project', () => {
  const chat = path.join(FIXTURES, 'next-app-chatbot', 'vulnerable', 'app', 'api', 'chat');

  for (const scanned of [chat, path.join(chat, 'route.ts')]) {
    it(`finds the endpoint when given ${path.relative(FIXTURES, scanned)}`, async () => {
      const run = await runCli([scanned, '--no-color', '--fail-on', 'none']);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).not.toContain('No HTTP endpoints');
      // The text report names the file from the current folder (the repository here).
      expect(run.stdout).toContain(`POST /api/chat  ${path.relative(REPO, chat)}/route.ts:`);
      expect(run.stdout).toContain('no-auth');
    });
  }
});

describe('skipped files', () => {
  /** A Next.js route shipped minified: its code is one long line. */
  const minifiedRoute = `import OpenAI from"openai";const o=new OpenAI;${'var a=function(b){return b+1};'.repeat(200)}export async function POST(r){const{p}=await r.json();return Response.json(await o.chat.completions.create({model:"gpt-4o",messages:[{role:"user",content:p}]}))}`;

  function project(): string {
    const dir = scratch();
    const files: Record<string, string> = {
      'package.json': '{}',
      '.gitignore': 'generated/\n',
      'generated/client.ts': 'export const x = 1;\n',
      'dist/server.js': 'export const y = 1;\n',
      'app/api/build/route.ts': readFileSync(path.join(FIXTURES, 'next-app-chatbot', 'vulnerable', 'app', 'api', 'chat', 'route.ts'), 'utf8'),
      'app/api/fast/route.js': minifiedRoute,
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }

  it('are counted by reason in the JSON stats, and a skipped route is marked with what it mentions', async () => {
    const report = JSON.parse((await runCli([project(), '--format', 'json', '--fail-on', 'none'])).stdout) as {
      stats: { skippedFiles: Record<string, number> };
      errors: { file: string; kind: string; mentions?: string[] }[];
    };
    expect(report.stats.skippedFiles).toEqual({ 'build-output': 1, gitignored: 1, minified: 1 });
    expect(report.errors).toContainEqual(expect.objectContaining({ file: 'app/api/fast/route.js', kind: 'minified', mentions: ['route', 'ai-sdk'] }));
  });

  it('name a skipped route in a warning line, and fail --strict', async () => {
    const dir = project();
    const run = await runCli([dir, '--no-color', '--fail-on', 'none'], { cwd: dir });
    expect(run.stdout).toContain('Warning: app/api/fast/route.js was skipped (minified) but mentions a route and an AI SDK');
    // A folder named build below the project root is source: its route is analyzed.
    expect(run.stdout).toContain('POST /api/build');
    expect((await runCli([dir, '--format', 'json', '--fail-on', 'none', '--strict'])).status).toBe(2);
  });
});

describe('github and markdown formats', () => {
  it('--format github emits one workflow command per finding, paths relative to the workspace', async () => {
    const run = await runCli([VULNERABLE, '--format', 'github'], { env: cleanEnv({ GITHUB_WORKSPACE: REPO }) });
    expect(run.status, run.stderr).toBe(1);
    const commands = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    const report = JSON.parse((await runCli([VULNERABLE, '--format', 'json'])).stdout) as JsonReport;
    expect(commands).toHaveLength(report.findings.length);
    const noAuth = commands.find((c) => c.includes('title=no-auth::'));
    expect(noAuth).toMatch(/^::error file=fixtures\/express-classic\/vulnerable\/server\.js,line=29,title=no-auth::POST \/api\/generate /);
    // Newlines in the message are escaped, so each command stays on one line.
    expect(noAuth).toContain('%0AFix: ');
    expect(commands.some((c) => c.startsWith('::warning ') && c.includes('title=no-spend-cap::'))).toBe(true);
  });

  it('--format markdown lists the endpoint inventory and the findings', async () => {
    const run = await runCli([VULNERABLE, '--format', 'markdown']);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain('## ai-endpoint-audit');
    expect(run.stdout).toContain('| `POST /api/generate` | `server.js:29` |');
    expect(run.stdout).toMatch(/\| 🔴 high \| \[no-auth\]\(https:\/\/github\.com\/ai-endpoint-audit\/ai-endpoint-audit\/blob\/main\/rules\/no-auth\.md\) \| `server\.js:29` \|/);
  });
});

describe('rules and explain', () => {
  it('rules prints every rule with its severity and description', async () => {
    const run = await runCli(['rules']);
    expect(run.status, run.stderr).toBe(0);
    for (const rule of RULES) {
      expect(run.stdout).toMatch(new RegExp(`^${rule.meta.id}\\s+${rule.meta.severity}\\s+${escapeRegExp(rule.meta.shortDescription)}$`, 'm'));
    }
  });

  it("explain prints the rule's documentation page", async () => {
    const run = await runCli(['explain', 'no-auth']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(readFileSync(path.join(REPO, 'rules', 'no-auth.md'), 'utf8'));
  });

  it('explain of an unknown rule exits 2 and lists the rule ids', async () => {
    const run = await runCli(['explain', 'no-authentication']);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    for (const rule of RULES) expect(run.stderr).toContain(rule.meta.id);
  });
});

describe('init', () => {
  it('writes a starter config that the scanner accepts, and refuses to overwrite it without --force', async () => {
    const dir = scratch();
    const first = await runCli(['init', dir]);
    expect(first.status).toBe(0);
    const file = path.join(dir, '.ai-endpoint-audit.yml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# yaml-language-server: $schema=');
    for (const rule of RULES) expect(text).toContain(`# ${rule.meta.id}:`);

    writeFileSync(path.join(dir, 'app.js'), "console.log('hello');\n");
    const scan = await runCli([dir, '--format', 'json']);
    expect(scan.stderr).toBe('');
    expect(scan.status).toBe(0);

    writeFileSync(file, 'failOn: low\n');
    const again = await runCli(['init', dir]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists; use --force');
    expect(readFileSync(file, 'utf8')).toBe('failOn: low\n');

    expect((await runCli(['init', dir, '--force'])).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('exits 2 when the folder does not exist', async () => {
    const missing = path.join(scratch(), 'nope');
    expect((await runCli(['init', missing])).status).toBe(2);
    expect(existsSync(missing)).toBe(false);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
