#!/usr/bin/env node
/**
 * Generates a synthetic TypeScript monorepo of N source files for the benchmark, deterministically (fixed seed):
 * a Next.js app (pages, App Router API routes, a share of them calling AI SDKs through helper chains), a UI package,
 * a utilities package with deep import chains and a barrel, an Express service, hooks, database modules and tests,
 * with tsconfig path aliases between the packages.
 *
 *   node bench/generate.mjs <dir> <files>
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const GENERATOR_VERSION = 3;

/** Shares of the files, by kind; UI components take the rest. */
const MIX = {
  aiRoute: 0.04,
  plainRoute: 0.04,
  expressRouter: 0.015,
  aiHelper: 0.02,
  dbModule: 0.03,
  util: 0.12,
  hook: 0.05,
  page: 0.08,
  test: 0.2,
};

/** A seeded pseudo-random generator (mulberry32); the randomised tests draw from it too. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['account', 'billing', 'invoice', 'project', 'team', 'member', 'report', 'summary', 'message', 'thread', 'document', 'search', 'profile', 'settings', 'order', 'cart', 'product', 'review', 'ticket', 'note', 'task', 'calendar', 'event', 'asset', 'upload', 'draft', 'comment', 'feed', 'alert', 'metric'];
const pascal = (s) => s.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase());
const camel = (s) => s.replace(/-(\w)/g, (_, c) => c.toUpperCase());

export function generate(dir, total, seed = 1) {
  const random = rng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const files = new Map();
  const put = (file, text) => files.set(file, text);

  const count = Object.fromEntries(Object.entries(MIX).map(([k, share]) => [k, Math.max(1, Math.round(total * share))]));
  const fixed = 12; // configs, clients, auth, barrels
  count.component = Math.max(1, total - fixed - Object.values(count).reduce((a, b) => a + b, 0));
  const name = (kind, i) => `${WORDS[i % WORDS.length]}-${kind}-${i}`;

  // Workspace configuration, read as data by the scanner.
  put('package.json', JSON.stringify({ name: 'acme', private: true, workspaces: ['apps/*', 'packages/*', 'services/*'] }, null, 2));
  put('tsconfig.base.json', JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, jsx: 'preserve' } }, null, 2));
  put('apps/web/tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { paths: { '@/*': ['./*'], '@acme/ui/*': ['../../packages/ui/src/*'], '@acme/utils': ['../../packages/utils/src/index.ts'], '@acme/utils/*': ['../../packages/utils/src/*'] } } }, null, 2));
  put('services/api/tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { paths: { '@acme/utils': ['../../packages/utils/src/index.ts'] } } }, null, 2));
  put('apps/web/next.config.js', `/** @type {import('next').NextConfig} */\nmodule.exports = { reactStrictMode: true, experimental: { serverActions: { bodySizeLimit: '1mb' } } };\n`);

  // Utilities: chains (each imports the previous one) and a barrel that re-exports them all.
  const utils = [];
  for (let i = 0; i < count.util; i++) {
    const n = name('util', i);
    utils.push(n);
    const chained = i > 0 && random() < 0.7 ? utils[i - 1] : undefined;
    const fn = camel(n);
    put(`packages/utils/src/${n}.ts`, utilModule(fn, chained && camel(chained), chained, int(3, 8)));
  }
  put('packages/utils/src/index.ts', utils.map((u) => `export * from './${u}';`).join('\n') + '\n');

  // Server-side building blocks of the web app.
  put('apps/web/lib/auth.ts', AUTH);
  put('apps/web/lib/ratelimit.ts', RATELIMIT);
  put('apps/web/lib/ai/clients.ts', CLIENTS);
  put('apps/web/lib/ai/core.ts', CORE);
  put('apps/web/lib/db/client.ts', DB_CLIENT);
  const dbModules = [];
  for (let i = 0; i < count.dbModule; i++) {
    const n = name('repo', i);
    dbModules.push(n);
    put(`apps/web/lib/db/${n}.ts`, dbModule(pascal(WORDS[i % WORDS.length]), camel(n), int(4, 9)));
  }
  const helpers = [];
  for (let i = 0; i < count.aiHelper; i++) {
    const n = name('assistant', i);
    helpers.push(n);
    const via = i > 0 && random() < 0.4 ? helpers[int(0, i - 1)] : undefined;
    put(`apps/web/lib/ai/${n}.ts`, aiHelper(camel(n), i, via && camel(via), via, pick(utils), pick(dbModules)));
  }

  // UI components: each imports a few earlier ones, so chains run deep.
  const components = [];
  for (let i = 0; i < count.component; i++) {
    const n = pascal(name('card', i));
    const uses = i > 3 ? [...new Set(Array.from({ length: int(1, 3) }, () => components[int(Math.max(0, i - 40), i - 1)]))] : [];
    components.push(n);
    put(`packages/ui/src/components/${n}.tsx`, component(n, uses, pick(utils), int(4, 10)));
  }
  const hooks = [];
  for (let i = 0; i < count.hook; i++) {
    const n = `use${pascal(name('state', i))}`;
    hooks.push(n);
    put(`apps/web/hooks/${n}.ts`, hook(n, pick(utils)));
  }
  for (let i = 0; i < count.page; i++) {
    put(`apps/web/app/(app)/${name('section', i)}/page.tsx`, page(pascal(name('page', i)), [pick(components), pick(components), pick(components)], pick(hooks)));
  }

  // API routes: a share calls a model through a helper, with protections that vary.
  for (let i = 0; i < count.aiRoute; i++) {
    const helper = helpers[i % helpers.length];
    put(`apps/web/app/api/${WORDS[i % WORDS.length]}/${name('ai', i)}/route.ts`, aiRoute(camel(helper), helper, i % 4, pick(utils), i % 5 === 0));
  }
  for (let i = 0; i < count.plainRoute; i++) {
    const repo = pick(dbModules);
    put(`apps/web/app/api/${WORDS[i % WORDS.length]}/${name('items', i)}/route.ts`, plainRoute(camel(repo), repo, pick(utils)));
  }

  // An Express service with routers mounted by one app.
  const routers = [];
  for (let i = 0; i < count.expressRouter; i++) {
    const n = name('router', i);
    routers.push(n);
    put(`services/api/src/routes/${n}.ts`, expressRouter(i % 3 === 0, i % 2 === 0, pick(utils)));
  }
  put('services/api/src/ai.ts', EXPRESS_AI);
  put('services/api/src/server.ts', expressServer(routers));

  // Tests next to the code they test.
  const testable = [...utils.map((u) => [`packages/utils/src/__tests__/${u}.test.ts`, `../${u}`, camel(u)]), ...hooks.map((h) => [`apps/web/hooks/__tests__/${h}.test.ts`, `../${h}`, h])];
  for (let i = 0; i < count.test; i++) {
    const [file, from, fn] = testable[i % testable.length];
    put(i < testable.length ? file : file.replace('.test.ts', `.${i}.test.ts`), testFile(fn, from, int(3, 8)));
  }

  rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  const sources = [...files.keys()].filter((f) => /\.(ts|tsx|js)$/.test(f)).length;
  return { files: sources, aiRoutes: count.aiRoute + Math.ceil(count.expressRouter / 3) };
}

function utilModule(fn, previousFn, previous, branches) {
  const cases = Array.from({ length: branches }, (_, i) => `    case ${i}:\n      return { ...input, step: ${i}, label: \`\${input.label}-${i}\`, weight: input.weight * ${i + 1} };`).join('\n');
  return `${previous ? `import { ${previousFn} } from './${previous}';\n` : ''}
export interface ${pascal(fn)}Input {
  label: string;
  weight: number;
  step?: number;
  tags?: string[];
}

/** Normalises an input record for display and storage. */
export function ${fn}(input: ${pascal(fn)}Input, mode = 0): ${pascal(fn)}Input {
  const base = ${previous ? `${previousFn}({ ...input }, mode + 1)` : '{ ...input }'};
  const tags = (base.tags ?? []).map((tag) => tag.trim().toLowerCase()).filter(Boolean);
  switch (mode % ${branches}) {
${cases}
    default:
      return { ...base, tags };
  }
}

export const ${fn}Defaults: Readonly<${pascal(fn)}Input> = Object.freeze({ label: '${fn}', weight: 1, tags: [] });
`;
}

