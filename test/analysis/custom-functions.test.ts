/**
 * The config file can name the project's own helpers; the scanner then treats them like the built-in
 * auth checks, limiters, spend caps and AI calls.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { scan } from '../../src/index.js';

const SERVER = `import express from 'express';
import { requireTeamMember } from '@acme/platform/auth';
import { throttle } from '@acme/platform/limits';
import { withQuota } from '@acme/platform/billing';
import { callLLM } from '@acme/platform/llm';

const app = express();
app.use(express.json());

app.post('/api/draft', requireTeamMember, async (req, res) => {
  await throttle(req.ip);
  await withQuota(req.user.id);
  const text = await callLLM({ messages: req.body.messages });
  res.json({ text });
});

app.listen(3000);
`;

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'aea-custom-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src/server.ts'), SERVER);
  writeFileSync(path.join(dir, 'package.json'), '{ "name": "drafts", "type": "module" }\n');
  return dir;
}

const findingsOf = (result: Awaited<ReturnType<typeof scan>>) => result.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`).sort();

describe('custom functions from the config', () => {
  it('sees no endpoint when the AI wrapper is not named', async () => {
    const result = await scan({ paths: [project()] });
    expect(result.endpoints).toHaveLength(0);
  });

  it('treats a named AI wrapper as a paid call, and reports what is missing', async () => {
    const dir = project();
    const config = { ...defaultConfig(dir), functions: { auth: [], rateLimiters: [], spendCaps: [], aiWrappers: ['callLLM'] } };
    const result = await scan({ paths: [dir], config });
    expect(result.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(['POST /api/draft']);
    expect(result.endpoints[0].aiCalls[0]).toMatchObject({ provider: 'custom', api: 'callLLM', location: { line: 13 } });
    expect(findingsOf(result)).toEqual([
      'no-auth src/server.ts:10',
      'no-rate-limit src/server.ts:10',
      'no-spend-cap src/server.ts:10',
      'no-usage-tracking src/server.ts:13',
      'unbounded-input src/server.ts:13',
    ]);
  });

  it('recognises named auth, limiter and spend-cap helpers, and traces the limiter key', async () => {
    const dir = project();
    const config = {
      ...defaultConfig(dir),
      functions: { auth: ['requireTeamMember'], rateLimiters: ['throttle'], spendCaps: ['withQuota'], aiWrappers: ['callLLM'] },
    };
    const result = await scan({ paths: [dir], config });
    expect(findingsOf(result)).toEqual(['no-usage-tracking src/server.ts:13', 'unbounded-input src/server.ts:13']);
    const [endpoint] = result.endpoints;
    expect(endpoint.facts.auth.map((a) => a.kind)).toEqual(['middleware']);
    expect(endpoint.facts.rateLimits.map((l) => [l.library, l.key])).toEqual([['throttle', 'ip']]);
    expect(endpoint.facts.spendCaps).toHaveLength(1);
  });
});
