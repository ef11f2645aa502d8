/**
 * The fix and the check agree: the scanner finds every protection of the generated guard in the sample
 * apps under fixtures/guarded-*, and reports the matching finding as soon as one part of the guard is taken
 * out of a copy of the app.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const CORE_RULES = new Set(['no-auth', 'no-rate-limit', 'client-keyed-rate-limit', 'no-spend-cap', 'unbounded-input']);

interface Mutation {
  name: string;
  file: string;
  from: string | RegExp;
  to: string;
  expected: string;
}

const APPS = [
  {
    fixture: 'guarded-express/fixed',
    guard: 'src/ai-guard',
    route: { file: 'src/routes/assistant.ts', line: 14 },
    clientKey: "`ip:${request.get('x-session-id')}`",
  },
  {
    fixture: 'guarded-next/fixed',
    guard: 'lib/ai-guard',
    route: { file: 'app/api/summarize/route.ts', line: 10 },
    clientKey: "`ip:${request.headers.get('x-session-id')}`",
  },
  {
    fixture: 'guarded-hono/fixed',
    guard: 'src/ai-guard',
    route: { file: 'src/index.ts', line: 15 },
    clientKey: "`ip:${request.req.header('x-session-id')}`",
  },
  {
    fixture: 'guarded-fastify/fixed',
    guard: 'src/ai-guard',
    route: { file: 'src/server.ts', line: 10 },
    clientKey: "`ip:${request.headers['x-session-id']}`",
  },
];

const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function coreFindings(dir: string): Promise<string[]> {
  const result = await scan({ paths: [dir] });
  return result.findings.filter((f) => CORE_RULES.has(f.ruleId)).map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`);
}

function mutatedCopy(fixture: string, mutation: Mutation): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aea-guard-agreement-'));
  copies.push(dir);
  cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  const file = path.join(dir, mutation.file);
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(mutation.from, mutation.to);
  expect(changed, `${mutation.name}: the text to remove is in ${mutation.file}`).not.toBe(text);
  writeFileSync(file, changed);
  return dir;
}

for (const app of APPS) {
  // The checks live in the shared core; each adapter only hands it the request.
  const adapter = `${app.guard}/core.ts`;
  const at = `${app.route.file}:${app.route.line}`;
  const mutations: Mutation[] = [
    { name: 'without the 401 refusal', file: adapter, from: /if \(!route\.public && !user\?\.id\) return refusal\(401[^\n]*\n/, to: '', expected: `no-auth ${at}` },
    {
      name: 'without the 429 refusals',
      file: adapter,
      from: /if \(ipRequests > rate\.perIp\.limit\) \{[\s\S]*?\n {4}\}\n {4}if \(user\) \{[\s\S]*?\n {4}\}\n/,
      to: '',
      expected: `no-rate-limit ${at}`,
    },
    {
      // Both limiters: a limit on the signed-in user still holds when only the address key is client-minted.
      name: 'with the limiters keyed on a client-minted id',
      file: adapter,
      from: /`ip:\$\{limiterAddress\(ip\)\}`([\s\S]*?)`user:\$\{user\.id\}`/,
      to: `${app.clientKey}$1${app.clientKey}`,
      expected: `client-keyed-rate-limit ${at}`,
    },
    { name: 'without the 402 refusal', file: adapter, from: /if \(!spend\.allowed\) \{[\s\S]*?\n {4}\}\n/, to: '', expected: `no-spend-cap ${at}` },
  ];

  describe(`the guard in fixtures/${app.fixture}`, () => {
    it('is recognised part by part: auth, IP-keyed limiter, spend cap, bounded input', async () => {
      const result = await scan({ paths: [path.join(FIXTURES, app.fixture)] });
      expect(result.findings.filter((f) => CORE_RULES.has(f.ruleId))).toEqual([]);
      const [endpoint] = result.endpoints;
      expect(result.endpoints).toHaveLength(1);
      expect(endpoint.facts.auth.map((a) => a.location.file)).toContain(adapter);
      expect(endpoint.facts.rateLimits.length).toBeGreaterThan(0);
      expect(new Set(endpoint.facts.rateLimits.map((l) => l.key))).toEqual(new Set(['ip', 'user']));
      expect(endpoint.facts.spendCaps.map((s) => s.location.file)).toContain(adapter);
      expect(endpoint.facts.unboundedInputs).toEqual([]);
    });

    for (const mutation of mutations) {
      it(`reports ${mutation.expected.split(' ')[0]} ${mutation.name}`, async () => {
        expect(await coreFindings(mutatedCopy(app.fixture, mutation))).toEqual([mutation.expected]);
      });
    }
  });
}

describe('the guard input schema in fixtures/guarded-express/fixed', () => {
  const core = 'src/ai-guard/core.ts';
  const input = { file: 'src/routes/assistant.ts', line: 20 };
  for (const [name, from, to] of [
    ['without the cap on the number of messages', 'z.array(Message).min(1).max(limits.maxMessages)', 'z.array(Message).min(1)'],
    ['without the cap on message size', 'z.union([z.string().max(limits.maxMessageChars),', 'z.union([z.string(),'],
    ['without the check of the roles', 'role: z.enum(clientRoles(limits.roles))', 'role: z.string()'],
  ] as const) {
    it(`reports unbounded-input ${name}`, async () => {
      const dir = mutatedCopy('guarded-express/fixed', { name, file: core, from, to, expected: '' });
      expect(await coreFindings(dir)).toEqual([`unbounded-input ${input.file}:${input.line}`]);
    });
  }
});