function dbModule(entity, fn, columns) {
  const fields = Array.from({ length: columns }, (_, i) => `  field${i}: ${i % 3 === 0 ? 'number' : 'string'};`).join('\n');
  return `import { db } from './client';

export interface ${entity}Row {
  id: string;
  ownerId: string;
${fields}
  createdAt: Date;
}

export async function ${fn}List(ownerId: string, limit = 50): Promise<${entity}Row[]> {
  const rows = await db.query<${entity}Row>('select * from ${entity.toLowerCase()} where owner_id = $1 order by created_at desc limit $2', [ownerId, limit]);
  return rows;
}

export async function ${fn}Get(id: string): Promise<${entity}Row | undefined> {
  const [row] = await db.query<${entity}Row>('select * from ${entity.toLowerCase()} where id = $1', [id]);
  return row;
}

export async function ${fn}Create(ownerId: string, values: Partial<${entity}Row>): Promise<${entity}Row> {
  const [row] = await db.query<${entity}Row>('insert into ${entity.toLowerCase()} (owner_id, data) values ($1, $2) returning *', [ownerId, JSON.stringify(values)]);
  return row;
}
`;
}

function aiHelper(fn, i, viaFn, via, util, repo) {
  const provider = ['openai', 'anthropic', 'vercel'][i % 3];
  return `import { ${camel(util)} } from '@acme/utils';
import { ${camel(repo)}List } from '@/lib/db/${repo}';
${via ? `import { ${viaFn} } from './${via}';\n` : ''}import { complete${pascal(provider)} } from './core';

export interface ${pascal(fn)}Request {
  userId?: string;
  prompt: string;
  history?: { role: string; content: string }[];
}

function buildPrompt(request: ${pascal(fn)}Request, context: string): string {
  const label = ${camel(util)}({ label: request.prompt.slice(0, 40), weight: 1 }).label;
  return [\`Context: \${context}\`, \`Topic: \${label}\`, request.prompt].join('\\n\\n');
}

export async function ${fn}(request: ${pascal(fn)}Request): Promise<string> {
  const recent = request.userId ? await ${camel(repo)}List(request.userId, 5) : [];
  const context = recent.map((row) => row.id).join(', ');
  ${via ? `if (request.prompt.length < 20) return ${viaFn}(request);\n  ` : ''}return complete${pascal(provider)}(buildPrompt(request, context), request.history ?? []);
}
`;
}

