/**
 * The three counter stores as the tests use them: in memory, and on the real Redis and PostgreSQL servers
 * named by AI_GUARD_TEST_REDIS_URL and AI_GUARD_TEST_POSTGRES_URL (`.ci/run` starts both on loopback).
 * Each test opens its own namespace; Redis and Postgres are reached through a relay the test can stop.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';
import { createMemoryStore } from '../../../src/guard/templates/store-memory.js';
import { createPostgresStore } from '../../../src/guard/templates/store-postgres.js';
import { createRedisStore } from '../../../src/guard/templates/store-redis.js';
import type { CounterStore } from '../../../src/guard/templates/types.js';
import { startTcpRelay, type TcpRelay } from './servers.js';

export type StoreKind = 'memory' | 'redis' | 'postgres';

export interface SharedStore {
  /** A store for one more app instance: its own connection, the same counters. */
  instance(): Promise<CounterStore>;
  /** Takes the store server away from the app (Redis and Postgres only). */
  stop?(): Promise<void>;
  /** Gives it back. */
  resume?(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreKit {
  kind: StoreKind;
  /** Why the kit cannot run here, when it cannot. */
  missing?: string;
  open(clock?: () => number): Promise<SharedStore>;
}

const REDIS_URL = process.env.AI_GUARD_TEST_REDIS_URL;
const POSTGRES_URL = process.env.AI_GUARD_TEST_POSTGRES_URL;

/** In CI the servers must be there: a missing one is a broken CI setup, not a reason to skip. */
export function requireInCi(kit: StoreKit): void {
  if (process.env.CI && kit.missing) throw new Error(`CI must run the ${kit.kind} store tests: ${kit.missing}`);
}

export const memoryKit: StoreKit = {
  kind: 'memory',
  async open(clock) {
    const store = createMemoryStore(clock);
    return { instance: async () => store, close: async () => undefined };
  },
};

export const redisKit: StoreKit = {
  kind: 'redis',
  missing: REDIS_URL ? undefined : 'AI_GUARD_TEST_REDIS_URL is not set (bash .ci/run starts a loopback Redis)',
  async open() {
    const target = new URL(REDIS_URL!);
    const relay = await startTcpRelay(target.hostname, Number(target.port || 6379));
    const prefix = `{ai-guard-test-${randomUUID()}}:`;
    const clients: { destroy(): void }[] = [];
    return {
      async instance() {
        const client = createClient({
          url: `redis://127.0.0.1:${relay.port}`,
          disableOfflineQueue: true,
          socket: { connectTimeout: 1000, reconnectStrategy: (retries) => Math.min(50 * (retries + 1), 500) },
        });
        client.on('error', () => undefined);
        await client.connect();
        clients.push(client);
        return createRedisStore(client, { prefix });
      },
      stop: () => relay.stop(),
      resume: () => relay.resume(),
      async close() {
        for (const client of clients) client.destroy();
        await relay.stop();
      },
    };
  },
};

export const postgresKit: StoreKit = {
  kind: 'postgres',
  missing: POSTGRES_URL ? undefined : 'AI_GUARD_TEST_POSTGRES_URL is not set (bash .ci/run starts a loopback PostgreSQL)',
  async open() {
    const target = new URL(POSTGRES_URL!);
    const relay: TcpRelay = await startTcpRelay(target.hostname, Number(target.port || 5432));
    const table = `ai_guard_test_${randomUUID().replace(/-/g, '')}`;
    const pools: pg.Pool[] = [];
    const pool = (url: string) => {
      const created = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 1000, max: 5 });
      created.on('error', () => undefined);
      pools.push(created);
      return created;
    };
    const relayed = new URL(POSTGRES_URL!);
    relayed.hostname = '127.0.0.1';
    relayed.port = String(relay.port);
    await createPostgresStore(pool(POSTGRES_URL!), { table }).ensureSchema();
    return {
      instance: async () => createPostgresStore(pool(relayed.toString()), { table }),
      stop: () => relay.stop(),
      resume: () => relay.resume(),
      async close() {
        await pools[0].query(`DROP TABLE IF EXISTS ${table}`);
        await relay.stop();
        await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      },
    };
  },
};

export const STORE_KITS: StoreKit[] = [memoryKit, redisKit, postgresKit];
