/**
 * A limiter that never runs in production, or is switched off by its options, is no limiter; one that runs only
 * when an environment variable is set counts, and says so.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

function server(limiterOptions: string, registration: string): string {
  return `import express from 'express';
import rateLimit from 'express-rate-limit';
import OpenAI from 'openai';

const app = express();
const openai = new OpenAI();
const limiter = rateLimit({ windowMs: 60_000, ${limiterOptions} });
${registration}

app.post('/api/chat', async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: String(req.body.prompt).slice(0, 2000) }], max_tokens: 300 });
  res.json(completion.choices[0].message);
});

app.listen(3000);
`;
}

async function limiters(limiterOptions: string, registration = 'app.use(limiter);', expressRateLimit = '^7.5.0') {
  const dir = mkdtempSync(path.join(tmpdir(), 'aea-gates-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ dependencies: { express: '^4.21.0', 'express-rate-limit': expressRateLimit, openai: '^4.80.0' } }));
  writeFileSync(path.join(dir, 'server.ts'), server(limiterOptions, registration));
  const result = await scan({ paths: [dir] });
  return result.endpoints[0].facts.rateLimits.map((l) => ({ key: l.key, conditional: l.conditional }));
}

describe('limiters that never limit', () => {
  it.each([
    ['skip: () => true', 'limit: 10, skip: () => true'],
    ['skip that is true in production', "limit: 10, skip: () => process.env.NODE_ENV === 'production'"],
    ['a limit of Infinity', 'limit: Infinity'],
    ['max: 0 before express-rate-limit v7', 'max: 0'],
  ])('%s', async (_name, options) => {
    expect(await limiters(options, 'app.use(limiter);', '^6.11.2')).toEqual([]);
  });

  it.each([
    ["registered only when NODE_ENV === 'test'", "if (process.env.NODE_ENV === 'test') app.use(limiter);"],
    ["registered only outside production", "if (process.env.NODE_ENV !== 'production') {\n  app.use(limiter);\n}"],
    ['chosen only outside production', "app.use(process.env.NODE_ENV === 'production' ? express.json() : limiter);"],
  ])('%s', async (_name, registration) => {
    expect(await limiters('limit: 10', registration)).toEqual([]);
  });
});

describe('limiters that do limit', () => {
  it('max: 0 from express-rate-limit v7 refuses every request: still a limiter', async () => {
    expect(await limiters('max: 0')).toEqual([{ key: 'ip', conditional: undefined }]);
  });

  it("skip outside production leaves the production limiter", async () => {
    expect(await limiters("limit: 10, skip: () => process.env.NODE_ENV !== 'production'")).toEqual([{ key: 'ip', conditional: undefined }]);
  });

  it('registered only in production', async () => {
    expect(await limiters('limit: 10', "if (process.env.NODE_ENV === 'production') app.use(limiter);")).toEqual([{ key: 'ip', conditional: undefined }]);
  });

  it('registered only when an env var is set: conditional', async () => {
    expect(await limiters('limit: 10', 'if (process.env.REDIS_URL) app.use(limiter);')).toEqual([{ key: 'ip', conditional: 'process.env.REDIS_URL' }]);
  });
});

describe('limiter calls under an env condition', () => {
  const route = (body: string) => `import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { ipAddress } from '@vercel/functions';
import OpenAI from 'openai';

const openai = new OpenAI();
const redis = process.env.UPSTASH_REDIS_REST_URL ? Redis.fromEnv() : undefined;
const ratelimit = redis ? new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(10, '1 m') }) : undefined;

export async function POST(req: Request) {
${body}
  const { prompt } = await req.json();
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: String(prompt).slice(0, 2000) }], max_tokens: 300 });
  return Response.json(completion.choices[0].message);
}
`;
  async function routeLimiters(body: string) {
    const dir = mkdtempSync(path.join(tmpdir(), 'aea-gates-'));
    writeFileSync(path.join(dir, 'route.ts'), route(body));
    writeFileSync(path.join(dir, 'vercel.json'), '{}');
    const { mkdirSync, renameSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'app/api/chat'), { recursive: true });
    renameSync(path.join(dir, 'route.ts'), path.join(dir, 'app/api/chat/route.ts'));
    const result = await scan({ paths: [dir] });
    return result.endpoints[0].facts.rateLimits.map((l) => ({ key: l.key, conditional: l.conditional }));
  }

  it('a limiter that exists only when the store is configured', async () => {
    const body = `  if (ratelimit) {
    const { success } = await ratelimit.limit(ipAddress(req) ?? 'anonymous');
    if (!success) return new Response('Too many requests', { status: 429 });
  }`;
    expect(await routeLimiters(body)).toEqual([{ key: 'ip', conditional: 'ratelimit' }]);
  });

});

describe('a limiter middleware that passes the request on when its store is not configured', () => {
  it('is conditional on the store', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aea-gates-'));
    writeFileSync(
      path.join(dir, 'server.ts'),
      `import express from 'express';
import OpenAI from 'openai';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { redis } from './redis';

const app = express();
const openai = new OpenAI();
const limiter = new RateLimiterRedis({ storeClient: redis, points: 10, duration: 60 });

async function limitChat(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (!process.env.REDIS_URL) return next();
  try {
    await limiter.consume(req.ip!);
    next();
  } catch {
    res.status(429).json({ error: 'Too many requests' });
  }
}

app.post('/api/chat', limitChat, async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: String(req.body.prompt).slice(0, 2000) }], max_tokens: 300 });
  res.json(completion.choices[0].message);
});
`,
    );
    writeFileSync(path.join(dir, 'redis.ts'), "import Redis from 'ioredis';\nexport const redis = new Redis(process.env.REDIS_URL ?? '');\n");
    const result = await scan({ paths: [dir] });
    expect(result.endpoints[0].facts.rateLimits.map((l) => ({ key: l.key, conditional: l.conditional }))).toEqual([{ key: 'ip', conditional: 'process.env.REDIS_URL' }]);
  });
});

describe('the disabled-limiters fixture inventory', () => {
  it('marks the limiter that exists only with REDIS_URL as conditional, and only it', async () => {
    const result = await scan({ paths: [path.resolve(__dirname, '../../fixtures/disabled-limiters/fixed')] });
    const conditional = Object.fromEntries(result.endpoints.map((e) => [e.path, e.facts.rateLimits.map((l) => l.conditional ?? null)]));
    expect(conditional).toEqual({ '/api/lesson': [null], '/api/quiz': [null], '/api/explain': [null], '/api/correct': ['correctionLimiter'] });
  });
});

describe('limiter calls that cannot refuse', () => {
  const route = (setup: string, check: string) => `import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { ipAddress } from '@vercel/functions';
import OpenAI from 'openai';

const openai = new OpenAI();
${setup}

export async function POST(req: Request) {
${check}
  const { prompt } = await req.json();
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: String(prompt).slice(0, 2000) }], max_tokens: 300 });
  return Response.json(completion.choices[0].message);
}
`;
  async function keys(setup: string, check: string): Promise<string[]> {
    const dir = mkdtempSync(path.join(tmpdir(), 'aea-gates-'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'app/api/chat'), { recursive: true });
    writeFileSync(path.join(dir, 'app/api/chat/route.ts'), route(setup, check));
    const result = await scan({ paths: [dir] });
    return result.endpoints[0].facts.rateLimits.map((l) => l.key);
  }
  const limiter = (tokens: string) => `const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(${tokens}, '1 m') });`;
  const checked = "  const { success } = await ratelimit.limit(ipAddress(req) ?? 'anon');\n  if (!success) return new Response('Too many requests', { status: 429 });";

  it('a checked limit() is a limiter', async () => {
    expect(await keys(limiter('10'), checked)).toEqual(['ip']);
  });

  it('a limit() whose answer is thrown away is not', async () => {
    expect(await keys(limiter('10'), "  await ratelimit.limit(ipAddress(req) ?? 'anon');")).toEqual([]);
    expect(await keys(limiter('10'), "  const { success } = await ratelimit.limit(ipAddress(req) ?? 'anon');")).toEqual([]);
  });

  it('a limiter judged to limit nothing was seen: the no-rate-limit finding keeps high confidence', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aea-gates-'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'app/api/chat'), { recursive: true });
    writeFileSync(path.join(dir, 'app/api/chat/route.ts'), route(limiter('10'), "  await ratelimit.limit(ipAddress(req) ?? 'anon');"));
    const result = await scan({ paths: [dir] });
    expect(result.findings.filter((f) => f.ruleId === 'no-rate-limit').map((f) => f.confidence)).toEqual(['high']);
  });

  it('a window of Infinity tokens is not, nor is its 429 a hand-written counter', async () => {
    expect(await keys(limiter('Infinity'), checked)).toEqual([]);
  });
});
