/**
 * Declared public routes: `// ai-endpoint-audit public: <reason>` on or just above a route. Its no-auth finding
 * is suppressed (kind inSource), and it then needs an IP-keyed or global limiter and a spend cap, else
 * no-rate-limit / no-spend-cap with a message saying the route is declared public.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSarif, scan } from '../../src/index.js';
import { findingsOf, removeProjects, reported, scanProject } from './project.js';

afterAll(removeProjects);

const FIXTURE = path.resolve(__dirname, '../../fixtures/public-routes');
const ROUTE = 'app/api/ask/route.ts';
const REASON = 'the docs assistant answers visitors before they sign up';

describe('public-routes fixture', () => {
  it('records the declaration on the endpoint and suppresses its no-auth finding in source', async () => {
    const result = await scan({ paths: [path.join(FIXTURE, 'vulnerable')] });
    const [endpoint] = result.endpoints.filter((e) => e.path === '/api/ask');
    expect(endpoint.declaredPublic).toMatchObject({ reason: REASON, source: 'inline', location: { file: ROUTE, line: 21 } });

    const [noAuth] = findingsOf(result, 'no-auth');
    expect(noAuth.location).toMatchObject({ file: ROUTE, line: 22 });
    expect(noAuth.suppressed?.kind).toBe('inSource');
    expect(noAuth.suppressed?.justification).toContain(REASON);
  });

  it('requires the compensating controls and says the route is declared public', async () => {
    const result = await scan({ paths: [path.join(FIXTURE, 'vulnerable')] });
    for (const rule of ['no-rate-limit', 'no-spend-cap']) {
      const [finding] = findingsOf(result, rule);
      expect(finding.suppressed).toBeUndefined();
      expect(finding.location).toMatchObject({ file: ROUTE, line: 22 });
      expect(finding.message).toMatch(/declared public/);
      expect(finding.message).toContain(REASON);
    }
  });

  it('writes the suppression of no-auth into SARIF', async () => {
    const sarif = JSON.parse(renderSarif(await scan({ paths: [path.join(FIXTURE, 'vulnerable')] })));
    const results = sarif.runs[0].results as { ruleId: string; suppressions?: unknown[] }[];
    expect(results.find((r) => r.ruleId === 'no-auth')?.suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: expect.stringContaining(REASON) },
    ]);
    expect(results.find((r) => r.ruleId === 'no-rate-limit')?.suppressions).toBeUndefined();
  });

  it('is satisfied by an IP-keyed limiter and a spend cap that fails closed', async () => {
    const result = await scan({ paths: [path.join(FIXTURE, 'fixed')] });
    expect(result.findings.filter((f) => !f.suppressed)).toEqual([]);
    expect(result.findings.map((f) => `${f.ruleId} ${f.suppressed?.kind}`)).toEqual(['no-auth inSource']);
  });
});

/** An Express app whose /api/demo route is public, with the given limiter and declaration. */
function expressApp({ declaration = '', sameLine = '', limiter = '', limiterUse = '', spendCheck = '' }): string {
  return [
    `import express from 'express';`,
    `import rateLimit from 'express-rate-limit';`,
    `import OpenAI from 'openai';`,
    ``,
    `const app = express();`,
    `const openai = new OpenAI();`,
    `app.use(express.json({ limit: '8kb' }));`,
    limiter,
    ``,
    declaration,
    `app.post('/api/demo', ${limiterUse}async (req, res) => {${sameLine}`,
    `  const question = String(req.body.question ?? '').slice(0, 300);`,
    spendCheck,
    `  const completion = await openai.chat.completions.create({`,
    `    model: 'gpt-4o-mini',`,
    `    max_tokens: 200,`,
    `    messages: [{ role: 'user', content: question }],`,
    `  });`,
    `  res.json({ answer: completion.choices[0].message.content, tokens: completion.usage?.total_tokens });`,
    `});`,
    ``,
    `app.listen(3000);`,
    ``,
  ].join('\n');
}
const SERVER = 'src/server.ts';
const SPEND_CHECK = [
  `  try {`,
  `    if ((await getDemoSpendCents()) >= 500) {`,
  `      return res.status(402).json({ error: 'The demo budget for today is used up.' });`,
  `    }`,
  `  } catch {`,
  `    return res.status(503).json({ error: 'Unavailable' });`,
  `  }`,
].join('\n');
const SPEND_HELPER = `\nasync function getDemoSpendCents(): Promise<number> {\n  return Number((await fetch('http://spend.internal/demo').then((r) => r.text())) || 0);\n}\n`;

