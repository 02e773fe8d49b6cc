import { describe, expect, it } from 'vitest';
import { figures as seedFigures } from '../src/seed/data.js';
import { EXAMPLE_IDS, seedId } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { fieldsOf } from './helpers/problems.js';
import { fid, MOH, periodStart, seededFigures, TEHRAN } from './helpers/seed.js';

const ctx = useApp({ seed: true });

type Fig = {
  id: string;
  metric: string;
  value: number;
  asOf: string;
  area: string | null;
  population: string | null;
  reporter: { slug: string } | null;
  citations: { source: { id: string } }[];
};
type Discrepancy = { metric: string; daysApart: number; difference: number; boundsOverlap: boolean; figures: [Fig, Fig] };
const dayNumber = (d: string) => Date.parse(`${periodStart(d)}T00:00:00Z`) / 86_400_000;

const cite = (sourceId: string) => [{ sourceId, excerpt: 'The passage.', role: 'secondary' }];
const create = async (over: Record<string, unknown>) =>
  (
    await ctx.api
      .post('/figures')
      .send({
        metric: 'test_count',
        value: 100,
        area: 'Testland',
        asOf: '2024-05-01',
        citations: cite(EXAMPLE_IDS.source),
        ...over,
      })
      .expect(201)
  ).body as Fig;
const remove = async (...figs: Fig[]) => {
  for (const f of figs) await ctx.api.delete(`/figures/${f.id}`).expect(204);
};
const get = async (url: string) => (await ctx.api.get(url).expect(200)).body;
const keyOf = (f: Fig) => JSON.stringify([f.metric, f.reporter?.slug ?? null, f.area, f.population]);
const MOH_KILLED = { metric: 'killed', reporter: MOH, area: 'Gaza Strip', population: 'Palestinians' };

describe('a series of one reporter’s figures', () => {
  it('lists the reporter’s figures for the metric, oldest first, each with citations', async () => {
    const series = await get(`/figures/series?metric=killed&reporter=${MOH}`);
    expect(series).toMatchObject({ metric: 'killed', reporter: { slug: MOH, id: seedId(`actor:${MOH}`) } });
    const points = series.points as Fig[];
    expect(points.map((p) => p.id).sort()).toEqual(seededFigures((f) => f.metric === 'killed' && f.reporter === MOH));
    for (const p of points) {
      expect(p).toMatchObject({ metric: 'killed', reporter: { slug: MOH } });
      expect(p.citations.length).toBeGreaterThan(0);
    }
    const byId = await get(`/figures/series?metric=killed&reporter=${seedId(`actor:${MOH}`)}`);
    expect(byId).toEqual(series);
  });

  it('grows, in as-of order, as the reporter issues figures', async () => {
    const later = await create({ ...MOH_KILLED, value: 33000, asOf: '2024-04-20' });
    const earlier = await create({ ...MOH_KILLED, value: 25000, asOf: '2024-01-10' });
    const points = (await get(`/figures/series?metric=killed&reporter=${MOH}`)).points as Fig[];
    expect(points.map((p) => p.id)).toEqual([earlier.id, fid('moh-killed-2024-03'), later.id]);
    expect(points.map((p) => p.value)).toEqual([25000, 32705, 33000]);
    const narrowed = await get(`/figures/series?metric=killed&reporter=${MOH}&area=gaza%20strip&population=PALESTINIANS`);
    expect(narrowed.points.map((p: Fig) => p.id)).toEqual(points.map((p) => p.id));
    expect((await get(`/figures/series?metric=killed&reporter=${MOH}&population=women`)).points).toEqual([]);
    await remove(later, earlier);
  });

  it('answers 400 naming reporter or metric when they are unknown or missing', async () => {
    const unknown = await ctx.api.get('/figures/series?metric=killed&reporter=no-such-actor').expect(400);
    expect(unknown.body.code).toBe('validation-failed');
    expect(fieldsOf(unknown.body)).toEqual(['reporter']);
    expect(fieldsOf((await ctx.api.get(`/figures/series?reporter=${MOH}`).expect(400)).body)).toEqual(['metric']);
    expect(fieldsOf((await ctx.api.get('/figures/series?metric=killed').expect(400)).body)).toEqual(['reporter']);
    expect(fieldsOf((await ctx.api.get(`/figures/series?metric=Killed&reporter=${MOH}`).expect(400)).body)).toEqual(['metric']);
    expect((await get('/figures/series?metric=killed&reporter=anadolu-agency')).points).toEqual([]);
  });
});

