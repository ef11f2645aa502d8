import { describe, expect, it } from 'vitest';

import {
  ASSUMED_ATTACK_REQUESTS_PER_DAY,
  parseDurationMs,
  requestsPerDayFromTokenBucket,
  requestsPerDayFromWindow,
} from '../../src/pricing/rates.js';

describe('parseDurationMs', () => {
  it.each([
    ['10 s', 10_000],
    ['1 m', 60_000],
    ['1 h', 3_600_000],
    ['1 d', 86_400_000],
    ['500 ms', 500],
    ['60s', 60_000],
    ['1h', 3_600_000],
    ['15m', 900_000],
    ['7d', 604_800_000],
    ['1.5h', 5_400_000],
    ['15 minutes', 900_000],
    ['1 hour', 3_600_000],
    ['2 days', 172_800_000],
    ['1w', 604_800_000],
    ['30 SEC', 30_000],
    ['60000', 60_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it('takes a number as milliseconds, as express-rate-limit windowMs is', () => {
    expect(parseDurationMs(15 * 60 * 1000)).toBe(900_000);
  });

  it.each(['', 'ten seconds', '10 parsecs', '0 s', '-5 s', '1 m 30 s', 's'])('rejects %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it('rejects numbers that are not a duration', () => {
    expect(parseDurationMs(0)).toBeUndefined();
    expect(parseDurationMs(Number.NaN)).toBeUndefined();
  });
});

describe('requests per day from a limiter', () => {
  it('scales a window to 24 hours', () => {
    // 10 per minute: 10 × 1,440 minutes = 14,400.
    expect(requestsPerDayFromWindow(10, 60_000)).toBe(14_400);
    // express-rate-limit's documented example, 100 per 15 minutes: 100 × 96 windows = 9,600.
    expect(requestsPerDayFromWindow(100, 15 * 60_000)).toBe(9_600);
    // Upstash slidingWindow(5, '1 d').
    expect(requestsPerDayFromWindow(5, parseDurationMs('1 d')!)).toBe(5);
    // 20 per 10 s: 2/s × 86,400 s = 172,800.
    expect(requestsPerDayFromWindow(20, parseDurationMs('10 s')!)).toBe(172_800);
  });

  it('adds the burst of a token bucket to its refill', () => {
    // tokenBucket(5, '10 s', 10): 5 × 8,640 refills + 10 held at the start = 43,210.
    expect(requestsPerDayFromTokenBucket(5, 10_000, 10)).toBe(43_210);
  });

  it('refuses a window that is no window', () => {
    expect(() => requestsPerDayFromWindow(10, 0)).toThrow(RangeError);
    expect(() => requestsPerDayFromWindow(-1, 1_000)).toThrow(RangeError);
  });

  it('assumes 20 requests per second from one script', () => {
    expect(ASSUMED_ATTACK_REQUESTS_PER_DAY).toBe(1_728_000);
  });
});
