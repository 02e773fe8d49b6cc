import { describe, expect, it } from 'vitest';
import { EXAMPLE_IDS } from '../src/seed/ids.js';
import { BEFORE_HISTORY, fillBaselineSnapshots } from '../src/writes/baseline.js';
import { TEST_ADMIN_KEY, useApp } from './helpers/app.js';
import { UNKNOWN_UUID, fieldsOf } from './helpers/problems.js';

const ctx = useApp({ seed: true });

type Entry = {
  revision: number;
  action: string;
  at: string;
  by: string;
  reason: string | null;
  changes: { field: string; before: unknown; after: unknown }[];
  record: Record<string, unknown> | null;
};

// Figures made here count test_* metrics in Testland, so they stay out of the seed's lists.
const figure = (over: Record<string, unknown> = {}) => ({
  metric: 'test_history',
  value: 100,
  area: 'Testland',
  asOf: '2024-05-01',
  citations: [{ sourceId: EXAMPLE_IDS.source, excerpt: 'The passage.', role: 'secondary' }],
  ...over,
});
const createFigure = async (over: Record<string, unknown> = {}) =>
  (await ctx.api.post('/figures').send(figure(over)).expect(201)).body;
const history = async (path: string) => (await ctx.api.get(`${path}/history`).expect(200)).body.data as Entry[];
const changesSince = async (since: string | null) =>
  (await ctx.api.get(`/changes?limit=100${since ? `&since=${encodeURIComponent(since)}` : ''}`).expect(200)).body;

/** The feed's position now: everything after it is what the test does next. */
async function feedEnd(): Promise<string> {
  let page = await changesSince(null);
  while (page.more) page = await changesSince(page.nextCursor);
  return page.nextCursor;
}

