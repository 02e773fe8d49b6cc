import { describe, expect, it } from 'vitest';
import {
  actors as seedActors,
  figures as seedFigures,
  sources as seedSources,
  statements as seedStatements,
} from '../src/seed/data.js';
import { EXAMPLE_IDS, seedId } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { UNKNOWN_UUID, fieldsOf } from './helpers/problems.js';

const ctx = useApp({ seed: true });

const DIAZ = 'miguel-diaz-canel';
const PUBLIC = /(^|,\s*)public(\s*,|$)/;
const start = (d: string) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);
const citation = [{ sourceId: EXAMPLE_IDS.source, excerpt: 'The passage.', role: 'secondary' }];

/** The GET answers a client may cache: lists, records, searches and analyses. */
const READS = [
  '/actors',
  `/actors/${DIAZ}`,
  `/actors/${DIAZ}/statements?include=actor`,
  '/statements?limit=5',
  `/statements/${EXAMPLE_IDS.statement}`,
  '/statements?q=genocide&highlight=true',
  '/figures?metric=killed',
  `/figures/${EXAMPLE_IDS.figure}`,
  '/figures/series?metric=killed&reporter=gaza-ministry-of-health',
  '/figures/latest',
  '/figures/discrepancies?window=120',
  '/sources',
  `/sources/${EXAMPLE_IDS.source}`,
  `/citations/${EXAMPLE_IDS.citation}`,
];

const noStore = (res: { headers: Record<string, string> }) => expect(res.headers['cache-control']).toBe('no-store');

describe('conditional GETs', () => {
  it.each(READS)('GET %s carries an ETag and public caching, and answers 304 to its ETag', async (url) => {
    const res = await ctx.api.get(url).expect(200);
    expect(res.headers.etag).toMatch(/^(W\/)?"[^"]+"$/);
    expect(res.headers['cache-control']).toMatch(PUBLIC);
    const again = await ctx.api.get(url).set('If-None-Match', res.headers.etag).expect(304);
    expect(again.text ?? '').toBe('');
    expect(again.headers.etag).toBe(res.headers.etag);
    // Another ETag is not a match: the full answer comes back.
    const other = await ctx.api.get(url).set('If-None-Match', 'W/"something-else"').expect(200);
    expect(other.body).toEqual(res.body);
  });

  it('changes the ETag of a record and of the lists holding it after a PATCH', async () => {
    const source = (
      await ctx.api
        .post('/sources')
        .send({ kind: 'press_release', title: 'Cached release', publisher: 'Caching Office' })
        .expect(201)
    ).body;
    const url = `/sources/${source.id}`;
    const list = '/sources?publisher=caching%20office';
    const [before, listBefore] = [await ctx.api.get(url).expect(200), await ctx.api.get(list).expect(200)];

    const patched = await ctx.api.patch(url).send({ notes: 'Corrected.' }).expect(200);
    noStore(patched);
    const after = await ctx.api.get(url).set('If-None-Match', before.headers.etag).expect(200);
    expect(after.body.notes).toBe('Corrected.');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    await ctx.api.get(url).set('If-None-Match', after.headers.etag).expect(304);
    const listAfter = await ctx.api.get(list).set('If-None-Match', listBefore.headers.etag).expect(200);
    expect(listAfter.body.data[0].notes).toBe('Corrected.');

    // A statement's record and the timeline it appears in change with it too.
    const stmt = (
      await ctx.api
        .post('/statements')
        .send({
          speaker: 'anadolu-agency',
          text: 'Cached words.',
          language: 'en',
          kind: 'paraphrase',
          saidOn: '2024-05',
          citations: citation,
        })
        .expect(201)
    ).body;
    const reads = [`/statements/${stmt.id}`, '/actors/anadolu-agency/statements'];
    const etags = await Promise.all(reads.map(async (u) => (await ctx.api.get(u).expect(200)).headers.etag));
    await ctx.api
      .patch(`/statements/${stmt.id}`)
      .send({ tags: ['cache'] })
      .expect(200);
    for (const [i, u] of reads.entries()) {
      const res = await ctx.api.get(u).set('If-None-Match', etags[i]).expect(200);
      expect(res.headers.etag).not.toBe(etags[i]);
    }
    noStore(await ctx.api.delete(`/statements/${stmt.id}`).expect(204));
  });

  it('marks errors and writes no-store', async () => {
    noStore(await ctx.api.get(`/statements/${UNKNOWN_UUID}`).expect(404));
    noStore(await ctx.api.get('/statements?sort=loudest').expect(400));
    noStore(await ctx.api.get('/no-such-route').expect(404));
    const created = await ctx.api.post('/actors').send({ name: 'Cache Tester', kind: 'person' }).expect(201);
    noStore(created);
    noStore(await ctx.api.post('/actors').send({ name: 'Cache Tester', kind: 'person' }).expect(409));
    noStore(await ctx.api.post('/actors').send({ kind: 'nobody' }).expect(400));
    noStore(await ctx.api.patch(`/actors/${created.body.slug}`).send({ role: 'Tester' }).expect(200));
    noStore(await ctx.api.patch('/actors/no-such-actor').send({ role: 'Tester' }).expect(404));
    noStore(await ctx.api.delete(`/sources/${EXAMPLE_IDS.source}`).expect(409));
    noStore(await ctx.api.delete(`/actors/${created.body.slug}`).expect(204));
  });

  it.each([
    ['a missing record', `/statements/${UNKNOWN_UUID}`, 404],
    ['a bad query', '/statements?sort=loudest', 400],
  ])('never turns the error for %s into a 304', async (_what, url, status) => {
    const first = await ctx.api.get(url).expect(status);
    const res = await ctx.api.get(url).set('If-None-Match', first.headers.etag ?? 'W/"x"');
    expect(res.status).toBe(status);
    noStore(res);
  });
});

