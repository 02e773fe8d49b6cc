import { assertActorsExist, resolveActor } from '../actors/repository.js';
import type { Database } from '../db/database.js';
import { Params, actorRefs, oneOf } from '../db/sql.js';
import { encodeCursor, offsetFromCursor, pageOf, parseSort } from '../core/pagination.js';
import { type FigureRow, SELECT_FIGURES, toFigure } from './queries.js';
import type { DiscrepancyInput, LatestInput, SeriesInput } from './schemas.js';

/** Questions asked of many figures at once: how a count grew, where it stands, where reporters disagree. */

export async function figureSeries(db: Database, q: SeriesInput) {
  const reporter = await resolveActor(db.prisma, q.reporter, 'reporter', 'query');
  const p = new Params();
  const where = [`f.metric = ${p.add(q.metric)}`, `f.reporter_id = ${p.add(reporter.id)}::uuid`];
  if (q.area) where.push(`lower(f.area) = lower(${p.add(q.area)})`);
  if (q.population) where.push(`lower(f.population) = lower(${p.add(q.population)})`);
  const rows = await db.query<FigureRow>(
    `${SELECT_FIGURES} WHERE ${where.join(' AND ')} ORDER BY f.as_of, f.created_at, f.id`,
    p.values,
  );
  return { metric: q.metric, reporter, points: rows.map(toFigure) };
}

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

export async function figureDiscrepancies(db: Database, q: DiscrepancyInput) {
  const sort = parseSort('discrepancy', {});
  const offset = offsetFromCursor(sort, q.cursor);
  const p = new Params();
  const window = `${p.add(q.window)}::int`;
  // Each pair once, the earlier as-of first (`a`), ties broken by id. Then the gap is how far `b`
  // starts after `a` ends, and the window bounds b's start from both sides: the index on
  // (metric, area, population, as_of) reads only the figures a few days either side of each.
  const where = [
    // Null-safe equality spelt so that an index can answer it (IS NOT DISTINCT FROM cannot).
    "coalesce(a.area, '') = coalesce(b.area, '')",
    '(a.area IS NULL) = (b.area IS NULL)',
    "coalesce(a.population, '') = coalesce(b.population, '')",
    '(a.population IS NULL) = (b.population IS NULL)',
    'b.as_of >= a.as_of',
    `b.as_of <= ${asOfEnd('a')} + ${window}`,
    '(b.as_of > a.as_of OR b.id > a.id)',
    'a.value <> b.value',
    // Different reporters, or the same reporter relayed by sources that have nothing in common.
    `(a.reporter_id IS DISTINCT FROM b.reporter_id OR NOT EXISTS (
       SELECT 1 FROM citations ca JOIN citations cb ON cb.source_id = ca.source_id WHERE ca.figure_id = a.id AND cb.figure_id = b.id))`,
  ];
  if (q.metric) where.push(oneOf(p, 'a.metric', q.metric));
  if (q.area) where.push(`lower(a.area) = lower(${p.add(q.area)})`);
  const pairs = await db.query<{ a: string; b: string; gap: number; overlap: boolean }>(
    `SELECT a.id AS a, b.id AS b, gap,
            (coalesce(a.lower_bound, '-infinity') <= coalesce(b.upper_bound, 'infinity')
             AND coalesce(b.lower_bound, '-infinity') <= coalesce(a.upper_bound, 'infinity')) AS overlap
     FROM figures a JOIN figures b ON a.metric = b.metric,
          LATERAL (SELECT greatest(0, b.as_of - ${asOfEnd('a')})::int AS gap) g
     WHERE ${where.join(' AND ')}
     ORDER BY gap, abs(a.value - b.value) DESC, a.id, b.id
     OFFSET ${p.add(offset)} LIMIT ${p.add(q.limit + 1)}`,
    p.values,
  );
  const more = pairs.length > q.limit;
  const page = more ? pairs.slice(0, q.limit) : pairs;
  const ids = page.flatMap((pair) => [pair.a, pair.b]);
  const figures = new Map(
    (await db.query<FigureRow>(`${SELECT_FIGURES} WHERE f.id = ANY($1::uuid[])`, [ids])).map((r) => [r.id, toFigure(r)]),
  );
  const data = page.map((pair) => {
    const [a, b] = [figures.get(pair.a)!, figures.get(pair.b)!];
    return {
      metric: a.metric,
      area: a.area,
      population: a.population,
      daysApart: pair.gap,
      difference: b.value - a.value,
      boundsOverlap: pair.overlap,
      figures: [a, b] as [typeof a, typeof b],
    };
  });
  const last = page.at(-1);
  return { data, nextCursor: more && last ? encodeCursor(sort, { id: last.a, discrepancy: String(offset + q.limit) }) : null };
}