describe('the latest figures', () => {
  /** Checks one figure per key, each the latest as-of of all figures with that key. */
  async function checkLatest(query = '') {
    const all = (await get(`/figures?limit=100&${query}`)).data as Fig[];
    const latest = (await get(`/figures/latest?limit=100&${query}`)).data as Fig[];
    const keys = latest.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual([...new Set(all.map(keyOf))].sort());
    for (const f of latest) {
      const newest = Math.max(...all.filter((g) => keyOf(g) === keyOf(f)).map((g) => dayNumber(g.asOf)));
      expect(dayNumber(f.asOf)).toBe(newest);
    }
    return latest;
  }

  it('gives exactly one figure per metric, reporter, area and population: the latest', async () => {
    const latest = await checkLatest();
    expect(latest.map((f) => f.id)).toContain(fid('moh-killed-2024-03'));
    expect(latest.length).toBe(
      new Set(seedFigures.map((f) => JSON.stringify([f.metric, f.reporter ?? null, f.area ?? null, f.population ?? null]))).size,
    );
  });

  it('moves to a newer figure once one is recorded, and back when it is deleted', async () => {
    const newer = await create({ ...MOH_KILLED, value: 34000, asOf: '2024-04-20' });
    const latest = await checkLatest();
    const ids = latest.map((f) => f.id);
    expect(ids).toContain(newer.id);
    expect(ids).not.toContain(fid('moh-killed-2024-03'));
    await remove(newer);
    expect((await checkLatest()).map((f) => f.id)).toContain(fid('moh-killed-2024-03'));
  });

  it('prefers the newest entry when two share the latest as-of date', async () => {
    const first = await create({ metric: 'test_latest', asOf: '2024-05-01', value: 1 });
    const second = await create({ metric: 'test_latest', asOf: '2024-05-01', value: 2 });
    expect((await get('/figures/latest?metric=test_latest')).data.map((f: Fig) => f.id)).toEqual([second.id]);
    await remove(first, second);
  });

  it('pages through every latest figure by cursor, without repeats, with a Link to the next page', async () => {
    const everything = (await get('/figures/latest?limit=100')).data as Fig[];
    expect(everything.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let url: string | null = '/figures/latest?limit=3';
    while (url) {
      const res: { body: { data: Fig[]; nextCursor: string | null }; headers: Record<string, string> } = await ctx.api
        .get(url)
        .expect(200);
      expect(res.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.data.map((f: Fig) => f.id));
      const next: string | null = res.headers.link?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null;
      expect(next === null).toBe(res.body.nextCursor === null);
      url = next && new URL(next).pathname + new URL(next).search;
    }
    expect(seen).toEqual(everything.map((f) => f.id));
  });

  it('answers 400 naming limit, cursor or the unknown parameter when paging is asked badly', async () => {
    const discrepancyCursor = (await get('/figures/discrepancies?window=120&limit=1')).nextCursor as string;
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=some', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${discrepancyCursor}`, 'cursor'],
      [`cursor=${'x'.repeat(501)}`, 'cursor'],
      ['page=2', 'page'],
    ]) {
      const res = await ctx.api.get(`/figures/latest?${query}`).expect(400);
      expect(fieldsOf(res.body)).toEqual([field]);
    }
  });

  it('filters by metric', async () => {
    const killed = await checkLatest('metric=killed');
    expect(killed.every((f) => f.metric === 'killed')).toBe(true);
    const everything = (await get('/figures/latest?limit=100')).data as Fig[];
    expect(killed.map((f) => f.id).sort()).toEqual(
      everything
        .filter((f) => f.metric === 'killed')
        .map((f) => f.id)
        .sort(),
    );
    const two = await checkLatest('metric=killed,injured');
    expect(new Set(two.map((f) => f.metric))).toEqual(new Set(['killed', 'injured']));
  });
});

