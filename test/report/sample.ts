/**
 * A hand-made scan of a small project: a Next.js chat route with no auth, a client-keyed limiter and
 * unbounded messages, and an Express router whose GET and POST share one registration line. Lists are
 * deliberately out of order so that reporters must sort.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Endpoint, Evidence, Finding, RuleMeta, ScanResult, SourceLocation } from '../../src/model.js';
import { primaryLocationLineHash, stableFingerprint } from '../../src/findings/fingerprint.js';

export const CHAT_ROUTE = 'app/api/chat/route.ts';
export const SUMMARIZE_ROUTES = 'server/routes/summarize.ts';
export const LLM = 'server/lib/llm.ts';
export const BUDGET = 'server/lib/budget.ts';

export const SAMPLE_FILES: Record<string, string> = {
  [CHAT_ROUTE]: `import OpenAI from 'openai';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';

const openai = new OpenAI();
const ratelimit = new Ratelimit({
  redis: Redis.fromEnv(),
  limiter: Ratelimit.slidingWindow(10, '60 s'),
});

// Chat completion proxy used by the web client.
export const runtime = 'nodejs';

export async function POST(req: Request) {
  const userId = req.headers.get('x-user-id') ?? 'anonymous';
  const key = \`chat:\${userId}\`;
  const { success } = await ratelimit.limit(key);
  if (!success) return new Response('Too many requests', { status: 429 });

  const body = await req.json();
  const messages = body.messages;

  const completion = await openai.chat.completions.create({
    model: 'gpt-4o',
    messages,
  });
  return Response.json(completion.choices[0].message);
}
`,
  [SUMMARIZE_ROUTES]: `import { Router, type Request, type Response } from 'express';
import rateLimit from 'express-rate-limit';
import { requireSession } from '../auth.js';
import { summarize } from '../lib/llm.js';
import { withinBudget } from '../lib/budget.js';

const limiter = rateLimit({ windowMs: 60_000, limit: 20 });

async function getSummary(req: Request, res: Response) {
  res.json(await summarize(String(req.query.text ?? ''), String(req.query.model ?? 'claude-sonnet-4-5')));
}

async function postSummary(req: Request, res: Response) {
  if (!(await withinBudget(req.user.id))) return res.status(402).end();
  res.json(await summarize(String(req.body.text).slice(0, 4000)));
}

export const router = Router();
router.use(requireSession);
router.route('/api/summarize').get(limiter, getSummary).post(limiter, postSummary);
`,
  [LLM]: `import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic();

export async function summarize(text: string, model = 'claude-sonnet-4-5') {
  const message = await anthropic.messages.create({
    model,
    max_tokens: 512,
    messages: [{ role: 'user', content: \`Summarize:\\n\\n\${text}\` }],
  });
  return message.content;
}
`,
  [BUDGET]: `import { db } from './db.js';

const MONTHLY_BUDGET_USD = 50;

export async function withinBudget(userId: string): Promise<boolean> {
  const spent = await db.spend.sumForMonth(userId);
  return spent < MONTHLY_BUDGET_USD;
}
`,
};

/** Writes SAMPLE_FILES under a fresh temporary directory and returns it. */
export function writeSampleProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'aea-report-'));
  for (const [file, text] of Object.entries(SAMPLE_FILES)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

function loc(file: string, line: number, column: number, endLine: number, endColumn: number): SourceLocation {
  return { file, line, column, endLine, endColumn };
}

function ev(location: SourceLocation, description: string): Evidence {
  return { location, description };
}

export const RULES: RuleMeta[] = [
  {
    id: 'unbounded-input',
    name: 'UnboundedInput',
    severity: 'medium',
    shortDescription: 'Request data reaches a paid model without size limits.',
    fullDescription:
      'A request-derived argument of a paid model call has no bound on its length, item size or roles, so one request can cost as much as the model allows.',
    fix: 'Validate the request body: cap the number of messages, the size of each, and the allowed roles.',
    helpMarkdown:
      '## Unbounded input\n\nCap array length, item size and roles before calling the model.\n\n```ts\nconst body = schema.parse(await req.json());\n```\n',
    tags: ['cost', 'external/cwe/cwe-770'],
  },
  {
    id: 'no-auth',
    name: 'NoAuth',
    severity: 'critical',
    shortDescription: 'A paid AI endpoint is callable without authentication.',
    fullDescription:
      'Anyone who can reach this route can spend your AI budget: no authentication middleware or check was found before the model call.',
    fix: 'Require an authenticated session before the model call.',
    helpMarkdown: '## No authentication\n\nCheck the session before calling the model.\n',
    tags: ['external/cwe/cwe-306'],
  },
  {
    id: 'client-keyed-rate-limit',
    name: 'ClientKeyedRateLimit',
    severity: 'high',
    shortDescription: 'The rate limiter is keyed on a value the caller controls.',
    fullDescription:
      'The rate limit key comes from request data the caller can change at will, so each new value gets a fresh budget.',
    fix: 'Key the limiter on the authenticated user id or the client IP.',
    helpMarkdown: '## Client-keyed rate limit\n\nKey the limiter on something the caller cannot rotate.\n',
    tags: ['external/cwe/cwe-770'],
  },
  {
    id: 'no-rate-limit',
    name: 'NoRateLimit',
    severity: 'high',
    shortDescription: 'A paid AI endpoint has no rate limit.',
    fullDescription: 'No rate limiter was found on the path from the route to the model call.',
    fix: 'Add a rate limiter keyed on the user or IP.',
    helpMarkdown: '## No rate limit\n\nAdd a limiter.\n',
    tags: ['external/cwe/cwe-770'],
  },
  {
    id: 'no-spend-cap',
    name: 'NoSpendCap',
    severity: 'medium',
    shortDescription: 'A paid AI call runs without a spend cap.',
    fullDescription: 'Nothing checks a budget before this model call, so costs are bounded only by the rate limit.',
    fix: 'Check a per-user or global budget before calling the model.',
    helpMarkdown: '## No spend cap\n\nCheck a budget before each call.\n',
    tags: ['cost'],
  },
  {
    id: 'model-from-request',
    name: 'ModelFromRequest',
    severity: 'low',
    shortDescription: 'The model id comes from the request.',
    fullDescription: 'The caller chooses which model runs, and so how much each request costs.',
    fix: 'Pick the model on the server, or allow-list the ids a client may request.',
    helpMarkdown: '## Model from request\n\nAllow-list model ids.\n',
    tags: ['cost'],
  },
];

const chatCall = { location: loc(CHAT_ROUTE, 23, 28, 26, 5), provider: 'openai', api: 'chat.completions.create', model: 'gpt-4o' };
const summarizeCall = { location: loc(LLM, 6, 25, 10, 5), provider: 'anthropic', api: 'messages.create' };

export const CHAT_ID = `POST /api/chat (${CHAT_ROUTE})`;
export const SUMMARIZE_GET_ID = `GET /api/summarize (${SUMMARIZE_ROUTES})`;
export const SUMMARIZE_POST_ID = `POST /api/summarize (${SUMMARIZE_ROUTES})`;

/** An endpoint with one paid call, whose facts are the ones reported. */
function judgedAsOneCall(endpoint: Omit<Endpoint, 'callFacts'>): Endpoint {
  return { ...endpoint, callFacts: [endpoint.facts] };
}

const chat: Endpoint = judgedAsOneCall({
  id: CHAT_ID,
  framework: 'nextjs-app',
  method: 'POST',
  path: '/api/chat',
  location: loc(CHAT_ROUTE, 14, 1, 28, 2),
  aiCalls: [chatCall],
  facts: {
    auth: [],
    rateLimits: [
      {
        location: loc(CHAT_ROUTE, 17, 29, 17, 49),
        description: '@upstash/ratelimit limit() before the model call',
        library: '@upstash/ratelimit',
        key: 'client',
        keyLocation: loc(CHAT_ROUTE, 15, 18, 15, 46),
        keyDescription: 'the x-user-id request header',
      },
    ],
    spendCaps: [],
    unboundedInputs: [
      {
        location: loc(CHAT_ROUTE, 25, 5, 25, 13),
        description: 'messages comes from the request body',
        argument: 'messages',
        missing: ['array-length', 'item-size', 'roles'],
      },
    ],
    failOpenSpendCaps: [],
    clientParams: [{ location: loc(CHAT_ROUTE, 24, 5, 24, 27), description: 'model comes from the request', parameter: 'model' }],
    uncappedOutputs: [],
    unseen: [],
  },
});

const sessionMiddleware = {
  location: loc(SUMMARIZE_ROUTES, 19, 12, 19, 26),
  description: 'requireSession on the router',
  kind: 'middleware' as const,
};
const ipLimiter = {
  location: loc(SUMMARIZE_ROUTES, 7, 17, 7, 59),
  description: 'express-rate-limit with the default key generator',
  library: 'express-rate-limit',
  key: 'ip' as const,
};

const summarizeGet: Endpoint = judgedAsOneCall({
  id: SUMMARIZE_GET_ID,
  framework: 'express',
  method: 'GET',
  path: '/api/summarize',
  location: loc(SUMMARIZE_ROUTES, 20, 1, 20, 84),
  aiCalls: [summarizeCall],
  facts: { auth: [sessionMiddleware], rateLimits: [ipLimiter], spendCaps: [], failOpenSpendCaps: [], unboundedInputs: [], clientParams: [], uncappedOutputs: [], unseen: [] },
});

const summarizePost: Endpoint = judgedAsOneCall({
  id: SUMMARIZE_POST_ID,
  framework: 'express',
  method: 'POST',
  path: '/api/summarize',
  location: loc(SUMMARIZE_ROUTES, 20, 1, 20, 84),
  aiCalls: [summarizeCall],
  facts: {
    // Two facts, out of order, to check sorting inside an endpoint.
    auth: [
      {
        location: loc(SUMMARIZE_ROUTES, 14, 36, 14, 47),
        description: 'req.user is checked by withinBudget',
        kind: 'handler-check',
      },
      sessionMiddleware,
    ],
    rateLimits: [ipLimiter],
    spendCaps: [{ location: loc(SUMMARIZE_ROUTES, 14, 15, 14, 48), description: 'withinBudget() checks the monthly budget' }],
    failOpenSpendCaps: [],
    unboundedInputs: [],
    clientParams: [],
    uncappedOutputs: [],
    unseen: [],
  },
});

function finding(
  ruleId: string,
  location: SourceLocation,
  message: string,
  endpointId: string | undefined,
  related: Evidence[],
): Finding {
  const meta = RULES.find((r) => r.id === ruleId)!;
  const text = SAMPLE_FILES[location.file]!;
  const codeLine = text.split('\n')[location.line - 1]!.trim();
  const out: Finding = {
    ruleId,
    severity: meta.severity,
    location,
    message,
    related,
    fingerprint: stableFingerprint([ruleId, endpointId ?? '', location.file, codeLine]),
    lineHash: primaryLocationLineHash(text, location.line),
    help: meta.fix,
  };
  if (endpointId !== undefined) out.endpointId = endpointId;
  return out;
}

export const FINDINGS = {
  noAuth: finding(
    'no-auth',
    loc(CHAT_ROUTE, 14, 23, 14, 27),
    "'POST /api/chat' calls openai chat.completions.create with no authentication.",
    CHAT_ID,
    [ev(chatCall.location, 'The paid model call reached from this route.')],
  ),
  clientKeyed: finding(
    'client-keyed-rate-limit',
    loc(CHAT_ROUTE, 17, 29, 17, 49),
    "The rate limit for 'POST /api/chat' is keyed on the x-user-id header, which the caller controls.",
    CHAT_ID,
    [ev(loc(CHAT_ROUTE, 15, 18, 15, 46), 'The key is read from this request header.')],
  ),
  chatSpend: finding(
    'no-spend-cap',
    loc(CHAT_ROUTE, 23, 28, 26, 5),
    "'POST /api/chat' calls openai chat.completions.create without checking a budget.",
    CHAT_ID,
    [],
  ),
  chatUnbounded: finding(
    'unbounded-input',
    loc(CHAT_ROUTE, 23, 28, 26, 5),
    "'messages' reaches the model without a length, size or role limit.",
    CHAT_ID,
    [
      ev(loc(CHAT_ROUTE, 21, 20, 21, 33), 'messages is read from the request body.'),
      ev(loc(CHAT_ROUTE, 25, 5, 25, 13), 'It is passed to the model unchanged.'),
    ],
  ),
  getSpend: finding(
    'no-spend-cap',
    loc(LLM, 6, 25, 10, 5),
    "'GET /api/summarize' calls anthropic messages.create without checking a budget.",
    SUMMARIZE_GET_ID,
    [ev(loc(SUMMARIZE_ROUTES, 10, 12, 10, 104), 'GET /api/summarize reaches the call through summarize().')],
  ),
  modelFromRequest: finding(
    'model-from-request',
    loc(LLM, 7, 5, 7, 10),
    'summarize() passes a caller-supplied model id to anthropic messages.create.',
    undefined,
    [ev(loc(SUMMARIZE_ROUTES, 10, 59, 10, 102), 'The model id comes from req.query.model.')],
  ),
};

export function sampleResult(root = '/srv/acme-app'): ScanResult {
  return {
    tool: { name: 'ai-endpoint-audit', version: '0.1.0' },
    root,
    // Out of order on purpose.
    endpoints: [summarizePost, chat, summarizeGet],
    findings: [
      FINDINGS.modelFromRequest,
      FINDINGS.chatUnbounded,
      FINDINGS.getSpend,
      FINDINGS.clientKeyed,
      FINDINGS.chatSpend,
      FINDINGS.noAuth,
    ],
    errors: [
      { file: 'public/vendor/bundle.min.js', kind: 'too-large', message: 'Skipped: 4.2 MB exceeds the 1 MB limit.' },
      { file: 'app/legacy/broken.ts', line: 3, kind: 'syntax', message: "';' expected." },
    ],
    stats: { files: 57, analyzedFiles: 12, skippedFiles: { 'build-output': 40, minified: 1 }, durationMs: 1234 },
    rules: RULES,
  };
}

/** A scan that found nothing. */
export function emptyResult(root = '/srv/empty'): ScanResult {
  return {
    tool: { name: 'ai-endpoint-audit', version: '0.1.0' },
    root,
    endpoints: [],
    findings: [],
    errors: [],
    stats: { files: 3, analyzedFiles: 0, durationMs: 42 },
    rules: RULES,
  };
}
