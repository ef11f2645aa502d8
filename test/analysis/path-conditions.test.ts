/** A check in a middleware that runs only for some paths protects only those routes. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

const ROUTE = `import { openai } from '@ai-sdk/openai';
import { generateText } from 'ai';

export async function POST(req: Request) {
  const { text } = await req.json();
  const { text: summary } = await generateText({ model: openai('gpt-4o-mini'), prompt: String(text).slice(0, 4000), maxOutputTokens: 300 });
  return Response.json({ summary });
}
`;

/** The imports of the middlewares below and the session check they share: a verified token, not a presence test. */
const MIDDLEWARE_HEAD = `import { jwtVerify } from 'jose';
import { NextResponse, type NextRequest } from 'next/server';

const secret = new TextEncoder().encode(process.env.SESSION_SECRET);

/** The session's claims when its signature verifies. */
async function verifySession(token: string | undefined) {
  if (!token) return null;
  try {
    return (await jwtVerify(token, secret)).payload;
  } catch {
    return null;
  }
}
`;

async function unauthenticated(middleware: string): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aea-paths-'));
  for (const route of ['app/api/chat/route.ts', 'app/api/private/summarize/route.ts']) {
    mkdirSync(path.join(dir, path.dirname(route)), { recursive: true });
    writeFileSync(path.join(dir, route), ROUTE);
  }
  writeFileSync(path.join(dir, 'middleware.ts'), middleware);
  const result = await scan({ paths: [dir] });
  return result.findings.filter((f) => f.ruleId === 'no-auth').map((f) => f.location.file);
}

describe('path conditions in middleware', () => {
  it('a check under if (pathname.startsWith(...)) protects only those paths', async () => {
    const middleware = `${MIDDLEWARE_HEAD}
export async function middleware(req: NextRequest) {
  const { pathname } = req.nextUrl;
  if (pathname.startsWith('/api/private')) {
    if (!(await verifySession(req.cookies.get('session')?.value))) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
  }
  return NextResponse.next();
}
`;
    expect(await unauthenticated(middleware)).toEqual(['app/api/chat/route.ts']);
  });

  it('an early exit for other paths before the check', async () => {
    const middleware = `${MIDDLEWARE_HEAD}
export async function middleware(req: NextRequest) {
  if (!req.nextUrl.pathname.startsWith('/api/private')) return NextResponse.next();
  if (!(await verifySession(req.cookies.get('session')?.value))) return new NextResponse('Unauthorized', { status: 401 });
  return NextResponse.next();
}
`;
    expect(await unauthenticated(middleware)).toEqual(['app/api/chat/route.ts']);
  });

  it("Clerk's createRouteMatcher with auth.protect()", async () => {
    const middleware = `import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';

const isProtectedRoute = createRouteMatcher(['/api/private(.*)']);

export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect();
});
`;
    expect(await unauthenticated(middleware)).toEqual(['app/api/chat/route.ts']);
  });

  it('a check with no path condition protects every route', async () => {
    const middleware = `${MIDDLEWARE_HEAD}
export async function middleware(req: NextRequest) {
  if (!(await verifySession(req.cookies.get('session')?.value))) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
  return NextResponse.next();
}
`;
    expect(await unauthenticated(middleware)).toEqual([]);
  });
  it('a URL made from the request: new URL(req.url).pathname', async () => {
    const middleware = `${MIDDLEWARE_HEAD}
export async function middleware(req: NextRequest) {
  const url = new URL(req.url);
  if (url.pathname === '/api/chat') return NextResponse.next();
  if (!(await verifySession(req.cookies.get('session')?.value))) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
  return NextResponse.next();
}
`;
    expect(await unauthenticated(middleware)).toEqual(['app/api/chat/route.ts']);
  });

  it('a value merely named path is no condition on the request path', async () => {
    const middleware = `${MIDDLEWARE_HEAD}
const path = process.env.PUBLIC_PREFIX ?? '/api/chat';
export async function middleware(req: NextRequest) {
  if (path.startsWith('/api/chat')) {
    if (!(await verifySession(req.cookies.get('session')?.value))) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
  }
  return NextResponse.next();
}
`;
    expect(await unauthenticated(middleware)).toEqual([]);
  });
});