function component(name, uses, util, items) {
  const imports = uses.map((u) => `import { ${u} } from './${u}';`).join('\n');
  const list = Array.from({ length: items }, (_, i) => `        <li key="${i}" className={cn('item', active === ${i} && 'item--active')} onClick={() => setActive(${i})}>\n          {labels[${i}] ?? '${name} ${i}'}\n        </li>`).join('\n');
  return `import { useMemo, useState } from 'react';
import { ${camel(util)} } from '@acme/utils';
${imports}

export interface ${name}Props {
  title: string;
  labels?: string[];
  compact?: boolean;
  onSelect?: (index: number) => void;
}

function cn(...classes: (string | false | undefined)[]): string {
  return classes.filter(Boolean).join(' ');
}

export function ${name}({ title, labels = [], compact = false, onSelect }: ${name}Props) {
  const [active, setActive] = useState(-1);
  const heading = useMemo(() => ${camel(util)}({ label: title, weight: labels.length }).label, [title, labels.length]);
  return (
    <section className={cn('card', compact && 'card--compact')} aria-label={heading}>
      <h2>{heading}</h2>
${uses.map((u) => `      <${u} title={heading} compact />`).join('\n')}
      <ul>
${list}
      </ul>
      <button type="button" onClick={() => onSelect?.(active)}>Choose</button>
    </section>
  );
}
`;
}

