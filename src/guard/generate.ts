/**
 * The guard generator: copies the reference guard's TypeScript sources (kept in `templates/`, compiled and
 * tested as part of this package) into a project, for one framework and one counter store.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertNoLinkedFolders, writeFileNoFollow } from '../cli/output.js';
import { TOOL } from '../version.js';

export const GUARD_FRAMEWORKS = ['express', 'next'] as const;
export const GUARD_STORES = ['memory', 'redis', 'postgres'] as const;
export type GuardFramework = (typeof GUARD_FRAMEWORKS)[number];
export type GuardStoreKind = (typeof GUARD_STORES)[number];

export interface GenerateOptions {
  framework: GuardFramework;
  store: GuardStoreKind;
  /** Folder the files go to; created when missing. */
  outDir: string;
  /** Replace files that already exist. */
  force?: boolean;
  /** The project folder: no folder between it and `outDir` may be a symbolic link. Default: outDir's parent. */
  projectDir?: string;
}

export interface WrittenFile {
  path: string;
  replaced: boolean;
}

/** Some target files exist and `force` was not given: nothing was written. */
export class GuardFilesExistError extends Error {
  constructor(readonly existing: string[]) {
    super(`${existing.length === 1 ? 'a file' : 'files'} already exist: ${existing.join(', ')} (use --force to replace)`);
    this.name = 'GuardFilesExistError';
  }
}

/** The package the user installs for each store, with the guard's own needs. */
export const STORE_PACKAGES: Record<GuardStoreKind, string[]> = {
  memory: ['zod'],
  redis: ['zod', 'redis'],
  postgres: ['zod', 'pg'],
};

/** Template files for a framework and store, in the order they are written. */
export function guardFileNames(framework: GuardFramework, store: GuardStoreKind): string[] {
  return ['types.ts', 'core.ts', 'notify.ts', `store-${store}.ts`, `${framework}.ts`];
}

