import { assertActorsExist, resolveActor } from '../actors/repository.js';
import type { Database } from '../db/database.js';
import { Params, actorRefs, oneOf } from '../db/sql.js';
import { decodePosition, encodePosition, offsetFromCursor, pageOf, parseSort } from '../core/pagination.js';
import { ProblemError } from '../core/problems.js';
import { type FigureRow, SELECT_FIGURES, toFigure } from './queries.js';
import type { DiscrepancyInput, DiscrepancyKind, LatestInput, SeriesInput } from './schemas.js';
import { QUALIFIER_WORDS } from './quantities.js';

/** Questions asked of many figures at once: how a count grew, where it stands, where reporters disagree. */

/**
 * One reporter's figures for a metric, oldest as-of first, a page at a time: a series can hold
 * tens of thousands of points (20,000 were 18 MB in one answer before it was paged).
 */
export async function figureSeries(db: Database, q: SeriesInput) {
  const reporter = q.reporter ? await resolveActor(db.prisma, q.reporter, 'reporter', 'query') : null;
  const p = new Params();
  const where = [`f.metric = ${p.add(q.metric)}`];
  if (reporter) where.push(`f.reporter_id = ${p.add(reporter.id)}::uuid`);
  for (const [column, value] of [
    ['area', q.area],
    ['population', q.population],
  ] as const) {
    if (value === '') where.push(`f.${column} IS NULL`);
    else if (value !== undefined) where.push(`lower(f.${column}) = lower(${p.add(value)})`);
  }
  if (q.cumulative !== undefined) where.push(`f.cumulative = ${p.add(q.cumulative)}`);
  if (q.unit !== undefined) where.push(`f.unit = ${p.add(q.unit)}::figure_unit`);
  if (!q.cursor) await assertOneSeries(db, q, where, p.values);
  if (q.cursor) {
    const [asOf, createdAt, id] = decodePosition(q.cursor, SERIES_CURSOR, ['date', 'timestamp', 'uuid']);
    where.push(`(f.as_of, f.created_at, f.id) > (${p.add(asOf)}::date, ${p.add(createdAt)}::timestamptz, ${p.add(id)}::uuid)`);
  }
  const rows = await db.query<FigureRow>(
    `${SELECT_FIGURES} WHERE ${where.join(' AND ')} ORDER BY f.as_of, f.created_at, f.id LIMIT ${p.add(q.limit + 1)}`,
    p.values,
    { prepare: true },
  );
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page.at(-1);
  const nextCursor = more && last ? encodePosition(SERIES_CURSOR, [last.as_of, last.created_at, last.id]) : null;
  const points = page.map(toFigure);
  const first = points[0];
  return {
    metric: q.metric,
    reporter,
    area: first ? first.area : q.area || null,
    population: first ? first.population : q.population || null,
    cumulative: first ? first.cumulative : (q.cumulative ?? null),
    unit: first ? first.unit : (q.unit ?? null),
    points,
    nextCursor,
  };
}

/**
 * A series is one metric for one area, population and scope: Raisi's 6,000 children and 4,000 women
 * on one date are two series, and a running total is never a point among counts for a period. A
 * request that matches several is refused with each of them and the URL that asks for it alone.
 */