describe('discrepancies between figures', () => {
  const pairOf = (d: Discrepancy) => d.figures.map((f) => f.id).sort();
  const seedGap = (a: string, b: string) => {
    const [x, y] = [a, b].map((k) => seedFigures.find((f) => f.key === k)!.asOf).sort();
    // A month-dated as-of counts as its whole month: the gap runs to the month's first day.
    return dayNumber(y) - dayNumber(x);
  };

  it('pairs the seed’s killed and injured counts within 120 days, telling apparent from real disagreement', async () => {
    const page = await get('/figures/discrepancies?window=120');
    const data = page.data as Discrepancy[];
    expect(page.nextCursor).toBeNull();
    expect(data.map(pairOf).sort()).toEqual(
      [
        [fid('moh-injured-2024-03'), fid('injured-2023-12-04')].sort(),
        [fid('moh-killed-2024-03'), fid('killed-2023-12-04')].sort(),
      ].sort(),
    );
    const killed = data.find((d) => d.metric === 'killed')!;
    expect(killed).toMatchObject({ area: 'Gaza Strip', population: 'Palestinians', boundsOverlap: true });
    expect(killed.figures.map((f) => f.value).sort()).toEqual([15523, 32705]);
    expect(killed.daysApart).toBe(seedGap('killed-2023-12-04', 'moh-killed-2024-03'));
    const injured = data.find((d) => d.metric === 'injured')!;
    expect(injured).toMatchObject({ population: 'Palestinians', boundsOverlap: false });
    expect(injured.figures.map((f) => f.value).sort()).toEqual([41316, 75190]);
    expect(injured.daysApart).toBe(seedGap('injured-2023-12-04', 'moh-injured-2024-03'));
    for (const d of data) expect(d.difference).toBe(d.figures[1].value - d.figures[0].value);
    for (let i = 1; i < data.length; i++) expect(data[i - 1].daysApart).toBeLessThanOrEqual(data[i].daysApart);
  });

  it('finds none of them within 30 days, counts the window inclusively, and refuses windows out of range', async () => {
    expect((await get('/figures/discrepancies?window=30')).data).toEqual([]);
    const gap = seedGap('injured-2023-12-04', 'moh-injured-2024-03');
    expect((await get(`/figures/discrepancies?window=${gap - 1}`)).data).toEqual([]);
    expect((await get(`/figures/discrepancies?window=${gap}`)).data).toHaveLength(2);
    for (const w of ['-1', '5000', 'soon']) {
      const res = await ctx.api.get(`/figures/discrepancies?window=${w}`).expect(400);
      expect(fieldsOf(res.body)).toEqual(['window']);
    }
  });

  it('pages with limit=1 through the cursor and the Link header', async () => {
    const all = (await get('/figures/discrepancies?window=120')).data as Discrepancy[];
    const first = await ctx.api.get('/figures/discrepancies?window=120&limit=1').expect(200);
    expect(first.body.data).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(first.headers.link).toContain(`cursor=${first.body.nextCursor}`);
    const second = await get(`/figures/discrepancies?window=120&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.data).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect([...first.body.data, ...second.data].map(pairOf)).toEqual(all.map(pairOf));
  });

  it('does not report figures of one reporter relayed by the same source, but does across sources or reporters', async () => {
    const metric = 'test_discrepancy';
    const a = await create({ metric, reporter: 'israel', value: 100, asOf: '2024-05-01' });
    const b = await create({ metric, reporter: 'israel', value: 120, asOf: '2024-05-03' });
    const list = async () => ((await get(`/figures/discrepancies?window=30&metric=${metric}`)).data as Discrepancy[]).map(pairOf);
    expect(await list()).toEqual([]);
    const elsewhere = await create({ metric, reporter: 'israel', value: 130, asOf: '2024-05-04', citations: cite(TEHRAN) });
    expect((await list()).sort()).toEqual([[a.id, elsewhere.id].sort(), [b.id, elsewhere.id].sort()].sort());
    await remove(elsewhere);
    const other = await create({ metric, reporter: MOH, value: 140, asOf: '2024-05-02' });
    expect((await list()).sort()).toEqual([[a.id, other.id].sort(), [b.id, other.id].sort()].sort());
    await remove(a, b, other);
  });
});

describe('listing figures by source', () => {
  it('lists the figures a source carries, with total=true counting them across pages', async () => {
    const pc = seededFigures((f) => f.citations.some((c) => c.sourceKey === 'pc-article'));
    expect(pc.length).toBeGreaterThan(2);
    const seen: string[] = [];
    for (let cursor = ''; ;) {
      const page = await get(`/figures?source=${EXAMPLE_IDS.source}&total=true&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(pc.length);
      seen.push(...page.data.map((f: Fig) => f.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen.sort()).toEqual(pc);
    const tehran = await get(`/figures?source=${TEHRAN}&limit=100&total=true`);
    expect(tehran.data.map((f: Fig) => f.id).sort()).toEqual(
      seededFigures((f) => f.citations.some((c) => c.sourceKey === 'tehran-meeting-article')),
    );
    expect(tehran.total).toBe(tehran.data.length);
    expect(await get(`/figures?source=${seedId('source:x-post-2024-03-30')}&total=true`)).toMatchObject({ data: [], total: 0 });
  });
});