describe('revisions', () => {
  it('records the creation, each change with its reason and what changed, and the deletion', async () => {
    const f = await createFigure();
    await ctx.api
      .patch(`/figures/${f.id}`)
      .set('change-reason', 'Corrected%20from%20the%20ministry%E2%80%99s%20bulletin')
      .send({ value: 120 })
      .expect(200);
    await ctx.api.delete(`/figures/${f.id}`).set('change-reason', 'Duplicate of another figure').expect(204);

    const entries = await history(`/figures/${f.id}`);
    expect(entries.map((e) => [e.revision, e.action, e.by])).toEqual([
      [3, 'delete', 'admin'],
      [2, 'update', 'admin'],
      [1, 'create', 'admin'],
    ]);
    expect(entries[0]).toMatchObject({ reason: 'Duplicate of another figure', record: null });
    expect(entries[1].reason).toBe('Corrected from the ministry’s bulletin');
    // "exact" bounds follow the value.
    expect(entries[1].changes).toHaveLength(3);
    expect(entries[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'value', before: 100, after: 120 },
        { field: 'lowerBound', before: 100, after: 120 },
        { field: 'upperBound', before: 100, after: 120 },
      ]),
    );
    expect(entries[2].record).toMatchObject({ id: f.id, value: 100, metric: 'test_history' });
  });

  it('requires a Change-Reason on PATCH and DELETE, naming the header, and changes nothing without one', async () => {
    const f = await createFigure();
    const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
    const patch = await ctx.anon.patch(`/figures/${f.id}`).set(auth).send({ value: 1 }).expect(400);
    expect(fieldsOf(patch.body)).toEqual(['change-reason']);
    expect(patch.body.errors[0].in).toBe('headers');
    const del = await ctx.anon.delete(`/figures/${f.id}`).set(auth).expect(400);
    expect(fieldsOf(del.body)).toEqual(['change-reason']);
    const blank = await ctx.anon.delete(`/figures/${f.id}`).set(auth).set('change-reason', '   ').expect(400);
    expect(fieldsOf(blank.body)).toEqual(['change-reason']);
    expect((await ctx.api.get(`/figures/${f.id}`).expect(200)).body.value).toBe(100);
    expect(await history(`/figures/${f.id}`)).toHaveLength(1);
  });

  it('keeps raw UTF-8 reasons and literal percent signs as sent', async () => {
    const f = await createFigure();
    await ctx.api
      .patch(`/figures/${f.id}`)
      // Sent as raw UTF-8 bytes, as curl does.
      .set('change-reason', 'Cifra según el ministerio')
      .send({ value: 101 })
      .expect(200);
    await ctx.api.patch(`/figures/${f.id}`).set('change-reason', 'a 50% error').send({ value: 102 }).expect(200);
    const [second, first] = await history(`/figures/${f.id}`);
    expect(first.reason).toBe('Cifra según el ministerio');
    expect(second.reason).toBe('a 50% error');
  });

  it('leaves no revision behind a refused or failed write', async () => {
    // Counted in the table, not read from the feed: the feed shows a change once every older transaction
    // in the cluster has ended, so this file's earlier writes may surface in it meanwhile.
    const revisions = async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM revisions'))[0].n;
    const before = await revisions();
    const f = (await ctx.api.get(`/figures/${EXAMPLE_IDS.figure}`).expect(200)).body;
    await ctx.api.patch(`/figures/${f.id}`).send({ lowerBound: 10, upperBound: 1 }).expect(400);
    await ctx.anon.patch(`/figures/${f.id}`).set('change-reason', 'vandalism').send({ value: 1 }).expect(401);
    await ctx.anon.delete(`/figures/${f.id}`).set('change-reason', 'vandalism').expect(401);
    // A citation naming an unknown source fails after the figure row was written: all of it rolls back.
    await ctx.api
      .post('/figures')
      .send(figure({ citations: [{ sourceId: '00000000-0000-4000-8000-000000000000', excerpt: 'x', role: 'primary' }] }))
      .expect(400);
    expect(await revisions()).toBe(before);
    expect((await ctx.api.get(`/figures/${f.id}`).expect(200)).body).toEqual(f);
  });

  it('records a statement revision when its citations or involved actors change', async () => {
    const s = (await ctx.api.get(`/statements/${EXAMPLE_IDS.statement}`).expect(200)).body;
    const before = (await history(`/statements/${s.id}`)).length;
    const added = await ctx.api
      .post(`/statements/${s.id}/citations`)
      .send({ sourceId: EXAMPLE_IDS.source, excerpt: 'Another passage.', role: 'secondary' })
      .expect(201);
    await ctx.api
      .patch(`/statements/${s.id}`)
      .send({ involved: [{ actor: 'ebrahim-raisi', role: 'mentioned' }] })
      .expect(200);
    const entries = await history(`/statements/${s.id}`);
    expect(entries).toHaveLength(before + 2);
    expect(entries[1].changes.map((c) => c.field)).toEqual(['citations']);
    expect(entries[0].changes.map((c) => c.field)).toEqual(['involved']);
    expect((await history(`/citations/${added.body.id}`))[0]).toMatchObject({ action: 'create', revision: 1 });
  });
});

