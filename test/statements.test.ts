import { describe, expect, it } from 'vitest';
import { sources as seedSources, statements as seedStatements } from '../src/seed/data.js';
import { EXAMPLE_IDS, citationSeedId, seedId } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { UNKNOWN_UUID, fieldsOf } from './helpers/problems.js';
import { DIAZ, RAISI, sid, TEHRAN, seededStatements } from './helpers/seed.js';

const ctx = useApp({ seed: true });

type Stmt = {
  id: string;
  saidOn: string;
  speaker: { slug: string };
  citations: { id: string; excerpt: string; source: { id: string } }[];
};

// Each made-up statement has its own words: the same quote twice is one statement (409).
let made = 0;
const statement = (over: Record<string, unknown> = {}) => ({
  speaker: 'anadolu-agency',
  text: `A statement written by the tests (${++made}).`,
  language: 'en',
  kind: 'official_statement',
  saidOn: '2024-05-01',
  tags: ['test-made'],
  citations: [{ sourceId: EXAMPLE_IDS.source, excerpt: 'The passage.', role: 'secondary' }],
  ...over,
});

const post = (over: Record<string, unknown> = {}) => ctx.api.post('/statements').send(statement(over));

/** Ids of the statements a query lists, sorted; one page of up to 100 holds them all. */
const listIds = async (query: string) =>
  ((await ctx.api.get(`/statements?limit=100&${query}`).expect(200)).body.data as Stmt[]).map((s) => s.id).sort();

describe('creating statements', () => {
  it('reuses a source by URL, creates one without URL and cites one by id, in one request', async () => {
    const existing = (
      await ctx.api
        .post('/sources')
        .send({ kind: 'news_article', title: 'Original title', url: 'https://news.example/story?id=7' })
        .expect(201)
    ).body;
    const before = (await ctx.api.get('/sources?limit=100').expect(200)).body.data.length;
    const res = await post({
      citations: [
        {
          source: { kind: 'news_article', title: 'Other title', url: 'HTTPS://News.example/story/?utm_campaign=z&id=7' },
          excerpt: 'by url',
          role: 'secondary',
        },
        {
          source: { kind: 'transcript', title: 'Unpublished transcript' },
          excerpt: 'new source',
          locator: '00:12:30',
          role: 'primary',
        },
        { sourceId: TEHRAN, excerpt: 'by id', role: 'secondary' },
      ],
    }).expect(201);
    expect(res.headers.location).toBe(`/statements/${res.body.id}`);
    const by = (excerpt: string) => (res.body as Stmt).citations.find((c) => c.excerpt === excerpt)!;
    expect(res.body.citations).toHaveLength(3);
    expect(by('by url').source).toMatchObject({
      id: existing.id,
      title: 'Original title',
      url: 'https://news.example/story?id=7',
    });
    expect(by('by id').source.id).toBe(TEHRAN);
    const created = by('new source');
    expect(created).toMatchObject({ role: 'primary', locator: '00:12:30', source: { kind: 'transcript', url: null } });
    expect((await ctx.api.get(`/sources/${created.source.id}`).expect(200)).body.title).toBe('Unpublished transcript');
    expect((await ctx.api.get('/sources?limit=100').expect(200)).body.data.length).toBe(before + 1);
    expect((await ctx.api.get(res.headers.location).expect(200)).body).toMatchObject(res.body);
  });

  it('names the speaker by slug or by id', async () => {
    const bySlug = await post({ speaker: 'the-palestine-chronicle' }).expect(201);
    expect(bySlug.body.speaker).toEqual({
      id: seedId('actor:the-palestine-chronicle'),
      slug: 'the-palestine-chronicle',
      name: 'The Palestine Chronicle',
      kind: 'media_outlet',
    });
    const byId = await post({ speaker: seedId('actor:israel') }).expect(201);
    expect(byId.body.speaker).toMatchObject({ id: seedId('actor:israel'), slug: 'israel' });
  });

  it.each([
    ['an unknown speaker', { speaker: 'no-such-actor' }, ['speaker']],
    ['an unknown involved actor', { involved: [{ actor: 'no-such-actor', role: 'mentioned' }] }, ['involved.0.actor']],
    [
      'an unknown source id',
      { citations: [{ sourceId: UNKNOWN_UUID, excerpt: 'x', role: 'primary' }] },
      ['citations.0.sourceId'],
    ],
    ['no citations', { citations: [] }, ['citations']],
    ['originalText without originalLanguage', { originalText: 'Cuba demanda que cese el genocidio ya.' }, ['originalLanguage']],
  ])('answers 400 for %s, naming the field', async (_what, over, expected) => {
    const res = await post(over).expect(400);
    expect(res.body.code).toBe('validation-failed');
    expect(fieldsOf(res.body)).toEqual(expected);
  });

  it('answers 400 for a citation giving both or neither of sourceId and source', async () => {
    const both = { sourceId: TEHRAN, source: { kind: 'other', title: 'x' }, excerpt: 'x', role: 'primary' };
    const neither = { excerpt: 'x', role: 'primary' };
    for (const citation of [both, neither]) {
      const res = await post({ citations: [citation] }).expect(400);
      expect(res.body.code).toBe('validation-failed');
      expect(fieldsOf(res.body).every((f) => f.startsWith('citations.0'))).toBe(true);
      expect(fieldsOf(res.body).length).toBeGreaterThan(0);
    }
  });

  it('keeps the precision of saidOn and drops a leading # from tags', async () => {
    for (const [saidOn, precision] of [
      ['2024-03', 'month'],
      ['2022', 'year'],
      ['2024-02-29', 'day'],
    ]) {
      const res = await post({ saidOn }).expect(201);
      expect(res.body).toMatchObject({ saidOn, saidPrecision: precision });
      expect((await ctx.api.get(`/statements/${res.body.id}`).expect(200)).body).toMatchObject({
        saidOn,
        saidPrecision: precision,
      });
    }
    const tagged = await post({ tags: ['#Gaza-test', ' ceasefire-test '] }).expect(201);
    expect(tagged.body.tags).toEqual(['Gaza-test', 'ceasefire-test']);
    await post({ saidOn: '2023-02-29' }).expect(400);
  });

  it('leaves nothing behind when a create fails half-way', async () => {
    const url = 'https://atomic.example/never-saved';
    const res = await post({
      tags: ['atomic-check'],
      citations: [
        { source: { kind: 'news_article', title: 'Never saved', url }, excerpt: 'first', role: 'secondary' },
        { sourceId: UNKNOWN_UUID, excerpt: 'second', role: 'secondary' },
      ],
    }).expect(400);
    expect(fieldsOf(res.body)).toEqual(['citations.1.sourceId']);
    expect((await ctx.api.get('/sources').query({ url }).expect(200)).body.data).toEqual([]);
    expect(await listIds('tag=atomic-check')).toEqual([]);
  });
});