function hook(name, util) {
  return `import { useCallback, useEffect, useState } from 'react';
import { ${camel(util)} } from '@acme/utils';

export function ${name}(key: string, initial = '') {
  const [value, setValue] = useState(initial);
  useEffect(() => {
    const stored = window.localStorage.getItem(key);
    if (stored !== null) setValue(${camel(util)}({ label: stored, weight: 1 }).label);
  }, [key]);
  const update = useCallback((next: string) => {
    setValue(next);
    window.localStorage.setItem(key, next);
  }, [key]);
  return [value, update] as const;
}
`;
}

function page(name, components, hookName) {
  return `'use client';
import { ${hookName} } from '@/hooks/${hookName}';
${[...new Set(components)].map((c) => `import { ${c} } from '@acme/ui/components/${c}';`).join('\n')}

export default function ${name}() {
  const [filter, setFilter] = ${hookName}('${name}-filter');
  return (
    <main>
      <input value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="Filter" />
${[...new Set(components)].map((c) => `      <${c} title={filter || '${name}'} />`).join('\n')}
    </main>
  );
}
`;
}

function aiRoute(helperFn, helper, protection, util, streaming) {
  const authed = protection >= 1;
  const limited = protection >= 2;
  const bounded = protection >= 3;
  return `import { NextResponse } from 'next/server';
import { ${camel(util)} } from '@acme/utils';
${authed ? "import { getSession } from '@/lib/auth';\n" : ''}${limited ? "import { limiter } from '@/lib/ratelimit';\n" : ''}import { ${helperFn} } from '@/lib/ai/${helper}';

export const runtime = 'nodejs';

export async function POST(req: Request) {
${authed ? "  const session = await getSession(req);\n  if (!session) return NextResponse.json({ error: 'Sign in first' }, { status: 401 });\n" : ''}${limited ? "  const { success } = await limiter.limit(session.userId);\n  if (!success) return NextResponse.json({ error: 'Too many requests' }, { status: 429 });\n" : ''}  const body = await req.json();
${bounded ? "  if (typeof body.prompt !== 'string' || body.prompt.length > 4000) {\n    return NextResponse.json({ error: 'Prompt too long' }, { status: 400 });\n  }\n" : ''}  const label = ${camel(util)}({ label: String(body.topic ?? ''), weight: 1 }).label;
  const text = await ${helperFn}({ userId: ${authed ? 'session.userId' : 'undefined'}, prompt: body.prompt, history: body.history });
  return NextResponse.json({ label, text${streaming ? ', streamed: false' : ''} });
}

export async function GET() {
  return NextResponse.json({ ok: true });
}
`;
}

function plainRoute(repoFn, repo, util) {
  return `import { NextResponse, type NextRequest } from 'next/server';
import { ${camel(util)} } from '@acme/utils';
import { getSession } from '@/lib/auth';
import { ${repoFn}List, ${repoFn}Create } from '@/lib/db/${repo}';

export async function GET(req: NextRequest) {
  const session = await getSession(req);
  if (!session) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
  const limit = Number(req.nextUrl.searchParams.get('limit') ?? 20);
  const rows = await ${repoFn}List(session.userId, Math.min(limit, 100));
  return NextResponse.json({ rows: rows.map((row) => ({ ...row, label: ${camel(util)}({ label: row.id, weight: 1 }).label })) });
}

export async function POST(req: NextRequest) {
  const session = await getSession(req);
  if (!session) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
  const values = await req.json();
  const row = await ${repoFn}Create(session.userId, values);
  return NextResponse.json(row, { status: 201 });
}
`;
}

