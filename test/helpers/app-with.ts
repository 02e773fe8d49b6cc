import { afterAll, beforeAll } from 'vitest';
import supertest from 'supertest';
import { type App, type AppOptions, buildApp } from '../../src/app.js';
import type { Database } from '../../src/db/database.js';
import { TEST_ADMIN_KEY } from './app.js';
import { freshDatabase } from './database.js';

export interface CustomContext {
  app: App;
  db: Database;
  /** A client that sends nothing but what each test sets. */
  anon: ReturnType<typeof supertest.agent>;
}

/**
 * Like useApp, for tests of the options the server passes from its configuration (rate limits, proxies,
 * CORS): the app is built with ADMIN_KEY = TEST_ADMIN_KEY and `options`, on an unseeded database.
 */
export function useAppWith(options: Omit<AppOptions, 'database'>): CustomContext {
  const ctx = {} as CustomContext;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    ctx.db = fresh.db;
    ctx.app = await buildApp({ adminKey: TEST_ADMIN_KEY, ...options, database: fresh.db });
    await ctx.app.ready();
    ctx.anon = supertest.agent(ctx.app.server);
  });
  afterAll(async () => {
    await ctx.app?.close();
    await drop?.();
  });
  return ctx;
}