async function assertOneSeries(db: Database, q: SeriesInput, where: string[], values: unknown[]) {
  const found = await db.query<{
    area: string | null;
    population: string | null;
    cumulative: boolean;
    unit: string;
    points: number;
  }>(
    `SELECT min(f.area) AS area, min(f.population) AS population, f.cumulative, f.unit::text, count(*)::int AS points
     FROM figures f WHERE ${where.join(' AND ')}
     GROUP BY lower(f.area), lower(f.population), f.cumulative, f.unit ORDER BY count(*) DESC, 1, 2, 3, 4 LIMIT 21`,
    values,
  );
  if (found.length < 2) return;
  const series = found.map((s) => {
    const params = new URLSearchParams({ metric: q.metric });
    if (q.reporter) params.set('reporter', q.reporter);
    params.set('area', s.area ?? '');
    params.set('population', s.population ?? '');
    params.set('cumulative', String(s.cumulative));
    params.set('unit', s.unit);
    return { ...s, url: `/figures/series?${params}` };
  });
  const missing = (['area', 'population', 'cumulative', 'unit'] as const).filter(
    (k) => q[k] === undefined && new Set(found.map((s) => String(s[k]).toLowerCase())).size > 1,
  );
  throw new ProblemError(
    'ambiguous-series',
    `These figures form ${found.length > 20 ? 'more than 20' : found.length} series (different ${missing.join(', ')}); a series never mixes them. Give ${missing.join(' and ')}, or follow one of the URLs in \`series\`.`,
    {
      errors: missing.map((field) => ({ in: 'query', field, message: 'required to choose one series' })),
      series: series.slice(0, 20),
    },
  );
}

const SERIES_CURSOR = 'series';

export async function latestFigures(db: Database, q: LatestInput) {
  const sort = parseSort('latest', {});
  const offset = offsetFromCursor(sort, q.cursor);
  const p = new Params();
  const where: string[] = [];
  if (q.metric) where.push(oneOf(p, 'metric', q.metric));
  if (q.reporter) where.push(actorRefs(p, 'reporter_id', q.reporter));
  if (q.area) where.push(`lower(area) = lower(${p.add(q.area)})`);
  // One row per metric, reporter, area, population, unit and scope: the latest as-of, the newest entry
  // on ties. Unit and scope too, or a daily count would hide the running total, and a share the count
  // it is a share of. Paged, as there are as many as there are reporters of each metric in each place;
  // only the page is shaped into JSON.
  if (q.unit) where.push(`unit = ${p.add(q.unit)}::figure_unit`);
  if (q.cumulative !== undefined) where.push(`cumulative = ${p.add(q.cumulative)}`);
  const latest = `SELECT DISTINCT ON (metric, reporter_id, area, population, unit, cumulative) id, metric, as_of FROM figures
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY metric, reporter_id, area, population, unit, cumulative, as_of DESC, created_at DESC, id DESC`;
  const page = `(SELECT id, metric, as_of FROM (${latest}) l ORDER BY metric, as_of DESC, id
    OFFSET ${p.add(offset)} LIMIT ${p.add(q.limit + 1)})`;
  const rows = await db.query<FigureRow>(
    `${SELECT_FIGURES} WHERE f.id IN (SELECT id FROM ${page} pg) ORDER BY f.metric, f.as_of DESC, f.id`,
    p.values,
  );
  if (rows.length === 0 && q.reporter) await assertActorsExist(db.prisma, q.reporter, 'reporter');
  const { data, nextCursor } = pageOf(rows, q.limit, sort, () => String(offset + q.limit));
  return { data: data.map(toFigure), nextCursor };
}

// First and last day of a figure's as-of period.
const asOfEnd = (t: string) => `(CASE ${t}.as_of_precision WHEN 'day' THEN ${t}.as_of
  WHEN 'month' THEN (date_trunc('month', ${t}.as_of) + interval '1 month - 1 day')::date
  ELSE (date_trunc('year', ${t}.as_of) + interval '1 year - 1 day')::date END)`;

/**
 * The work one request may do, whatever the data: figures read as the first of a pair, and pairs
 * examined. A page that reaches either budget ends there, with a cursor to go on from, even with
 * fewer than `limit` discrepancies (or none) in it. Unbounded, 20,000 figures of one metric on a
 * few dates made every call time out. On PGlite a query can be neither cancelled nor interleaved
 * (it runs on the server's only thread), so its budget is smaller: about 0.1 s of work a request,
 * against about 0.1-0.2 s for PostgreSQL's on this project's machines.
 */
export const DISCREPANCY_BUDGET = {
  postgres: { figures: 2000, pairs: 20_000 },
  pglite: { figures: 1000, pairs: 5000 },
} as const;

