import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { applyMigrations } from '../src/db/migrations.js';
import { loadSeed } from '../src/seed/load.js';
import { EXAMPLE_IDS } from '../src/seed/ids.js';
import { TEST_ADMIN_KEY, TEST_HOST } from './helpers/app.js';
import { freshDatabase } from './helpers/database.js';
import { DIAZ, MOH, RAISI, TEHRAN } from './helpers/seed.js';

/**
 * An export imported into an empty database restores it: exporting that gives the same lines. This is
 * how an embedded database moves to a PostgreSQL server, so with TEST_DATABASE_URL it is tried both
 * ways (PGlite → PostgreSQL, PostgreSQL → PGlite); without, PGlite → PGlite.
 */
type Kind = 'pglite' | 'postgres';
const server = process.env.TEST_DATABASE_URL;
const ways: [Kind, Kind][] = server
  ? [
      ['pglite', 'postgres'],
      ['postgres', 'pglite'],
    ]
  : [['pglite', 'pglite']];

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A database of the kind asked for: from the test templates when it is the run's kind, else migrated here. */
async function database(kind: Kind, seed: boolean): Promise<Database> {
  if ((kind === 'postgres') === !!server) {
    const fresh = await freshDatabase({ seed });
    cleanups.push(fresh.drop);
    return fresh.db;
  }
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  cleanups.push(() => db.close());
  await applyMigrations(db.migrationAdapter());
  if (seed) await loadSeed(db);
  return db;
}

async function serve(db: Database) {
  const app: App = await buildApp({ database: db, adminKey: TEST_ADMIN_KEY });
  await app.ready();
  cleanups.push(() => app.close());
  return supertest
    .agent(app.server)
    .set('host', TEST_HOST)
    .set('authorization', `Bearer ${TEST_ADMIN_KEY}`)
    .set('change-reason', 'restore test');
}

/** Records of every shape beyond the seed's: optional fields filled, changed after creation, one deleted. */
async function addVariety(api: Awaited<ReturnType<typeof serve>>) {
  await api
    .post('/actors')
    .send({
      name: 'Variety Person',
      kind: 'person',
      aliases: ['V. Person', 'Вариант'],
      role: 'Spokesperson',
      country: 'PS',
      handles: [{ platform: 'Telegram', handle: 'variety', url: 'https://t.me/variety' }],
      externalIds: { wikidata: 'Q1', viaf: '123' },
      description: 'Made with every field.',
    })
    .expect(201);
  const source = (
    await api
      .post('/sources')
      .send({
        kind: 'official_report',
        title: 'Variety report',
        url: 'https://variety.example/report?b=2&a=1',
        publisher: 'Variety Office',
        authors: ['One', 'Two'],
        publishedOn: '2024-02',
        language: 'en',
        retrievedAt: '2024-03-01T10:20:30.456Z',
        archiveUrl: 'https://web.archive.org/web/2024/https://variety.example/report',
        notes: 'All fields.',
      })
      .expect(201)
  ).body;
  const statement = (
    await api
      .post('/statements')
      .send({
        speaker: 'variety-person',
        text: 'A translated statement with everything.',
        language: 'en',
        originalText: 'بيان مترجم',
        originalLanguage: 'ar',
        kind: 'direct_quote',
        saidOn: '2024',
        medium: 'press_conference',
        platform: null,
        location: 'Ramallah',
        occasion: 'Weekly briefing',
        tags: ['#Variety', 'Test'],
        verification: 'original',
        notes: 'Notes.',
        involved: [
          { actor: RAISI, role: 'mentioned' },
          { actor: DIAZ, role: 'addressee' },
        ],
        citations: [
          { sourceId: source.id, excerpt: 'first', locator: 'p. 2', role: 'primary' },
          { source: { kind: 'transcript', title: 'An unpublished transcript' }, excerpt: 'second', role: 'secondary' },
        ],
      })
      .expect(201)
  ).body;
  await api
    .post('/figures')
    .send({
      metric: 'detained',
      value: 250.5,
      qualifier: 'more_than',
      upperBound: 400,
      phrase: 'more than 250',
      population: 'journalists',
      area: 'West Bank',
      cumulative: false,
      periodStart: '2024-01-01',
      periodEnd: '2024-01-31',
      asOf: '2024-02-01',
      reporter: null,
      statementId: statement.id,
      caveats: 'Caveat.',
      notes: 'Note.',
      citations: [{ sourceId: TEHRAN, excerpt: 'more than 250', role: 'secondary' }],
    })
    .expect(201);
  await api.patch(`/statements/${EXAMPLE_IDS.statement}`).send({ notes: 'Changed after the seed.' }).expect(200);
  await api
    .post(`/figures/${EXAMPLE_IDS.figure}/citations`)
    .send({ sourceId: TEHRAN, excerpt: 'added later', role: 'secondary' })
    .expect(201);
  const doomed = (await api.post('/actors').send({ name: 'Deleted Before Export', kind: 'other' }).expect(201)).body;
  await api.delete(`/actors/${doomed.id}`).expect(204);
  // A reporter by slug, a figure without citations' locators: the seed has those.
  await api.get(`/actors/${MOH}`).expect(200);
}

