import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { EXAMPLE_IDS } from '../src/seed/ids.js';
import { TEST_ADMIN_KEY } from './helpers/app.js';
import { freshDatabase } from './helpers/database.js';

/*
 * Database trouble is a 503 problem+json with Retry-After, within 5 s: never a 500, never a hang.
 * Each case builds the app on a database in that state and asks it through HTTP.
 */

async function appOn(database: Database) {
  const app = await buildApp({ database, adminKey: TEST_ADMIN_KEY });
  await app.ready();
  return { app, http: supertest(app.server) };
}

/** What a client sees for a read, a write and /ready, and how long each took. */
async function expectUnavailable(http: ReturnType<typeof supertest>, withinMs: number) {
  const requests = [
    () => http.get('/ready'),
    () => http.get('/statements?q=genocide'),
    () => http.get('/actors'),
    () => http.get(`/figures/${EXAMPLE_IDS.figure}`),
    () => http.get('/figures/discrepancies'),
    () =>
      http
        .post('/actors')
        .set('authorization', `Bearer ${TEST_ADMIN_KEY}`)
        .send({ name: 'Written While Down', kind: 'other' }),
    () => http.get('/figures/series?metric=killed&reporter=gaza-ministry-of-health'),
  ];
  const started = Date.now();
  // All at once: more than the pool's ten connections, so some wait for one.
  const answers = await Promise.all(
    [...requests, ...requests].map(async (send, i) => {
      const res = await send();
      return { res, ms: Date.now() - started, i: i % requests.length };
    }),
  );
  for (const { res, ms, i } of answers) {
    const what = `request ${i}: ${JSON.stringify(res.body)}`;
    expect(res.status, what).toBe(503);
    expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
    expect(res.body.code, what).toBe('database-unavailable');
    expect(Number(res.headers['retry-after']), what).toBeGreaterThan(0);
    expect(ms, what).toBeLessThan(withinMs);
  }
  return Math.max(...answers.map((a) => a.ms));
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a PostgreSQL server that refuses connections', () => {
  let app: App;
  let http: ReturnType<typeof supertest>;
  beforeAll(async () => {
    ({ app, http } = await appOn(
      await openDatabase({ kind: 'postgres', url: `postgresql://postgres@127.0.0.1:${await closedPort()}/attest` }),
    ));
  });
  afterAll(() => app?.close());

  it('gets 503 with Retry-After on every route, at once', async () => {
    expect(await expectUnavailable(http, 5000)).toBeLessThan(3000);
  });
});

describe('a PostgreSQL server that accepts connections and never answers', () => {
  let app: App;
  let http: ReturnType<typeof supertest>;
  let silent: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    ({ app, http } = await appOn(await openDatabase({ kind: 'postgres', url: `postgresql://postgres@127.0.0.1:${port}/attest` })));
  });
  afterAll(async () => {
    await app?.close();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  it('gets 503 with Retry-After within 5 s, /ready included, and /health still answers', async () => {
    const health = (async () => {
      await new Promise((r) => setTimeout(r, 500));
      const started = Date.now();
      await http.get('/health').expect(200);
      return Date.now() - started;
    })();
    expect(await expectUnavailable(http, 5500)).toBeGreaterThan(2000);
    expect(await health).toBeLessThan(1000);
  }, 20_000);
});

describe('a database whose schema is not migrated', () => {
  let app: App;
  let db: Database;
  let drop: () => Promise<void>;
  let http: ReturnType<typeof supertest>;
  beforeAll(async () => {
    // An empty database: on PGlite a new one in memory, on PostgreSQL a new database on the server.
    if (process.env.TEST_DATABASE_URL) {
      const { Client } = (await import('pg')).default;
      const server = process.env.TEST_DATABASE_URL;
      const name = `attest_unmigrated_${process.pid}_${Date.now()}`;
      const admin = async (sql: string) => {
        const c = new Client({ connectionString: server });
        await c.connect();
        await c.query(sql).finally(() => c.end());
      };
      await admin(`CREATE DATABASE ${name}`);
      const url = new URL(server);
      url.pathname = `/${name}`;
      db = await openDatabase({ kind: 'postgres', url: url.toString() });
      drop = async () => {
        await db.close();
        await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      };
    } else {
      db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
      drop = () => db.close();
    }
    ({ app, http } = await appOn(db));
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('is not ready, and reads answer 503 rather than 500', async () => {
    const ready = await http.get('/ready').expect(503);
    expect(ready.headers['retry-after']).toBeTruthy();
    expect(ready.body).toMatchObject({ code: 'database-unavailable', detail: expect.stringMatching(/not migrated/) });
    const list = await http.get('/statements').expect(503);
    expect(list.body.detail).toMatch(/not migrated/);
  });

  it('is not ready while the newest migration is missing', async () => {
    // Only the oldest migration recorded: a database left behind by an older version of Attest.
    await db.query(`CREATE TABLE _prisma_migrations (id text PRIMARY KEY, checksum text NOT NULL, finished_at timestamptz,
      migration_name text NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(),
      applied_steps_count integer NOT NULL DEFAULT 0)`);
    await db.query(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name) VALUES ('1', 'x', now(), '20261122150639_init')`);
    const ready = await http.get('/ready').expect(503);
    expect(ready.body.detail).toMatch(/has not been applied/);
  });
});

describe('a migrated database', () => {
  let app: App;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    ({ app } = await appOn(fresh.db));
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('is ready', async () => {
    const res = await supertest(app.server).get('/ready').expect(200);
    expect(res.body).toEqual({ status: 'ready', database: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite' });
  });
});

describe('an embedded database that has been closed under the server', () => {
  let app: App;
  beforeAll(async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    ({ app } = await appOn(db));
    await db.close();
  });
  afterAll(() => app?.close());

  it('answers 503, not 500', async () => {
    const res = await supertest(app.server).get('/actors').expect(503);
    expect(res.headers['retry-after']).toBeTruthy();
    await supertest(app.server).get('/ready').expect(503);
  });
});
