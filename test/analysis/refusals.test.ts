/** Refusals the framework turns into a 4xx, and refusals from inside a verification callback, are checks. */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects } from '../rules/project.js';
import { at, chatCall, summaries } from '../frameworks/server-helpers.js';

afterAll(removeProjects);

const EXPRESS = `import express from 'express';\nimport jwt from 'jsonwebtoken';\nimport { openai } from '../lib/openai';\nconst app = express();\napp.use(express.json());\n`;
const route = `app.post('/api/chat', authenticate, async (req, res) => res.json(${chatCall("String(req.body.prompt).slice(0, 500)")}));\n`;

function verifyMiddleware(refusal: string): string {
  return `${EXPRESS}function authenticate(req, res, next) {
  const token = req.headers.authorization?.split(' ')[1];
  jwt.verify(token, process.env.JWT_SECRET, (err, user) => {
    if (err) ${refusal};
    req.user = user;
    next();
  });
}
${route}`;
}

describe('refusals inside a verification callback', () => {
  it.each([
    ['403', 'return res.sendStatus(403)'],
    ['400', "return res.status(400).json({ message: 'bad' })"],
    ['next(err)', 'return next(err)'],
  ])('jwt.verify callback refusing with %s is authentication', async (_, refusal) => {
    const found = await summaries({ 'src/server.ts': verifyMiddleware(refusal) });
    expect(at(found, 'POST /api/chat').auth).toBe(true);
  });

  it('a callback that goes on whatever the error is refuses nobody', async () => {
    const found = await summaries({ 'src/server.ts': verifyMiddleware('console.warn(err)') });
    expect(at(found, 'POST /api/chat').auth).toBe(false);
  });
});

describe('errors the framework turns into a 4xx', () => {
  const HONO = `import { Hono } from 'hono';\nimport { HTTPException } from 'hono/http-exception';\nimport { openai } from '../lib/openai';\nimport { findUserByKey } from './keys';\n`;
  it.each([
    ['Hono HTTPException', `throw new HTTPException(401, { message: 'no' })`],
    ['Hono HTTPException 403', `throw new HTTPException(403)`],
  ])('%s', async (_, refusal) => {
    const found = await summaries({
      'src/keys.ts': `export async function findUserByKey(key?: string) { return key === process.env.SERVICE_KEY ? { id: 'svc' } : null; }\n`,
      'src/index.ts': `${HONO}const app = new Hono();
app.post('/chat', async (c) => {
  const user = await findUserByKey(c.req.header('x-api-key'));
  if (!user) ${refusal};
  const body = await c.req.json();
  return c.json(${chatCall('String(body.prompt).slice(0, 500)')});
});
export default app;
`,
    });
    expect(at(found, 'POST /chat').auth).toBe(true);
  });

  it.each([
    ['h3 createError statusCode', 'throw createError({ statusCode: 401 })'],
    ['h3 createError status', "throw createError({ status: 403, statusMessage: 'Forbidden' })"],
  ])('%s', async (_, refusal) => {
    const found = await summaries({
      'server/utils/caller.ts': `export async function currentUser(event: any) { return event.context.caller ?? null; }\n`,
      'server/api/chat.post.ts': `import { openai } from '../../lib/openai';
export default defineEventHandler(async (event) => {
  const user = await currentUser(event);
  if (!user) ${refusal};
  const body = await readBody(event);
  return ${chatCall('String(body.prompt).slice(0, 500)')};
});
`,
    });
    expect(at(found, 'POST /api/chat').auth).toBe(true);
  });

  it.each([
    ['NestJS UnauthorizedException', 'throw new UnauthorizedException()'],
    ['NestJS ForbiddenException', 'throw new ForbiddenException()'],
    ['tRPC UNAUTHORIZED', "throw new TRPCError({ code: 'UNAUTHORIZED' })"],
    ['tRPC FORBIDDEN', "throw new TRPCError({ code: 'FORBIDDEN' })"],
    ['http-errors', 'throw createHttpError(401)'],
  ])('%s', async (_, refusal) => {
    const found = await summaries({
      'src/keys.ts': `export async function findUserByKey(key?: string) { return key === process.env.SERVICE_KEY ? { id: 'svc' } : null; }\n`,
      'src/server.ts': `${EXPRESS}import { findUserByKey } from './keys';
async function authenticate(req, res, next) {
  const user = await findUserByKey(req.get('x-api-key'));
  if (!user) ${refusal};
  next();
}
${route}`,
    });
    expect(at(found, 'POST /api/chat').auth).toBe(true);
  });
});

