import { describe, expect, it } from 'vitest';
import { figures as seedFigures, statements as seedStatements } from '../src/seed/data.js';
import { EXAMPLE_IDS, citationSeedId, seedId } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { UNKNOWN_UUID, fieldsOf } from './helpers/problems.js';

const ctx = useApp({ seed: true });

const source = (over: Record<string, unknown> = {}) => ({
  kind: 'press_release',
  title: 'Statement on the situation in Gaza',
  publisher: 'Ministry of Foreign Affairs',
  authors: ['Press Office'],
  language: 'en',
  ...over,
});

describe('sources', () => {
  it('creates a source and answers 201 with its Location', async () => {
    const res = await ctx.api
      .post('/sources')
      .send(source({ url: 'https://example.org/create', retrievedAt: '2024-04-01T10:00:00Z' }))
      .expect(201);
    expect(res.headers.location).toBe(`/sources/${res.body.id}`);
    expect(res.body).toMatchObject({
      kind: 'press_release',
      title: 'Statement on the situation in Gaza',
      url: 'https://example.org/create',
      authors: ['Press Office'],
      publishedOn: null,
      publishedPrecision: null,
      archiveUrl: null,
      notes: null,
    });
    expect(Date.parse(res.body.retrievedAt)).toBe(Date.parse('2024-04-01T10:00:00Z'));
    const read = await ctx.api.get(res.headers.location).expect(200);
    // The record read back carries at least what the create answered.
    expect(read.body).toMatchObject(res.body);
  });

  it('stores the URL normalised and refuses the same page under another spelling with 409 naming url', async () => {
    const messy = 'HTTPS://Example.org/a/?utm_source=x&b=2&a=1#frag';
    const created = await ctx.api
      .post('/sources')
      .send(source({ url: messy }))
      .expect(201);
    expect(created.body.url).toBe('https://example.org/a?a=1&b=2');

    const again = await ctx.api
      .post('/sources')
      .send(source({ title: 'Same page', url: 'https://EXAMPLE.org/a?b=2&a=1&fbclid=abc' }))
      .expect(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ status: 409, code: 'conflict', instance: '/sources' });
    expect(fieldsOf(again.body)).toEqual(['url']);

    const found = await ctx.api.get('/sources').query({ url: 'https://example.org/a/?a=1&b=2&utm_medium=y' }).expect(200);
    expect(found.body.data.map((s: { id: string }) => s.id)).toEqual([created.body.id]);
  });

  it.each([
    ['2024', 'year'],
    ['2024-03', 'month'],
    ['2024-03-30', 'day'],
  ])('round-trips publishedOn %s with precision %s', async (publishedOn, precision) => {
    const res = await ctx.api.post('/sources').send(source({ publishedOn })).expect(201);
    expect(res.body).toMatchObject({ publishedOn, publishedPrecision: precision });
    const read = await ctx.api.get(`/sources/${res.body.id}`).expect(200);
    expect(read.body).toMatchObject({ publishedOn, publishedPrecision: precision });
  });

  it.each(['2024-02-30', '2024-13', '24-03', '2024/03/30'])('rejects publishedOn %s with 400 naming it', async (publishedOn) => {
    const res = await ctx.api.post('/sources').send(source({ publishedOn })).expect(400);
    expect(res.body.code).toBe('validation-failed');
    expect(fieldsOf(res.body)).toEqual(['publishedOn']);
  });

  it('rejects URLs that are not http(s) and names every bad field', async () => {
    const res = await ctx.api
      .post('/sources')
      .send({ kind: 'tweet', url: 'ftp://example.org/x', archiveUrl: 'javascript:alert(1)' })
      .expect(400);
    expect(fieldsOf(res.body)).toEqual(['archiveUrl', 'kind', 'title', 'url']);
  });

  it('filters the list by kind, by publisher (case-insensitive) and by url', async () => {
    const a = (
      await ctx.api
        .post('/sources')
        .send(source({ kind: 'transcript', publisher: 'Filter Weekly' }))
        .expect(201)
    ).body;
    const b = (
      await ctx.api
        .post('/sources')
        .send(source({ kind: 'transcript', publisher: 'Other Daily' }))
        .expect(201)
    ).body;
    const c = (
      await ctx.api
        .post('/sources')
        .send(source({ kind: 'official_report', publisher: 'filter weekly', url: 'https://filter.example/report' }))
        .expect(201)
    ).body;
    const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((s) => s.id).sort();

    const byKind = await ctx.api.get('/sources').query({ kind: 'transcript' }).expect(200);
    expect(ids(byKind)).toEqual([a.id, b.id].sort());
    expect(byKind.body.data.every((s: { kind: string }) => s.kind === 'transcript')).toBe(true);

    const byPublisher = await ctx.api.get('/sources').query({ publisher: 'FILTER WEEKLY' }).expect(200);
    expect(ids(byPublisher)).toEqual([a.id, c.id].sort());
    const both = await ctx.api.get('/sources').query({ publisher: 'Filter Weekly', kind: 'official_report' }).expect(200);
    expect(ids(both)).toEqual([c.id]);

    const seeded = await ctx.api.get('/sources').query({ publisher: 'the palestine chronicle' }).expect(200);
    expect(ids(seeded)).toEqual([EXAMPLE_IDS.source]);

    const byUrl = await ctx.api.get('/sources').query({ url: 'https://FILTER.example/report/#top' }).expect(200);
    expect(ids(byUrl)).toEqual([c.id]);
    const none = await ctx.api.get('/sources').query({ url: 'https://filter.example/nothing-here' }).expect(200);
    expect(none.body).toEqual({ data: [], nextCursor: null });

    const bad = await ctx.api.get('/sources').query({ kind: 'blog', url: 'not a url' }).expect(400);
    expect(fieldsOf(bad.body)).toEqual(['kind', 'url']);
  });

  it('pages through sources by title without repeats or gaps', async () => {
    const all = (await ctx.api.get('/sources').query({ sort: 'title', limit: 100 }).expect(200)).body.data.map(
      (s: { id: string }) => s.id,
    );
    expect(all.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { id: string }[]; nextCursor: string | null } } = await ctx.api
        .get('/sources')
        .query({ sort: 'title', limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.data.map((s) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it('patches fields, normalises a new URL, clears optional fields with null and keeps URLs unique', async () => {
    const s = (
      await ctx.api
        .post('/sources')
        .send(source({ url: 'https://patch.example/one', publishedOn: '2024-03-30', notes: 'temporary' }))
        .expect(201)
    ).body;
    const patched = await ctx.api
      .patch(`/sources/${s.id}`)
      .send({ title: 'Renamed', url: 'HTTPS://Patch.Example/two/', notes: null, publishedOn: null, publisher: null })
      .expect(200);
    expect(patched.body).toMatchObject({
      id: s.id,
      title: 'Renamed',
      url: 'https://patch.example/two',
      notes: null,
      publishedOn: null,
      publishedPrecision: null,
      publisher: null,
      kind: 'press_release',
      authors: ['Press Office'],
    });
    const month = await ctx.api.patch(`/sources/${s.id}`).send({ publishedOn: '2023-12' }).expect(200);
    expect(month.body).toMatchObject({ publishedOn: '2023-12', publishedPrecision: 'month', title: 'Renamed' });

    // Its own URL under another spelling is not a conflict; another source's URL is.
    await ctx.api.patch(`/sources/${s.id}`).send({ url: 'https://patch.example/two#x' }).expect(200);
    const other = (
      await ctx.api
        .post('/sources')
        .send(source({ url: 'https://patch.example/three' }))
        .expect(201)
    ).body;
    const clash = await ctx.api.patch(`/sources/${other.id}`).send({ url: 'https://PATCH.example/two' }).expect(409);
    expect(clash.body.code).toBe('conflict');
    expect(fieldsOf(clash.body)).toEqual(['url']);
    expect((await ctx.api.get(`/sources/${other.id}`).expect(200)).body.url).toBe('https://patch.example/three');

    const nulled = await ctx.api.patch(`/sources/${s.id}`).send({ title: null, kind: null }).expect(400);
    expect(fieldsOf(nulled.body)).toEqual(['kind', 'title']);
  });

  it('deletes an uncited source with 204, after which it is 410 Gone', async () => {
    const s = (
      await ctx.api
        .post('/sources')
        .send(source({ url: 'https://delete.example/x' }))
        .expect(201)
    ).body;
    await ctx.api.delete(`/sources/${s.id}`).expect(204);
    await ctx.api.get(`/sources/${s.id}`).expect(410);
    // The URL is free again.
    await ctx.api
      .post('/sources')
      .send(source({ url: 'https://delete.example/x' }))
      .expect(201);
  });

  it('refuses to delete a cited source with 409 has-dependents listing the citations', async () => {
    const expected = [...seedStatements.map((s) => ['statement', s] as const), ...seedFigures.map((f) => ['figure', f] as const)]
      .flatMap(([kind, owner]) =>
        owner.citations.map((c, i) => (c.sourceKey === 'pc-article' ? citationSeedId(`${kind}:${owner.key}`, i) : null)),
      )
      .filter((id): id is string => id !== null);
    expect(expected.length).toBeGreaterThan(1);

    const res = await ctx.api.delete(`/sources/${EXAMPLE_IDS.source}`).expect(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, code: 'has-dependents', instance: `/sources/${EXAMPLE_IDS.source}` });
    expect(Object.keys(res.body.dependents)).toEqual(['citations']);
    expect(res.body.dependents.citations.count).toBe(expected.length);
    expect(res.body.dependents.citations.ids).toHaveLength(Math.min(10, expected.length));
    for (const id of res.body.dependents.citations.ids) expect(expected).toContain(id);
    for (const id of res.body.dependents.citations.ids) await ctx.api.get(`/citations/${id}`).expect(200);
    await ctx.api.get(`/sources/${EXAMPLE_IDS.source}`).expect(200);
  });

  it('answers 404 for an unknown id and 400 naming id for one that is not a UUID', async () => {
    const unknown = UNKNOWN_UUID;
    for (const req of [
      ctx.api.get(`/sources/${unknown}`),
      ctx.api.patch(`/sources/${unknown}`).send({ title: 'x' }),
      ctx.api.delete(`/sources/${unknown}`),
    ]) {
      const res = await req.expect(404);
      expect(res.body).toMatchObject({ code: 'not-found', instance: `/sources/${unknown}` });
    }
    for (const req of [
      ctx.api.get('/sources/pc-article'),
      ctx.api.patch('/sources/pc-article').send({ title: 'x' }),
      ctx.api.delete('/sources/123'),
    ]) {
      const res = await req.expect(400);
      expect(res.body.code).toBe('validation-failed');
      expect(res.body.errors).toEqual([expect.objectContaining({ in: 'params', field: 'id' })]);
    }
  });
});

describe('the outlet that published a source', () => {
  const PC_ARTICLE = seedId('source:pc-article');
  const ANADOLU_REPORT = seedId('source:anadolu-report');

  it('links the seed’s sources to their outlets, and finds what an outlet carried, relays included', async () => {
    const pc = await ctx.api.get(`/sources/${PC_ARTICLE}`).expect(200);
    expect(pc.body.outlet).toMatchObject({ slug: 'the-palestine-chronicle', kind: 'media_outlet' });
    const byAnadolu = await ctx.api.get('/sources?outlet=anadolu-agency').expect(200);
    expect(byAnadolu.body.data.map((s: { id: string }) => s.id)).toEqual([ANADOLU_REPORT]);
    // By alias too, like every actor reference.
    const byAlias = await ctx.api.get('/sources?outlet=Anadolu').expect(200);
    expect(byAlias.body.data.map((s: { id: string }) => s.id)).toEqual([ANADOLU_REPORT]);
    // "(PC, Anadolu)": the Ministry's count reached the article through the agency, so the agency carried it.
    const figures = await ctx.api.get('/figures?outlet=anadolu-agency&limit=100').expect(200);
    const relayed = seedFigures.filter((f) => f.citations.some((c) => c.relaysKey === 'anadolu-report'));
    expect(figures.body.data.map((f: { id: string }) => f.id).sort()).toEqual(relayed.map((f) => seedId(`figure:${f.key}`)).sort());
    const statements = await ctx.api.get('/statements?outlet=the-palestine-chronicle&limit=100').expect(200);
    const cited = seedStatements.filter((s) => s.citations.some((c) => c.sourceKey === 'pc-article'));
    expect(statements.body.data.map((s: { id: string }) => s.id).sort()).toEqual(
      cited.map((s) => seedId(`statement:${s.key}`)).sort(),
    );
    const none = await ctx.api.get('/statements?outlet=gaza-ministry-of-health').expect(200);
    expect(none.body.data).toEqual([]);
    const unknown = await ctx.api.get('/statements?outlet=no-such-outlet').expect(400);
    expect(fieldsOf(unknown.body)).toEqual(['outlet']);
  });

  it('refuses an outlet that names no actor, where it is given, and keeps an outlet with sources from deletion', async () => {
    const bad = await ctx.api.post('/sources').send({ kind: 'other', title: 'T', outlet: 'no-such-outlet' }).expect(400);
    expect(fieldsOf(bad.body)).toEqual(['outlet']);
    const inline = await ctx.api
      .post('/statements')
      .send({
        speaker: 'israel',
        text: 'Words for the outlet test.',
        language: 'en',
        kind: 'paraphrase',
        saidOn: '2024-05-02',
        citations: [{ source: { kind: 'other', title: 'Inline', outlet: 'no-such-outlet' }, excerpt: 'x', role: 'secondary' }],
      })
      .expect(400);
    expect(fieldsOf(inline.body)).toEqual(['citations.0.source.outlet']);
    const refused = await ctx.api.delete('/actors/anadolu-agency').set('change-reason', 'test').expect(409);
    expect(refused.body.dependents['sources it published'].ids).toEqual([ANADOLU_REPORT]);
    const cleared = await ctx.api.patch(`/sources/${ANADOLU_REPORT}`).set('change-reason', 'test').send({ outlet: null }).expect(200);
    expect(cleared.body.outlet).toBeNull();
    const relinked = await ctx.api
      .patch(`/sources/${ANADOLU_REPORT}`)
      .set('change-reason', 'test')
      .send({ outlet: '@no-handle-here' })
      .expect(400);
    expect(fieldsOf(relinked.body)).toEqual(['outlet']);
    await ctx.api.patch(`/sources/${ANADOLU_REPORT}`).set('change-reason', 'test').send({ outlet: 'AA' }).expect(200);
  });

  it('imports an outlet by any reference, and names the line and field when it names no actor', async () => {
    const lines = [
      { type: 'source', kind: 'news_article', title: 'Imported with an outlet', outlet: 'PC' },
      { type: 'source', kind: 'news_article', title: 'Imported with a bad outlet', outlet: 'nobody-at-all' },
    ];
    const res = await ctx.api
      .post('/import?onError=skip')
      .set('content-type', 'application/x-ndjson')
      .send(lines.map((l) => JSON.stringify(l)).join('\n'))
      .expect(200);
    expect(res.body.failures).toEqual([{ line: 2, type: 'source', field: 'outlet', message: expect.stringContaining('nobody-at-all') }]);
    const found = await ctx.api.get('/sources?outlet=the-palestine-chronicle&limit=100').expect(200);
    expect(found.body.data.map((s: { title: string }) => s.title)).toContain('Imported with an outlet');
  });
});