const lines = (text: string) => text.split('\n').filter(Boolean);

describe.each(ways)('an export imported from %s into an empty %s database', (from, to) => {
  it('restores it: the export of the restored database has the same lines, and a second import creates nothing', async () => {
    const source = await serve(await database(from, true));
    await addVariety(source);
    const exported = (await source.get('/export').expect(200)).text;

    const target = await serve(await database(to, false));
    const res = await target.post('/import').set('content-type', 'application/x-ndjson').send(exported).expect(200);
    expect(res.body).toMatchObject({ written: true, failed: 0, updated: 0, unchanged: 0 });
    expect(res.body.created).toBe(lines(exported).length);

    const restored = (await target.get('/export').expect(200)).text;
    const [a, b] = [lines(exported), lines(restored)];
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) expect(b[i], `line ${i + 1}`).toBe(a[i]);

    // The API reads the same too, e.g. a statement with everything, but for its revision: the restored
    // record's history begins with the import (history=true, below, keeps the numbers).
    const path = `/statements/${EXAMPLE_IDS.statement}`;
    const { revision, permalink, citeAs, ...restoredStatement } = (await target.get(path).expect(200)).body;
    const { revision: before, permalink: _p, citeAs: _c, ...sourceStatement } = (await source.get(path).expect(200)).body;
    expect(restoredStatement).toEqual(sourceStatement);
    expect([before, revision]).toEqual([2, 1]);
    expect(citeAs.endsWith(`revision 1, ${permalink}.`)).toBe(true);

    const again = await target.post('/import').set('content-type', 'application/x-ndjson').send(exported).expect(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, failed: 0, unchanged: a.length });
    // Each restored record has one revision, the import's.
    const history = (await target.get(`${path}/history`).expect(200)).body.data;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: 'create', reason: 'restore test' });
    // Migrating an embedded database of the other kind takes a while on a busy machine.
  }, 120_000);

  it('with history=true, restores every revision as it was: history, deletions and the feed carry on from there', async () => {
    const source = await serve(await database(from, true));
    await addVariety(source);
    const exported = (await source.get('/export?history=true').expect(200)).text;
    const revisionLines = lines(exported).filter((l) => l.startsWith('{"type":"revision"'));
    expect(revisionLines.length).toBeGreaterThan(50);

    const target = await serve(await database(to, false));
    const res = await target.post('/import').set('content-type', 'application/x-ndjson').send(exported).expect(200);
    expect(res.body).toMatchObject({ written: true, failed: 0, revisionsRestored: revisionLines.length, revisionsSkipped: 0 });
    expect(res.body.created).toBe(lines(exported).length - revisionLines.length);

    const restored = (await target.get('/export?history=true').expect(200)).text;
    const [a, b] = [lines(exported), lines(restored)];
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) expect(b[i], `line ${i + 1}`).toBe(a[i]);

    // The history API answers as the source did: every revision, who, when and why, and 410 for the deleted.
    const path = `/statements/${EXAMPLE_IDS.statement}`;
    const before = (await source.get(`${path}/history`).expect(200)).body.data;
    expect(before.length).toBeGreaterThan(1);
    expect((await target.get(`${path}/history`).expect(200)).body.data).toEqual(before);
    // A permalink cited before the move answers the same after it.
    const cited = `${path}?revision=${before[0].revision}`;
    expect((await target.get(cited).expect(200)).body).toEqual((await source.get(cited).expect(200)).body);
    const deleted = JSON.parse(revisionLines.find((l) => l.includes('"action":"delete"'))!);
    const gone = await target.get(`/actors/${deleted.id}`).expect(410);
    expect(gone.body).toEqual((await source.get(`/actors/${deleted.id}`).expect(410)).body);

    // A change after the restore is the next revision; the restored feed lists history oldest first.
    await target.patch(path).send({ notes: 'Changed after the restore.' }).expect(200);
    const after = (await target.get(`${path}/history`).expect(200)).body.data;
    expect(after[0]).toMatchObject({ revision: before[0].revision + 1, reason: 'restore test' });
    const feed = (await target.get('/changes?limit=100').expect(200)).body;
    const times = feed.data.map((c: { at: string }) => c.at);
    expect(times).toEqual([...times].sort());
    const firstPage = (await target.get('/changes?limit=5').expect(200)).body;
    expect(firstPage.nextCursor).toMatch(/^-\d+\.\d+$/);
    const next = (await target.get(`/changes?limit=5&since=${firstPage.nextCursor}`).expect(200)).body;
    expect(next.data).toEqual(feed.data.slice(5, 10));
    // An import into a database that has history keeps that history: the lines are skipped.
    const again = await target.post('/import').set('content-type', 'application/x-ndjson').send(exported).expect(200);
    expect(again.body).toMatchObject({ created: 0, failed: 0, revisionsRestored: 0, revisionsSkipped: revisionLines.length });
  }, 120_000);
});