describe('reading the past', () => {
  it('answers GET ?asOf= with the record as it was, 404 before it existed and 410 after it was deleted', async () => {
    const f = await createFigure({ value: 7 });
    const [{ at: createdAt }] = await history(`/figures/${f.id}`);
    await new Promise((r) => setTimeout(r, 5));
    await ctx.api.patch(`/figures/${f.id}`).send({ value: 8 }).expect(200);
    const [{ at: changedAt }] = await history(`/figures/${f.id}`);

    const asOf = (t: string) => ctx.api.get(`/figures/${f.id}?asOf=${encodeURIComponent(t)}`);
    expect((await asOf(createdAt).expect(200)).body).toMatchObject({ id: f.id, value: 7 });
    expect((await asOf(changedAt).expect(200)).body).toMatchObject({ id: f.id, value: 8 });
    const before = new Date(Date.parse(createdAt) - 1).toISOString();
    expect((await asOf(before).expect(404)).body.code).toBe('not-found');

    await ctx.api.delete(`/figures/${f.id}`).expect(204);
    const [{ at: deletedAt }] = await history(`/figures/${f.id}`);
    expect((await asOf(deletedAt).expect(410)).body.code).toBe('gone');
    expect((await asOf(changedAt).expect(200)).body.value).toBe(8);
    expect((await asOf('yesterday').expect(400)).body.errors[0]).toMatchObject({ in: 'query', field: 'asOf' });
  });

  it('answers 410 Gone with when, who, why and the history link for a deleted record, and lists no longer show it', async () => {
    const f = await createFigure({ metric: 'test_gone' });
    await ctx.api.delete(`/figures/${f.id}`).set('change-reason', 'Entered twice').expect(204);
    const res = await ctx.api.get(`/figures/${f.id}`).expect(410);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'gone',
      deleted: { by: 'admin', reason: 'Entered twice', history: `/figures/${f.id}/history` },
    });
    expect(Date.parse(res.body.deleted.at)).not.toBeNaN();
    await ctx.api.patch(`/figures/${f.id}`).send({ value: 1 }).expect(410);
    expect((await ctx.api.get('/figures?metric=test_gone').expect(200)).body.data).toEqual([]);
  });

  it('answers GET ?revision=N with that revision, for good: after a change, and after a deletion (410 for the deletion itself)', async () => {
    const f = await createFigure({ value: 7 });
    await ctx.api.patch(`/figures/${f.id}`).send({ value: 8 }).expect(200);
    const revision = (n: number | string) => ctx.anon.get(`/figures/${f.id}?revision=${n}`);
    expect((await revision(1).expect(200)).body).toMatchObject({ id: f.id, value: 7 });
    expect((await revision(2).expect(200)).body).toMatchObject({ id: f.id, value: 8 });
    // The same record as asOf its revision's time, and as the current read of the last one.
    const [latest, first] = await history(`/figures/${f.id}`);
    expect((await revision(1)).body).toEqual((await ctx.anon.get(`/figures/${f.id}?asOf=${encodeURIComponent(first.at)}`)).body);
    expect((await revision(2)).body).toEqual((await ctx.anon.get(`/figures/${f.id}`)).body);

    await ctx.api.delete(`/figures/${f.id}`).expect(204);
    expect((await revision(2).expect(200)).body.value).toBe(8);
    expect((await revision(3).expect(410)).body).toMatchObject({ code: 'gone', deleted: { by: 'admin' } });
    expect(latest.revision).toBe(2);
  });

  it('answers ?revision= beyond the last with 404 naming revision, and refuses a bad one or one beside asOf or include', async () => {
    const id = EXAMPLE_IDS.statement;
    const [{ revision: latest }] = await history(`/statements/${id}`);
    const missing = await ctx.anon.get(`/statements/${id}?revision=${latest + 1}`).expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({
      code: 'not-found',
      detail: `The statement ${id} has no revision ${latest + 1}; its latest is ${latest}.`,
      errors: [{ in: 'query', field: 'revision', message: `no such revision; the latest is ${latest}` }],
    });
    expect((await ctx.anon.get(`/figures/${UNKNOWN_UUID}?revision=1`).expect(404)).body.errors).toBeUndefined();
    for (const bad of ['0', '-1', '1.5', 'two', '99999999999']) {
      expect(fieldsOf((await ctx.anon.get(`/statements/${id}?revision=${bad}`).expect(400)).body), bad).toEqual(['revision']);
    }
    const withAsOf = await ctx.anon.get(`/statements/${id}?revision=1&asOf=2030-01-01T00:00:00Z`).expect(400);
    expect(fieldsOf(withAsOf.body)).toEqual(['asOf', 'revision']);
    const withInclude = await ctx.anon.get(`/statements/${id}?revision=1&include=actor`).expect(400);
    expect(fieldsOf(withInclude.body)).toEqual(['include', 'revision']);
  });

  it('reads an actor’s revision by its slug, and a source’s', async () => {
    await ctx.api.patch('/actors/israel').send({ role: 'Government of Israel' }).expect(200);
    expect((await ctx.anon.get('/actors/israel').expect(200)).body.role).toBe('Government of Israel');
    expect((await ctx.anon.get('/actors/israel?revision=1').expect(200)).body).toMatchObject({ slug: 'israel', role: null });
    expect((await ctx.anon.get(`/sources/${EXAMPLE_IDS.source}?revision=1`).expect(200)).body.id).toBe(EXAMPLE_IDS.source);
  });
});

