/**
 * The guard generator: copies the reference guard's TypeScript sources (kept in `templates/`, compiled and
 * tested as part of this package) into a project, for one framework and one counter store.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertNoLinkedFolders, OutputFileError, writeFileNoFollow } from '../output/output.js';
import { TOOL } from '../version.js';

export const GUARD_FRAMEWORKS = ['express', 'next', 'hono', 'fastify', 'sveltekit', 'remix', 'astro', 'nuxt', 'workers'] as const;
export const GUARD_STORES = ['memory', 'redis', 'postgres'] as const;
export type GuardFramework = (typeof GUARD_FRAMEWORKS)[number];
export type GuardStoreKind = (typeof GUARD_STORES)[number];

/** Adapters for Node's request objects; every other one runs on the web Request through fetch.ts. */
const NODE_ADAPTERS: readonly GuardFramework[] = ['express', 'fastify'];
/** Projects that import TypeScript the Node way (`./core.js`); the others go through a bundler (`./core`). */
const NODE_RESOLUTION: readonly GuardFramework[] = ['express', 'fastify', 'hono'];

export interface GenerateOptions {
  framework: GuardFramework;
  store: GuardStoreKind;
  /** Folder the files go to; created when missing. */
  outDir: string;
  /** Replace files the generator wrote and nobody changed since (their checksum line still matches). */
  force?: boolean;
  /** Write `<file>.new` beside an existing file that is not replaced, instead of refusing. */
  writeNew?: boolean;
  /** The project folder: no folder between it and `outDir` may be a symbolic link. Default: outDir's parent. */
  projectDir?: string;
}

export interface WrittenFile {
  path: string;
  replaced: boolean;
}

