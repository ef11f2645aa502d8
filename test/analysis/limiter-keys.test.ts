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
