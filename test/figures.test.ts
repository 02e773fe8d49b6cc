import { describe, expect, it } from 'vitest';
import { figures as seedFigures } from '../src/seed/data.js';
import { EXAMPLE_IDS, citationSeedId, seedId } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { UNKNOWN_UUID, fieldsOf } from './helpers/problems.js';

const ctx = useApp({ seed: true });

type Fig = { id: string; asOf: string; citations: { id: string }[] };
const fid = (key: string) => seedId(`figure:${key}`);
const seeded = (keep: (f: (typeof seedFigures)[number]) => boolean) =>
  seedFigures
    .filter(keep)
    .map((f) => fid(f.key))
    .sort();
const CHILDREN_WOMEN = seedId('statement:raisi-children-women-killed');

// Figures made here count test_* metrics in Testland, as of May 2024 or later, so they stay out of the seed's lists.
const figure = (over: Record<string, unknown> = {}) => ({
  metric: 'test_count',
  value: 100,
  area: 'Testland',
  asOf: '2024-05-01',
  citations: [{ sourceId: EXAMPLE_IDS.source, excerpt: 'The passage.', role: 'secondary' }],
  ...over,
});
const post = (over: Record<string, unknown> = {}) => ctx.api.post('/figures').send(figure(over));
const create = async (over: Record<string, unknown> = {}) => (await post(over).expect(201)).body;
const patch = (id: string, body: object) => ctx.api.patch(`/figures/${id}`).send(body);

/** Ids of the figures a query lists, sorted; one page of up to 100 holds them all. */
const listIds = async (query: string) =>
  ((await ctx.api.get(`/figures?limit=100&${query}`).expect(200)).body.data as Fig[]).map((f) => f.id).sort();

describe('creating figures', () => {
  it('creates a figure with defaults and answers with Location', async () => {
    const res = await post({ asOf: '2024-06' }).expect(201);
    expect(res.headers.location).toBe(`/figures/${res.body.id}`);
    expect(res.body).toMatchObject({
      metric: 'test_count',
      value: 100,
      qualifier: 'exact',
      cumulative: true,
      asOf: '2024-06',
      asOfPrecision: 'month',
      reporter: null,
      statementId: null,
      periodStart: null,
      periodEnd: null,
    });
    expect(res.body.citations).toEqual([
      expect.objectContaining({ role: 'secondary', source: expect.objectContaining({ id: EXAMPLE_IDS.source }) }),
    ]);
    expect((await ctx.api.get(res.headers.location).expect(200)).body).toMatchObject(res.body);
  });

  it.each([
    ['exact', 100, 100],
    ['at_least', 100, null],
    ['more_than', 100, null],
    ['nearly', null, 100],
    ['up_to', null, 100],
    ['less_than', null, 100],
    ['about', null, null],
  ])('derives the bounds of a %s figure from its value', async (qualifier, lowerBound, upperBound) => {
    const f = await create({ qualifier, value: 100 });
    expect(f).toMatchObject({ qualifier, value: 100, lowerBound, upperBound });
  });

  it('keeps explicit bounds, including null, over the implied ones', async () => {
    expect(await create({ qualifier: 'about', value: 2e6, lowerBound: 1.9e6, upperBound: 2.1e6 })).toMatchObject({
      lowerBound: 1.9e6,
      upperBound: 2.1e6,
    });
    expect(await create({ qualifier: 'at_least', value: 7000, upperBound: 9000 })).toMatchObject({
      lowerBound: 7000,
      upperBound: 9000,
    });
    expect(await create({ qualifier: 'exact', value: 5, lowerBound: null })).toMatchObject({ lowerBound: null, upperBound: 5 });
  });

  it.each([
    ['lowerBound above upperBound', { lowerBound: 10, upperBound: 5 }, ['lowerBound']],
    ['a metric that is not snake_case', { metric: 'Killed People' }, ['metric']],
    ['an unknown reporter', { reporter: 'no-such-actor' }, ['reporter']],
    ['an unknown statement', { statementId: UNKNOWN_UUID }, ['statementId']],
    ['a negative value and a bad asOf', { value: -1, asOf: '2024-02-30' }, ['asOf', 'value']],
    ['no citations', { citations: [] }, ['citations']],
  ])('answers 400 for %s, naming the field', async (_what, over, expected) => {
    const res = await post(over).expect(400);
    expect(res.body.code).toBe('validation-failed');
    expect(fieldsOf(res.body)).toEqual(expected);
  });

  it('answers 400 when the period starts after it ends', async () => {
    const res = await post({ periodStart: '2024-02-01', periodEnd: '2024-01-31' }).expect(400);
    expect(res.body.code).toBe('validation-failed');
    expect(fieldsOf(res.body).length).toBeGreaterThan(0);
    expect(fieldsOf(res.body).every((f) => f === 'periodStart' || f === 'periodEnd')).toBe(true);
  });

  // lowerBound <= upperBound and periodStart <= periodEnd must hold for what is stored, not only for what one body gives.
  it('refuses an explicit lowerBound above the upperBound its qualifier implies', async () => {
    const res = await post({ qualifier: 'nearly', value: 100, lowerBound: 150 }).expect(400);
    expect(fieldsOf(res.body).length).toBeGreaterThan(0);
    expect(fieldsOf(res.body).every((f) => f === 'lowerBound' || f === 'upperBound')).toBe(true);
  });

  it.each([
    ['a lowerBound above the stored upperBound', { lowerBound: 200 }],
    ['a periodStart after the stored periodEnd', { periodStart: '2024-02-01' }],
  ])('refuses a patch giving %s', async (_what, body) => {
    const f = await create({ qualifier: 'exact', value: 100, periodEnd: '2024-01-31' });
    await patch(f.id, body).expect(400);
    const after = (await ctx.api.get(`/figures/${f.id}`).expect(200)).body;
    expect(after).toMatchObject({ lowerBound: 100, upperBound: 100, periodStart: null, periodEnd: '2024-01-31' });
  });

  it('allows a figure without a reporter, and names reporters by slug or id', async () => {
    expect((await create({ reporter: null })).reporter).toBeNull();
    const bySlug = await create({ reporter: 'anadolu-agency' });
    expect(bySlug.reporter).toEqual({
      id: seedId('actor:anadolu-agency'),
      slug: 'anadolu-agency',
      name: 'Anadolu Agency',
      kind: 'media_outlet',
    });
    const byId = await create({ reporter: seedId('actor:the-palestine-chronicle') });
    expect(byId.reporter).toMatchObject({ slug: 'the-palestine-chronicle' });
    expect((await create({ statementId: CHILDREN_WOMEN })).statementId).toBe(CHILDREN_WOMEN);
  });
});

