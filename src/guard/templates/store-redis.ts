/**
 * Redis counters shared by every app instance, through the `redis` package (node-redis). Each operation is
 * one Lua script, so it runs atomically on the server: two instances reserving the last of the day's budget
 * at the same moment cannot both get it.
 *
 * Create the client so that it fails fast instead of queueing while Redis is down (the guard then answers
 * 503 rather than waiting):
 *
 *   const redis = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
 *   await redis.connect();
 *   const store = createRedisStore(redis);
 */
import type { CappedAmount, CounterAmount, CounterStore, ReserveOutcome } from './types.js';
import { slidingCount } from './core.js';

/** The part of a node-redis client the store uses. */
export interface RedisScriptClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

export interface RedisStoreOptions {
  /** Prefix of every key. The braces keep all guard keys in one Redis Cluster slot, as multi-key scripts need. */
  prefix?: string;
}

const INCREMENT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
return {current, previous}`;

const RESERVE = `
local n = #KEYS
for i = 1, n do
  local value = tonumber(redis.call('GET', KEYS[i]) or '0')
  if value + tonumber(ARGV[1 + i]) > tonumber(ARGV[1 + n + i]) then return {0, i} end
end
local totals = {1}
for i = 1, n do
  totals[i + 1] = redis.call('INCRBY', KEYS[i], ARGV[1 + i])
  redis.call('PEXPIRE', KEYS[i], ARGV[1])
end
return totals`;

const ADD = `
local totals = {}
for i = 1, #KEYS do
  totals[i] = redis.call('INCRBY', KEYS[i], ARGV[1 + i])
  redis.call('PEXPIRE', KEYS[i], ARGV[1])
end
return totals`;

const GET = `return redis.call('GET', KEYS[1])`;

const CLAIM = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 1 end
return 0`;

export function createRedisStore(client: RedisScriptClient, options: RedisStoreOptions = {}): CounterStore {
  const prefix = options.prefix ?? '{ai-guard}:';
  const run = (script: string, keys: string[], args: (string | number)[]) =>
    client.eval(script, { keys: keys.map((k) => prefix + k), arguments: args.map(String) });

  return {
    async increment(key, windowMs, nowMs) {
      const window = Math.floor(nowMs / windowMs);
      const [current, previous] = numbers(await run(INCREMENT, [`${key}:${window}`, `${key}:${window - 1}`], [2 * windowMs]));
      return slidingCount(current, previous, nowMs, windowMs);
    },
    async reserve(entries: readonly CappedAmount[], ttlMs: number): Promise<ReserveOutcome> {
      const reply = numbers(await run(RESERVE, entries.map((e) => e.key), [ttlMs, ...entries.map((e) => e.amount), ...entries.map((e) => e.cap)]));
      if (reply[0] !== 1) return { ok: false, refusedKey: entries[reply[1] - 1].key };
      return { ok: true, totals: reply.slice(1) };
    },
    async add(entries: readonly CounterAmount[], ttlMs: number) {
      return numbers(await run(ADD, entries.map((e) => e.key), [ttlMs, ...entries.map((e) => e.amount)]));
    },
    async get(key) {
      const reply = await run(GET, [key], []);
      return reply === null || reply === undefined ? 0 : Number(reply);
    },
    async claim(key, ttlMs) {
      return Number(await run(CLAIM, [key], [ttlMs])) === 1;
    },
  };
}

function numbers(reply: unknown): number[] {
  if (!Array.isArray(reply)) throw new Error(`unexpected reply from Redis: ${JSON.stringify(reply)}`);
  return reply.map(Number);
}
