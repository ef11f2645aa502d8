import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

import type { Endpoint, ScanResult } from '../../src/model.js';
import { renderText } from '../../src/report/text.js';
import { formatUsd } from '../../src/pricing/estimate.js';
import { FINDINGS, emptyResult, sampleResult } from './sample.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const ANSI = /\u001b\[/;
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('renderText', () => {
  const plain = renderText(sampleResult(), { color: false });

  it('renders the full report in a stable layout', () => {
    expect(plain).toBe(
      [
        'ai-endpoint-audit 0.1.0 · /srv/acme-app',
        '',
        'Endpoints (3)',
        '',
        '  POST /api/chat  app/api/chat/route.ts:14  (nextjs-app)',
        '    auth ✗ · rate limit client-keyed · spend cap ✗ · input bounds ✗',
        '    calls openai chat.completions.create (gpt-4o) at app/api/chat/route.ts:23',
        '',
        '  GET /api/summarize  server/routes/summarize.ts:20  (express)',
        '    auth ✓ · rate limit ✓ (ip) · spend cap ✗ · input bounds ✓',
        '    calls anthropic messages.create at server/lib/llm.ts:6',
        '',
        '  POST /api/summarize  server/routes/summarize.ts:20  (express)',
        '    auth ✓ · rate limit ✓ (ip) · spend cap ✓ · input bounds ✓',
        '    calls anthropic messages.create at server/lib/llm.ts:6',
        '',
        'Findings (6)',
        '',
        '  POST /api/chat  app/api/chat/route.ts:14',
        "    CRITICAL no-auth  app/api/chat/route.ts:14  'POST /api/chat' calls openai chat.completions.create with no authentication.",
        "    HIGH     client-keyed-rate-limit  app/api/chat/route.ts:17  The rate limit for 'POST /api/chat' is keyed on the x-user-id header, which the caller controls.",
        "    MEDIUM   no-spend-cap  app/api/chat/route.ts:23  'POST /api/chat' calls openai chat.completions.create without checking a budget.",
        "    MEDIUM   unbounded-input  app/api/chat/route.ts:23  'messages' reaches the model without a length, size or role limit.",
        '    fix:',
        '      - Require an authenticated session before the model call.',
        '      - Key the limiter on the authenticated user id or the client IP.',
        '      - Check a per-user or global budget before calling the model.',
        '      - Validate the request body: cap the number of messages, the size of each, and the allowed roles.',
        '',
        '  GET /api/summarize  server/routes/summarize.ts:20',
        "    MEDIUM   no-spend-cap  server/lib/llm.ts:6  'GET /api/summarize' calls anthropic messages.create without checking a budget.",
        '    fix:',
        '      - Check a per-user or global budget before calling the model.',
        '',
        '  Not tied to an endpoint',
        '    LOW      model-from-request  server/lib/llm.ts:7  summarize() passes a caller-supplied model id to anthropic messages.create.',
        '      fix: Pick the model on the server, or allow-list the ids a client may request.',
        '',
        'Problems (2)',
        "  app/legacy/broken.ts:3  syntax  ';' expected.",
        '  public/vendor/bundle.min.js  too-large  Skipped: 4.2 MB exceeds the 1 MB limit.',
        '',
        '3 endpoints, 6 findings (1 critical, 1 high, 3 medium, 1 low) · 57 files scanned, 12 analyzed · 41 skipped · 2 problems · 1.2 s',
        '',
      ].join('\n'),
    );
  });

  it('has no ANSI escape codes without color', () => {
    expect(plain).not.toMatch(ANSI);
  });

  it('uses color when asked, with the same text underneath', () => {
    const colored = renderText(sampleResult(), { color: true });
    expect(colored).toMatch(ANSI);
    expect(stripAnsi(colored)).toBe(plain);
  });

  it('does not depend on input order', () => {
    const result = sampleResult();
    const shuffled: ScanResult = {
      ...result,
      endpoints: [...result.endpoints].reverse(),
      findings: [...result.findings].reverse(),
      errors: [...result.errors].reverse(),
    };
    expect(renderText(shuffled, { color: false })).toBe(plain);
  });

  it('says clearly when there are no endpoints', () => {
    const text = renderText(emptyResult(), { color: false });
    expect(text).toContain('No HTTP endpoints that call paid AI models were found.');
    expect(text).toContain('No findings.');
    expect(text).not.toContain('Problems');
    expect(text.trimEnd().split('\n').at(-1)).toBe('0 endpoints, 0 findings · 3 files scanned, 0 analyzed · 42 ms');
  });

  it('warns, by name, about a skipped file that mentions a route or an AI SDK', () => {
    const result: ScanResult = {
      ...emptyResult(),
      errors: [
        { file: 'app/api/chat/route.js', kind: 'minified', message: 'skipped: minified or generated code (very long lines)', mentions: ['route', 'ai-sdk'] },
        { file: 'public/vendor.js', kind: 'minified', message: 'skipped: minified or generated code (very long lines)' },
      ],
    };
    const warnings = renderText(result, { color: false }).split('\n').filter((line) => line.startsWith('Warning:'));
    expect(warnings).toEqual(['Warning: app/api/chat/route.js was skipped (minified) but mentions a route and an AI SDK: its endpoints, if any, were not analyzed']);
  });

  it('says when a route is relative to a router whose mount was not resolved', () => {
    const result = sampleResult();
    const [first, ...rest] = result.endpoints;
    const text = renderText({ ...result, endpoints: [{ ...first!, mount: 'unresolved' }, ...rest] }, { color: false });
    expect(text.match(/mount not resolved: the path is relative to its router/g)).toHaveLength(1);
    expect(plain).not.toContain('mount not resolved');
  });

  it('summarises rate limiters by key', () => {
    const result = sampleResult();
    const chat = result.endpoints.find((e) => e.path === '/api/chat')!;
    const limiter = chat.facts.rateLimits[0]!;
    const withKeys = (...keys: (typeof limiter.key)[]): Endpoint => ({
      ...chat,
      facts: { ...chat.facts, rateLimits: keys.map((key, i) => ({ ...limiter, key, location: { ...limiter.location, line: i + 1 } })) },
    });
    const row = (endpoint: Endpoint) =>
      renderText({ ...result, endpoints: [endpoint], findings: [] }, { color: false })
        .split('\n')
        .find((l) => l.includes('rate limit'));
    expect(row(withKeys())).toContain('rate limit ✗');
    expect(row(withKeys('client'))).toContain('rate limit client-keyed');
    expect(row(withKeys('user', 'ip'))).toContain('rate limit ✓ (user, ip)');
    expect(row(withKeys('ip', 'client'))).toContain('rate limit ✓ (ip, client-keyed)');
    expect(row(withKeys('unknown'))).toContain('rate limit ✓ (key unknown)');
    expect(row(withKeys('global'))).toContain('rate limit ✓ (global)');
  });

  it('says when a paid call bills in a unit the price table does not price', () => {
    const result = sampleResult();
    const chat = result.endpoints.find((e) => e.path === '/api/chat')!;
    const lines = (endpoint: Endpoint) => renderText({ ...result, endpoints: [endpoint], findings: [] }, { color: false }).split('\n');
    const unknown = ['elevenlabs textToSpeech.convert, billed by characters'];
    expect(lines({ ...chat, priceUnknown: unknown })).toContain('    exposure: price unknown (elevenlabs textToSpeech.convert, billed by characters)');
    const exposure = { usdPerDay: 1000, display: '~$1,000', model: 'gpt-4o', inputTokens: 1, outputTokens: 1, requestsPerDay: 10, priceDate: '2026-11-21', assumptions: [] };
    const both = lines({ ...chat, exposure, priceUnknown: unknown });
    expect(both.some((l) => l.startsWith('    exposure: up to ~$1,000/day'))).toBe(true);
    expect(both).toContain('    also, price unknown (elevenlabs textToSpeech.convert, billed by characters)');
    expect(lines(chat).some((l) => l.includes('price unknown'))).toBe(false);
  });

  it('neutralises control characters coming from scanned code', () => {
    const result = sampleResult();
    result.endpoints[1] = { ...result.endpoints[1]!, path: '/api/\u001b[2Jpwn\u202eevil' };
    result.findings = [{ ...FINDINGS.noAuth, message: 'line one\r\n\u001b]0;title\u0007' }];
    for (const color of [false, true]) {
      const text = renderText(result, { color });
      expect(text).not.toContain('\u001b[2J');
      expect(text).not.toContain('\u001b]0;');
      expect(text).not.toContain('\u202e');
      expect(text).not.toContain('\r');
      expect(stripAnsi(text)).toContain('/api/\\u001b[2Jpwn\\u202eevil');
    }
  });

  it('lists tool-level problems without a file', () => {
    const result = sampleResult();
    result.errors.push({ kind: 'internal', message: 'Rule no-auth crashed.' });
    const text = renderText(result, { color: false });
    expect(text).toContain('Problems (3)\n  (scan)  internal  Rule no-auth crashed.\n');
    expect(text).toContain('· 3 problems ·');
  });

  it('uses singular forms and milliseconds for short scans', () => {
    const result = sampleResult();
    const one: ScanResult = {
      ...result,
      endpoints: result.endpoints.slice(0, 1),
      findings: [FINDINGS.noAuth],
      errors: result.errors.slice(0, 1),
      stats: { files: 1, analyzedFiles: 1, durationMs: 7 },
    };
    const last = renderText(one, { color: false }).trimEnd().split('\n').at(-1);
    expect(last).toBe('1 endpoint, 1 finding (1 critical, 0 high, 0 medium, 0 low) · 1 file scanned, 1 analyzed · 1 problem · 7 ms');
  });
});

