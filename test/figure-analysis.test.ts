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
  unit: string;
  cumulative: boolean;
  citations: { source: { id: string } }[];
};
type Discrepancy = {
  metric: string;
  kind: string;
  explanation: string;
  daysApart: number;
  difference: number;
  boundsOverlap: boolean;
  figures: [Fig, Fig];
};
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
const keyOf = (f: Fig) => JSON.stringify([f.metric, f.reporter?.slug ?? null, f.area, f.population, f.unit, f.cumulative]);
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
    expect(fieldsOf((await ctx.api.get(`/figures/series?metric=Killed&reporter=${MOH}`).expect(400)).body)).toEqual(['metric']);
    expect(
      fieldsOf((await ctx.api.get(`/figures/series?metric=killed&reporter=${MOH}&cumulative=maybe`).expect(400)).body),
    ).toEqual(['cumulative']);
    expect((await get('/figures/series?metric=killed&reporter=anadolu-agency')).points).toEqual([]);
    expect(fieldsOf((await ctx.api.get(`/figures/series?metric=killed&reporter=${MOH}&unit=litres`).expect(400)).body)).toEqual([
      'unit',
    ]);
    expect(fieldsOf((await ctx.api.get(`/figures/series?metric=killed&area=${'x'.repeat(301)}`).expect(400)).body)).toEqual([
      'area',
    ]);
  });
});

