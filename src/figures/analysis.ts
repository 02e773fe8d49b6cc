import { assertActorsExist, resolveActor } from '../actors/repository.js';
import type { Database } from '../db/database.js';
import { Params, actorRefs, oneOf } from '../db/sql.js';
import { decodePosition, encodePosition, offsetFromCursor, pageOf, parseSort } from '../core/pagination.js';
import { type FigureRow, SELECT_FIGURES, toFigure } from './queries.js';
import type { DiscrepancyInput, LatestInput, SeriesInput } from './schemas.js';

/** Questions asked of many figures at once: how a count grew, where it stands, where reporters disagree. */

/**
 * One reporter's figures for a metric, oldest as-of first, a page at a time: a series can hold
 * tens of thousands of points (20,000 were 18 MB in one answer before it was paged).
 */
export async function figureSeries(db: Database, q: SeriesInput) {
  const reporter = await resolveActor(db.prisma, q.reporter, 'reporter', 'query');
  const p = new Params();
  const where = [`f.metric = ${p.add(q.metric)}`, `f.reporter_id = ${p.add(reporter.id)}::uuid`];
  if (q.area) where.push(`lower(f.area) = lower(${p.add(q.area)})`);
  if (q.population) where.push(`lower(f.population) = lower(${p.add(q.population)})`);
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
  return { metric: q.metric, reporter, points: page.map(toFigure), nextCursor };
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
  // One row per metric, reporter, area and population: the latest as-of, the newest entry on ties.
  // Paged, as there are as many as there are reporters of each metric in each place; only the page
  // is shaped into JSON.
  const latest = `SELECT DISTINCT ON (metric, reporter_id, area, population) id, metric, as_of FROM figures
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY metric, reporter_id, area, population, as_of DESC, created_at DESC, id DESC`;
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
  SELECT id, metric, area, population, as_of, as_of_precision, value, lower_bound, upper_bound, reporter_id,
         coalesce(area, '') AS area_key, coalesce(population, '') AS population_key, ${lowerBound}
  FROM figures ${scanWhere.length ? `WHERE ${scanWhere.join(' AND ')}` : ''}
  ORDER BY ${key} LIMIT ${p.add(budget.figures)}
), candidates AS MATERIALIZED (
  SELECT a.metric, a.area_key, a.population_key, a.as_of AS a_as_of, a.id AS a, a.reporter_id AS a_reporter,
         b.as_of AS b_as_of, b.id AS b, b.reporter_id AS b_reporter, a.value <> b.value AS differ,
         greatest(0, b.as_of - ${asOfEnd('a')})::int AS gap,
         (coalesce(a.lower_bound, '-infinity') <= coalesce(b.upper_bound, 'infinity')
          AND coalesce(b.lower_bound, '-infinity') <= coalesce(a.upper_bound, 'infinity')) AS overlap,
         (a.area IS NULL) = (b.area_null) AND (a.population IS NULL) = (b.population_null) AS same_place
  FROM (SELECT * FROM scan ${area}) a
  CROSS JOIN LATERAL (
    SELECT b.id, b.as_of, b.value, b.reporter_id, b.lower_bound, b.upper_bound,
           b.area IS NULL AS area_null, b.population IS NULL AS population_null
    FROM figures b
    WHERE b.metric = a.metric AND coalesce(b.area, '') = a.area_key AND coalesce(b.population, '') = a.population_key
      AND (b.as_of, b.id) > (a.lo_as_of, a.lo_id) AND b.as_of <= ${asOfEnd('a')} + ${window}
    ORDER BY b.as_of, b.id LIMIT ${pairs}
  ) b
  -- No ORDER BY here: a sort would have to read every pair before the first. A nested loop over
  -- the ordered scan, each figure's pairs read from the index in order, yields the pairs in
  -- order already, and LIMIT stops it once the budget is examined.
  LIMIT ${pairs}
), hits AS (
  -- Different values from different reporters, or from one reporter relayed by sources that have
  -- nothing in common. OFFSET 0 keeps the check a lookup per pair: PostgreSQL may otherwise hash the
  -- whole citations self-join once, the square of the figures citing one source (2.3 million rows
  -- for 1,500 figures from one ministry's channel: 10 s instead of 0.1 s).
  SELECT * FROM candidates
  WHERE differ AND same_place AND (a_reporter IS DISTINCT FROM b_reporter OR NOT EXISTS (
    SELECT 1 FROM citations ca JOIN citations cb ON cb.source_id = ca.source_id WHERE ca.figure_id = a AND cb.figure_id = b
    OFFSET 0))
  ORDER BY ${PAIR_ORDER} LIMIT ${p.add(q.limit + 1)}
)
SELECT 'hit' AS kind, metric, area_key, population_key, to_char(a_as_of, 'YYYY-MM-DD') AS a_as_of, a,
       to_char(b_as_of, 'YYYY-MM-DD') AS b_as_of, b, gap, overlap, 0 AS scanned, 0 AS examined FROM hits
UNION ALL
(SELECT 'last', metric, area_key, population_key, to_char(a_as_of, 'YYYY-MM-DD'), a, to_char(b_as_of, 'YYYY-MM-DD'), b,
        NULL, NULL, 0, (SELECT count(*) FROM candidates)::int FROM candidates ORDER BY ${PAIR_ORDER_DESC} LIMIT 1)
UNION ALL
(SELECT 'scanned', metric, area_key, population_key, to_char(as_of, 'YYYY-MM-DD'), id, NULL, NULL, NULL, NULL,
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
      daysApart: pair.gap!,
      difference: b.value - a.value,
      boundsOverlap: pair.overlap!,
      figures: [a, b] as [typeof a, typeof b],
    };
  });
  return { data, nextCursor };
}
