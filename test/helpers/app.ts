import { afterAll, beforeAll } from 'vitest';
import supertest from 'supertest';
import { type App, buildApp } from '../../src/app.js';
import type { Database } from '../../src/db/database.js';
import { freshDatabase } from './database.js';

/** The bootstrap admin key every test app is built with. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdefghijklmnop';

/**
 * The Host the clients send. Permalinks and next-page links are built on it (without PUBLIC_URL), and
 * supertest starts an unlistening server on a new port for each request: without one Host, two reads
 * of the same record would differ by their port.
 */
export const TEST_HOST = 'attest.test';

export interface TestContext {
  app: App;
  db: Database;
  /** Sends the admin key and a change reason with every request, as a well-behaved writer does. */
  api: ReturnType<typeof supertest.agent>;
  /** Sends nothing but what each test sets: an anonymous client. */
  anon: ReturnType<typeof supertest.agent>;
}

/**
 * Builds the app on a fresh database for the enclosing test file (seeded when
 * asked) and tears both down afterwards. Requests go through HTTP via supertest.
 */
export function useApp(
  options: {
    seed?: boolean;
    bodyLimit?: number;
    /** Wraps the database the app is given (to watch what it sends); `ctx.db` stays the real one. */
    wrap?: (db: Database) => Database;
  } = {},
): TestContext {
  const ctx = {} as TestContext;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase({ seed: options.seed });
    drop = fresh.drop;
    ctx.db = fresh.db;
    ctx.app = await buildApp({
      database: options.wrap?.(fresh.db) ?? fresh.db,
      bodyLimit: options.bodyLimit,
      adminKey: TEST_ADMIN_KEY,
    });
    await ctx.app.ready();
    ctx.api = supertest
      .agent(ctx.app.server)
      .set('host', TEST_HOST)
      .set('authorization', `Bearer ${TEST_ADMIN_KEY}`)
      .set('change-reason', 'test');
    ctx.anon = supertest.agent(ctx.app.server).set('host', TEST_HOST);
  });
  afterAll(async () => {
    await ctx.app?.close();
    await drop?.();
  });
  return ctx;
}