describe('the change feed', () => {
  it('lists every change after a cursor, deletions included, and a poller never sees one twice', async () => {
    const start = await feedEnd();
    const f = await createFigure();
    await ctx.api.patch(`/figures/${f.id}`).set('change-reason', 'fix').send({ value: 5 }).expect(200);
    await ctx.api.delete(`/figures/${f.id}`).set('change-reason', 'gone').expect(204);
    // A change shows once every older transaction in the cluster has ended (other test files run
    // beside this one): poll until the deletion is in.
    let page = await changesSince(start);
    for (
      let tries = 0;
      tries < 100 && !page.data.some((c: { id: string; action: string }) => c.id === f.id && c.action === 'delete');
      tries++
    ) {
      await new Promise((r) => setTimeout(r, 100));
      page = await changesSince(start);
    }
    const mine = page.data.filter((c: { id: string }) => c.id === f.id);
    expect(
      mine.map((c: { action: string; revision: number; reason: string | null }) => [c.action, c.revision, c.reason]),
    ).toEqual([
      ['create', 1, 'test'],
      ['update', 2, 'fix'],
      ['delete', 3, 'gone'],
    ]);
    expect(mine[0]).toMatchObject({ resource: 'figure', url: `/figures/${f.id}`, by: 'admin' });
    // The figure's citation is created and deleted with it.
    expect(page.data.filter((c: { id: string }) => c.id === f.citations[0].id).map((c: { action: string }) => c.action)).toEqual([
      'create',
      'delete',
    ]);
    expect((await changesSince(page.nextCursor)).data).toEqual([]);
    expect((await changesSince(page.nextCursor)).nextCursor).toBe(page.nextCursor);
  });

  it('starts from the beginning with the seed, and accepts an RFC 3339 time as since', async () => {
    const first = await changesSince(null);
    expect(first.data[0]).toMatchObject({ action: 'create', revision: 1, by: 'seed' });
    const f = await createFigure();
    const [{ at }] = await history(`/figures/${f.id}`);
    // A change shows once every transaction older than it has ended, in any database of the server
    // (transaction ids are cluster-wide): other test files write beside this one, so poll.
    let fromTime = await changesSince(at);
    for (let i = 0; i < 50 && !fromTime.data.some((c: { id: string }) => c.id === f.id); i++) {
      await new Promise((r) => setTimeout(r, 100));
      fromTime = await changesSince(at);
    }
    expect(fromTime.data.some((c: { id: string }) => c.id === f.id)).toBe(true);
    expect(fromTime.data.every((c: { at: string }) => c.at >= at)).toBe(true);
  });

  it('refuses a damaged since with 400 naming it', async () => {
    for (const since of ['abc', '1.2.3', '99999999999999999999.1', '2024-13-45T00:00:00Z']) {
      const res = await ctx.api.get(`/changes?since=${encodeURIComponent(since)}`).expect(400);
      expect(fieldsOf(res.body)).toEqual(['since']);
    }
  });
});

describe('conditional writes', () => {
  it('applies a PATCH whose If-Match names the current ETag, and answers 412 with the current ETag to a stale one', async () => {
    const f = await createFigure();
    const read = await ctx.api.get(`/figures/${f.id}`).expect(200);
    const etag = read.headers.etag;
    const ok = await ctx.api.patch(`/figures/${f.id}`).set('if-match', etag).send({ value: 150 }).expect(200);
    expect(ok.headers.etag).toBeDefined();
    expect(ok.headers.etag).toBe((await ctx.api.get(`/figures/${f.id}`).expect(200)).headers.etag);
    const stale = await ctx.api.patch(`/figures/${f.id}`).set('if-match', etag).send({ value: 1 }).expect(412);
    expect(stale.body.code).toBe('precondition-failed');
    expect(stale.headers.etag).toBe(ok.headers.etag);
    await ctx.api.delete(`/figures/${f.id}`).set('if-match', etag).expect(412);
    expect((await ctx.api.get(`/figures/${f.id}`).expect(200)).body.value).toBe(150);
    await ctx.api.delete(`/figures/${f.id}`).set('if-match', ok.headers.etag).expect(204);
  });

  it('accepts an actor ETag by slug and a citation ETag', async () => {
    const a = await ctx.api.get('/actors/miguel-diaz-canel').expect(200);
    await ctx.api
      .patch('/actors/miguel-diaz-canel')
      .set('if-match', a.headers.etag)
      .send({ description: 'President of Cuba since 2019.' })
      .expect(200);
    const c = await ctx.api.get(`/citations/${EXAMPLE_IDS.citation}`).expect(200);
    await ctx.api.patch(`/citations/${EXAMPLE_IDS.citation}`).set('if-match', '"stale"').send({ locator: 'para 1' }).expect(412);
    await ctx.api
      .patch(`/citations/${EXAMPLE_IDS.citation}`)
      .set('if-match', c.headers.etag)
      .send({ locator: 'para 1' })
      .expect(200);
  });
});