/** Some target files exist and may not be replaced: nothing was written. */
export class GuardFilesExistError extends Error {
  constructor(readonly existing: string[], force = false) {
    const why = force ? 'changed since the generator wrote them, or not written by it' : 'already there';
    super(`${existing.length === 1 ? 'a file is' : 'files are'} ${why}: ${existing.join(', ')} (use ${force ? '' : '--force to replace unchanged generated files, or '}--new to write <file>.new beside them)`);
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
  const shared = ['types.ts', 'messages.ts', 'core.ts', 'notify.ts', `store-${store}.ts`];
  return NODE_ADAPTERS.includes(framework) ? [...shared, `${framework}.ts`] : [...shared, 'fetch.ts', `${framework}.ts`];
}

const HEADER = /^\/\/ ai-endpoint-audit guard [^\n]*sha256:([0-9a-f]{64})\n/;

/** A template's text as it lands in the project, under a first line that carries the checksum of the rest. */
export function renderGuardFile(name: string, framework: GuardFramework): string {
  let text = readFileSync(path.join(templatesDir(), name), 'utf8');
  // Bundled projects resolve modules the bundler way, where relative imports carry no extension.
  if (!NODE_RESOLUTION.includes(framework)) text = text.replace(/(from\s+'\.\/[\w-]+)\.js'/g, "$1'");
  return `// ai-endpoint-audit guard ${TOOL.version}: the reference guard for paid AI routes. This copy is yours to edit. sha256:${sha256(text)}\n${text}`;
}

/** True when `file` is a regular file the generator wrote and nobody changed since. */
export function isUnchangedGuardFile(file: string): boolean {
  if (!lstatOrUndefined(file)?.isFile()) return false;
  const text = readFileSync(file, 'utf8');
  const header = HEADER.exec(text);
  return header !== null && header[1] === sha256(text.slice(header[0].length));
}

export function generateGuard(options: GenerateOptions): WrittenFile[] {
  const names = guardFileNames(options.framework, options.store);
  const plan = names.map((name) => placeFile(path.join(options.outDir, name), options));
  const refused = plan.filter((step) => step.target === undefined).map((step) => step.wanted);
  if (refused.length > 0) throw new GuardFilesExistError(refused, options.force);
  const rendered = names.map((name) => renderGuardFile(name, options.framework));
  assertNoLinkedFolders(options.projectDir ?? path.dirname(options.outDir), options.outDir);
  mkdirSync(options.outDir, { recursive: true });
  return plan.map((step, i) => {
    writeFileNoFollow(step.target!, rendered[i]!);
    return { path: step.target!, replaced: step.replaced };
  });
}

/** Where one file goes: its own place, replaced only when forced and unchanged, or beside it as `.new`. */
function placeFile(wanted: string, options: GenerateOptions): { wanted: string; target?: string; replaced: boolean } {
  // lstat, not exists: a dangling link is an existing file too, and a link is never replaced.
  const existing = lstatOrUndefined(wanted);
  if (!existing) return { wanted, target: wanted, replaced: false };
  if (existing.isSymbolicLink() && !options.writeNew) {
    throw new OutputFileError(`refusing to write ${wanted}: it is a symbolic link, which could point anywhere; remove it, choose another folder, or use --new`);
  }
  if (options.force && isUnchangedGuardFile(wanted)) return { wanted, target: wanted, replaced: true };
  if (!options.writeNew) return { wanted, replaced: false };
  const beside = `${wanted}.new`;
  const present = lstatOrUndefined(beside) !== undefined;
  if (present && !isUnchangedGuardFile(beside)) return { wanted: beside, replaced: false };
  return { wanted, target: beside, replaced: present };
}

/** Where the guard goes when no --out is given: beside the project's other server code. */
export function defaultOutDir(framework: GuardFramework, projectDir: string): string {
  const has = (folder: string) => existsSync(path.join(projectDir, folder));
  switch (framework) {
    case 'next':
      return path.join(projectDir, has('src/app') ? 'src/lib/ai-guard' : 'lib/ai-guard');
    case 'sveltekit':
      return path.join(projectDir, 'src/lib/server/ai-guard');
    case 'remix':
      return path.join(projectDir, 'app/.server/ai-guard');
    case 'astro':
      return path.join(projectDir, 'src/lib/ai-guard');
    case 'nuxt':
      return path.join(projectDir, 'server/ai-guard');
    default:
      return path.join(projectDir, has('src') ? 'src/ai-guard' : 'ai-guard');
  }
}

/** What differs between frameworks in the printed wiring. */
interface Wiring {
  factory: string;
  /** The options lines that say where the client address comes from. */
  proxy: string[];
  /** Where to put the route code, after "Put it in front of each paid route". */
  where: string;
  route: string[];
  /** Further snippets, each with its heading. */
  more?: { heading: string; lines: string[] }[];
}

const MODEL_FAILED = "{ error: 'The model could not answer; try again.' }";

/** The paid call inside a guarded route: settle from the usage, or release and answer 502 when the model fails. */
function guardedCall(handle: string, messages: string, reply: (text: string) => string, failure: string): string[] {
  return [
    'try {',
    '  const completion = await openai.chat.completions.create({',
    '    model: aiGuard.model.id,',
    '    max_tokens: aiGuard.model.maxOutputTokens,',
    `    messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...${messages}],`,
    '  });',
    `  await ${handle}.settle(completion.usage);`,
    `  ${reply('completion.choices[0].message.content')}`,
    '} catch (error) {',
    `  await ${handle}.release(); // a failed call costs nothing: give its reservation back`,
    "  console.error('chat: model call failed', error);",
    `  ${failure}`,
    '}',
  ].map((line) => `  ${line}`);
}

/** A fetch-style handler body: refusal as the guard's Response, else the call. */
function fetchRoute(open: string, check: string, close = '}'): string[] {
  return [
    open,
    `  const gate = await aiGuard.check(${check}, { route: 'chat' });`,
    '  if (!gate.ok) return gate.response;',
    ...guardedCall('gate', 'chatMessages(gate.input)', (text) => `return Response.json({ reply: ${text} });`, `return Response.json(${MODEL_FAILED}, { status: 502 });`),
    close,
  ];
}

const NO_ADDRESS_PROXY = [
  '  // This framework gives no client address: name the platform that sets it, or every client shares one',
  "  // per-IP bucket. 'vercel' reads x-real-ip, 'netlify' x-nf-client-connection-ip, 'cloudflare' cf-connecting-ip:",
  '  // each is safe only behind that platform, which overwrites it. Anywhere else a client sends any value it',
  '  // likes and gets a fresh limit with each one.',
  "  proxy: 'none',",
];

const PEER_PROXY = (peer: string) => [
  `  // 'none': the client address is ${peer}. Behind a proxy, name it instead: { forwardedForHops: 1 } for one`,
  '  // proxy you run that appends X-Forwarded-For; a platform name only behind that platform, which overwrites',
  '  // its header. Any forwarding header trusted without the proxy in front is a value the client chooses.',
  "  proxy: 'none',",
];

const WIRING: Record<GuardFramework, Wiring> = {
  express: {
    factory: 'createExpressGuard',
    proxy: PEER_PROXY("the socket's peer"),
    where: ', after a JSON body parser',
    route: [
      "app.use(express.json({ limit: '1mb' }));",
      "app.post('/api/chat', aiGuard.protect({ route: 'chat' }), async (req, res) => {",
      '  const call = paidCall(res);',
      ...guardedCall('call', 'req.body.messages', (text) => `res.json({ reply: ${text} });`, `res.status(502).json(${MODEL_FAILED}); // never rethrow from an async Express 4 handler`),
      '});',
    ],
  },
  fastify: {
    factory: 'createFastifyGuard',
    proxy: PEER_PROXY("the socket's peer (Fastify's trustProxy does not change it)"),
    where: ' as its preHandler',
    route: [
      "app.post('/api/chat', { preHandler: aiGuard.protect({ route: 'chat' }) }, async (request, reply) => {",
      '  const call = paidCall(request);',
      ...guardedCall('call', 'chatMessages(call.input)', (text) => `return { reply: ${text} };`, `return reply.code(502).send(${MODEL_FAILED});`),
      '});',
    ],
  },
  hono: {
    factory: 'createHonoGuard',
    proxy: [
      "  // 'none': the socket's peer on @hono/node-server (pass peerAddress for Bun or Deno); no address elsewhere,",
      "  // where every client shares one per-IP bucket. On Cloudflare Workers use 'cloudflare' (cf-connecting-ip,",
      "  // which Cloudflare sets); 'vercel' (x-real-ip) or 'netlify' (x-nf-client-connection-ip):",
      '  // each is safe only behind that platform. Anywhere else a client sends any value it likes and gets a fresh',
      '  // limit with each one.',
      "  proxy: 'none',",
    ],
    where: ' as its middleware',
    route: [
      "app.post('/api/chat', aiGuard.protect({ route: 'chat' }), async (c) => {",
      '  const call = paidCall(c); // the guard read the body: use call.input, not c.req.json()',
      ...guardedCall('call', 'chatMessages(call.input)', (text) => `return c.json({ reply: ${text} });`, `return c.json(${MODEL_FAILED}, 502);`),
      '});',
    ],
  },
  next: {
    factory: 'createNextGuard',
    proxy: NO_ADDRESS_PROXY,
    where: ' (app/api/.../route.ts)',
    route: fetchRoute('export async function POST(request: Request) {', 'request'),
    more: [
      {
        heading: 'In a server action, pass what it received and the request headers; a refusal comes back as data:',
        lines: [
          "import { headers } from 'next/headers';",
          '',
          'export async function ask(input: { prompt: string }) {',
          "  const gate = await aiGuard.action(input, { route: 'ask' }, await headers());",
          '  if (!gate.ok) return { error: gate.body };',
          ...guardedCall('gate', 'chatMessages(gate.input)', (text) => `return { reply: ${text} };`, `return ${MODEL_FAILED};`),
          '}',
        ],
      },
    ],
  },
  sveltekit: {
    factory: 'createSvelteKitGuard',
    proxy: [
      "  // 'none': event.getClientAddress(). On adapter-node that reads the ADDRESS_HEADER variable when it is set:",
      '  // set it only behind a proxy that overwrites that header. A platform name here trusts its header instead,',
      '  // which is safe only behind that platform.',
      "  proxy: 'none',",
    ],
    where: ' (src/routes/api/.../+server.ts)',
    route: fetchRoute('export const POST: RequestHandler = async (event) => {', 'event', '};'),
  },
  remix: {
    factory: 'createRemixGuard',
    proxy: NO_ADDRESS_PROXY,
    where: ' (the action of a resource route)',
    route: fetchRoute('export async function action(args: ActionFunctionArgs) {', 'args'),
  },
  astro: {
    factory: 'createAstroGuard',
    proxy: [
      "  // 'none': context.clientAddress, which the adapter fills from its platform. A platform name here trusts",
      '  // its header instead, which is safe only behind that platform.',
      "  proxy: 'none',",
    ],
    where: ' (src/pages/api/....ts, rendered on demand)',
    route: fetchRoute('export const POST: APIRoute = async (context) => {', 'context', '};'),
  },
  nuxt: {
    factory: 'createNuxtGuard',
    proxy: PEER_PROXY("the socket's peer (h3's getRequestIP without forwarding headers)"),
    where: ' (server/api/....post.ts)',
    route: fetchRoute('export default defineEventHandler(async (event) => {', 'event', '});'),
  },
  workers: {
    factory: 'createWorkersGuard',
    proxy: ["  proxy: 'cloudflare', // cf-connecting-ip: Cloudflare sets it on every request to a Worker, a client cannot"],
    where: " (the Worker's fetch handler)",
    route: ['export default {', ...fetchRoute('async fetch(request: Request) {', 'request', '},').map((line) => `  ${line}`), '};'],
  },
};

/** How to wire the generated files in, as printed after writing them. */
export function wiringInstructions(framework: GuardFramework, store: GuardStoreKind, importPath: string): string {
  const wiring = WIRING[framework];
  const extension = NODE_RESOLUTION.includes(framework) ? '.js' : '';
  const from = (file: string) => `'${importPath}/${file}${extension}'`;
  const env = (name: string) => (framework === 'workers' ? `env.${name}` : `process.env.${name}`);
  const storeSetup = {
    memory: [
      `import { createMemoryStore } from ${from('store-memory')};`,
      '',
      `const store = createMemoryStore(); // one ${framework === 'workers' ? 'isolate' : 'process'} only: use redis or postgres behind several instances`,
    ],
    redis: [
      `import { createClient } from 'redis';`,
      `import { createRedisStore } from ${from('store-redis')};`,
      '',
      `const redis = createClient({ url: ${env('REDIS_URL')}, disableOfflineQueue: true });`,
      "redis.on('error', (error) => console.error('ai-guard: redis', error.message)); // unheard, an outage crashes the app",
      'redis.connect().catch(() => undefined); // no top-level await: builds and starts without Redis; the guard answers 503 until it is up',
      'const store = createRedisStore(redis);',
    ],
    postgres: [
      `import pg from 'pg';`,
      `import { createPostgresStore } from ${from('store-postgres')};`,
      '',
      `const pool = new pg.Pool({ connectionString: ${env('DATABASE_URL')}, connectionTimeoutMillis: 2000 });`,
      "pool.on('error', (error) => console.error('ai-guard: postgres', error.message)); // unheard, an outage crashes the app",
      'const store = createPostgresStore(pool); // creates its table on first use; the guard answers 503 while the database is down',
    ],
  }[store];
  const setup = [
    `import { ${wiring.factory} } from ${from(framework)};`,
    ...storeSetup,
    '',
    `export const aiGuard = ${wiring.factory}({`,
    `  model: { id: 'gpt-4o-mini', maxOutputTokens: 600, inputUsdPerMillionTokens: 0.15, outputUsdPerMillionTokens: 0.6 },`,
    '  store,',
    '  authenticate: async (request) => /* your session check: the verified user { id } or null */ null,',
    ...wiring.proxy,
    '  spend: { dailyCapUsd: 5, perUserDailyCapUsd: 0.5 },',
    `  alerts: { webhookUrl: ${env('AI_SPEND_WEBHOOK_URL')} },`,
    '});',
  ];
  const imports = [
    ...(framework === 'express' ? [] : [`import { chatMessages } from ${from('core')};`]),
    ...(NODE_ADAPTERS.includes(framework) || framework === 'hono' ? [`import { paidCall } from ${from(framework)};`] : []),
  ];
  const paidCallImport = imports.length > 0 ? [...imports, ''] : [];
  const indent = (lines: string[]) => lines.map((line) => (line ? `    ${line}` : '')).join('\n');
  const more = (wiring.more ?? []).flatMap((snippet, i) => [`${3 + i}. ${snippet.heading}`, '', indent([...paidCallImport, ...snippet.lines]), '']);
  return [
    `Install what the guard imports:  npm install ${STORE_PACKAGES[store].join(' ')}`,
    '',
    '1. Configure one guard for the app (e.g. in a module of its own):',
    '',
    indent(setup),
    '',
    `2. Put it in front of each paid route${wiring.where}:`,
    '',
    indent([...paidCallImport, ...wiring.route]),
    '',
    ...more,
    'chatMessages() gives the text of each message as { role, content }. The messages themselves arrive as the client',
    'sent them (OpenAI, Anthropic or AI SDK UI shape, with images, files and tool parts; a { prompt } body is one user',
    'message): for those, pass the input messages to your SDK (AI SDK UI messages through convertToModelMessages()).',
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

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
