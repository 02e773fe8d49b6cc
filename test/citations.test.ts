import { describe, expect, it } from 'vitest';
import { EXAMPLE_IDS, seedId } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { UNKNOWN_UUID, fieldsOf } from './helpers/problems.js';

const ctx = useApp({ seed: true });

const TEHRAN = seedId('source:tehran-meeting-article');
const cite = (over: Record<string, unknown> = {}) => ({
  sourceId: TEHRAN,
  excerpt: 'An added passage.',
  role: 'secondary',
  ...over,
});

/** A statement of our own with the given number of citations, all of the seed article. */
let made = 0;
async function statementWith(n: number) {
  const citations = Array.from({ length: n }, (_, i) => cite({ excerpt: `passage ${i}` }));
  // Words of its own: the same quote twice is one statement (409).
  const text = `Made for a test (${++made}).`;
  const body = { speaker: 'israel', text, language: 'en', kind: 'paraphrase', saidOn: '2024-05', citations };
  return (await ctx.api.post('/statements').send(body).expect(201)).body as { id: string; citations: { id: string }[] };
}

describe('citations', () => {
  it('adds a citation to a statement, answering 201 with its Location', async () => {
    const res = await ctx.api
      .post(`/statements/${EXAMPLE_IDS.statement}/citations`)
      .send(cite({ locator: 'paragraph 3' }))
      .expect(201);
    expect(res.headers.location).toBe(`/citations/${res.body.id}`);
    expect(res.body).toMatchObject({
      statementId: EXAMPLE_IDS.statement,
      figureId: null,
      excerpt: 'An added passage.',
      locator: 'paragraph 3',
      role: 'secondary',
      source: { id: TEHRAN, kind: 'news_article', url: null, publishedOn: '2023-12-04' },
    });
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
    expect((await ctx.api.get(res.headers.location).expect(200)).body).toMatchObject(res.body);
    const statement = (await ctx.api.get(`/statements/${EXAMPLE_IDS.statement}`).expect(200)).body;
    expect(statement.citations.map((c: { id: string }) => c.id)).toContain(res.body.id);
  });

  it('adds a citation to a figure with an inline source, reusing that source for the same URL', async () => {
    const url = 'https://reports.example/gaza?page=2';
    const first = await ctx.api
      .post(`/figures/${EXAMPLE_IDS.figure}/citations`)
      .send({
        source: { kind: 'official_report', title: 'Report', url: `${url}&utm_source=feed` },
        excerpt: 'a',
        role: 'primary',
      })
      .expect(201);
    expect(first.headers.location).toBe(`/citations/${first.body.id}`);
    expect(first.body).toMatchObject({ figureId: EXAMPLE_IDS.figure, statementId: null, role: 'primary', source: { url } });
    const second = await ctx.api
      .post(`/figures/${EXAMPLE_IDS.figure}/citations`)
      .send({
        source: { kind: 'other', title: 'Another title', url: 'HTTPS://REPORTS.example/gaza/?page=2#s' },
        excerpt: 'b',
        role: 'primary',
      })
      .expect(201);
    expect(second.body.source).toMatchObject({ id: first.body.source.id, title: 'Report', kind: 'official_report' });
    expect((await ctx.api.get('/sources').query({ url }).expect(200)).body.data).toHaveLength(1);
    const figure = (await ctx.api.get(`/figures/${EXAMPLE_IDS.figure}`).expect(200)).body;
    expect(figure.citations.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([first.body.id, second.body.id]));
  });

  it('answers 404 for citations on an unknown statement or figure, creating nothing', async () => {
    const url = 'https://orphan.example/never';
    for (const noun of ['statements', 'figures']) {
      const res = await ctx.api
        .post(`/${noun}/${UNKNOWN_UUID}/citations`)
        .send({ source: { kind: 'other', title: 'Orphan', url }, excerpt: 'x', role: 'primary' })
        .expect(404);
      expect(res.body).toMatchObject({ code: 'not-found', instance: `/${noun}/${UNKNOWN_UUID}/citations` });
    }
    expect((await ctx.api.get('/sources').query({ url }).expect(200)).body.data).toEqual([]);
    const bad = await ctx.api.post('/statements/not-a-uuid/citations').send(cite()).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ in: 'params', field: 'id' })]);
  });

  it('answers 400 naming the field for bad citation bodies', async () => {
    const target = `/statements/${EXAMPLE_IDS.statement}/citations`;
    const unknownSource = await ctx.api
      .post(target)
      .send(cite({ sourceId: UNKNOWN_UUID }))
      .expect(400);
    expect(unknownSource.body.code).toBe('validation-failed');
    expect(fieldsOf(unknownSource.body).some((f) => f.endsWith('sourceId'))).toBe(true);
    const missing = await ctx.api.post(target).send({ sourceId: TEHRAN }).expect(400);
    expect(fieldsOf(missing.body)).toEqual(['excerpt', 'role']);
    const both = await ctx.api
      .post(target)
      .send(cite({ source: { kind: 'other', title: 't' } }))
      .expect(400);
    expect(both.body.code).toBe('validation-failed');
    const neither = await ctx.api.post(target).send({ excerpt: 'x', role: 'primary' }).expect(400);
    expect(neither.body.code).toBe('validation-failed');
  });

  it('reads a seed citation with what it supports and its source', async () => {
    const res = await ctx.api.get(`/citations/${EXAMPLE_IDS.citation}`).expect(200);
    expect(res.body).toMatchObject({
      id: EXAMPLE_IDS.citation,
      statementId: EXAMPLE_IDS.statement,
      figureId: null,
      role: 'secondary',
      source: { id: EXAMPLE_IDS.source, publisher: 'The Palestine Chronicle', publishedOn: '2024-03' },
    });
    await ctx.api.get(`/citations/${UNKNOWN_UUID}`).expect(404);
    await ctx.api.get('/citations/abc').expect(400);
  });

  it('patches a citation: text, role, locator cleared with null, and another source', async () => {
    const s = await statementWith(1);
    const id = s.citations[0].id;
    await ctx.api.patch(`/citations/${id}`).send({ locator: 'p. 2' }).expect(200);
    const res = await ctx.api
      .patch(`/citations/${id}`)
      .send({ excerpt: 'Corrected passage.', role: 'primary', locator: null, sourceId: EXAMPLE_IDS.source })
      .expect(200);
    expect(res.body).toMatchObject({
      id,
      statementId: s.id,
      excerpt: 'Corrected passage.',
      role: 'primary',
      locator: null,
      source: { id: EXAMPLE_IDS.source },
    });
    expect((await ctx.api.get(`/citations/${id}`).expect(200)).body).toMatchObject(res.body);

    const unknown = await ctx.api.patch(`/citations/${id}`).send({ sourceId: UNKNOWN_UUID }).expect(400);
    expect(fieldsOf(unknown.body)).toEqual(['sourceId']);
    const moved = await ctx.api.patch(`/citations/${id}`).send({ statementId: EXAMPLE_IDS.statement, excerpt: '' }).expect(400);
    expect(fieldsOf(moved.body)).toEqual(['excerpt', 'statementId']);
    expect((await ctx.api.get(`/citations/${id}`).expect(200)).body.source.id).toBe(EXAMPLE_IDS.source);
    await ctx.api.patch(`/citations/${UNKNOWN_UUID}`).send({ locator: 'x' }).expect(404);
  });

  it('deletes a citation that is not the last one', async () => {
    const s = await statementWith(2);
    const [gone, kept] = s.citations;
    await ctx.api.delete(`/citations/${gone.id}`).expect(204);
    await ctx.api.get(`/citations/${gone.id}`).expect(410);
    const after = (await ctx.api.get(`/statements/${s.id}`).expect(200)).body;
    expect(after.citations.map((c: { id: string }) => c.id)).toEqual([kept.id]);
    await ctx.api.delete(`/citations/${gone.id}`).expect(410);
  });

  it('refuses to delete the last citation of a statement or a figure with 409 last-citation', async () => {
    const s = await statementWith(1);
    const res = await ctx.api.delete(`/citations/${s.citations[0].id}`).expect(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, code: 'last-citation', instance: `/citations/${s.citations[0].id}` });
    await ctx.api.get(`/citations/${s.citations[0].id}`).expect(200);

    const figure = (await ctx.api.get(`/figures/${seedId('figure:missing-2024-03')}`).expect(200)).body;
    expect(figure.citations).toHaveLength(1);
    const last = await ctx.api.delete(`/citations/${figure.citations[0].id}`).expect(409);
    expect(last.body.code).toBe('last-citation');

    // With a second citation added, one of them can go, and then the other is the last again.
    const added = (await ctx.api.post(`/statements/${s.id}/citations`).send(cite()).expect(201)).body;
    await ctx.api.delete(`/citations/${s.citations[0].id}`).expect(204);
    await ctx.api.delete(`/citations/${added.id}`).expect(409);
  });
  it('keeps one citation when the last two are deleted at the same time', async () => {
    for (let round = 0; round < 5; round++) {
      const s = await statementWith(2);
      const answers = await Promise.all(s.citations.map((c) => ctx.api.delete(`/citations/${c.id}`)));
      expect(answers.map((r) => r.status).sort()).toEqual([204, 409]);
      expect((await ctx.api.get(`/statements/${s.id}`).expect(200)).body.citations).toHaveLength(1);
    }
  });
});