describe('assertions', () => {
  const ROUTE = `import { openai } from '../../lib/openai';\nimport { getSessionUserId } from '../session';\n`;
  const SESSION = `export async function getSessionUserId(request: Request) { const id = request.headers.get('cookie'); return id && id === process.env.SESSION ? 'u1' : null; }\n`;
  const action = (check: string, imports = '') => `${imports}${ROUTE}export async function action({ request }: { request: Request }) {
  const userId = await getSessionUserId(request);
  ${check};
  const { prompt } = await request.json();
  return Response.json(${chatCall('String(prompt).slice(0, 500)')});
}
`;

  it("a project assertion helper refuses on what the caller passes it: invariantResponse(userId, '...')", async () => {
    const found = await summaries({
      'app/session.ts': SESSION,
      'app/utils/invariant.ts': `export function invariantResponse(condition: unknown, message: string): asserts condition {\n  if (!condition) throw new Response(message, { status: 400 });\n}\n`,
      'app/routes/api.prompt.ts': action(`invariantResponse(userId, 'Must be logged in')`, `import { invariantResponse } from '../utils/invariant';\n`),
    });
    expect(at(found, 'POST /api/prompt').auth).toBe(true);
  });

  it('the same helper asserting the prompt is not authentication', async () => {
    const found = await summaries({
      'app/session.ts': SESSION,
      'app/utils/invariant.ts': `export function invariantResponse(condition: unknown, message: string): asserts condition {\n  if (!condition) throw new Response(message, { status: 400 });\n}\n`,
      'app/routes/api.prompt.ts': action(`invariantResponse(request.headers.get('content-type'), 'Send JSON')`, `import { invariantResponse } from '../utils/invariant';\n`),
    });
    expect(at(found, 'POST /api/prompt').auth).toBe(false);
  });

  it('tiny-invariant throws when the session is missing', async () => {
    const found = await summaries({
      'app/session.ts': SESSION,
      'app/routes/api.prompt.ts': action(`invariant(userId, 'sign in first')`, `import invariant from 'tiny-invariant';\n`),
    });
    expect(at(found, 'POST /api/prompt').auth).toBe(true);
  });

  it('a server error refused when the session is missing is authentication; one in a catch is not', async () => {
    const handler = (body: string) => `import type { NextApiRequest, NextApiResponse } from 'next';
import { openai } from '../../lib/openai';
import { getSession } from '../../lib/session';
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
${body}
  return res.json(${chatCall('String(req.body.prompt).slice(0, 500)')});
}
`;
    const session = `export async function getSession(req: any) { return req.cookies.sid === process.env.SID ? { user: { id: 1 } } : null; }\n`;
    const refused = await summaries({
      'lib/session.ts': session,
      'pages/api/generate.ts': handler(`  const session = await getSession(req);\n  if (!session || !session.user) return res.status(500).json('Login to upload.');`),
    });
    expect(at(refused, 'ALL /api/generate').auth).toBe(true);
    const caught = await summaries({
      'lib/session.ts': session,
      'pages/api/generate.ts': handler(`  try { await getSession(req); } catch { return res.status(500).json('session store down'); }`),
    });
    expect(at(caught, 'ALL /api/generate').auth).toBe(false);
  });
});
