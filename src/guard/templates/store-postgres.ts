/**
 * Postgres counters shared by every app instance, through the `pg` package. Each counter is one row,
 * changed by a single upsert that holds the row's lock: two instances reserving the last of the day's
 * budget at the same moment queue on that lock, and the second sees the first one's total.
 *
 *   const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 2000 });
 *   pool.on('error', (error) => console.error('ai-guard: postgres', error.message));
 *   const store = createPostgresStore(pool); // creates its table on first use
 */
import type { Pool, PoolClient } from 'pg';
import type { CappedAmount, CounterAmount, CounterStore, ReserveOutcome } from './types.js';
import { slidingCount } from './core.js';

export interface PostgresStoreOptions {
  /** Table name, optionally schema-qualified. Default: ai_guard_counters. */
  table?: string;
}

export interface PostgresStore extends CounterStore {
  /** Creates the counter table when it is missing (every operation also does, once, on first use). */
  ensureSchema(): Promise<void>;
  /** Deletes expired counters; run it from a daily job. Returns how many went. */
  purgeExpired(): Promise<number>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

export function createPostgresStore(pool: Pool, options: PostgresStoreOptions = {}): PostgresStore {
  const table = options.table ?? 'ai_guard_counters';
  if (!IDENTIFIER.test(table)) throw new Error(`invalid table name: ${table}`);
  const expiry = (param: string) => `now() + ${param}::double precision * interval '1 millisecond'`;
  /** The counter's value, counting an expired row as absent. */
  const live = `(CASE WHEN c.expires_at <= now() THEN 0 ELSE c.value END)`;
  const accumulate = `value = ${live} + EXCLUDED.value, expires_at = GREATEST(c.expires_at, EXCLUDED.expires_at)`;

  const incrementSql = `
    WITH hit AS (
      INSERT INTO ${table} AS c (key, value, expires_at) VALUES ($1, 1, ${expiry('$3')})
      ON CONFLICT (key) DO UPDATE SET ${accumulate}
      RETURNING value
    )
    SELECT (SELECT value FROM hit) AS current,
           COALESCE((SELECT value FROM ${table} WHERE key = $2 AND expires_at > now()), 0) AS previous`;

  const reserveSql = `
    INSERT INTO ${table} AS c (key, value, expires_at)
    SELECT $1, $2::bigint, ${expiry('$4')} WHERE $2::bigint <= $3::bigint
    ON CONFLICT (key) DO UPDATE SET ${accumulate}
    WHERE ${live} + EXCLUDED.value <= $3::bigint
    RETURNING value`;

  const addSql = `
    INSERT INTO ${table} AS c (key, value, expires_at)
    SELECT key, amount, ${expiry('$3')} FROM unnest($1::text[], $2::bigint[]) AS a(key, amount)
    ON CONFLICT (key) DO UPDATE SET ${accumulate}
    RETURNING key, value`;

  const claimSql = `
    INSERT INTO ${table} AS c (key, value, expires_at) VALUES ($1, 1, ${expiry('$2')})
    ON CONFLICT (key) DO UPDATE SET value = 1, expires_at = EXCLUDED.expires_at
    WHERE c.expires_at <= now()
    RETURNING value`;

  // Created on first use rather than at start-up, so an app starts (and builds) with the database down; a
  // failed attempt is retried by the next request.
  let schema: Promise<void> | undefined;
  const ensureSchema = (): Promise<void> =>
    (schema ??= pool
      .query(`CREATE TABLE IF NOT EXISTS ${table} (key text PRIMARY KEY, value bigint NOT NULL, expires_at timestamptz NOT NULL)`)
      .then(() => undefined, (error: unknown) => {
        schema = undefined;
        throw error;
      }));

  return {
    ensureSchema,
    async purgeExpired() {
      await ensureSchema();
      const result = await pool.query(`DELETE FROM ${table} WHERE expires_at <= now()`);
      return result.rowCount ?? 0;
    },
    async increment(key, windowMs, nowMs) {
      await ensureSchema();
      const window = Math.floor(nowMs / windowMs);
      const { rows } = await pool.query(incrementSql, [`${key}:${window}`, `${key}:${window - 1}`, 2 * windowMs]);
      return slidingCount(Number(rows[0].current), Number(rows[0].previous), nowMs, windowMs);
    },
    async reserve(entries: readonly CappedAmount[], ttlMs: number): Promise<ReserveOutcome> {
      await ensureSchema();
      // One transaction, counters always in the same order: all are taken or none, and no two reservations deadlock.
      return transaction<ReserveOutcome>(pool, async (client) => {
        const totals: number[] = [];
        for (const entry of entries) {
          const { rows } = await client.query(reserveSql, [entry.key, entry.amount, entry.cap, ttlMs]);
          if (rows.length === 0) return { commit: false, result: { ok: false, refusedKey: entry.key } };
          totals.push(Number(rows[0].value));
        }
        return { commit: true, result: { ok: true, totals } };
      });
    },
    async add(entries: readonly CounterAmount[], ttlMs: number) {
      await ensureSchema();
      const { rows } = await pool.query(addSql, [entries.map((e) => e.key), entries.map((e) => e.amount), ttlMs]);
      const byKey = new Map<string, number>(rows.map((row: { key: string; value: string }) => [row.key, Number(row.value)]));
      return entries.map((e) => byKey.get(e.key) ?? 0);
    },
    async get(key) {
      await ensureSchema();
      const { rows } = await pool.query(`SELECT value FROM ${table} WHERE key = $1 AND expires_at > now()`, [key]);
      return rows.length ? Number(rows[0].value) : 0;
    },
    async claim(key, ttlMs) {
      await ensureSchema();
      const { rows } = await pool.query(claimSql, [key, ttlMs]);
      return rows.length === 1;
    },
  };
}

async function transaction<R>(pool: Pool, work: (client: PoolClient) => Promise<{ commit: boolean; result: R }>): Promise<R> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { commit, result } = await work(client);
    await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    client.release();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}