function expressRouter(callsAi, authed, util) {
  return `import { Router, type Request, type Response, type NextFunction } from 'express';
import { ${camel(util)} } from '@acme/utils';
${callsAi ? "import { summarize } from '../ai';\n" : ''}
export const router = Router();

function requireUser(req: Request, res: Response, next: NextFunction) {
  if (!req.headers.authorization) return res.status(401).json({ error: 'Unauthorized' });
  next();
}

router.get('/', ${authed ? 'requireUser, ' : ''}(req, res) => {
  res.json({ label: ${camel(util)}({ label: String(req.query.q ?? ''), weight: 1 }).label });
});

router.post('/run', ${authed ? 'requireUser, ' : ''}async (req, res) => {
  ${callsAi ? 'const text = await summarize(req.body.text);\n  res.json({ text });' : "res.json({ queued: true, id: String(req.body.id ?? '') });"}
});
`;
}

function expressServer(routers) {
  return `import express from 'express';
${routers.map((r, i) => `import { router as r${i} } from './routes/${r}';`).join('\n')}

const app = express();
app.use(express.json({ limit: '100kb' }));
${routers.map((r, i) => `app.use('/${r}', r${i});`).join('\n')}

app.listen(Number(process.env.PORT ?? 4000));
`;
}

function testFile(fn, from, cases) {
  return `import { describe, expect, it } from 'vitest';
import { ${fn} } from '${from}';

describe('${fn}', () => {
${Array.from({ length: cases }, (_, i) => `  it('handles case ${i}', () => {\n    expect(typeof ${fn}).toBe('function');\n    expect(${i} + 1).toBe(${i + 1});\n  });`).join('\n')}
});
`;
}

const AUTH = `import { cookies } from 'next/headers';
import { verifySessionToken } from './session-token';

export interface Session {
  userId: string;
  plan: 'free' | 'pro';
}

export async function getSession(_req?: Request): Promise<Session | null> {
  const token = (await cookies()).get('session')?.value;
  if (!token) return null;
  return verifySessionToken(token);
}
`;

const RATELIMIT = `import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';

export const limiter = new Ratelimit({
  redis: Redis.fromEnv(),
  limiter: Ratelimit.slidingWindow(20, '1 m'),
  prefix: 'acme:ai',
});
`;

const CLIENTS = `import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

export const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
export const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });
`;

const CORE = `import { generateText } from 'ai';
import { openai as openaiProvider } from '@ai-sdk/openai';
import { anthropic, openai } from './clients';

type Turn = { role: string; content: string };

export async function completeOpenai(prompt: string, history: Turn[]): Promise<string> {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [...history, { role: 'user', content: prompt }] as never,
  });
  return completion.choices[0]?.message?.content ?? '';
}

export async function completeAnthropic(prompt: string, history: Turn[]): Promise<string> {
  const message = await anthropic.messages.create({
    model: 'claude-3-5-haiku-latest',
    max_tokens: 1024,
    messages: [...history, { role: 'user', content: prompt }] as never,
  });
  return message.content.map((block) => ('text' in block ? block.text : '')).join('');
}

export async function completeVercel(prompt: string, history: Turn[]): Promise<string> {
  const { text } = await generateText({ model: openaiProvider('gpt-4o-mini'), messages: [...history, { role: 'user', content: prompt }] as never });
  return text;
}
`;

const DB_CLIENT = `import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

export const db = {
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await pool.query(sql, params);
    return result.rows as T[];
  },
};
`;

const EXPRESS_AI = `import OpenAI from 'openai';

const client = new OpenAI();

export async function summarize(text: string): Promise<string> {
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'system', content: 'Summarize.' }, { role: 'user', content: text }],
  });
  return completion.choices[0]?.message?.content ?? '';
}
`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, files] = process.argv.slice(2);
  if (!dir || !files) {
    console.error('usage: node bench/generate.mjs <dir> <files>');
    process.exit(2);
  }
  console.log(generate(path.resolve(dir), Number(files)));
}