describe('reading, changing and deleting statements', () => {
  it('reads a seed statement with its speaker, the actors involved and its citations', async () => {
    const res = await ctx.api.get(`/statements/${sid('raisi-silence')}`).expect(200);
    const seed = seedStatements.find((s) => s.key === 'raisi-silence')!;
    const tehran = seedSources.find((s) => s.key === 'tehran-meeting-article')!;
    expect(res.body).toMatchObject({
      id: sid('raisi-silence'),
      text: seed.text,
      saidOn: '2023-12-04',
      saidPrecision: 'day',
      medium: 'meeting',
      location: 'Tehran',
    });
    expect(res.body.speaker).toEqual({ id: seedId(`actor:${RAISI}`), slug: RAISI, name: 'Ebrahim Raisi', kind: 'person' });
    expect(res.body.involved).toEqual([
      { role: 'counterpart', actor: { id: seedId(`actor:${DIAZ}`), slug: DIAZ, name: 'Miguel Díaz-Canel', kind: 'person' } },
    ]);
    expect(res.body.citations).toEqual([
      {
        id: citationSeedId('statement:raisi-silence', 0),
        role: 'secondary',
        excerpt: seed.citations[0].excerpt,
        locator: null,
        relays: null,
        source: { id: TEHRAN, kind: 'news_article', title: tehran.title, publisher: null, url: null, publishedOn: '2023-12-04' },
      },
    ]);
    const raisi = (await ctx.api.get(`/statements?actor=${RAISI}&limit=100`).expect(200)).body.data;
    expect(raisi.length).toBe(seededStatements((s) => s.speaker === RAISI).length);
    for (const s of raisi)
      expect(s.involved).toEqual([
        expect.objectContaining({ role: 'counterpart', actor: expect.objectContaining({ slug: DIAZ }) }),
      ]);
    const example = (await ctx.api.get(`/statements/${EXAMPLE_IDS.statement}`).expect(200)).body;
    expect(example).toMatchObject({ originalLanguage: 'es', language: 'en' });
    expect(example.citations.map((c: Stmt['citations'][number]) => c.source.id).sort()).toEqual(
      [EXAMPLE_IDS.source, seedId('source:x-post-2024-03-30')].sort(),
    );
  });

  it('patches text, saidOn, speaker and replaces the actors involved', async () => {
    const s = (await post({ speaker: 'israel', involved: [{ actor: 'anadolu-agency', role: 'mentioned' }] }).expect(201)).body;
    const res = await ctx.api
      .patch(`/statements/${s.id}`)
      .send({
        text: 'Changed words.',
        saidOn: '2024-02',
        speaker: 'anadolu-agency',
        involved: [{ actor: 'the-palestine-chronicle', role: 'addressee' }],
      })
      .expect(200);
    expect(res.body).toMatchObject({
      id: s.id,
      text: 'Changed words.',
      saidOn: '2024-02',
      saidPrecision: 'month',
      speaker: { slug: 'anadolu-agency' },
      kind: 'official_statement',
    });
    expect(res.body.involved).toEqual([
      { role: 'addressee', actor: expect.objectContaining({ slug: 'the-palestine-chronicle' }) },
    ]);
    expect(res.body.citations).toEqual(s.citations);
    const cleared = await ctx.api.patch(`/statements/${s.id}`).send({ involved: [] }).expect(200);
    expect(cleared.body.involved).toEqual([]);

    const bad = await ctx.api.patch(`/statements/${s.id}`).send({ speaker: 'no-such-actor', text: 'Not saved' }).expect(400);
    expect(fieldsOf(bad.body)).toEqual(['speaker']);
    expect((await ctx.api.get(`/statements/${s.id}`).expect(200)).body).toMatchObject({
      text: 'Changed words.',
      speaker: { slug: 'anadolu-agency' },
    });
    await ctx.api.patch('/statements/00000000-0000-4000-8000-000000000000').send({ text: 'x' }).expect(404);
  });

  it('does not let a patch leave originalText without originalLanguage', async () => {
    const s = (await post({ originalText: 'Texto original.', originalLanguage: 'es' }).expect(201)).body;
    const res = await ctx.api.patch(`/statements/${s.id}`).send({ originalLanguage: null }).expect(400);
    expect(fieldsOf(res.body)).toEqual(['originalLanguage']);
    expect((await ctx.api.get(`/statements/${s.id}`).expect(200)).body.originalLanguage).toBe('es');
  });

  it('refuses to delete a statement that figures quote, naming them', async () => {
    const id = sid('raisi-children-women-killed');
    const res = await ctx.api.delete(`/statements/${id}`).expect(409);
    expect(res.body.code).toBe('has-dependents');
    expect(res.body.dependents.figures.count).toBe(2);
    expect([...res.body.dependents.figures.ids].sort()).toEqual(
      [seedId('figure:raisi-children-killed'), seedId('figure:raisi-women-killed')].sort(),
    );
    await ctx.api.get(`/statements/${id}`).expect(200);
  });

  it('deletes a statement together with its citations, keeping the sources', async () => {
    const s = (
      await post({
        citations: [
          { sourceId: TEHRAN, excerpt: 'one', role: 'secondary' },
          { sourceId: EXAMPLE_IDS.source, excerpt: 'two', role: 'secondary' },
        ],
      }).expect(201)
    ).body as Stmt;
    for (const c of s.citations) await ctx.api.get(`/citations/${c.id}`).expect(200);
    await ctx.api.delete(`/statements/${s.id}`).expect(204);
    await ctx.api.get(`/statements/${s.id}`).expect(410);
    for (const c of s.citations) await ctx.api.get(`/citations/${c.id}`).expect(410);
    await ctx.api.get(`/sources/${TEHRAN}`).expect(200);
    await ctx.api.delete(`/statements/${s.id}`).expect(410);
  });
});
