/**
 * In-memory counters for development and tests: one process only. Every app instance has its own counts,
 * so behind several instances use the Redis or Postgres store.
 */
import { slidingCount } from './core.js';
import type { CappedAmount, CounterAmount, CounterStore, ReserveOutcome } from './types.js';

interface Counter {
  value: number;
  expiresAt: number;
}

const SWEEP_EVERY = 1000;

export function createMemoryStore(clock: () => number = Date.now): CounterStore {
  const counters = new Map<string, Counter>();
  let writes = 0;

  const read = (key: string): number => {
    const counter = counters.get(key);
    if (!counter) return 0;
    if (counter.expiresAt <= clock()) {
      counters.delete(key);
      return 0;
    }
    return counter.value;
  };

  const write = (key: string, value: number, ttlMs: number): number => {
    if (++writes % SWEEP_EVERY === 0) sweep();
    const existing = counters.get(key);
    const expiresAt = Math.max(existing?.expiresAt ?? 0, clock() + ttlMs);
    counters.set(key, { value, expiresAt });
    return value;
  };

  const sweep = (): void => {
    const now = clock();
    for (const [key, counter] of counters) if (counter.expiresAt <= now) counters.delete(key);
  };

  return {
    async increment(key, windowMs, nowMs) {
      const window = Math.floor(nowMs / windowMs);
      const current = write(`${key}:${window}`, read(`${key}:${window}`) + 1, 2 * windowMs);
      return slidingCount(current, read(`${key}:${window - 1}`), nowMs, windowMs);
    },
    async reserve(entries: readonly CappedAmount[], ttlMs: number): Promise<ReserveOutcome> {
      const refused = entries.find((e) => read(e.key) + e.amount > e.cap);
      if (refused) return { ok: false, refusedKey: refused.key };
      return { ok: true, totals: entries.map((e) => write(e.key, read(e.key) + e.amount, ttlMs)) };
    },
    async add(entries: readonly CounterAmount[], ttlMs: number) {
      return entries.map((e) => write(e.key, read(e.key) + e.amount, ttlMs));
    },
    async get(key) {
      return read(key);
    },
    async claim(key, ttlMs) {
      if (read(key) > 0) return false;
      write(key, 1, ttlMs);
      return true;
    },
  };
}
