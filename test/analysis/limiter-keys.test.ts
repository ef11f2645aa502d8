/**
 * A limiter's key is traced to what it is made of. A part the client chooses makes the whole key
 * client-controlled, except as a fallback behind the platform's client address.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

function route(keyExpression: string): string {
  return `import { openai } from '@ai-sdk/openai';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { ipAddress } from '@vercel/functions';
import { streamText } from 'ai';
import type { NextRequest } from 'next/server';

const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(10, '1 m') });

export async function POST(req: NextRequest) {
  const { prompt, sessionId } = await req.json();
  const ip = ipAddress(req);
  const { success } = await ratelimit.limit(${keyExpression});
  if (!success) return new Response('Too many requests', { status: 429 });
  const result = streamText({ model: openai('gpt-4o-mini'), prompt: String(prompt).slice(0, 2000), maxOutputTokens: 300 });
  return result.toTextStreamResponse();
}
`;
}

async function limiterKeys(keyExpression: string): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aea-keys-'));
  mkdirSync(path.join(dir, 'app/api/chat'), { recursive: true });
  writeFileSync(path.join(dir, 'app/api/chat/route.ts'), route(keyExpression));
  const result = await scan({ paths: [dir] });
  return result.endpoints[0].facts.rateLimits.map((l) => l.key);
}

describe('limiter keys', () => {
  it.each([
    ['sessionId', 'client'],
    ['`chat:${sessionId}`', 'client'],
    ['`${ip}:${sessionId}`', 'client'],
    ["req.cookies.get('sid')?.value ?? 'anon'", 'client'],
    ["req.headers.get('x-session-id')!", 'client'],
    ['ip ?? sessionId', 'ip'],
    ["req.headers.get('x-forwarded-for') ?? 'unknown'", 'ip'],
    ['`chat:${ip}`', 'ip'],
    ["'global'", 'global'],
  ])('ratelimit.limit(%s) is keyed on %s', async (key, kind) => {
    expect(await limiterKeys(key)).toEqual([kind]);
  });
});

/** A self-hosted Next.js route (no platform helper imported) and the project files beside it. */
async function selfHostedKeys(keyExpression: string, files: Record<string, string> = {}): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aea-keys-'));
  mkdirSync(path.join(dir, 'app/api/chat'), { recursive: true });
  writeFileSync(path.join(dir, 'app/api/chat/route.ts'), route(keyExpression).replace("import { ipAddress } from '@vercel/functions';\n", '').replace('  const ip = ipAddress(req);\n', ''));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const result = await scan({ paths: [dir] });
  return result.endpoints[0].facts.rateLimits.map((l) => l.key);
}

describe('client-address headers are the client address only behind a platform that overwrites them', () => {
  const xff = "req.headers.get('x-forwarded-for') ?? 'anon'";
  const cf = "req.headers.get('cf-connecting-ip') ?? 'anon'";
  const realIp = "req.headers.get('x-real-ip') ?? 'anon'";
  it.each([
    ['x-forwarded-for, self-hosted', xff, {}, 'client'],
    ['x-forwarded-for, vercel.json', xff, { 'vercel.json': '{}' }, 'ip'],
    ['x-real-ip, a Vercel package in package.json', realIp, { 'package.json': '{"dependencies":{"@vercel/analytics":"1.0.0"}}' }, 'ip'],
    ['x-forwarded-for, netlify.toml', xff, { 'netlify.toml': '[build]\n' }, 'ip'],
    ['cf-connecting-ip, wrangler.toml', cf, { 'wrangler.toml': 'name = "chat"\n' }, 'ip'],
    ['cf-connecting-ip, vercel.json (Vercel does not set it)', cf, { 'vercel.json': '{}' }, 'client'],
    ['x-forwarded-for, wrangler.toml (Cloudflare appends to it)', xff, { 'wrangler.toml': 'name = "chat"\n' }, 'client'],
  ])('%s', async (_name, key, files, kind) => {
    expect(await selfHostedKeys(key, files)).toEqual([kind]);
  });
});

function expressServer(trustProxy: string, limiter: string): string {
  return `import express from 'express';
import session from 'express-session';
import rateLimit from 'express-rate-limit';
import OpenAI from 'openai';

const app = express();
${trustProxy}
app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: true }));
const openai = new OpenAI();
const limiter = rateLimit({ windowMs: 60_000, limit: 10${limiter} });

app.post('/api/chat', limiter, async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: String(req.body.prompt).slice(0, 2000) }], max_tokens: 300 });
  res.json(completion.choices[0].message);
});

app.listen(3000);
`;
}

async function expressKeys(trustProxy: string, limiter = ''): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aea-keys-'));
  writeFileSync(path.join(dir, 'server.ts'), expressServer(trustProxy, limiter));
  const result = await scan({ paths: [dir] });
  return result.endpoints[0].facts.rateLimits.map((l) => l.key);
}

describe('Express req.ip and session ids', () => {
  it.each([
    ['the default key without trust proxy', '', '', 'ip'],
    ["the default key under trust proxy: 1 (one known hop)", "app.set('trust proxy', 1);", '', 'ip'],
    ["the default key under trust proxy: true (the client's x-forwarded-for)", "app.set('trust proxy', true);", '', 'client'],
    ["req.ip under app.enable('trust proxy')", "app.enable('trust proxy');", ', keyGenerator: (req) => req.ip!', 'client'],
    ['req.sessionID (a dropped cookie gets a new one)', '', ', keyGenerator: (req) => req.sessionID', 'client'],
    ['req.session.id', '', ', keyGenerator: (req) => req.session.id', 'client'],
    ["x-real-ip set by the app's own proxy (trust proxy: 'loopback')", "app.set('trust proxy', 'loopback');", ", keyGenerator: (req) => String(req.headers['x-real-ip'])", 'ip'],
    ["x-forwarded-for behind the app's own proxy (which appends to it)", "app.set('trust proxy', 'loopback');", ", keyGenerator: (req) => String(req.headers['x-forwarded-for'])", 'client'],
    ['x-real-ip on a server that declares no proxy', '', ", keyGenerator: (req) => String(req.headers['x-real-ip'])", 'client'],
  ])('%s', async (_name, trustProxy, limiter, kind) => {
    expect(await expressKeys(trustProxy, limiter)).toEqual([kind]);
  });
});