describe('what a source supports', () => {
  const detail = async (key: string) => (await ctx.api.get(`/sources/${seedId(`source:${key}`)}`).expect(200)).body;

  it('lists the statements and figures citing the seed article, with their excerpts and counts', async () => {
    const body = await detail('pc-article');
    const statements = seedStatements.filter((s) => s.citations.some((c) => c.sourceKey === 'pc-article'));
    const figures = seedFigures.filter((f) => f.citations.some((c) => c.sourceKey === 'pc-article'));
    expect(statements.length).toBeGreaterThan(1);
    expect(body.supports.statements.count).toBe(statements.length);
    expect(body.supports.figures.count).toBe(figures.length);

    const items = body.supports.statements.items as {
      statementId: string;
      excerpt: string;
      text: string;
      saidOn: string;
      speaker: string;
    }[];
    expect(items.map((i) => i.statementId).sort()).toEqual(statements.map((s) => seedId(`statement:${s.key}`)).sort());
    for (const s of statements) {
      const item = items.find((i) => i.statementId === seedId(`statement:${s.key}`))!;
      expect(item).toMatchObject({
        excerpt: s.citations.find((c) => c.sourceKey === 'pc-article')!.excerpt,
        text: s.text,
        saidOn: s.saidOn,
        // Who the outlet attributes it to when it names no one.
        speaker: s.speaker ? seedActors.find((a) => a.slug === s.speaker)!.name : s.attributedTo,
        role: 'secondary',
      });
    }
    for (let i = 1; i < items.length; i++) expect(start(items[i - 1].saidOn) >= start(items[i].saidOn)).toBe(true);

    const figureItems = body.supports.figures.items as { figureId: string; excerpt: string; value: number; metric: string }[];
    expect(figureItems.map((i) => i.figureId).sort()).toEqual(figures.map((f) => seedId(`figure:${f.key}`)).sort());
    for (const f of figures) {
      const item = figureItems.find((i) => i.figureId === seedId(`figure:${f.key}`))!;
      expect(item).toMatchObject({ metric: f.metric, value: f.value, excerpt: f.citations[0].excerpt, asOf: f.asOf });
    }
  });

  it('counts what other sources support, and nothing for an uncited one', async () => {
    const post = await detail('x-post-2024-03-30');
    expect(post.supports.statements).toMatchObject({
      count: 1,
      items: [{ statementId: EXAMPLE_IDS.statement, role: 'primary' }],
    });
    expect(post.supports.figures).toEqual({ count: 0, items: [] });
    const tehran = await detail('tehran-meeting-article');
    const cited = seedStatements.filter((s) => s.citations.some((c) => c.sourceKey === 'tehran-meeting-article'));
    expect(tehran.supports.statements.count).toBe(cited.length);
    expect(tehran.supports.statements.items).toHaveLength(cited.length);
    const fresh = (await ctx.api.post('/sources').send({ kind: 'other', title: 'Uncited' }).expect(201)).body;
    expect((await ctx.api.get(`/sources/${fresh.id}`).expect(200)).body.supports).toEqual({
      statements: { count: 0, items: [] },
      figures: { count: 0, items: [] },
    });
  });
});

describe('date ranges', () => {
  const sourceIds = async (query: string) =>
    ((await ctx.api.get(`/sources?limit=100&${query}`).expect(200)).body.data as { id: string }[]).map((s) => s.id).sort();
  const seededSources = (keep: (s: (typeof seedSources)[number]) => boolean) =>
    seedSources
      .filter(keep)
      .map((s) => seedId(`source:${s.key}`))
      .sort();

  it('includes a month-dated source in its month, but not in a range ending before the month does', async () => {
    const march = await sourceIds('from=2024-03&to=2024-03');
    expect(march).toContain(EXAMPLE_IDS.source);
    expect(march).toEqual(seededSources((s) => (s.publishedOn ?? '').startsWith('2024-03')));
    const to30 = await sourceIds('to=2024-03-30');
    expect(to30).not.toContain(EXAMPLE_IDS.source);
    expect(to30).toEqual(seededSources((s) => !!s.publishedOn && s.publishedOn.length === 10 && s.publishedOn <= '2024-03-30'));
    expect(await sourceIds('to=2024-03-31')).toContain(EXAMPLE_IDS.source);
    expect(await sourceIds('to=2024-02')).not.toContain(EXAMPLE_IDS.source);
  });

  it('answers 400 naming to when a statement range ends before it starts', async () => {
    const res = await ctx.api.get('/statements?from=2024-04&to=2024-03').expect(400);
    expect(res.body.code).toBe('validation-failed');
    expect(fieldsOf(res.body)).toEqual(['to']);
    noStore(res);
    await ctx.api.get('/statements?from=2024-03&to=2024-03').expect(200);
  });
});
