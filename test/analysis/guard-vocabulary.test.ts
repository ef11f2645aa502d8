/**
 * What a guard's words make of it: bulk data calls (`findMany`) and required fields named like a count are no
 * request counter, a logged-and-rethrown database error refuses nobody, and a `usageLimits` setting read by a size
 * or per-minute check is no spend cap.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects } from '../rules/project.js';
import { at, chatCall, summaries } from '../frameworks/server-helpers.js';

afterAll(removeProjects);

const HEAD = `import express from 'express';\nimport { openai } from '../lib/openai';\nimport { db, limits } from './store';\nconst app = express();\napp.use(express.json());\n`;
const STORE = `export const db: any = {};\nexport const limits = { promptLength: 4000, turns: 30, perMinute: 5, perDay: 200 };\n`;

function route(checks: string): Record<string, string> {
  return {
    'src/store.ts': STORE,
    'src/server.ts': `${HEAD}app.post('/api/chat', async (req, res) => {
  const prompt = String(req.body.prompt).slice(0, 500);
${checks}
  res.json(${chatCall('prompt')});
});
`,
  };
}

describe('bulk data calls and rethrown errors', () => {
  it('a findMany in a try whose catch logs and rethrows is neither a rate limit nor authentication', async () => {
    const found = await summaries(route(`  try {
    await db.user.findMany({ where: { team: req.body.team } });
  } catch (error) {
    console.error('lookup failed', error);
    throw error;
  }`));
    expect(at(found, 'POST /api/chat')).toMatchObject({ auth: false, limits: [] });
  });

  it('a tooMany() refusal is still a rate limit', async () => {
    const found = await summaries(route(`  const n = await db.incr(req.ip);
  if (n > limits.perMinute) return res.status(400).json(tooMany());`));
    expect(at(found, 'POST /api/chat').limits).toHaveLength(1);
  });

  it('a required field named like a count, refused with 400, is no rate limit', async () => {
    const found = await summaries(route(`  const { packageCount, retryCount } = req.body;
  if (!packageCount || !retryCount) return res.status(400).json({ error: 'packageCount and retryCount are required' });`));
    expect(at(found, 'POST /api/chat').limits).toEqual([]);
  });

  it('a catch that logs and refuses with its own error still refuses', async () => {
    const found = await summaries(route(`  try {
    await db.session.verify(req.headers.authorization);
  } catch (error) {
    console.error('bad session', error);
    throw new Error('unauthorized');
  }`));
    expect(at(found, 'POST /api/chat').auth).toBe(true);
  });
});

describe('usage settings that bound size or pace', () => {
  it.each([
    ['a prompt length refused with 400', `  if (req.body.prompt.length > limits.promptLength) return res.status(400).json({ error: 'usage limit: prompt too long' });`],
    ['a conversation length refused with 429', `  if ((req.body.history?.length ?? 0) > limits.turns) return res.status(429).json({ error: 'usage limit reached' });`],
    ['a per-minute count refused with 429', `  const recent = await db.events.countDocuments({ ip: req.ip });\n  if (recent > limits.perMinute) return res.status(429).json({ error: 'usage limit reached' });`],
  ])('%s is no spend cap', async (_, check) => {
    const found = await summaries(route(check));
    expect(at(found, 'POST /api/chat').spendCap).toBe(false);
  });

  it('a daily usage quota is a spend cap', async () => {
    const found = await summaries(route(`  const today = await db.events.countDocuments({ ip: req.ip });\n  if (today >= limits.perDay) return res.status(429).json({ error: 'daily usage limit reached' });`));
    expect(at(found, 'POST /api/chat').spendCap).toBe(true);
  });

  it('a monthly quota assigned to a let after its declaration is a spend cap', async () => {
    const found = await summaries(route(`  const account = await db.accounts.get(req.ip);
  let allowed = 0;
  if (account.trialActive) allowed = account.monthlyRequestQuota;
  if (account.requestCount >= allowed) throw new Error('Request count exceeded');`));
    expect(at(found, 'POST /api/chat').spendCap).toBe(true);
  });

  it("a per-user daily request quota is also a rate limit keyed on the user (the development set's semantics)", async () => {
    const found = await summaries({
      ...route(''),
      'src/server.ts': `${HEAD}app.post('/api/chat', async (req, res) => {
  const session = await verifySession(req.headers.authorization);
  if (!session) return res.status(401).end();
  const usedToday = await db.usage.countToday(session.userId);
  if (usedToday >= limits.perDay) return res.status(429).json({ error: 'daily request quota reached' });
  res.json(${chatCall('String(req.body.prompt).slice(0, 500)')});
});
async function verifySession(token: any) { return token ? db.sessions.verify(token) : null; }
`,
    });
    const chat = at(found, 'POST /api/chat');
    expect(chat.spendCap).toBe(true);
    expect(chat.limits).toEqual(['user']);
  });

  it('a usage balance refused with 403 is a spend cap', async () => {
    const found = await summaries(route(`  const usage = await db.usage.get(req.ip);\n  if (usage.used >= usage.allowance) return res.status(403).json({ error: 'usage exhausted' });`));
    expect(at(found, 'POST /api/chat').spendCap).toBe(true);
  });
});
