/**
 * The counter store contract, on each store: sliding windows, all-or-nothing reservations that hold under
 * concurrent callers from two instances, signed adjustments, and a once-only latch.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requireInCi, type SharedStore, STORE_KITS } from './helpers/stores.js';

const opened: SharedStore[] = [];
afterEach(async () => {
  for (const shared of opened.splice(0)) await shared.close();
});

for (const kit of STORE_KITS) requireInCi(kit);

for (const kit of STORE_KITS) {
  describe.skipIf(kit.missing)(kit.missing ? `${kit.kind} store (skipped: ${kit.missing})` : `${kit.kind} store`, () => {
    const open = async () => {
      const shared = await kit.open();
      opened.push(shared);
      return shared;
    };

    it('counts requests in a sliding window', async () => {
      const store = await (await open()).instance();
      const counts = [];
      for (let i = 0; i < 3; i++) counts.push(await store.increment('ip:a', 1000, 10_000 + i));
      expect(counts).toEqual([1, 2, 3]);
      // Half-way through the next window: its own request plus half of the previous window's three.
      expect(await store.increment('ip:a', 1000, 11_500)).toBe(2.5);
      expect(await store.increment('ip:b', 1000, 11_500)).toBe(1);
      // Two windows later the old requests no longer count.
      expect(await store.increment('ip:a', 1000, 13_000)).toBe(1);
    });

    it('reserves all amounts or none', async () => {
      const store = await (await open()).instance();
      expect(await store.reserve([{ key: 'u', amount: 5, cap: 10 }, { key: 'app', amount: 5, cap: 7 }], 60_000)).toEqual({ ok: true, totals: [5, 5] });
      expect(await store.reserve([{ key: 'u', amount: 5, cap: 10 }, { key: 'app', amount: 5, cap: 7 }], 60_000)).toEqual({ ok: false, refusedKey: 'app' });
      expect(await store.get('u')).toBe(5);
      expect(await store.reserve([{ key: 'new', amount: 8, cap: 7 }], 60_000)).toEqual({ ok: false, refusedKey: 'new' });
      expect(await store.get('new')).toBe(0);
      expect(await store.add([{ key: 'u', amount: -3 }, { key: 'app', amount: 2 }], 60_000)).toEqual([2, 7]);
      expect(await store.get('absent')).toBe(0);
    });

    it('never lets concurrent reservations from two instances pass the cap', async () => {
      const shared = await open();
      const instances = [await shared.instance(), await shared.instance()];
      const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => instances[i % 2].reserve([{ key: 'day', amount: 1, cap: 10 }], 60_000)));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(10);
      expect(await instances[0].get('day')).toBe(10);
    });

    it('lets exactly one caller claim a latch', async () => {
      const shared = await open();
      const instances = [await shared.instance(), await shared.instance()];
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => instances[i % 2].claim('alert:day:threshold', 60_000)));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });
  });
}

describe.skipIf(!process.env.AI_GUARD_TEST_POSTGRES_URL)(
  process.env.AI_GUARD_TEST_POSTGRES_URL ? 'postgres store without ensureSchema' : 'postgres store without ensureSchema (skipped: AI_GUARD_TEST_POSTGRES_URL is not set; bash .ci/run starts a loopback PostgreSQL)',
  () => {
    it('creates its table on first use, so the app needs no top-level await', async () => {
      const { default: pg } = await import('pg');
      const { createPostgresStore } = await import('../../src/guard/templates/store-postgres.js');
      const pool = new pg.Pool({ connectionString: process.env.AI_GUARD_TEST_POSTGRES_URL, max: 2 });
      const table = `ai_guard_lazy_${Date.now()}_${process.pid}`;
      try {
        const store = createPostgresStore(pool, { table });
        expect(await store.increment('k', 60_000, Date.now())).toBe(1);
        expect(await store.get('missing')).toBe(0);
      } finally {
        await pool.query(`DROP TABLE IF EXISTS ${table}`);
        await pool.end();
      }
    });
  },
);
