/**
 * The deep stage on several threads: how route files are shared out, and that the report is the same
 * byte for byte whichever the number of threads.
 */
import { describe, expect, it } from 'vitest';
import { partition } from '../../src/pipeline/parallel.js';
import { indexedFile } from '../../src/pipeline/build-index.js';
import { FIXTURES, runCli } from './helpers.js';

const file = (relative: string, text: string) => indexedFile(`/p/${relative}`, relative, text);

describe('sharing route files between threads', () => {
  const express = file('server/app.ts', "import express from 'express';\nconst app = express();\n");
  const router = file('server/routes/chat.ts', "import { Router } from 'express';\nexport const chat = Router();\n");
  const middleware = file('middleware.ts', "import { NextResponse } from 'next/server';\nexport function middleware() { return NextResponse.next(); }\n");
  const routes = Array.from({ length: 200 }, (_, i) => file(`app/api/r${i}/route.ts`, 'export async function POST(req: Request) {}\n'));
  const honoOnVercel = file('api/index.ts', "import { Hono } from 'hono';\nconst app = new Hono();\nexport default app;\n");

  it('keeps apps and routers together on the main thread, gives every thread the middleware, and spreads file routes', () => {
    const parts = partition([express, router, middleware, honoOnVercel, ...routes], 2);
    expect(parts[0]).toEqual(expect.arrayContaining([express.path, router.path, honoOnVercel.path, middleware.path]));
    expect(parts[1]).toContain(middleware.path);
    expect(parts[1].filter((p) => p.includes('/app/api/')).length).toBeGreaterThan(0);
    expect([...parts[0], ...parts[1]].filter((p) => p.includes('/app/api/')).sort()).toEqual(routes.map((r) => r.path).sort());
  });

  it('puts everything on one thread when there is one', () => {
    expect(partition([express, middleware, ...routes], 1)).toEqual([[express.path, middleware.path, ...routes.map((r) => r.path)]]);
  });
});

describe('--concurrency', () => {
  it('gives byte-identical JSON on one thread and on three', async () => {
    const [one, three] = await Promise.all(
      ['off', '3'].map((threads) => runCli([FIXTURES, '--format', 'json', '--concurrency', threads, '--fail-on', 'none', '-q'])),
    );
    const report = (stdout: string) => JSON.parse(stdout, (key, value) => (key === 'durationMs' ? 0 : value));
    expect(one.status).toBe(0);
    expect(three.status).toBe(0);
    expect(report(three.stdout)).toEqual(report(one.stdout));
    expect(report(one.stdout).endpoints.length).toBeGreaterThan(100);
    expect(three.stdout.replace(/"durationMs": \d+/, '')).toBe(one.stdout.replace(/"durationMs": \d+/, ''));
  });

  it('refuses a number of threads that is not a whole number', async () => {
    const result = await runCli([FIXTURES, '--concurrency', 'many']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/whole number of threads/);
  });
});