describe('idempotent creation', () => {
  it('answers a retried POST with the first answer and creates nothing new', async () => {
    const key = `retry-${Date.now()}`;
    const body = figure({ metric: 'test_idempotent' });
    const first = await ctx.api.post('/figures').set('idempotency-key', key).send(body).expect(201);
    const again = await ctx.api.post('/figures').set('idempotency-key', key).send(body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect((await ctx.api.get('/figures?metric=test_idempotent').expect(200)).body.data).toHaveLength(1);
    const other = await ctx.api
      .post('/figures')
      .set('idempotency-key', key)
      .send({ ...body, value: 2 })
      .expect(422);
    expect(fieldsOf(other.body)).toEqual(['idempotency-key']);
  });

  it('creates once when the same key arrives concurrently', async () => {
    const key = `race-${Date.now()}`;
    const body = figure({ metric: 'test_idempotent_race' });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => ctx.api.post('/figures').set('idempotency-key', key).send(body)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await ctx.api.get('/figures?metric=test_idempotent_race').expect(200)).body.data).toHaveLength(1);
  });
});

describe('the record cannot be changed behind the write door', () => {
  it('refuses SQL writes that name no writer, and any change to a revision', async () => {
    await expect(ctx.db.query(`UPDATE figures SET value = 1 WHERE id = $1`, [EXAMPLE_IDS.figure])).rejects.toThrow(
      /outside the write path/,
    );
    await expect(ctx.db.query(`UPDATE revisions SET reason = 'rewritten' WHERE revision = 1`)).rejects.toThrow(/never changed/);
    await expect(ctx.db.query(`DELETE FROM revisions`)).rejects.toThrow(/never removed/);
    expect((await ctx.api.get(`/figures/${EXAMPLE_IDS.figure}`).expect(200)).body.value).not.toBe(1);
  });
});

describe('records from before history', () => {
  it('get their snapshot filled in, so their history and asOf read like any other', async () => {
    const id = '0192e4a1-0000-7000-8000-00000000b001';
    // As the history migration leaves a record it finds: revision 1, no snapshot.
    await ctx.db.query(`DO $$ BEGIN
      PERFORM set_config('attest.writer', '${BEFORE_HISTORY}', true);
      INSERT INTO actors (id, slug, name, kind, updated_at) VALUES ('${id}', 'old-timer', 'Old Timer', 'person', now());
    END $$`);
    await ctx.db.query(`UPDATE revisions SET revision = 1 WHERE record_id = $1::uuid`, [id]);
    expect(await fillBaselineSnapshots(ctx.db)).toBe(1);
    expect(await fillBaselineSnapshots(ctx.db)).toBe(0);
    const [entry] = (await ctx.api.get(`/actors/${id}/history`).expect(200)).body.data;
    expect(entry).toMatchObject({ revision: 1, action: 'create', by: BEFORE_HISTORY, record: { id, slug: 'old-timer' } });
    expect((await ctx.api.get(`/actors/${id}?asOf=${encodeURIComponent(entry.at)}`).expect(200)).body.name).toBe('Old Timer');
  });
});

describe('writes refuse what they do not understand', () => {
  it('answers 400 naming an unknown query parameter on a write, and writes nothing', async () => {
    const before = await feedEnd();
    const res = await ctx.api.post('/figures?dryRun=true').send(figure()).expect(400);
    expect(fieldsOf(res.body)).toEqual(['dryRun']);
    await ctx.api.patch(`/figures/${EXAMPLE_IDS.figure}?force=1`).send({ value: 1 }).expect(400);
    await ctx.api.delete(`/figures/${EXAMPLE_IDS.figure}?cascade=true`).expect(400);
    expect((await changesSince(before)).data).toEqual([]);
  });
});
