import { describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.js';
import supertest from 'supertest';
import { TEST_ADMIN_KEY, useApp } from './helpers/app.js';
import { freshDatabase } from './helpers/database.js';
import { DIAZ } from './helpers/seed.js';

// The PostgreSQL server has autovacuum; the embedded database has src/db/upkeep.ts instead.
const embedded = !process.env.TEST_DATABASE_URL;

describe.runIf(embedded)('the embedded database keeps its planner statistics', () => {
  const ctx = useApp({ seed: true });

  const estimatedStatements = async () =>
    (await ctx.db.query<{ n: number }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'statements'`))[0].n;

  const lines = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        type: 'statement',
        speaker: DIAZ,
        text: `Upkeep test ${tag} ${i}.`,
        language: 'en',
        kind: 'paraphrase',
        saidOn: '2025-02',
        citations: [
          {
            source: { kind: 'news_article', title: 'Upkeep test', url: 'https://upkeep.example/a' },
            excerpt: 'Upkeep.',
            role: 'secondary',
          },
        ],
      }),
    ).join('\n');

  it('a bulk import is analysed once writes pause, and reads go on meanwhile', async () => {
    const before = await estimatedStatements();
    const res = await ctx.api.post('/import').set('content-type', 'application/x-ndjson').send(lines(300, 'bulk'));
    expect(res.status, res.text.slice(0, 500)).toBe(200);
    // Upkeep waits for 2 s without writes, then holds the database for its VACUUM ANALYZE.
    let after = before;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      await ctx.anon.get('/statements?limit=1').expect(200);
      after = await estimatedStatements();
      if (after >= 300) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(before).toBeLessThan(300);
    expect(after).toBeGreaterThanOrEqual(300);
  });

  it('a handful of writes does not set it off', async () => {
    const before = await estimatedStatements();
    const res = await ctx.api.post('/import').set('content-type', 'application/x-ndjson').send(lines(5, 'few'));
    expect(res.status, res.text.slice(0, 500)).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    // Analysed, the estimate would count the five new statements.
    expect(await estimatedStatements()).toBe(before);
  });
});

describe.runIf(embedded)('the embedded database at start-up', () => {
  it('analyses a table that grew since it was last analysed (by a server stopped before its upkeep)', async () => {
    const { db, drop } = await freshDatabase();
    const apps: App[] = [];
    const start = async () => {
      const app = await buildApp({ database: db, adminKey: TEST_ADMIN_KEY });
      apps.push(app);
      await app.ready();
      return app;
    };
    const estimate = async () =>
      (await db.query<{ n: number }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'sources'`))[0].n;
    try {
      const first = await start();
      const sources = Array.from({ length: 1000 }, (_, i) =>
        JSON.stringify({ type: 'source', kind: 'official_report', title: `Imported before a stop ${i}` }),
      ).join('\n');
      const res = await supertest(first.server)
        .post('/import')
        .set('authorization', `Bearer ${TEST_ADMIN_KEY}`)
        .set('change-reason', 'test')
        .set('content-type', 'application/x-ndjson')
        .send(sources);
      expect(res.status, res.text.slice(0, 300)).toBe(200);
      // Stopped before writes had paused long enough for its upkeep.
      await first.close();
      expect(await estimate()).toBeLessThan(1000);
      await start();
      const deadline = Date.now() + 15_000;
      while ((await estimate()) < 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(await estimate()).toBeGreaterThanOrEqual(1000);
    } finally {
      for (const app of apps) await app.close();
      await drop();
    }
  });
});
