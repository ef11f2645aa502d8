/**
 * --changed-since on a temporary git repository: the whole project is analysed, and only findings on endpoints
 * whose chain (route file, helpers with the paid call, evidence) touches a changed or untracked file are reported.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempDir } from './helpers.js';

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'notes-api', type: 'module', dependencies: { express: '^4.19.2', openai: '^4.52.0' } }, null, 2),
  'src/lib/openai.js': `import OpenAI from 'openai';

export const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
`,
  'src/lib/summarize.js': `import { openai } from './openai.js';

export async function summarize(text) {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'Summarize the note in three bullet points.' },
      { role: 'user', content: text },
    ],
  });
  return completion.choices[0].message.content;
}
`,
  'src/server.js': `import express from 'express';
import { openai } from './lib/openai.js';
import { summarize } from './lib/summarize.js';

const app = express();
app.use(express.json());

app.post('/api/summarize', async (req, res) => {
  const summary = await summarize(req.body.text);
  res.json({ summary });
});

app.post('/api/title', async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Suggest a title for: ' + req.body.text }],
  });
  res.json({ title: completion.choices[0].message.content });
});

app.listen(3000);
`,
};

interface JsonReport {
  findings: { ruleId: string; file: string; endpointId: string | null }[];
}

let repo: string;
let remove: () => void;

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com' },
  });
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  writeFileSync(path.join(repo, file), text);
}

async function endpointsReported(args: string[], cwd = repo): Promise<string[]> {
  const run = await runCli(['.', '--format', 'json', '--fail-on', 'none', ...args], { cwd });
  expect(run.status, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as JsonReport;
  return [...new Set(report.findings.map((f) => f.endpointId ?? '(project)'))].sort();
}

beforeEach(() => {
  ({ dir: repo, remove } = tempDir('aea-git-'));
  git('init', '--quiet', '--initial-branch=main');
  for (const [file, text] of Object.entries(FILES)) write(file, text);
  git('add', '.');
  git('commit', '--quiet', '-m', 'Notes API');
});
afterEach(() => remove());

describe('--changed-since', () => {
  it('reports both endpoints without the flag, none when nothing changed', async () => {
    expect(await endpointsReported([])).toEqual(expect.arrayContaining(['POST /api/summarize (src/server.js)', 'POST /api/title (src/server.js)']));
    expect(await endpointsReported(['--changed-since', 'HEAD'])).toEqual([]);
  });

  it('a change to a helper that makes the paid call reports only the endpoint that reaches it', async () => {
    const helper = 'src/lib/summarize.js';
    write(helper, readFileSync(path.join(repo, helper), 'utf8').replace("model: 'gpt-4o-mini'", "model: 'gpt-4o'"));
    expect(await endpointsReported(['--changed-since', 'HEAD'])).toEqual(['POST /api/summarize (src/server.js)']);
  });

  it('a committed change on a branch is compared with the merge base of the ref', async () => {
    git('checkout', '--quiet', '-b', 'feature');
    write('src/lib/summarize.js', readFileSync(path.join(repo, 'src/lib/summarize.js'), 'utf8').replace('three bullet', 'five bullet'));
    git('commit', '--quiet', '-am', 'Longer summaries');
    // main moves on meanwhile; its change to the route file is not this branch's change.
    git('checkout', '--quiet', 'main');
    write('src/server.js', readFileSync(path.join(repo, 'src/server.js'), 'utf8').replace('Suggest a title', 'Suggest a short title'));
    git('commit', '--quiet', '-am', 'Shorter titles');
    git('checkout', '--quiet', 'feature');
    expect(await endpointsReported(['--changed-since', 'main'])).toEqual(['POST /api/summarize (src/server.js)']);
  });

  it('a change to the route file reports its endpoints', async () => {
    write('src/server.js', readFileSync(path.join(repo, 'src/server.js'), 'utf8').replace('app.listen(3000);', 'app.listen(8080);'));
    expect(await endpointsReported(['--changed-since', 'HEAD'])).toEqual(
      expect.arrayContaining(['POST /api/summarize (src/server.js)', 'POST /api/title (src/server.js)']),
    );
  });

  it('an untracked file with a new route is reported', async () => {
    write(
      'src/translate.js',
      `import express from 'express';
import { openai } from './lib/openai.js';

const router = express.Router();
router.post('/api/translate', async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: req.body.text }],
  });
  res.json({ text: completion.choices[0].message.content });
});

const app = express();
app.use(express.json());
app.use(router);
app.listen(3001);
`,
    );
    const reported = await endpointsReported(['--changed-since', 'HEAD']);
    expect(reported.filter((id) => id !== '(project)')).toEqual(['POST /api/translate (src/translate.js)']);
  });

  it('works when a subfolder is scanned', async () => {
    write('src/lib/summarize.js', readFileSync(path.join(repo, 'src/lib/summarize.js'), 'utf8').replace('three', 'four'));
    expect(await endpointsReported(['--changed-since', 'HEAD'], path.join(repo, 'src'))).toEqual(['POST /api/summarize (server.js)']);
  });

  it('an unknown ref exits 2 with a hint', async () => {
    const run = await runCli(['.', '--changed-since', 'origin/does-not-exist'], { cwd: repo });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain('git ref not found: origin/does-not-exist');
    expect(run.stdout).toBe('');
  });

  it('outside a git repository exits 2', async () => {
    const { dir, remove: removeOther } = tempDir('aea-nogit-');
    try {
      writeFileSync(path.join(dir, 'index.js'), 'export {};\n');
      const run = await runCli(['.', '--changed-since', 'HEAD'], { cwd: dir, env: cleanEnv({ GIT_CEILING_DIRECTORIES: path.dirname(dir) }) });
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toContain('not inside a git repository');
    } finally {
      removeOther();
    }
  });

  it('without the git binary exits 2', async () => {
    const run = await runCli(['.', '--changed-since', 'HEAD'], { cwd: repo, env: cleanEnv({ PATH: path.join(repo, 'no-bin') }) });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain('git was not found');
  });
});

describe('--changed-since never runs a command from the repository', () => {
  it('ignores core.fsmonitor, clean filters, external diff and textconv set in .git/config', async () => {
    const marker = (name: string) => path.join(repo, `.git/ran-${name}`);
    git('config', 'core.fsmonitor', `touch '${marker('fsmonitor')}'; false`);
    git('config', 'filter.evil.clean', `touch '${marker('filter')}'; cat`);
    git('config', 'diff.external', `touch '${marker('external')}'`);
    git('config', 'diff.evil.textconv', `touch '${marker('textconv')}'; cat`);
    git('config', 'core.pager', `touch '${marker('pager')}'; cat`);
    write('.git/info/attributes', '*.js filter=evil diff=evil\n');
    write('src/lib/summarize.js', readFileSync(path.join(repo, 'src/lib/summarize.js'), 'utf8').replace('three', 'four'));

    expect(await endpointsReported(['--changed-since', 'HEAD'])).toEqual(['POST /api/summarize (src/server.js)']);
    const ran = ['fsmonitor', 'filter', 'external', 'textconv', 'pager'].filter((name) => existsSync(marker(name)));
    expect(ran).toEqual([]);

    // The same repository does run them under a plain git call: the check above is not vacuous.
    git('status', '--short');
    expect(existsSync(marker('fsmonitor'))).toBe(true);
  });
});

describe('--changed-since selects endpoints whose protection a change removed', () => {
  const GUARDED = {
    'src/auth.js': `import jwt from 'jsonwebtoken';

export default function requireUser(req, res, next) {
  try {
    req.user = jwt.verify(String(req.headers.authorization).replace('Bearer ', ''), process.env.JWT_SECRET);
  } catch {
    return res.status(401).json({ error: 'sign in' });
  }
  next();
}
`,
    'src/limits.js': `import rateLimit from 'express-rate-limit';

export const limiter = rateLimit({ windowMs: 60_000, limit: 10 });
`,
    'src/guarded.js': `import express from 'express';
import OpenAI from 'openai';
import requireUser from './auth.js';
import { limiter } from './limits.js';

const openai = new OpenAI();
const app = express();
app.use(express.json());

app.post('/api/chat', requireUser, limiter, async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 200, messages: [{ role: 'user', content: String(req.body.text).slice(0, 500) }] });
  res.json({ text: completion.choices[0].message.content });
});

app.post('/api/open', limiter, async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 200, messages: [{ role: 'user', content: String(req.body.text).slice(0, 500) }] });
  res.json({ text: completion.choices[0].message.content });
});

app.listen(3002);
`,
    'src/inline.cjs': `const express = require('express');
const OpenAI = require('openai');

const openai = new OpenAI();
const app = express();
app.use(express.json());

app.post('/api/inline', require('./auth-cjs.cjs'), async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 200, messages: [{ role: 'user', content: String(req.body.text).slice(0, 500) }] });
  res.json({ text: completion.choices[0].message.content });
});

app.listen(3003);
`,
    'src/auth-cjs.cjs': `const jwt = require('jsonwebtoken');

module.exports = function requireUser(req, res, next) {
  try {
    req.user = jwt.verify(String(req.headers.authorization).replace('Bearer ', ''), process.env.JWT_SECRET);
  } catch {
    return res.status(401).json({ error: 'sign in' });
  }
  next();
};
`,
  };

  beforeEach(() => {
    for (const [file, text] of Object.entries(GUARDED)) write(file, text);
    git('add', '.');
    git('commit', '--quiet', '-m', 'Guarded routes');
  });

  it('the guarded routes have auth before the change', async () => {
    const before = await noAuthEndpoints([]);
    expect(before).not.toContain('POST /api/chat (src/guarded.js)');
    expect(before).not.toContain('POST /api/inline (src/inline.cjs)');
  });

  async function noAuthEndpoints(args: string[]): Promise<string[]> {
    const run = await runCli(['.', '--format', 'json', '--fail-on', 'none', ...args], { cwd: repo });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    return report.findings.filter((f) => f.ruleId === 'no-auth').map((f) => f.endpointId ?? '').sort();
  }

  it('an auth middleware rewritten to call next() makes --changed-since HEAD report the no-auth finding', async () => {
    write('src/auth.js', 'export default (req, res, next) => next();\n');
    const full = await noAuthEndpoints([]);
    expect(full).toContain('POST /api/chat (src/guarded.js)');
    expect(await noAuthEndpoints(['--changed-since', 'HEAD'])).toEqual(full.filter((id) => id === 'POST /api/chat (src/guarded.js)'));
  });

  it('the same through an inline require in the route registration', async () => {
    write('src/auth-cjs.cjs', 'module.exports = (req, res, next) => next();\n');
    const full = await noAuthEndpoints([]);
    expect(full).toContain('POST /api/inline (src/inline.cjs)');
    expect(await noAuthEndpoints(['--changed-since', 'HEAD'])).toEqual(['POST /api/inline (src/inline.cjs)']);
  });

  it('a changed config file reports every finding', async () => {
    write('.ai-endpoint-audit.yml', 'failOn: high\n');
    expect((await endpointsReported(['--changed-since', 'HEAD'])).length).toBeGreaterThan(2);
  });
});
