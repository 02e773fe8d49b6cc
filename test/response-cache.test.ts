import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { type App, buildApp } from '../src/app.js';
import { loadConfig, responseCacheOn } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { TEST_ADMIN_KEY } from './helpers/app.js';
import { freshDatabase } from './helpers/database.js';

// One instance, its generation in memory (the embedded database's case; several instances through Redis
// are tested in test/instances.test.ts). The app's database is wrapped to count what reaches it.
const ctx = {} as { app: App; db: Database; anon: ReturnType<typeof supertest.agent>; api: ReturnType<typeof supertest.agent> };
let reads = 0;
let drop: () => Promise<void>;
beforeAll(async () => {
  const fresh = await freshDatabase({ seed: true });
  drop = fresh.drop;
  ctx.db = fresh.db;
  const counted: Database = {
    ...fresh.db,
    query: (...args) => {
      reads++;
      return fresh.db.query(...args);
    },
  };
  ctx.app = await buildApp({ database: counted, adminKey: TEST_ADMIN_KEY, responseCache: { maxBytes: 1024 * 1024 } });
  // Listening on one port: supertest would otherwise start the server on a new port (a new Host) per request.
  const url = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  ctx.anon = supertest.agent(url);
  ctx.api = supertest.agent(url).set('authorization', `Bearer ${TEST_ADMIN_KEY}`).set('change-reason', 'test');
});
afterAll(async () => {
  await ctx.app?.close();
  await drop?.();
});

const LIST = '/statements?actor=ebrahim-raisi&limit=2';