const DISCREPANCY_CURSOR = 'discrepancies';
const PAIR_ORDER = 'metric, area_key, population_key, a_as_of, a, b_as_of, b';
const PAIR_ORDER_DESC = PAIR_ORDER.split(', ')
  .map((c) => `${c} DESC`)
  .join(', ');
// A position after every pair of a figure: the next page starts with the next figure.
const AFTER_ALL = ['9999-12-31', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];

interface Candidate {
  kind: 'hit' | 'last' | 'scanned';
  metric: string;
  area_key: string;
  population_key: string;
  a_as_of: string;
  a: string;
  b_as_of: string | null;
  b: string | null;
  gap: number | null;
  overlap: boolean | null;
  verdict: DiscrepancyKind | null;
  scanned: number;
  examined: number;
}

/**
 * Pairs of figures that disagree, in the order of the index on (metric, area, population, as-of,
 * id): each figure `a` in turn, then the figures `b` that start after it within the window, in
 * as-of order. The scan walks that index; it stops at `limit` discrepancies or at the budget, and
 * the cursor says where it stopped (figure `a` and the last `b` examined), so no pair is skipped
 * or repeated across pages.
 */
export async function figureDiscrepancies(
  db: Database,
  q: DiscrepancyInput,
  budget: { figures: number; pairs: number } = DISCREPANCY_BUDGET[db.kind],
) {
  const p = new Params();
  const window = `${p.add(q.window)}::int`;
  const key = `metric, coalesce(area, ''), coalesce(population, ''), as_of, id`;
  const scanWhere: string[] = [];
  if (q.metric) scanWhere.push(oneOf(p, 'metric', q.metric));
  let lowerBound = 'as_of AS lo_as_of, id AS lo_id';
  if (q.cursor) {
    const [metric, area, population, aAsOf, a, bAsOf, b] = decodePosition(q.cursor, DISCREPANCY_CURSOR, [
      'text',
      'text',
      'text',
      'date',
      'uuid',
      'date',
      'uuid',
    ]);
    scanWhere.push(
      `(${key}) >= (${p.add(metric)}, ${p.add(area)}, ${p.add(population)}, ${p.add(aAsOf)}::date, ${p.add(a)}::uuid)`,
    );
    // The figure the last page stopped in goes on after the last pair examined.
    const first = p.add(a);
    lowerBound = `CASE WHEN id = ${first}::uuid THEN ${p.add(bAsOf)}::date ELSE as_of END AS lo_as_of,
      CASE WHEN id = ${first}::uuid THEN ${p.add(b)}::uuid ELSE id END AS lo_id`;
  }
  const area = q.area ? `WHERE lower(area) = lower(${p.add(q.area)})` : '';
  const pairs = p.add(budget.pairs);
  const sql = `
WITH scan AS MATERIALIZED (
  SELECT id, metric, area, population, as_of, as_of_precision, value, qualifier, lower_bound, upper_bound, reporter_id,
         cumulative, period_start, period_end, unit, share_of_id,
         coalesce(area, '') AS area_key, coalesce(population, '') AS population_key, ${lowerBound}
  FROM figures ${scanWhere.length ? `WHERE ${scanWhere.join(' AND ')}` : ''}
  ORDER BY ${key} LIMIT ${p.add(budget.figures)}
), candidates AS MATERIALIZED (
  SELECT a.metric, a.area_key, a.population_key, a.as_of AS a_as_of, a.id AS a, b.as_of AS b_as_of, b.id AS b,
         a.cumulative, a.reporter_id = b.reporter_id AS same_reporter,
         a.value IS DISTINCT FROM b.value OR a.qualifier <> b.qualifier AS differ,
         greatest(0, b.as_of - ${asOfEnd('a')})::int AS gap,
         coalesce(a.lower_bound, '-infinity') AS a_lo, coalesce(a.upper_bound, 'infinity') AS a_hi,
         coalesce(b.lower_bound, '-infinity') AS b_lo, coalesce(b.upper_bound, 'infinity') AS b_hi,
         a.period_start AS a_start, a.period_end AS a_end, b.period_start AS b_start, b.period_end AS b_end,
         (a.area IS NULL) = (b.area_null) AND (a.population IS NULL) = (b.population_null) AS same_place
  FROM (SELECT * FROM scan ${area}) a
  CROSS JOIN LATERAL (
    SELECT b.id, b.as_of, b.value, b.qualifier, b.reporter_id, b.lower_bound, b.upper_bound, b.period_start, b.period_end,
           b.area IS NULL AS area_null, b.population IS NULL AS population_null
    FROM figures b
    WHERE b.metric = a.metric AND coalesce(b.area, '') = a.area_key AND coalesce(b.population, '') = a.population_key
      AND (b.as_of, b.id) > (a.lo_as_of, a.lo_id) AND b.as_of <= ${asOfEnd('a')} + ${window}
      -- Like with like: a running total only beside one running from the same start, a count for a
      -- period only beside another count for a period.
      AND b.cumulative = a.cumulative AND (NOT a.cumulative OR b.period_start IS NOT DISTINCT FROM a.period_start)
      AND b.unit = a.unit AND b.share_of_id IS NOT DISTINCT FROM a.share_of_id
    ORDER BY b.as_of, b.id LIMIT ${pairs}
  ) b
  -- No ORDER BY here: a sort would have to read every pair before the first. A nested loop over
  -- the ordered scan, each figure's pairs read from the index in order, yields the pairs in
  -- order already, and LIMIT stops it once the budget is examined.
  LIMIT ${pairs}
), hits AS (
  -- Pairs that cannot both be true (see DiscrepancyKind). Two running totals for one date must
  -- allow a common value; a later one must not be below an earlier one (a higher one is growth).
  -- A count for a period must not exceed the count for a period that contains it.
  SELECT *, CASE WHEN same_reporter THEN 'revision' WHEN cumulative AND gap > 0 THEN 'regression' ELSE 'conflict' END AS verdict
  FROM candidates
  WHERE differ AND same_place AND CASE
    WHEN cumulative AND gap = 0 THEN a_hi < b_lo OR b_hi < a_lo
    WHEN cumulative THEN b_hi < a_lo
    ELSE a_start IS NOT NULL AND a_end IS NOT NULL AND b_start IS NOT NULL AND b_end IS NOT NULL
      AND ((a_start <= b_start AND b_end <= a_end AND b_lo > a_hi) OR (b_start <= a_start AND a_end <= b_end AND a_lo > b_hi))
  END
  ORDER BY ${PAIR_ORDER} LIMIT ${p.add(q.limit + 1)}
)
SELECT 'hit' AS kind, metric, area_key, population_key, to_char(a_as_of, 'YYYY-MM-DD') AS a_as_of, a,
       to_char(b_as_of, 'YYYY-MM-DD') AS b_as_of, b, gap, a_hi >= b_lo AND b_hi >= a_lo AS overlap, verdict,
       0 AS scanned, 0 AS examined FROM hits
UNION ALL
(SELECT 'last', metric, area_key, population_key, to_char(a_as_of, 'YYYY-MM-DD'), a, to_char(b_as_of, 'YYYY-MM-DD'), b,
        NULL, NULL, NULL, 0, (SELECT count(*) FROM candidates)::int FROM candidates ORDER BY ${PAIR_ORDER_DESC} LIMIT 1)
UNION ALL
(SELECT 'scanned', metric, area_key, population_key, to_char(as_of, 'YYYY-MM-DD'), id, NULL, NULL, NULL, NULL, NULL,
        (SELECT count(*) FROM scan)::int, 0 FROM scan ORDER BY metric DESC, area_key DESC, population_key DESC, as_of DESC, id DESC LIMIT 1)`;
  const rows = await db.query<Candidate>(sql, p.values);
  const hits = rows.filter((r) => r.kind === 'hit');
  const last = rows.find((r) => r.kind === 'last');
  const scanned = rows.find((r) => r.kind === 'scanned');

  const page = hits.slice(0, q.limit);
  let nextCursor: string | null = null;
  const at = (r: Candidate, b: string[]) =>
    encodePosition(DISCREPANCY_CURSOR, [r.metric, r.area_key, r.population_key, r.a_as_of, r.a, ...b]);
  if (hits.length > q.limit) {
    const end = page.at(-1)!;
    nextCursor = at(end, [end.b_as_of!, end.b!]);
  } else if (last && last.examined >= budget.pairs) {
    nextCursor = at(last, [last.b_as_of!, last.b!]);
  } else if (scanned && scanned.scanned >= budget.figures) {
    nextCursor = at(scanned, AFTER_ALL);
  }

  const ids = page.flatMap((pair) => [pair.a, pair.b!]);
  const figures = new Map(
    (await db.query<FigureRow>(`${SELECT_FIGURES} WHERE f.id = ANY($1::uuid[])`, [ids])).map((r) => [r.id, toFigure(r)]),
  );
  const data = page.map((pair) => {
    const [a, b] = [figures.get(pair.a)!, figures.get(pair.b!)!];
    return {
      metric: a.metric,
      area: a.area,
      population: a.population,
      cumulative: a.cumulative,
      kind: pair.verdict!,
      explanation: explain(pair.verdict!, a, b, pair.gap!),
      daysApart: pair.gap!,
      difference: a.value === null || b.value === null ? null : b.value - a.value,
      boundsOverlap: pair.overlap!,
      figures: [a, b] as [typeof a, typeof b],
    };
  });
  return { data, nextCursor };
}

