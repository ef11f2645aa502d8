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
