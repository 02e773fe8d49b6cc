// DATABASE_REPLICA_URL: which reads go to the replica. The stand-in replica is a second database on the same
// server, a copy of the seed that never receives the primary's writes, and that this file changes behind the
// primary's back: an answer says which database it came from. PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { type App, buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { write } from '../src/writes/door.js';
import { TEST_ADMIN_KEY } from './helpers/app.js';
import { freshDatabase } from './helpers/database.js';

const why = process.env.TEST_DATABASE_URL ? undefined : 'a replica needs PostgreSQL: set TEST_DATABASE_URL';
if (why) console.warn(`test/replica.test.ts skipped: ${why}`);

const PRIMARY_NAME = 'Ebrahim Raisi';
const REPLICA_NAME = 'Only On The Replica';

describe.skipIf(why)('with a read replica', () => {
  let primary: Database;
  let replica: Database;
  const drops: (() => Promise<void>)[] = [];
  const apps: App[] = [];
  beforeAll(async () => {
    const [p, r] = await Promise.all([freshDatabase({ seed: true }), freshDatabase({ seed: true })]);
    drops.push(p.drop, r.drop);
    primary = p.db;
    replica = r.db;
    await write(replica, { writer: { keyId: null, name: 'replica test', scope: 'admin' } }, ({ tx }) =>
      tx.$executeRawUnsafe(`UPDATE actors SET name = $1 WHERE slug = 'ebrahim-raisi'`, REPLICA_NAME),
    );
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const drop of drops) await drop();
  });

  async function clients(options: { responseCache?: { maxBytes: number } } = {}) {
    // The app closes the replica it is given; this file's clean-up closes it once, after every app.
    const app = await buildApp({ database: primary, replica: { ...replica, close: async () => {} }, adminKey: TEST_ADMIN_KEY, ...options });
    apps.push(app);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      anon: supertest.agent(url),
      keyed: supertest.agent(url).set('authorization', `Bearer ${TEST_ADMIN_KEY}`).set('change-reason', 'test'),
    };
  }

  it('sends anonymous reads to the replica, and reads with a key to the primary', async () => {
    const { anon, keyed } = await clients();
    expect((await anon.get('/actors/ebrahim-raisi').expect(200)).body.name).toBe(REPLICA_NAME);
    expect((await keyed.get('/actors/ebrahim-raisi').expect(200)).body.name).toBe(PRIMARY_NAME);
    // Lists, searches and streamed CSV too.
    expect((await anon.get('/actors?q=raisi').expect(200)).body.data[0].name).toBe(REPLICA_NAME);
    expect((await anon.get('/actors?q=raisi&format=csv').expect(200)).text).toContain(REPLICA_NAME);
    expect((await keyed.get('/actors?q=raisi&format=csv').expect(200)).text).not.toContain(REPLICA_NAME);
    expect((await anon.get('/statements?actor=ebrahim-raisi&limit=1').expect(200)).body.data[0].speaker.name).toBe(
      REPLICA_NAME,
    );
  });

  it('writes to the primary, where the writer (who has a key) reads its own write at once', async () => {
    const { anon, keyed } = await clients();
    const created = await keyed.post('/actors').send({ name: 'Written Through The Primary', kind: 'other' }).expect(201);
    expect((await keyed.get(`/actors/${created.body.id}`).expect(200)).body.name).toBe('Written Through The Primary');
    const changed = await keyed.patch('/actors/ebrahim-raisi').send({ description: 'changed on the primary' }).expect(200);
    expect(changed.body.name).toBe(PRIMARY_NAME);
    expect((await keyed.get('/actors/ebrahim-raisi').expect(200)).body.description).toBe('changed on the primary');
    // This stand-in replica never receives it: an anonymous read shows where it went.
    await anon.get(`/actors/${created.body.id}`).expect(404);
    expect(await primary.query(`SELECT 1 FROM actors WHERE id = $1`, [created.body.id])).toHaveLength(1);
    expect(await replica.query(`SELECT 1 FROM actors WHERE id = $1`, [created.body.id])).toHaveLength(0);
  });

  it('fills the response cache from the primary only, so a lagging replica never makes a cached answer stale', async () => {
    const { anon } = await clients({ responseCache: { maxBytes: 1024 * 1024 } });
    const miss = await anon.get('/actors/ebrahim-raisi').expect(200);
    expect(miss.headers['x-cache']).toBe('miss');
    expect(miss.body.name).toBe(PRIMARY_NAME);
    const hit = await anon.get('/actors/ebrahim-raisi').expect(200);
    expect(hit.headers['x-cache']).toBe('hit');
    expect(hit.body.name).toBe(PRIMARY_NAME);
    // What the cache does not take still reads the replica.
    expect((await anon.get('/actors?q=raisi&format=csv').expect(200)).text).toContain(REPLICA_NAME);
  });
});

describe('DATABASE_REPLICA_URL', () => {
  it('needs DATABASE_URL, and a PostgreSQL URL', () => {
    expect(() => loadConfig({ DATABASE_REPLICA_URL: 'postgresql://r@replica/attest' })).toThrow(/DATABASE_REPLICA_URL: needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://p@primary/attest', DATABASE_REPLICA_URL: 'mysql://r/attest' })).toThrow(
      /DATABASE_REPLICA_URL: must be a postgresql:\/\/ URL/,
    );
    const config = loadConfig({ DATABASE_URL: 'postgresql://p@primary/attest', DATABASE_REPLICA_URL: 'postgresql://r@replica/attest' });
    expect(config.DATABASE_REPLICA_URL).toBe('postgresql://r@replica/attest');
    expect(loadConfig({ DATABASE_URL: 'postgresql://p@primary/attest', DATABASE_REPLICA_URL: '' }).DATABASE_REPLICA_URL).toBeUndefined();
  });
});
