/**
 * Meta-frameworks, RPC layers, server actions and function platforms: route discovery (paths, methods, what is
 * not an endpoint) and the protections their idioms express, on small projects written to temporary folders.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { flatRoutePath } from '../../src/frameworks/remix.js';
import { bracketSegment } from '../../src/frameworks/module-exports.js';
import type { Endpoint } from '../../src/model.js';
import { removeProjects, scanProject } from '../rules/project.js';

afterAll(removeProjects);

const OPENAI = `import OpenAI from 'openai';\nexport const openai = new OpenAI();\n`;

async function endpoints(files: Record<string, string>): Promise<Endpoint[]> {
  return (await scanProject({ 'lib/openai.ts': OPENAI, ...files })).endpoints;
}

function routes(list: Endpoint[]): string[] {
  return list.map((e) => `${e.framework} ${e.method} ${e.path}`).sort();
}

const chatCall = (input: string) =>
  `await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages: [{ role: 'user', content: ${input} }] });`;

describe('file-system route names', () => {
  it('maps Remix flat-route module names to URL paths', () => {
    expect(flatRoutePath('api.chat')).toBe('/api/chat');
    expect(flatRoutePath('_index')).toBe('/');
    expect(flatRoutePath('_auth.login')).toBe('/login');
    expect(flatRoutePath('users.$userId.edit')).toBe('/users/:userId/edit');
    expect(flatRoutePath('($lang).docs')).toBe('/:lang?/docs');
    expect(flatRoutePath('files.$')).toBe('/files/:*');
    expect(flatRoutePath('sitemap[.]xml')).toBe('/sitemap.xml');
    expect(flatRoutePath('api.chat/route')).toBe('/api/chat');
    expect(flatRoutePath('projects_.new')).toBe('/projects/new');
  });

  it('maps bracket segments of SvelteKit, Astro, Nuxt and Cloudflare Pages', () => {
    expect(bracketSegment('[id]')).toBe(':id');
    expect(bracketSegment('[id=integer]')).toBe(':id');
    expect(bracketSegment('[...rest]')).toBe(':rest*');
    expect(bracketSegment('[[lang]]')).toBe(':lang?');
    expect(bracketSegment('[[path]]', 'catch-all')).toBe(':path*');
    expect(bracketSegment('chat')).toBe('chat');
  });
});

describe('route discovery', () => {
  it('follows a React Router routes.ts config instead of the file names', async () => {
    const found = await endpoints({
      'app/routes.ts': `import { type RouteConfig, index, prefix, route } from '@react-router/dev/routes';
export default [index('routes/home.tsx'), ...prefix('api', [route('assistant', 'routes/ask.ts')])] satisfies RouteConfig;`,
      'app/routes/ask.ts': `import { openai } from '../../lib/openai';
export async function action({ request }: { request: Request }) {
  const { question } = await request.json();
  ${chatCall('String(question).slice(0, 500)')}
  return null;
}`,
    });
    expect(routes(found)).toEqual(['remix POST /api/assistant']);
  });

  it('claims a server/api file only in a Nuxt or Nitro app, or when it exports an h3 event handler', async () => {
    const plain = await endpoints({
      'server/api/summary.ts': `import { openai } from '../../lib/openai';
export default async function summary(text: string) {
  ${chatCall('text')}
}`,
    });
    expect(routes(plain)).toEqual([]);
    const nitro = await endpoints({
      'server/api/summary.post.ts': `import { defineEventHandler, readBody } from 'h3';
import { openai } from '../../lib/openai';
export default defineEventHandler(async (event) => {
  const { text } = await readBody(event);
  ${chatCall('text')}
});`,
    });
    expect(routes(nitro)).toEqual(['nuxt POST /api/summary']);
    expect(nitro[0].facts.unboundedInputs.map((u) => u.argument)).toEqual(['messages']);
  });

  it('finds Deno.serve, Bun.serve, Supabase Edge Functions (served under /functions/v1/<name>) and Cloudflare Pages Functions with their _middleware', async () => {
    const found = await endpoints({
      'deno/main.ts': `import { openai } from '../lib/openai.ts';
Deno.serve({ port: 8000 }, async (req) => {
  const { text } = await req.json();
  ${chatCall('text')}
  return new Response('ok');
});`,
      'bun/server.ts': `import { openai } from '../lib/openai';
Bun.serve({
  async fetch(req, server) {
    const { text } = await req.json();
    ${chatCall('text')}
    return new Response('ok');
  },
});`,
      'supabase/functions/summarize/index.ts': `import OpenAI from 'npm:openai';
const openai = new OpenAI();
Deno.serve(async (req) => {
  const { text } = await req.json();
  ${chatCall('text')}
  return new Response('ok');
});`,
      'supabase/functions/_shared/cors.ts': `export const corsHeaders = { 'Access-Control-Allow-Origin': '*' };`,
      'site/functions/_middleware.ts': `export const onRequest = [async (context) => {
  if (context.request.headers.get('x-internal-key') !== context.env.INTERNAL_KEY) return new Response('Unauthorized', { status: 401 });
  return context.next();
}];`,
      'site/functions/api/[topic].ts': `import { openai } from '../../../lib/openai';
export const onRequestPost = async (context) => {
  ${chatCall("String(context.params.topic).slice(0, 80)")}
  return new Response('ok');
};`,
    });
    expect(routes(found)).toEqual(['cloudflare-pages POST /api/:topic', 'fetch-handler ALL /*', 'fetch-handler ALL /*', 'fetch-handler ALL /functions/v1/summarize']);
    const pages = found.find((e) => e.framework === 'cloudflare-pages')!;
    expect(pages.facts.auth.map((a) => a.kind)).toEqual(['middleware']);
  });

  it('names tRPC procedures by their path through nested routers, plain objects and merged routers', async () => {
    const found = await endpoints({
      'server/trpc.ts': `import { initTRPC } from '@trpc/server';
const t = initTRPC.create();
export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const publicProcedure = t.procedure;`,
      'server/routers.ts': `import { z } from 'zod';
import { mergeRouters, publicProcedure, router } from './trpc';
import { openai } from '../lib/openai';
const ask = publicProcedure.input(z.object({ q: z.string().max(200) })).query(async ({ input }) => {
  ${chatCall('input.q')}
});
const docs = router({ search: { ask } });
const extra = router({ ping: publicProcedure.query(() => 'pong') });
export const appRouter = mergeRouters(router({ docs }), extra);`,
    });
    expect(routes(found)).toEqual(['trpc GET trpc.docs.search.ask']);
    expect(found[0].facts.unboundedInputs).toEqual([]);
  });

  it('treats an exported Lambda handler as an endpoint only with API Gateway evidence', async () => {
    const found = await endpoints({
      'src/typed.ts': `import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { openai } from '../lib/openai';
export const handler = async (event: APIGatewayProxyEventV2) => {
  const { text } = JSON.parse(event.body ?? '{}');
  ${chatCall('text')}
  return { statusCode: 200, body: 'ok' };
};`,
      'src/queue.ts': `import type { SQSEvent } from 'aws-lambda';
import { openai } from '../lib/openai';
export const handler = async (event: SQSEvent) => {
  for (const record of event.Records) {
    ${chatCall('record.body')}
  }
};`,
    });
    expect(routes(found)).toEqual(['aws-lambda ALL lambda:handler']);
    expect(found[0].location.file).toBe('src/typed.ts');
    expect(found[0].facts.unboundedInputs.map((u) => u.argument)).toEqual(['messages']);
  });

  it('reads SAM templates: API events give the route, an authorizer authenticates', async () => {
    const found = await endpoints({
      'template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
Resources:
  AskFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: ask.lambdaHandler
      Events:
        Ask:
          Type: Api
          Properties:
            RestApiId: !Ref AssistantApi
            Path: /ask/{topic}
            Method: post
  AssistantApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: CognitoAuthorizer
`,
      'src/ask.ts': `import { openai } from '../lib/openai';
export const lambdaHandler = async (event: { body: string }) => {
  ${chatCall("JSON.parse(event.body).question.slice(0, 300)")}
  return { statusCode: 200, body: 'ok' };
};`,
    });
    expect(routes(found)).toEqual(['aws-lambda POST /ask/:topic']);
    expect(found[0].facts.auth.map((a) => a.location.file)).toEqual(['template.yaml']);
  });

  it('does not make a Firebase onRequest wrapping an Express app an endpoint of its own', async () => {
    const found = await endpoints({
      'functions/src/index.ts': `import express from 'express';
import { onRequest } from 'firebase-functions/v2/https';
import { openai } from '../../lib/openai';
const app = express();
app.post('/ask', async (req, res) => {
  ${chatCall('String(req.body.q).slice(0, 100)')}
  res.end();
});
export const api = onRequest(app);`,
    });
    expect(routes(found)).toEqual(['express POST /ask']);
  });
});

describe('protections in these idioms', () => {
  const workerWith = (setup: string, check: string) => ({
    'src/index.ts': `import { openai } from '../lib/openai';
${setup}
export default {
  async fetch(request: Request, env: any) {
    ${check}
    const { text } = await request.json();
    ${chatCall('String(text).slice(0, 100)')}
    return new Response('ok');
  },
};`,
  });

  it('counts an Arcjet client as a limiter only with a rate rule, keyed on its characteristics', async () => {
    const arcjet = (rules: string, protect: string, characteristics = '') =>
      workerWith(
        `import arcjet, { shield, tokenBucket } from '@arcjet/node';
const aj = arcjet({ key: 'k', ${characteristics} rules: [${rules}] });`,
        `const decision = await aj.protect(${protect});
    if (decision.isDenied()) return new Response('Forbidden', { status: 403 });`,
      );
    const shieldOnly = await endpoints(arcjet("shield({ mode: 'LIVE' })", 'request'));
    expect(shieldOnly[0].facts.rateLimits).toEqual([]);
    const byIp = await endpoints(arcjet("tokenBucket({ mode: 'LIVE', refillRate: 5, interval: 10, capacity: 10 })", 'request'));
    expect(byIp[0].facts.rateLimits.map((r) => r.key)).toEqual(['ip']);
    const byClientHeader = await endpoints(
      arcjet("tokenBucket({ mode: 'LIVE', refillRate: 5, interval: 10, capacity: 10 })", "request, { userId: request.headers.get('x-user-id') ?? '' }", "characteristics: ['userId'],"),
    );
    expect(byClientHeader[0].facts.rateLimits.map((r) => r.key)).toEqual(['client']);
  });

  it('recognises the Workers rate-limiting binding and a KV counter written back under its key', async () => {
    const binding = await endpoints(
      workerWith('', `const { success } = await env.LIMITER.limit({ key: request.headers.get('x-install-id') ?? '' });
    if (!success) return new Response('Too many requests', { status: 429 });`),
    );
    expect(binding[0].facts.rateLimits.map((r) => `${r.library} ${r.key}`)).toEqual(['cloudflare-rate-limiting client']);
    const kv = await endpoints(
      { ...workerWith('', `const ip = request.headers.get('cf-connecting-ip') ?? '';
    const count = Number((await env.KV.get(ip)) ?? 0);
    if (count >= 30) return new Response('Too many requests', { status: 429 });
    await env.KV.put(ip, String(count + 1), { expirationTtl: 60 });`), 'wrangler.toml': 'name = "chat"\n' },
    );
    expect(kv[0].facts.rateLimits.map((r) => `${r.library} ${r.key}`)).toEqual(['counter ip']);
  });

  it('reads h3 request accessors: a limiter on getHeader is client-keyed, on getRequestIP IP-keyed', async () => {
    const nuxtRoute = (key: string) => ({
      'nuxt.config.ts': 'export default defineNuxtConfig({});',
      'server/utils/limiter.ts': `import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
export const limiter = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.fixedWindow(5, '1 m') });`,
      'server/api/ask.post.ts': `import { openai } from '../../lib/openai';
export default defineEventHandler(async (event) => {
  const { success } = await limiter.limit(${key});
  if (!success) throw createError({ statusCode: 429 });
  const { q } = await readBody(event);
  ${chatCall('String(q).slice(0, 100)')}
});`,
    });
    const byHeader = await endpoints(nuxtRoute("getHeader(event, 'X-Session-Id') ?? 'anon'"));
    expect(byHeader[0].facts.rateLimits.map((r) => r.key)).toEqual(['client']);
    const byIp = await endpoints(nuxtRoute("getRequestIP(event, { xForwardedFor: true }) ?? 'anon'"));
    expect(byIp[0].facts.rateLimits.map((r) => r.key)).toEqual(['ip']);
  });

  it('reads next-rate-limit as a limiter on the client IP', async () => {
    const found = await endpoints({
      'app/api/ask/route.ts': `import nextRateLimit from 'next-rate-limit';
import { NextResponse, type NextRequest } from 'next/server';
import { openai } from '../../../lib/openai';
const rateLimit = nextRateLimit({ interval: 60 * 1000, uniqueTokenPerInterval: 500 });
export async function POST(request: NextRequest) {
  try {
    rateLimit.checkNext(request, 10);
  } catch {
    return NextResponse.json({ error: 'Rate limit reached' }, { status: 429 });
  }
  const { q } = await request.json();
  ${chatCall('String(q).slice(0, 200)')}
  return NextResponse.json({ ok: true });
}`,
    });
    expect(found[0].facts.rateLimits.map((r) => `${r.library} ${r.key}`)).toEqual(['next-rate-limit ip']);
  });

  it('counts a token verification that throws, but not one that only runs when a token is sent', async () => {
    const verified = await endpoints(
      workerWith(`import { jwtVerify } from 'jose';\nconst key = new TextEncoder().encode('secret');`, `await jwtVerify(request.headers.get('authorization') ?? '', key);`),
    );
    expect(verified[0].facts.auth.map((a) => a.description)).toEqual(['jose jwtVerify() throws when the token does not verify']);
    const optional = await endpoints(
      workerWith(
        `import jwt from 'jsonwebtoken';`,
        `const token = request.headers.get('authorization');
    if (token) {
      jwt.verify(token, 'secret');
    }`,
      ),
    );
    expect(optional[0].facts.auth).toEqual([]);
    const swallowed = await endpoints(
      workerWith(`import { jwtVerify } from 'jose';\nconst key = new TextEncoder().encode('secret');`, `const result = await jwtVerify(request.headers.get('authorization') ?? '', key).catch(() => null);`),
    );
    expect(swallowed[0].facts.auth).toEqual([]);
  });

  it('applies SvelteKit hooks to every route, and reads locals.user checks and getClientAddress keys', async () => {
    const found = await endpoints({
      'svelte.config.js': 'export default {};',
      'src/hooks.server.ts': `import { sequence } from '@sveltejs/kit/hooks';
import { error } from '@sveltejs/kit';
const authenticate = async ({ event, resolve }) => {
  if (event.url.pathname.startsWith('/api') && !event.locals.user) error(401, 'Sign in first');
  return resolve(event);
};
const log = async ({ event, resolve }) => resolve(event);
export const handle = sequence(log, authenticate);`,
      'src/lib/limiter.ts': `import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
export const limiter = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.fixedWindow(5, '1 m') });`,
      'src/routes/api/ask/+server.ts': `import { error } from '@sveltejs/kit';
import { openai } from '../../../../lib/openai';
import { limiter } from '$lib/limiter';
export async function POST({ request, getClientAddress }) {
  const { success } = await limiter.limit(getClientAddress());
  if (!success) error(429, 'Slow down');
  const { q } = await request.json();
  ${chatCall('String(q).slice(0, 200)')}
  return new Response('ok');
}`,
    });
    expect(routes(found)).toEqual(['sveltekit POST /api/ask']);
    expect(found[0].facts.auth.map((a) => `${a.kind} ${a.location.file}`)).toEqual(['middleware src/hooks.server.ts']);
    expect(found[0].facts.rateLimits.map((r) => r.key)).toEqual(['ip']);
  });

  it('gives a server action the Next.js middleware that runs on every path, and none with a narrower matcher', async () => {
    const action = `'use server';
import { openai } from '../lib/openai';
export async function ask(question: string) {
  ${chatCall('question.slice(0, 200)')}
}`;
    const everywhere = await endpoints({
      'app/actions.ts': action,
      'middleware.ts': `import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';
const isPublic = createRouteMatcher(['/sign-in(.*)']);
export default clerkMiddleware(async (auth, req) => {
  if (!isPublic(req)) await auth.protect();
});`,
    });
    expect(routes(everywhere)).toEqual(['nextjs-server-action POST action:ask']);
    expect(everywhere[0].facts.auth.map((a) => a.kind)).toEqual(['next-middleware']);
    const narrow = await endpoints({
      'app/actions.ts': action,
      'middleware.ts': `import { clerkMiddleware } from '@clerk/nextjs/server';
export default clerkMiddleware(async (auth) => { await auth.protect(); });
export const config = { matcher: ['/dashboard/:path*'] };`,
    });
    expect(narrow[0].facts.auth).toEqual([]);
  });

  it('applies a Next.js middleware only to the app it belongs to, in a monorepo of several apps', async () => {
    const route = (prefix: string) => `import { openai } from '${prefix}lib/openai';
export async function POST(req: Request) {
  const { q } = await req.json();
  ${chatCall('String(q).slice(0, 200)')}
  return Response.json({});
}`;
    const action = `'use server';
import { openai } from '../../../lib/openai';
export async function ask(question: string) {
  ${chatCall('question.slice(0, 200)')}
}`;
    const found = await endpoints({
      'apps/admin/proxy.ts': `import { clerkMiddleware } from '@clerk/nextjs/server';
export default clerkMiddleware(async (auth) => { await auth.protect(); });`,
      'apps/admin/app/api/ask/route.ts': route('../../../../../'),
      'apps/admin/src/lib/actions.ts': action.replace('../../../', '../../../../'),
      'apps/docs/src/app/api/ask/route.ts': route('../../../../../../'),
      'apps/docs/pages/api/ask.ts': `import { openai } from '../../../../lib/openai';
export default async function handler(req, res) {
  ${chatCall('String(req.body.q).slice(0, 200)')}
  res.json({});
}`,
      'apps/docs/lib/actions.ts': action,
      // Not a middleware: a helper that happens to be named proxy.
      'apps/docs/lib/proxy.ts': `export default function proxy(req: Request) { if (req.headers.get('x-admin-key') !== process.env.ADMIN_KEY) return new Response('no', { status: 401 }); }`,
      // The same code beside an app's next.config is that app's middleware.
      'apps/site/src/proxy.ts': `export default function proxy(req: Request) { if (req.headers.get('x-admin-key') !== process.env.ADMIN_KEY) return new Response('no', { status: 401 }); }`,
      'apps/site/next.config.mjs': 'export default {};',
      'apps/site/src/app/api/ask/route.ts': route('../../../../../../'),
    });
    const protectedBy = (file: string) => found.find((e) => e.location.file === file)!.facts.auth.map((a) => `${a.kind} ${a.location.file}`);
    expect(protectedBy('apps/admin/app/api/ask/route.ts')).toEqual(['next-middleware apps/admin/proxy.ts']);
    expect(protectedBy('apps/admin/src/lib/actions.ts')).toEqual(['next-middleware apps/admin/proxy.ts']);
    expect(protectedBy('apps/docs/src/app/api/ask/route.ts')).toEqual([]);
    expect(protectedBy('apps/docs/pages/api/ask.ts')).toEqual([]);
    expect(protectedBy('apps/docs/lib/actions.ts')).toEqual([]);
    expect(protectedBy('apps/site/src/app/api/ask/route.ts')).toEqual(['next-middleware apps/site/src/proxy.ts']);
  });

  it('reads remix-auth failure redirects, Clerk redirectToSignIn and API Gateway authorizer claims as authentication', async () => {
    const remix = await endpoints({
      'app/services/auth.server.ts': `import { Authenticator } from 'remix-auth';
import { sessionStorage } from './session.server';
export const authenticator = new Authenticator<{ id: string }>(sessionStorage);`,
      'app/services/session.server.ts': `import { createCookieSessionStorage } from '@remix-run/node';
export const sessionStorage = createCookieSessionStorage({ cookie: { name: '_session', secrets: ['s'] } });`,
      'app/routes/api.ask.ts': `import { authenticator } from '~/services/auth.server';
import { openai } from '../../lib/openai';
export async function action({ request }: { request: Request }) {
  const user = await authenticator.isAuthenticated(request, { failureRedirect: '/login' });
  ${chatCall('String(user.id)')}
  return null;
}`,
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '~/*': ['./app/*'] } } }),
    });
    expect(remix[0].facts.auth.map((a) => a.description)).toEqual(['remix-auth isAuthenticated() with failureRedirect']);
    const clerk = await endpoints({
      'app/api/ask/route.ts': `import { auth } from '@clerk/nextjs/server';
import { openai } from '../../../lib/openai';
export async function POST(request: Request) {
  const { userId, redirectToSignIn } = await auth();
  if (!userId) return redirectToSignIn();
  ${chatCall("'hello'")}
  return new Response('ok');
}`,
    });
    expect(clerk[0].facts.auth.map((a) => a.description)).toEqual(['redirects when the caller is not authenticated']);
    const lambda = await endpoints({
      'src/ask.ts': `import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { openai } from '../lib/openai';
export const handler = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  const userId = event.requestContext.authorizer.jwt.claims.sub;
  ${chatCall('String(userId)')}
  return { statusCode: 200, body: 'ok' };
};`,
    });
    expect(lambda[0].facts.auth.map((a) => a.location.line)).toEqual([4]);
  });

  it('does not take the arguments of a wrapped server action for client input', async () => {
    const found = await endpoints({
      'lib/with-user.ts': `import { auth } from '@clerk/nextjs/server';
export function withUser<T>(action: (user: { id: string }, input: T) => Promise<unknown>) {
  return async (input: T) => {
    const { userId } = await auth();
    if (!userId) throw new Error('Unauthorized');
    return action({ id: userId }, input);
  };
}`,
      'lib/limiter.ts': `import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
export const limiter = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.fixedWindow(5, '1 m') });`,
      'app/actions.ts': `'use server';
import { withUser } from '../lib/with-user';
import { limiter } from '../lib/limiter';
import { openai } from '../lib/openai';
export const ask = withUser(async (user, question: string) => {
  const { success } = await limiter.limit(user.id);
  if (!success) throw new Error('Too many requests');
  ${chatCall("'fixed prompt'")}
});`,
    });
    expect(routes(found)).toEqual(['nextjs-server-action POST action:ask']);
    expect(found[0].facts.rateLimits.map((r) => r.key)).toEqual(['user']);
  });

  it('reads yup and valibot schemas for bounds', async () => {
    const route = (schema: string, parse: string) => ({
      'app/api/chat/route.ts': `${schema}
import { openai } from '../../../lib/openai';
export async function POST(request: Request) {
  const { messages } = ${parse};
  await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages });
  return new Response('ok');
}`,
    });
    const yupBounded = await endpoints(
      route(
        `import * as yup from 'yup';
const Body = yup.object().shape({
  messages: yup.array().of(yup.object({ role: yup.string().oneOf(['user', 'assistant']).required(), content: yup.string().max(2000).required() })).max(20),
});`,
        'await Body.validate(await request.json())',
      ),
    );
    expect(yupBounded[0].facts.unboundedInputs).toEqual([]);
    const valibotUnbounded = await endpoints(
      route(
        `import * as v from 'valibot';
const Body = v.object({ messages: v.array(v.object({ role: v.string(), content: v.pipe(v.string(), v.maxLength(2000)) })) });`,
        'v.parse(Body, await request.json())',
      ),
    );
    expect(valibotUnbounded[0].facts.unboundedInputs.map((u) => u.missing.join(','))).toEqual(['array-length,roles']);
    const valibotOldApi = await endpoints(
      route(
        `import { array, maxLength, object, parse, picklist, string } from 'valibot';
const Body = object({ messages: array(object({ role: picklist(['user', 'assistant']), content: string([maxLength(2000)]) }), [maxLength(20)]) });`,
        'parse(Body, await request.json())',
      ),
    );
    expect(valibotOldApi[0].facts.unboundedInputs).toEqual([]);
  });
});