describe('findings by endpoint', () => {
  it('list the endpoint with the most severe findings first, each block with one fix section', () => {
    const result = sampleResult();
    for (const finding of result.findings) finding.severity = finding.location.file === 'server/lib/llm.ts' ? 'critical' : 'low';
    const text = renderText(result, { color: false });
    const findingsPart = text.slice(text.indexOf('Findings ('));
    expect(findingsPart.indexOf('GET /api/summarize')).toBeLessThan(findingsPart.indexOf('POST /api/chat'));
    const chatBlock = findingsPart.slice(findingsPart.indexOf('  POST /api/chat'), findingsPart.indexOf('  Not tied'));
    expect(chatBlock.match(/fix:/g)).toHaveLength(1);
  });

  it('write the fix for the endpoint framework', async () => {
    const hono = renderText(await scan({ paths: [path.join(FIXTURES, 'hono-context-client', 'vulnerable')] }), { color: false });
    expect(hono).toContain('(hono-rate-limiter)');
    expect(hono).not.toContain('express-rate-limit');
    expect(hono).toContain('npx ai-endpoint-audit guard --framework hono\n');
    expect(hono).not.toContain('guard --framework express');
    const express = renderText(await scan({ paths: [path.join(FIXTURES, 'express-classic', 'vulnerable')] }), { color: false });
    expect(express).toContain('(express-rate-limit)');
    expect(express).toContain('npx ai-endpoint-audit guard --framework express\n');
    expect(express.match(/guard --framework/g)).toHaveLength(1);
    const nest = renderText(await scan({ paths: [path.join(FIXTURES, 'nestjs-assistant', 'vulnerable')] }), { color: false });
    expect(nest).toContain('guard --framework express (NestJS on its default Express platform');
    expect(nest).toContain('on @nestjs/platform-fastify use --framework fastify');
  });

  it("give each finding's help the guard command for its endpoint's framework, or none where no adapter fits", async () => {
    const hono = await scan({ paths: [path.join(FIXTURES, 'hono-context-client', 'vulnerable')] });
    const guarded = hono.findings.filter((f) => f.help.includes('guard --framework'));
    expect(guarded.length).toBeGreaterThan(0);
    for (const finding of guarded) expect(finding.help).toMatch(/guard --framework hono\.$/);
    const koa = await scan({ paths: [path.join(FIXTURES, 'koa-code-assistant', 'vulnerable')] });
    expect(koa.findings.length).toBeGreaterThan(0);
    for (const finding of koa.findings) expect(finding.help).not.toContain('guard --framework');
  });

  it('name the endpoint that carries most of the exposure', async () => {
    const result = await scan({ paths: [path.join(FIXTURES, 'hono-context-client', 'vulnerable')] });
    const [draft, summary] = result.endpoints.sort((a, b) => a.location.line - b.location.line);
    expect(draft.exposure!.usdPerDay).toBeGreaterThan(summary.exposure!.usdPerDay);
    const share = Math.round((100 * draft.exposure!.usdPerDay) / (draft.exposure!.usdPerDay + summary.exposure!.usdPerDay));
    expect(renderText(result, { color: false })).toContain(`most exposure: POST /api/replies/draft  src/routes/replies.ts:7 (${share}% of the total)`);
  });
});

