/**
 * A hostile repository, built at test time (its file names cannot be committed): the CLI's stdout and stderr stay
 * inert in every format, and no report is written through a planted symbolic link.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { unsafeLine } from '../report/inert.js';
import { runCli, tempDir } from './helpers.js';

const ESC = '\u001b';
const HOSTILE_NAME = 'a\n::stop-commands::pwn\n##[error]x.ts';
const ESCAPE_NAME = `b${ESC}]0;owned\u0007${ESC}[2J\u202e.ts`;

const ROUTE = `import express from 'express';
import OpenAI from 'openai';
const app = express();
const openai = new OpenAI();
app.post('/api/chat\\u001b[2J\\n::error::forged\\u202e', async (req, res) => {
  const r = await openai.chat.completions.create({ model: 'gpt-4o', messages: req.body.messages });
  res.json(r);
});
app.listen(3000);
`;

let scratch: ReturnType<typeof tempDir>;
let project: string;
let outside: string;

beforeAll(() => {
  scratch = tempDir('aea-hostile-');
  project = path.join(scratch.dir, 'project');
  outside = path.join(scratch.dir, 'outside.txt');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ dependencies: { express: '4.19.0', openai: '4.0.0' } }));
  writeFileSync(path.join(project, 'server.ts'), ROUTE);
  // Syntax errors: each file's name is printed in a per-file note.
  writeFileSync(path.join(project, HOSTILE_NAME), "import OpenAI from 'openai';\nconst x = {{{;\n");
  writeFileSync(path.join(project, ESCAPE_NAME), "import OpenAI from 'openai';\nconst x = {{{;\n");
  writeFileSync(outside, 'precious\n');
});

afterAll(() => scratch.remove());

describe('a hostile repository cannot drive the terminal or the CI log', () => {
  for (const format of ['text', 'github', 'markdown'] as const) {
    it(`--format ${format}: stdout and stderr stay inert`, async () => {
      const run = await runCli([project, '--format', format]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('syntax error');
      expect(run.stdout).toContain('/api/chat');
      expect(unsafeLine(run.stderr)).toBeUndefined();
      expect(unsafeLine(run.stdout, format === 'github')).toBeUndefined();
    });
  }

  it("commander's own messages (an unknown option) are filtered too", async () => {
    const run = await runCli([project, `--x${ESC}[2J\n::error::forged`]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown option');
    expect(unsafeLine(run.stderr)).toBeUndefined();
  });

  it('a config error does not echo a hostile key raw', async () => {
    const config = path.join(scratch.dir, 'bad.yml');
    writeFileSync(config, '"x\\n::stop-commands::pwn\\u001b[2J": 1\n');
    const run = await runCli([project, '--config', config]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown setting');
    expect(unsafeLine(run.stderr)).toBeUndefined();
  });
});

describe('reports are never written through a planted symbolic link', () => {
  const cases: [string, (file: string) => string[]][] = [
    ['-o', (file) => ['-o', file]],
    ['--sarif-output', (file) => ['--sarif-output', file]],
    ['--markdown-output', (file) => ['--markdown-output', file]],
    ['--write-baseline', (file) => ['--write-baseline', file]],
  ];
  for (const [flag, args] of cases) {
    it(`${flag} refuses a link, exit 2, and the linked file is untouched`, async () => {
      const link = path.join(project, `planted${flag.replace(/-/g, '')}.out`);
      symlinkSync(outside, link);
      const run = await runCli([project, ...args(link), '--quiet']);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('symbolic link');
      expect(readFileSync(outside, 'utf8')).toBe('precious\n');
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
    });
  }

  it('a link to a device (like /dev/stdout) is written to, not refused', async () => {
    const link = path.join(scratch.dir, 'null-link');
    symlinkSync('/dev/null', link);
    const run = await runCli([project, '--format', 'json', '-o', link, '--quiet']);
    expect(run.status, run.stderr).toBe(1);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('writes a regular file by replacing it, leaving no temporary file', async () => {
    const file = path.join(scratch.dir, 'report.sarif');
    writeFileSync(file, 'old');
    const run = await runCli([project, '--sarif-output', file, '--quiet']);
    expect(run.status).toBe(1);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe('2.1.0');
    expect(readdirSync(scratch.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('guard --out refuses a linked folder and a linked file', async () => {
    const realDir = path.join(scratch.dir, 'elsewhere');
    mkdirSync(realDir);
    const guardProject = path.join(scratch.dir, 'guard-project');
    mkdirSync(guardProject);
    symlinkSync(realDir, path.join(guardProject, 'linked'));
    const viaFolder = await runCli(['guard', '--framework', 'express', '--out', 'linked/ai-guard'], { cwd: guardProject });
    expect(viaFolder.status).toBe(2);
    expect(viaFolder.stderr).toContain('symbolic link');
    expect(existsSync(path.join(realDir, 'ai-guard'))).toBe(false);

    mkdirSync(path.join(guardProject, 'guard'));
    symlinkSync(outside, path.join(guardProject, 'guard', 'core.ts'));
    const viaFile = await runCli(['guard', '--framework', 'express', '--out', 'guard', '--force'], { cwd: guardProject });
    expect(viaFile.status).toBe(2);
    expect(viaFile.stderr).toContain('symbolic link');
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
  });
});