describe('the response cache', () => {
  it('answers a repeated read from memory, same body and tag, and 304 to a client that has it', async () => {
    const first = await ctx.anon.get(LIST).expect(200);
    expect(first.body.data.length).toBe(2);
    const before = reads;
    const again = await ctx.anon.get(LIST).expect(200);
    expect(reads).toBe(before);
    expect(again.text).toBe(first.text);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers.link).toBe(first.headers.link);
    expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
    const notModified = await ctx.anon.get(LIST).set('if-none-match', first.headers.etag).expect(304);
    expect(notModified.text).toBe('');
    expect(reads).toBe(before);
  });

  it('shows a write to the very next read', async () => {
    const id = (await ctx.anon.get(LIST).expect(200)).body.data[0].id as string;
    await ctx.anon.get(`/statements/${id}`).expect(200);
    for (const notes of ['first change', 'second change']) {
      await ctx.api.patch(`/statements/${id}`).send({ notes }).expect(200);
      expect((await ctx.anon.get(`/statements/${id}`).expect(200)).body.notes).toBe(notes);
      expect((await ctx.anon.get(LIST).expect(200)).body.data[0].notes).toBe(notes);
    }
    // A write that fails changes nothing, and what is cached stays right.
    await ctx.api.patch(`/statements/${id}`).send({ language: 'not a language' }).expect(400);
    expect((await ctx.anon.get(`/statements/${id}`).expect(200)).body.notes).toBe('second change');
  });

  it('keeps requests with credentials, CSV and NDJSON, the change feed and keys out of it', async () => {
    await ctx.anon.get(LIST).expect(200);
    // Twice each: the second would be a hit if the first had been filed.
    const uncached = async (send: () => Promise<{ headers: Record<string, string> }>) => {
      await send();
      expect((await send()).headers['x-cache']).toBeUndefined();
    };
    expect((await ctx.anon.get(LIST).expect(200)).headers['x-cache']).toBe('hit');
    await uncached(() => ctx.anon.get(LIST).set('authorization', `Bearer ${TEST_ADMIN_KEY}`).expect(200));
    for (const variant of [`${LIST}&format=csv`, `${LIST}&format=ndjson`]) await uncached(() => ctx.anon.get(variant).expect(200));
    await uncached(() => ctx.anon.get(LIST).set('accept', 'text/csv').expect(200));
    const csv = await ctx.anon.get(LIST).set('accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    await uncached(() => ctx.anon.get(LIST).set('accept', 'application/x-ndjson').expect(200));
    // JSON again, as cached before the CSV answers.
    expect((await ctx.anon.get(LIST).expect(200)).headers['content-type']).toMatch(/^application\/json/);
    await uncached(() => ctx.anon.get('/changes?limit=5').expect(200));
    await uncached(() => ctx.anon.get('/keys').set('authorization', `Bearer ${TEST_ADMIN_KEY}`).expect(200));
    expect((await ctx.anon.get('/keys').set('authorization', `Bearer ${TEST_ADMIN_KEY}`)).headers['cache-control']).toBe('no-store');
    // Without credentials, /keys is still refused after an authorised answer.
    await ctx.anon.get('/keys').expect(401);
  });

  it('keeps what compression made of an answer, one copy per Accept-Encoding, and compresses nothing again', async () => {
    // A small page, compressed in one go, and a large one, compressed as a stream.
    for (const page of ['/statements?actor=ebrahim-raisi&limit=5', '/statements?limit=100']) await sameEncoded(page);
    const refused = await ctx.anon.get(LIST).set('accept-encoding', 'gzip').set('x-no-compression', '1').expect(200);
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  async function sameEncoded(page: string) {
    const plain = await ctx.anon.get(page).set('accept-encoding', 'identity').expect(200);
    expect(plain.text.length).toBeGreaterThan(1024);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const cache = ctx.app.responseCache!;
    for (const encoding of ['gzip', 'br']) {
      const first = await ctx.anon.get(page).set('accept-encoding', encoding).expect(200);
      expect(first.headers['x-cache']).toBe('hit');
      expect(first.headers['content-encoding']).toBe(encoding);
      const encodedHits = cache.encodedHits;
      const again = await ctx.anon.get(page).set('accept-encoding', encoding).expect(200);
      expect(again.headers['content-encoding']).toBe(encoding);
      expect(again.headers.vary).toContain('accept-encoding');
      expect(again.headers.etag).toBe(plain.headers.etag);
      // Decoded by the client, the same answer; the second one from the copy filed by the first.
      expect(again.text).toBe(plain.text);
      expect(cache.encodedHits).toBe(encodedHits + 1);
    }
  }

  it('files answers by host, whose absolute Link they carry', async () => {
    const a = await ctx.anon.get(LIST).set('host', 'a.example').expect(200);
    const b = await ctx.anon.get(LIST).set('host', 'b.example').expect(200);
    expect(a.headers.link).toContain('http://a.example/statements?');
    expect(b.headers.link).toContain('http://b.example/statements?');
  });

  it('does not cache errors', async () => {
    await ctx.anon.get('/statements/00000000-0000-7000-8000-000000000000').expect(404);
    const before = reads;
    const again = await ctx.anon.get('/statements/00000000-0000-7000-8000-000000000000').expect(404);
    expect(again.headers['x-cache']).toBe('miss');
    expect(reads).toBeGreaterThan(before);
  });

  it('stays within its size, dropping the least recently used', async () => {
    // An app of its own with a small cache, on the same database.
    const MAX_BYTES = 16 * 1024;
    const small = await buildApp({ database: ctx.db, responseCache: { maxBytes: MAX_BYTES } });
    try {
      const anon = supertest.agent(await small.listen({ port: 0, host: '127.0.0.1' }));
      const actors = (await anon.get('/actors?limit=100').expect(200)).body.data as { slug: string }[];
      let sent = 0;
      for (const { slug } of actors) {
        for (const limit of [20, 50, 100]) sent += (await anon.get(`/statements?actor=${slug}&limit=${limit}`).expect(200)).text.length;
      }
      const cache = small.responseCache!;
      expect(sent).toBeGreaterThan(2 * MAX_BYTES);
      expect(cache.entries()).toBeGreaterThan(1);
      expect(cache.bytes()).toBeLessThanOrEqual(MAX_BYTES);
      // The most recently used is still there.
      const last = `/statements?actor=${actors.at(-1)!.slug}&limit=100`;
      expect((await anon.get(last).expect(200)).headers['x-cache']).toBe('hit');
    } finally {
      await small.close();
    }
  });
});

describe('RESPONSE_CACHE and REDIS_URL', () => {
  const pg = { DATABASE_URL: 'postgresql://p@db/attest' };
  it('cache by default with Redis or the embedded database, not on PostgreSQL alone (another instance could write unseen)', () => {
    expect(responseCacheOn(loadConfig({}))).toBe(true);
    expect(responseCacheOn(loadConfig(pg))).toBe(false);
    expect(responseCacheOn(loadConfig({ ...pg, REDIS_URL: 'redis://redis:6379' }))).toBe(true);
    expect(responseCacheOn(loadConfig({ ...pg, RESPONSE_CACHE: 'on' }))).toBe(true);
    expect(responseCacheOn(loadConfig({ RESPONSE_CACHE: 'off' }))).toBe(false);
    expect(loadConfig({}).RESPONSE_CACHE_MB).toBe(64);
  });
  it('are checked at start-up', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://redis:6379' })).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => loadConfig({ RESPONSE_CACHE: 'yes' })).toThrow(/RESPONSE_CACHE/);
    expect(() => loadConfig({ RESPONSE_CACHE_MB: '0' })).toThrow(/RESPONSE_CACHE_MB/);
    expect(loadConfig({ REDIS_URL: 'rediss://:secret@redis.example:6380/2' }).REDIS_URL).toBe('rediss://:secret@redis.example:6380/2');
  });
});