describe('listing figures', () => {
  it('reads a seed figure with its reporter and citations', async () => {
    const res = await ctx.api.get(`/figures/${EXAMPLE_IDS.figure}`).expect(200);
    expect(res.body).toMatchObject({
      metric: 'killed',
      value: 32705,
      qualifier: 'exact',
      lowerBound: 32705,
      upperBound: 32705,
      asOf: '2024-03',
      asOfPrecision: 'month',
      periodStart: '2023-10-07',
      cumulative: true,
      reporter: { slug: 'gaza-ministry-of-health' },
    });
    expect(res.body.citations).toEqual([
      expect.objectContaining({
        id: citationSeedId('figure:moh-killed-2024-03', 0),
        source: expect.objectContaining({ id: EXAMPLE_IDS.source, publishedOn: '2024-03' }),
      }),
    ]);
  });

  it('orders by asOf, latest first, and sort=asOf reverses it exactly', async () => {
    const desc = (await ctx.api.get('/figures?limit=100').expect(200)).body.data as Fig[];
    const start = (d: string) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);
    for (let i = 1; i < desc.length; i++) expect(start(desc[i - 1].asOf) >= start(desc[i].asOf)).toBe(true);
    const killed = (await ctx.api.get('/figures?metric=killed').expect(200)).body.data as Fig[];
    expect(killed.map((f) => f.asOf)).toEqual(
      seedFigures
        .filter((f) => f.metric === 'killed')
        .map((f) => f.asOf)
        .sort()
        .reverse(),
    );
    const asc = (await ctx.api.get('/figures?limit=100&sort=asOf').expect(200)).body.data as Fig[];
    expect(asc.map((f) => f.id)).toEqual(desc.map((f) => f.id).reverse());
    // Many figures share an asOf: paging through the ties must neither repeat nor skip any.
    const paged: string[] = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const page: { data: Fig[]; nextCursor: string | null } = (
        await ctx.api.get(`/figures?limit=3${cursor ? `&cursor=${cursor}` : ''}`).expect(200)
      ).body;
      paged.push(...page.data.map((f) => f.id));
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(desc.map((f) => f.id));
  });

  it('filters by metric (several), reporter, qualifier, statement, area and population', async () => {
    expect(await listIds('metric=missing,displaced')).toEqual(seeded((f) => f.metric === 'missing' || f.metric === 'displaced'));
    expect(await listIds('metric=killed&metric=injured')).toEqual(seeded((f) => f.metric === 'killed' || f.metric === 'injured'));
    const moh = seeded((f) => f.reporter === 'gaza-ministry-of-health');
    expect(moh.length).toBe(2);
    expect(await listIds('reporter=gaza-ministry-of-health')).toEqual(moh);
    expect(await listIds(`reporter=${seedId('actor:gaza-ministry-of-health')}`)).toEqual(moh);
    const mohOrIsrael = seeded((f) => f.reporter === 'gaza-ministry-of-health' || f.reporter === 'israel');
    expect(await listIds('reporter=gaza-ministry-of-health,israel&metric=killed,injured')).toEqual(mohOrIsrael);
    expect(await listIds('metric=killed&qualifier=more_than')).toEqual(
      seeded((f) => f.metric === 'killed' && f.qualifier === 'more_than'),
    );
    expect(await listIds(`statement=${CHILDREN_WOMEN}&metric=killed`)).toEqual(
      seeded((f) => f.statementKey === 'raisi-children-women-killed'),
    );
    expect(await listIds('area=GAZA%20STRIP')).toEqual(seeded((f) => f.area === 'Gaza Strip'));
    expect(await listIds('population=palestinians&metric=injured')).toEqual(
      seeded((f) => f.population === 'Palestinians' && f.metric === 'injured'),
    );
  });

  it('filters asOf with partial-date semantics', async () => {
    const march = seeded((f) => f.asOf === '2024-03');
    const december = seeded((f) => f.asOf === '2023-12-04');
    expect(march.length).toBeGreaterThan(1);
    expect(await listIds('from=2024-03&to=2024-03')).toEqual(march);
    expect(await listIds('to=2024-03-31')).toEqual([...march, ...december].sort());
    expect(await listIds('to=2024-03-30')).toEqual(december);
    expect(await listIds('from=2024-03-02&to=2024-04-30')).toEqual([]);
    expect(await listIds('from=2023-12&to=2023-12')).toEqual(december);
  });

  it('rejects bad list parameters with 400 naming them', async () => {
    const res = await ctx.api.get('/figures?metric=Killed&statement=abc&from=2024-13&qualifier=roughly').expect(400);
    // A list parameter may name the offending item (metric.0).
    expect([...new Set(fieldsOf(res.body).map((f) => f.split('.')[0]))]).toEqual(['from', 'metric', 'qualifier', 'statement']);
  });
});