/** A template's text as it lands in the project. */
export function renderGuardFile(name: string, framework: GuardFramework): string {
  let text = readFileSync(path.join(templatesDir(), name), 'utf8');
  // Next.js projects resolve modules the bundler way, where relative imports carry no extension.
  if (framework === 'next') text = text.replace(/(from\s+'\.\/[\w-]+)\.js'/g, "$1'");
  return `// ai-endpoint-audit guard ${TOOL.version}: the reference guard for paid AI routes. This copy is yours to edit.\n${text}`;
}

export function generateGuard(options: GenerateOptions): WrittenFile[] {
  const names = guardFileNames(options.framework, options.store);
  const targets = names.map((name) => path.join(options.outDir, name));
  // lstat, not exists: a dangling link is an existing file too.
  const existing = targets.filter((target) => isPresent(target));
  if (existing.length > 0 && !options.force) throw new GuardFilesExistError(existing);
  const rendered = names.map((name) => renderGuardFile(name, options.framework));
  assertNoLinkedFolders(options.projectDir ?? path.dirname(options.outDir), options.outDir);
  mkdirSync(options.outDir, { recursive: true });
  return targets.map((target, i) => {
    const replaced = isPresent(target);
    writeFileNoFollow(target, rendered[i]!);
    return { path: target, replaced };
  });
}

/** Where the guard goes when no --out is given: beside the project's other server code. */
export function defaultOutDir(framework: GuardFramework, projectDir: string): string {
  const hasSrc = existsSync(path.join(projectDir, 'src'));
  if (framework === 'next') return path.join(projectDir, hasSrc && existsSync(path.join(projectDir, 'src', 'app')) ? 'src/lib/ai-guard' : 'lib/ai-guard');
  return path.join(projectDir, hasSrc ? 'src/ai-guard' : 'ai-guard');
}

/** How to wire the generated files in, as printed after writing them. */
export function wiringInstructions(framework: GuardFramework, store: GuardStoreKind, importPath: string): string {
  const adapter = framework === 'express' ? 'express' : 'next';
  const extension = framework === 'express' ? '.js' : '';
  const from = (file: string) => `'${importPath}/${file}${extension}'`;
  const storeSetup = {
    memory: [`import { createMemoryStore } from ${from('store-memory')};`, '', 'const store = createMemoryStore(); // one process only: use redis or postgres behind several instances'],
    redis: [
      `import { createClient } from 'redis';`,
      `import { createRedisStore } from ${from('store-redis')};`,
      '',
      'const redis = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });',
      "redis.on('error', (error) => console.error('ai-guard: redis', error.message)); // unheard, an outage crashes the app",
      'redis.connect().catch(() => undefined); // no top-level await: builds and starts without Redis; the guard answers 503 until it is up',
      'const store = createRedisStore(redis);',
    ],
    postgres: [
      `import pg from 'pg';`,
      `import { createPostgresStore } from ${from('store-postgres')};`,
      '',
      'const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 2000 });',
      "pool.on('error', (error) => console.error('ai-guard: postgres', error.message)); // unheard, an outage crashes the app",
      'const store = createPostgresStore(pool); // creates its table on first use; the guard answers 503 while the database is down',
    ],
  }[store];
  const factory = framework === 'express' ? 'createExpressGuard' : 'createNextGuard';
  const setup = [
    `import { ${factory} } from ${from(adapter)};`,
    ...storeSetup,
    '',
    `export const aiGuard = ${factory}({`,
    `  model: { id: 'gpt-4o-mini', maxOutputTokens: 600, inputUsdPerMillionTokens: 0.15, outputUsdPerMillionTokens: 0.6 },`,
    '  store,',
    '  authenticate: async (request) => /* your session check: the verified user { id } or null */ null,',
    ...(framework === 'express'
      ? ["  proxy: 'none', // the socket address; { forwardedForHops: 1 } only behind one proxy you run that appends X-Forwarded-For"]
      : [
          '  // Next.js sees no socket: name the platform that sets the client address, or every client shares one',
          "  // per-IP bucket. 'vercel' reads x-real-ip and 'cloudflare' cf-connecting-ip, which only those platforms",
          '  // overwrite: self-hosted, a client sends any value it likes and gets a fresh limit with each one.',
          "  proxy: 'none',",
        ]),
    '  spend: { dailyCapUsd: 5, perUserDailyCapUsd: 0.5 },',
    '  alerts: { webhookUrl: process.env.AI_SPEND_WEBHOOK_URL },',
    '});',
  ];
  const route =
    framework === 'express'
      ? [
          `import { paidCall } from ${from('express')};`,
          '',
          "app.use(express.json({ limit: '1mb' }));",
          "app.post('/api/chat', aiGuard.protect({ route: 'chat' }), async (req, res) => {",
          '  const call = paidCall(res);',
          '  try {',
          '    const completion = await openai.chat.completions.create({',
          '      model: aiGuard.model.id,',
          '      max_tokens: aiGuard.model.maxOutputTokens,',
          "      messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...req.body.messages],",
          '    });',
          '    await call.settle(completion.usage);',
          '    res.json({ reply: completion.choices[0].message.content });',
          '  } catch (error) {',
          '    await call.release(); // a failed call costs nothing: give its reservation back',
          "    console.error('chat: model call failed', error);",
          "    res.status(502).json({ error: 'The model could not answer; try again.' }); // never rethrow from an async Express 4 handler",
          '  }',
          '});',
        ]
      : [
          'export async function POST(request: Request) {',
          "  const gate = await aiGuard.check(request, { route: 'chat' });",
          '  if (!gate.ok) return gate.response;',
          '  try {',
          '    const completion = await openai.chat.completions.create({',
          '      model: aiGuard.model.id,',
          '      max_tokens: aiGuard.model.maxOutputTokens,',
          "      messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...gate.input.messages],",
          '    });',
          '    await gate.settle(completion.usage);',
          '    return Response.json({ reply: completion.choices[0].message.content });',
          '  } catch (error) {',
          '    await gate.release(); // a failed call costs nothing: give its reservation back',
          "    console.error('chat: model call failed', error);",
          "    return Response.json({ error: 'The model could not answer; try again.' }, { status: 502 });",
          '  }',
          '}',
        ];
  const indent = (lines: string[]) => lines.map((line) => (line ? `    ${line}` : '')).join('\n');
  return [
    `Install what the guard imports:  npm install ${STORE_PACKAGES[store].join(' ')}`,
    '',
    '1. Configure one guard for the app (e.g. in a module of its own):',
    '',
    indent(setup),
    '',
    `2. Put it in front of each paid route${framework === 'express' ? ', after a JSON body parser' : ' (app/api/.../route.ts)'}:`,
    '',
    indent(route),
    '',
    'Then scan again: the route should no longer report no-auth, no-rate-limit, no-spend-cap or unbounded-input.',
  ].join('\n');
}

/** The folder holding the guard's sources, in a checkout and in the installed package alike. */
function templatesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'src', 'guard', 'templates');
    if (existsSync(path.join(candidate, 'core.ts'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('the guard templates are missing from this installation');
}

function isPresent(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