type Fig = ReturnType<typeof toFigure>;

const amount = (f: Fig) => {
  const number = f.value === null ? '' : `${f.value.toLocaleString('en-US')}${f.unit === 'count' ? '' : '%'}`;
  return [QUALIFIER_WORDS[f.qualifier], number].filter(Boolean).join(' ');
};
const by = (f: Fig) => f.reporter?.name ?? 'an unattributed source';
const period = (f: Fig) => (f.cumulative ? `as of ${f.asOf}` : `for ${f.periodStart} to ${f.periodEnd}`);

/** One sentence a reader can check against the two figures: why they cannot both be right. */
function explain(kind: DiscrepancyKind, a: Fig, b: Fig, gap: number): string {
  const what = [a.metric, a.population && `(${a.population})`, a.area && `in ${a.area}`].filter(Boolean).join(' ');
  if (!a.cumulative) {
    const [inner, outer] = b.lowerBound !== null && a.upperBound !== null && b.lowerBound > a.upperBound ? [b, a] : [a, b];
    return `${by(inner)} counts ${amount(inner)} ${what} ${period(inner)}, more than ${by(outer)}'s ${amount(outer)} ${period(outer)}, a period that contains it${kind === 'revision' ? ': the same reporter, counting again' : ''}.`;
  }
  if (gap > 0) {
    return kind === 'revision'
      ? `${by(a)} lowered its own running total of ${what}: ${amount(a)} ${period(a)}, then ${amount(b)} ${period(b)}.`
      : `A running total of ${what} cannot fall, but ${by(b)}'s ${amount(b)} ${period(b)} is below ${by(a)}'s ${amount(a)} ${period(a)}: one is wrong, or they count differently.`;
  }
  return kind === 'revision'
    ? `${by(a)} gave two running totals of ${what} for the same date that cannot both be true: ${amount(a)} ${period(a)} and ${amount(b)} ${period(b)}.`
    : `${by(a)} and ${by(b)} give running totals of ${what} for the same date that cannot both be true: ${amount(a)} ${period(a)} against ${amount(b)} ${period(b)}.`;
}