describe('changing and deleting figures', () => {
  it('moves implied bounds with a new value or qualifier, and keeps them otherwise', async () => {
    const f = await create({ qualifier: 'at_least', value: 100 });
    expect((await patch(f.id, { value: 150 }).expect(200)).body).toMatchObject({
      value: 150,
      lowerBound: 150,
      upperBound: null,
    });
    expect((await patch(f.id, { qualifier: 'nearly' }).expect(200)).body).toMatchObject({
      lowerBound: null,
      upperBound: 150,
    });
    expect((await patch(f.id, { value: 200, lowerBound: 190 }).expect(200)).body).toMatchObject({
      lowerBound: 190,
      upperBound: 200,
    });
    const same = await patch(f.id, { caveats: 'Rounded.', asOf: '2024-07' }).expect(200);
    expect(same.body).toMatchObject({
      lowerBound: 190,
      upperBound: 200,
      caveats: 'Rounded.',
      asOf: '2024-07',
      asOfPrecision: 'month',
    });
  });

  it('changes the reporter, clears it with null and refuses unknown ones', async () => {
    const f = await create({ reporter: 'the-palestine-chronicle', statementId: CHILDREN_WOMEN });
    expect((await patch(f.id, { reporter: 'anadolu-agency' }).expect(200)).body.reporter).toMatchObject({
      slug: 'anadolu-agency',
    });
    const cleared = await patch(f.id, { reporter: null, statementId: null }).expect(200);
    expect(cleared.body).toMatchObject({ reporter: null, statementId: null, value: 100 });
    const bad = await patch(f.id, { reporter: 'nobody', statementId: UNKNOWN_UUID }).expect(400);
    expect(fieldsOf(bad.body).length).toBeGreaterThan(0);
    expect(fieldsOf(bad.body).every((x) => x === 'reporter' || x === 'statementId')).toBe(true);
    await patch(UNKNOWN_UUID, { value: 1 }).expect(404);
  });

  it('deletes a figure with its citations; then its statement can go too', async () => {
    const s = (
      await ctx.api
        .post('/statements')
        .send({ speaker: 'israel', text: 'x', language: 'en', kind: 'paraphrase', saidOn: '2024', citations: figure().citations })
        .expect(201)
    ).body;
    const f = await create({ statementId: s.id });
    expect(await listIds(`statement=${s.id}`)).toEqual([f.id]);
    await ctx.api.delete(`/statements/${s.id}`).expect(409);
    await ctx.api.delete(`/figures/${f.id}`).expect(204);
    await ctx.api.get(`/figures/${f.id}`).expect(410);
    for (const c of f.citations as Fig['citations']) await ctx.api.get(`/citations/${c.id}`).expect(410);
    await ctx.api.delete(`/statements/${s.id}`).expect(204);
    const gone = await ctx.api.delete(`/figures/${f.id}`).expect(410);
    expect(gone.body.code).toBe('gone');
  });
});