describe('a series never mixes populations, areas or scopes', () => {
  it('refuses Raisi’s children and women as one series, and names each series with the URL that asks for it', async () => {
    const res = await ctx.api.get('/figures/series?metric=killed&reporter=ebrahim-raisi').expect(400);
    expect(res.body.code).toBe('ambiguous-series');
    expect(fieldsOf(res.body)).toEqual(['population']);
    const series = res.body.series as { population: string; points: number; url: string }[];
    expect(series.map((s) => s.population).sort()).toEqual(['Palestinian children', 'women']);
    for (const s of series) {
      const one = await get(s.url);
      expect(one).toMatchObject({
        reporter: { slug: 'ebrahim-raisi' },
        population: s.population,
        area: 'Gaza Strip',
        cumulative: true,
      });
      expect(one.points).toHaveLength(s.points);
      expect(one.points.every((p: Fig) => p.population === s.population)).toBe(true);
    }
  });

  it('without a reporter, gives every reporter’s points of one series, each naming its reporter', async () => {
    const res = await ctx.api.get('/figures/series?metric=killed').expect(400);
    expect(res.body.code).toBe('ambiguous-series');
    const url = `/figures/series?metric=killed&area=gaza%20strip&population=palestinians&cumulative=true`;
    const series = await get(url);
    expect(series).toMatchObject({ reporter: null, area: 'Gaza Strip', population: 'Palestinians', cumulative: true });
    const points = series.points as Fig[];
    expect(points.map((p) => p.id).sort()).toEqual(
      seededFigures((f) => f.metric === 'killed' && f.population === 'Palestinians' && f.area === 'Gaza Strip'),
    );
    expect(points.map((p) => p.reporter?.slug ?? null)).toEqual(expect.arrayContaining([MOH, null]));
    expect(points.map((p) => p.asOf)).toEqual([...points.map((p) => p.asOf)].sort());
  });

  it('keeps a count for a period and figures without an area out of a running total’s series', async () => {
    const period = await create({
      ...MOH_KILLED,
      value: 120,
      cumulative: false,
      periodStart: '2024-03-01',
      periodEnd: '2024-03-02',
      asOf: '2024-03-02',
    });
    const nowhere = await create({ ...MOH_KILLED, area: null, value: 31000, asOf: '2024-03-10' });
    const res = await ctx.api.get(`/figures/series?metric=killed&reporter=${MOH}`).expect(400);
    expect(fieldsOf(res.body).sort()).toEqual(['area', 'cumulative']);
    const running = await get(`/figures/series?metric=killed&reporter=${MOH}&area=Gaza%20Strip&cumulative=true`);
    expect(running.points.map((p: Fig) => p.id)).toEqual([fid('moh-killed-2024-03')]);
    const noArea = await get(`/figures/series?metric=killed&reporter=${MOH}&area=`);
    expect(noArea).toMatchObject({ area: null, cumulative: true });
    expect(noArea.points.map((p: Fig) => p.id)).toEqual([nowhere.id]);
    const periods = await get(`/figures/series?metric=killed&reporter=${MOH}&cumulative=false`);
    expect(periods.points.map((p: Fig) => p.id)).toEqual([period.id]);
    await remove(period, nowhere);
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

  it('gives exactly one figure per metric, reporter, area, population, unit and scope: the latest', async () => {
    const latest = await checkLatest();
    expect(latest.map((f) => f.id)).toContain(fid('moh-killed-2024-03'));
    const key = (f: (typeof seedFigures)[number]) =>
      JSON.stringify([f.metric, f.reporter ?? null, f.area ?? null, f.population ?? null, f.unit ?? 'count', f.cumulative ?? true]);
    expect(latest.length).toBe(new Set(seedFigures.map(key)).size);
  });

  it('never lets a newer daily count or share hide the running total', async () => {
    const daily = await create({ ...MOH_KILLED, value: 71, cumulative: false, periodStart: '2024-04-02', periodEnd: '2024-04-02', asOf: '2024-04-02' });
    const share = await create({ ...MOH_KILLED, value: 70, unit: 'percent', asOf: '2024-04-03' });
    const latest = await get(`/figures/latest?metric=killed&reporter=${MOH}&limit=100`);
    expect(latest.data.map((f: Fig) => f.id).sort()).toEqual([fid('moh-killed-2024-03'), daily.id, share.id].sort());
    const counts = await get(`/figures/latest?metric=killed&reporter=${MOH}&unit=count&cumulative=true`);
    expect(counts.data.map((f: Fig) => f.id)).toEqual([fid('moh-killed-2024-03')]);
    await remove(daily, share);
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
    const pair = [
      await create({ metric: 'test_cursor', value: 10, reporter: MOH }),
      await create({ metric: 'test_cursor', value: 20, reporter: 'israel' }),
      await create({ metric: 'test_cursor', value: 30, reporter: 'israel' }),
    ];
    const discrepancyCursor = (await get('/figures/discrepancies?metric=test_cursor&limit=1')).nextCursor as string;
    expect(discrepancyCursor).toEqual(expect.any(String));
    await remove(...pair);
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
  const list = async (query: string) => (await get(`/figures/discrepancies?${query}`)).data as Discrepancy[];
  const INJURED = { metric: 'injured', area: 'Gaza Strip', population: 'Palestinians', periodStart: '2023-10-07' };

  it('does not call the seed’s growing running totals a disagreement: 41,316 injured in December, 75,190 in March', async () => {
    const pairs = await list('window=3650');
    expect(pairs).toEqual([]);
    // Both are running totals since 7 October, 88+ days apart: the count grew.
    const [dec, mar] = [fid('injured-2023-12-04'), fid('moh-injured-2024-03')];
    expect((await get(`/figures/${dec}`)).value).toBe(41316);
    expect((await get(`/figures/${mar}`)).value).toBe(75190);
  });

  it('calls a later running total below an earlier one a regression, and a reporter contradicting itself a revision', async () => {
    const lower = await create({ ...INJURED, value: 30000, asOf: '2024-03-20', reporter: MOH });
    const pairs = await list('window=3650&metric=injured');
    expect(pairs.map((d) => [d.kind, ...pairOf(d)])).toEqual(
      expect.arrayContaining([
        ['regression', ...[fid('injured-2023-12-04'), lower.id].sort()],
        ['revision', ...[fid('moh-injured-2024-03'), lower.id].sort()],
      ]),
    );
    expect(pairs).toHaveLength(2);
    const regression = pairs.find((d) => d.kind === 'regression')!;
    expect(regression).toMatchObject({ cumulative: true, boundsOverlap: false, difference: 30000 - 41316 });
    expect(regression.explanation).toContain('cannot fall');
    expect(regression.explanation).toContain('30,000');
    expect(regression.explanation).toContain('41,316');
    const revision = pairs.find((d) => d.kind === 'revision')!;
    // "2024-03" and "2024-03-20" are the same date as far as is known.
    expect(revision).toMatchObject({ daysApart: 0 });
    expect(revision.explanation).toContain('Ministry of Health');
    await remove(lower);
  });

  it('calls counts of two reporters for one date that no value satisfies a conflict, and leaves compatible wordings alone', async () => {
    const metric = 'test_conflict';
    const a = await create({ metric, value: 100, qualifier: 'at_least', asOf: '2024-05-01', reporter: MOH });
    const compatible = await create({ metric, value: 150, asOf: '2024-05-01', reporter: 'ebrahim-raisi' });
    expect(await list(`window=30&metric=${metric}`)).toEqual([]);
    const below = await create({ metric, value: 80, asOf: '2024-05-01', reporter: 'israel' });
    const pairs = await list(`window=30&metric=${metric}`);
    expect(pairs.map((d) => [d.kind, ...pairOf(d)]).sort()).toEqual(
      [
        ['conflict', ...[a.id, below.id].sort()],
        ['conflict', ...[compatible.id, below.id].sort()],
      ].sort(),
    );
    const withA = pairs.find((d) => d.figures[0].id === a.id)!;
    expect(withA.explanation).toMatch(/cannot both be true: at least 100 as of 2024-05-01 against 80 as of 2024-05-01/);
    // A later, higher running total is growth; a figure for a period is never set beside a running total.
    const growth = await create({ metric, value: 500, asOf: '2024-05-10', reporter: 'israel' });
    const period = await create({
      metric,
      value: 1,
      cumulative: false,
      periodStart: '2024-05-01',
      periodEnd: '2024-05-10',
      asOf: '2024-05-10',
      reporter: 'israel',
    });
    expect((await list(`window=30&metric=${metric}`)).map(pairOf)).toEqual(pairs.map(pairOf));
    await remove(a, compatible, below, growth, period);
  });

  it('compares counts for periods only when one period contains the other', async () => {
    const metric = 'test_period';
    const month = { metric, cumulative: false, periodStart: '2024-01-01', periodEnd: '2024-01-31', asOf: '2024-01-31' };
    const january = await create({ ...month, value: 500, reporter: MOH });
    const overlapping = await create({
      ...month,
      value: 900,
      periodStart: '2024-01-15',
      periodEnd: '2024-02-15',
      asOf: '2024-02-15',
      reporter: 'israel',
    });
    const smaller = await create({
      ...month,
      value: 300,
      periodStart: '2024-01-10',
      periodEnd: '2024-01-20',
      asOf: '2024-01-20',
      reporter: 'israel',
    });
    expect(await list(`window=60&metric=${metric}`)).toEqual([]);
    await remove(smaller);
    const larger = await create({
      ...month,
      value: 600,
      periodStart: '2024-01-10',
      periodEnd: '2024-01-20',
      asOf: '2024-01-20',
      reporter: 'israel',
    });
    const pairs = await list(`window=60&metric=${metric}`);
    expect(pairs.map((d) => [d.kind, ...pairOf(d)])).toEqual([['conflict', ...[january.id, larger.id].sort()]]);
    expect(pairs[0]).toMatchObject({ cumulative: false });
    expect(pairs[0].explanation).toMatch(/600 .* for 2024-01-10 to 2024-01-20, more than .*500 for 2024-01-01 to 2024-01-31/);
    await remove(january, overlapping, larger);
  });

  it('counts the window inclusively, pages with limit=1 through the cursor and the Link header, and refuses windows out of range', async () => {
    const metric = 'test_window';
    const a = await create({ metric, value: 100, asOf: '2024-05-01', reporter: MOH });
    const b = await create({ metric, value: 90, asOf: '2024-05-11', reporter: 'israel' });
    const c = await create({ metric, value: 80, asOf: '2024-05-21', reporter: MOH });
    expect((await list(`window=9&metric=${metric}`)).map(pairOf)).toEqual([]);
    expect((await list(`window=10&metric=${metric}`)).map(pairOf)).toEqual([[a.id, b.id].sort(), [b.id, c.id].sort()]);
    const all = await list(`window=20&metric=${metric}`);
    expect(all.map((d) => d.kind)).toEqual(['regression', 'revision', 'regression']);
    const seen: Discrepancy[] = [];
    let url: string | null = `/figures/discrepancies?window=20&metric=${metric}&limit=1`;
    while (url) {
      const res: { body: { data: Discrepancy[]; nextCursor: string | null }; headers: Record<string, string> } = await ctx.api
        .get(url)
        .expect(200);
      seen.push(...res.body.data);
      const next: string | null = res.headers.link?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null;
      expect(next === null).toBe(res.body.nextCursor === null);
      url = next && new URL(next).pathname + new URL(next).search;
    }
    expect(seen.map(pairOf)).toEqual(all.map(pairOf));
    for (const d of all) expect(d.difference).toBe(d.figures[1].value - d.figures[0].value);
    for (const w of ['-1', '5000', 'soon']) {
      const res = await ctx.api.get(`/figures/discrepancies?window=${w}`).expect(400);
      expect(fieldsOf(res.body)).toEqual(['window']);
    }
    await remove(a, b, c);
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
