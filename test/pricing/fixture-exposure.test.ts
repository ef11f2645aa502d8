/** The dollar exposure on real fixture projects: a fail-closed daily cap bounds the day, a per-account cap does not. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures');

async function exposureOf(fixture: string) {
  const result = await scan({ paths: [path.join(FIXTURES, fixture)] });
  expect(result.endpoints).toHaveLength(1);
  return result.endpoints[0].exposure!;
}

describe('a fail-closed daily spend cap with a readable amount', () => {
  it.each([
    ['guarded-express/fixed', 8, 'src/guard.ts', 16],
    ['guarded-next/fixed', 20, 'lib/guard.ts', 18],
  ])('%s, behind the generated guard, is exposed at most its configured daily cap', async (fixture, cap, file, line) => {
    const exposure = await exposureOf(fixture);
    expect(exposure.usdPerDay).toBeLessThanOrEqual(cap);
    expect(exposure.usdPerDay).toBe(cap);
    expect(exposure.dailySpendCap).toEqual({ usd: cap, file, line, applied: true });
    expect(exposure.usdPerRequest! * exposure.requestsPerDay).toBeGreaterThan(cap);
  });

  it('a cap compared in the route (`spentCents >= DAILY_BUDGET_CENTS`) counts in dollars', async () => {
    const exposure = await exposureOf('workers-deno-serve/fixed');
    expect(exposure.dailySpendCap).toEqual({ usd: 5, file: 'main.ts', line: 41, applied: true });
    expect(exposure.usdPerDay).toBe(5);
  });

  it("a cap on one user's spend does not bound the day: with free sign-up an attacker opens more accounts", async () => {
    const exposure = await exposureOf('express-anthropic-limiter/fixed');
    expect(exposure.dailySpendCap).toBeUndefined();
    expect(exposure.usdPerDay).toBeGreaterThan(0.5);
  });
});

describe('open models priced from the table, and no invented price', () => {
  const project = path.join(FIXTURES, 'pricing-open-models/vulnerable');

  it('prices Llama 3.3 70B on Workers AI from the table, its output at the larger branch of `detailed ? 2000 : 200`', async () => {
    const result = await scan({ paths: [project] });
    const summary = result.endpoints.find((e) => e.path === '/api/summary')!.exposure!;
    expect(summary.model).toBe('llama-3.3-70b-instruct-fp8-fast');
    expect(summary.outputTokens).toBe(2_000);
    // 24,000-token context less 2,000 output = 22,000 input; 22,000 × $0.293 + 2,000 × $2.253 per 1M = $0.010952.
    expect(summary.inputTokens).toBe(22_000);
    expect(summary.usdPerRequest).toBeCloseTo(0.010952, 10);
    expect(summary.usdPerDay).toBeCloseTo(0.010952 * 1_728_000, 2);
    expect(summary.priceRange).toBeUndefined();
  });

  it('prices Llama 3.3 70B on Together from its own list, output at the call\'s cap of 600 tokens', async () => {
    const result = await scan({ paths: [project] });
    const followUp = result.endpoints.find((e) => e.path === '/api/follow-up')!.exposure!;
    expect(followUp.model).toBe('llama-3.3-70b-instruct-turbo');
    expect(followUp.assumptions).toContain('llama-3.3-70b-instruct-turbo: $0.88 per 1M input tokens, $0.88 per 1M output tokens (list price checked 2026-12-08).');
    // 131,072-token context less 600 output = 130,472 input; 131,072 tokens × $0.88 per 1M = $0.11534336.
    expect([followUp.inputTokens, followUp.outputTokens]).toEqual([130_472, 600]);
    expect(followUp.usdPerRequest).toBeCloseTo(0.11534336, 10);
  });

  it('shows a model on a provider outside the table as price unknown, with its token bounds, and no dollar figure', async () => {
    const result = await scan({ paths: [project] });
    const background = result.endpoints.find((e) => e.path === '/api/background')!;
    expect(background.exposure).toBeUndefined();
    expect(background.priceUnknown).toEqual([
      'perplexity POST api.perplexity.ai/chat/completions (sonar-pro): no list price for perplexity; input unbounded and at most 800 output tokens per request',
    ]);
    expect(result.findings.filter((f) => f.endpointId === background.id).some((f) => /\$/.test(f.message))).toBe(false);
  });
});
