/**
 * Request rates: a rate limiter's configuration turned into requests per day, and the rates assumed when
 * the code shows none.
 */

export const MS_PER_DAY = 86_400_000;

/** Requests per second one script sends to an endpoint with no limit. */
export const ASSUMED_ATTACK_REQUESTS_PER_SECOND = 20;
/** The same over 24 hours: 1,728,000. Also the ceiling on any limiter-derived rate. */
export const ASSUMED_ATTACK_REQUESTS_PER_DAY = ASSUMED_ATTACK_REQUESTS_PER_SECOND * 86_400;
/**
 * Client addresses an attacker controls (proxies, cloud hosts) when a limit is counted per IP; the config's
 * `exposure.attackerIps` replaces it.
 */
export const ASSUMED_ATTACKER_ADDRESSES = 100;
/**
 * Accounts an attacker opens when a limit is counted per signed-in user: with free sign-up there is no bound, so
 * a per-user limit alone does not bound the rate. The config's `exposure.attackerAccounts` sets a number.
 */
export const ASSUMED_ATTACKER_ACCOUNTS = 'unbounded';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1_000,
  sec: 1_000,
  secs: 1_000,
  second: 1_000,
  seconds: 1_000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: MS_PER_DAY,
  day: MS_PER_DAY,
  days: MS_PER_DAY,
  w: 7 * MS_PER_DAY,
  week: 7 * MS_PER_DAY,
  weeks: 7 * MS_PER_DAY,
};

/**
 * Milliseconds in a duration as limiter libraries write it: Upstash's `'10 s'`, `'1 m'`, `'1 h'`, `'1 d'`,
 * the compact `'60s'`, `'1h'`, `'500ms'`, spelled-out units (`'15 minutes'`), or a number already in
 * milliseconds (express-rate-limit's `windowMs`). Undefined when the text is not a duration.
 */
export function parseDurationMs(duration: string | number): number | undefined {
  if (typeof duration === 'number') return Number.isFinite(duration) && duration > 0 ? duration : undefined;
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)?\s*$/i.exec(duration);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] === undefined ? 1 : UNIT_MS[match[2].toLowerCase()];
  if (unit === undefined || amount <= 0) return undefined;
  return amount * unit;
}

/** Requests per day a fixed or sliding window of `limit` requests per `windowMs` lets through. */
export function requestsPerDayFromWindow(limit: number, windowMs: number): number {
  if (!(windowMs > 0) || !(limit >= 0)) throw new RangeError(`not a rate: ${limit} per ${windowMs} ms`);
  return (limit * MS_PER_DAY) / windowMs;
}

/**
 * Requests per day a token bucket lets through: `refillRate` tokens every `intervalMs`, plus the bucket's
 * `maxTokens` spent at once (Upstash `tokenBucket(refillRate, interval, maxTokens)`).
 */
export function requestsPerDayFromTokenBucket(refillRate: number, intervalMs: number, maxTokens = 0): number {
  return requestsPerDayFromWindow(refillRate, intervalMs) + maxTokens;
}