describe('the exposure line', () => {
  it('shows the figure with its factors, the fail-closed cap that bounds it, and the rate assumed', async () => {
    const text = renderText(await scan({ paths: [path.join(FIXTURES, 'guarded-express', 'fixed')] }), { color: false });
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('    exposure: '));
    expect(lines.slice(at, at + 3)).toEqual([
      '    exposure: up to ~$8.00/day (gpt-4o-mini; $0.027/request × 1,728,000 requests/day)',
      '      capped by the daily spend cap at src/guard.ts:16, which fails closed',
      '      assumes no limit the client cannot get around: an assumed attack of 20 requests/s from one script (1,728,000/day).',
    ]);
  });

  it('shows a range over the listed models when the client picks the model', async () => {
    const result = await scan({ paths: [path.join(FIXTURES, 'rule-client-controlled-params', 'vulnerable')] });
    const chosen = result.endpoints.find((e) => e.exposure?.priceRange)!;
    const { cheapest, costliest } = chosen.exposure!.priceRange!;
    expect(renderText({ ...result, endpoints: [chosen], findings: [] }, { color: false })).toContain(
      `(${cheapest.model} ${formatUsd(cheapest.usdPerDay)} to ${costliest.model} ${formatUsd(costliest.usdPerDay)}/day, the model is not fixed; `,
    );
  });
});