function routeLine(source: string): number {
  return source.split('\n').findIndex((l) => l.startsWith(`app.post('/api/demo'`)) + 1;
}

describe('declared public Express routes', () => {
  it('accepts the declaration on the route line itself', async () => {
    const source = expressApp({ sameLine: ' // ai-endpoint-audit public: product demo on the landing page' });
    const result = await scanProject({ [SERVER]: source });
    const [noAuth] = findingsOf(result, 'no-auth');
    expect(noAuth.suppressed).toEqual({ kind: 'inSource', justification: expect.stringContaining('product demo on the landing page') });
    expect(reported(result, 'no-rate-limit')).toEqual([`${SERVER}:${routeLine(source)}`]);
  });

  it('ignores a declaration that is separated from the route by code', async () => {
    const source = expressApp({ limiter: '// ai-endpoint-audit public: product demo on the landing page\nconst unrelated = 1;' });
    const result = await scanProject({ [SERVER]: source });
    expect(reported(result, 'no-auth')).toEqual([`${SERVER}:${routeLine(source)}`]);
  });

  it('does not count a limiter keyed on the user as the limit of a public route', async () => {
    const source = expressApp({
      declaration: '// ai-endpoint-audit public: product demo on the landing page',
      limiter: `const perUser = rateLimit({ windowMs: 60_000, limit: 10, keyGenerator: (req) => req.user!.id });`,
      limiterUse: 'perUser, ',
      spendCheck: SPEND_CHECK,
    }) + SPEND_HELPER;
    const result = await scanProject({ [SERVER]: source });
    expect(reported(result, 'no-rate-limit')).toEqual([`${SERVER}:${routeLine(source)}`]);
    expect(reported(result, 'no-spend-cap')).toEqual([]);
    expect(reported(result, 'no-auth')).toEqual([]);
  });

  it('accepts an IP-keyed limiter (the express-rate-limit default) with a spend cap', async () => {
    const source = expressApp({
      declaration: '// ai-endpoint-audit public: product demo on the landing page',
      limiter: `const perIp = rateLimit({ windowMs: 60_000, limit: 10 });`,
      limiterUse: 'perIp, ',
      spendCheck: SPEND_CHECK,
    }) + SPEND_HELPER;
    const result = await scanProject({ [SERVER]: source });
    expect(result.findings.filter((f) => !f.suppressed).map((f) => f.ruleId)).toEqual([]);
  });

  it('still reports a spend cap that fails open', async () => {
    const source = expressApp({
      declaration: '// ai-endpoint-audit public: product demo on the landing page',
      limiter: `const perIp = rateLimit({ windowMs: 60_000, limit: 10 });`,
      limiterUse: 'perIp, ',
      spendCheck: SPEND_CHECK.replace(`    return res.status(503).json({ error: 'Unavailable' });`, `    console.warn('spend store unavailable');`),
    }) + SPEND_HELPER;
    const result = await scanProject({ [SERVER]: source });
    const catchLine = source.split('\n').findIndex((l) => l.includes('} catch {')) + 1;
    expect(reported(result, 'spend-cap-fails-open')).toEqual([`${SERVER}:${catchLine}`]);
    expect(reported(result, 'no-spend-cap')).toEqual([]);
  });
});
