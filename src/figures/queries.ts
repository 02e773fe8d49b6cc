import type { z } from 'zod';
import { actorSummaryJson, citationsJson, isoTimestamp, revisionSql } from '../citations/sql.js';
import { assertActorsExist } from '../actors/repository.js';
import type { Database } from '../db/database.js';
import { Params, actorRefs, carriedBy, countRows, keyset, oneOf, periodWithin } from '../db/sql.js';
import { pageOf, parseSort } from '../core/pagination.js';
import { type Precision, assertRange, cutDay } from '../core/partial-date.js';
import { notFound } from '../core/problems.js';
import type { AsRead } from '../history/citable.js';
import type { Figure, FigureListInput } from './schemas.js';

/**
 * The read side of figures: one SQL query shapes a figure with its reporter and citations, and for
 * answers the revision it is at (history snapshots leave it out: SNAPSHOT_FIGURES).
 */
const selectFigures = (revision: boolean) => `
SELECT f.id, f.metric, f.value, f.qualifier, f.unit, f.share_of_id, f.method, coalesce(f.derived_from, '{}') AS derived_from, f.lower_bound, f.upper_bound, f.phrase, f.population, f.area, f.cumulative,
       to_char(f.period_start, 'YYYY-MM-DD') AS period_start, to_char(f.period_end, 'YYYY-MM-DD') AS period_end,
       to_char(f.as_of, 'YYYY-MM-DD') AS as_of, f.as_of_precision, f.statement_id, f.caveats, f.notes,
       ${isoTimestamp('f.created_at')} AS created_at, ${isoTimestamp('f.updated_at')} AS updated_at,
       CASE WHEN r.id IS NULL THEN NULL ELSE ${actorSummaryJson('r')} END AS reporter,
       ${citationsJson('figure_id', 'f.id')} AS citations${revision ? `, ${revisionSql('figure', 'f.id')} AS revision` : ''}
FROM figures f LEFT JOIN actors r ON r.id = f.reporter_id`;
export const SELECT_FIGURES = selectFigures(true);
const SNAPSHOT_FIGURES = selectFigures(false);

type FigureOut = AsRead<z.output<typeof Figure>>;

export interface FigureRow {
  id: string;
  metric: string;
  value: number | null;
  qualifier: FigureOut['qualifier'];
  unit: FigureOut['unit'];
  share_of_id: string | null;
  method: FigureOut['method'];
  derived_from: string[];
  lower_bound: number | null;
  upper_bound: number | null;
  phrase: string | null;
  population: string | null;
  area: string | null;
  cumulative: boolean;
  period_start: string | null;
  period_end: string | null;
  as_of: string;
  as_of_precision: Precision;
  statement_id: string | null;
  caveats: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
  reporter: FigureOut['reporter'];
  citations: FigureOut['citations'];
  revision?: number;
}

export function toFigure(r: FigureRow): FigureOut {
  return {
    id: r.id,
    metric: r.metric,
    value: r.value,
    qualifier: r.qualifier,
    unit: r.unit,
    shareOf: r.share_of_id,
    method: r.method,
    derivedFrom: r.derived_from,
    lowerBound: r.lower_bound,
    upperBound: r.upper_bound,
    phrase: r.phrase,
    population: r.population,
    area: r.area,
    cumulative: r.cumulative,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    asOf: cutDay(r.as_of, r.as_of_precision),
    asOfPrecision: r.as_of_precision,
    reporter: r.reporter,
    statementId: r.statement_id,
    caveats: r.caveats,
    notes: r.notes,
    citations: r.citations,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.revision === undefined ? {} : { revision: r.revision }),
  };
}

/** Several figures by id, as history snapshots keep them (for the snapshots of a whole write at once). */
export async function getFigures(db: Database, ids: string[]): Promise<FigureOut[]> {
  return (await db.query<FigureRow>(`${SNAPSHOT_FIGURES} WHERE f.id = ANY($1::uuid[])`, [ids])).map(toFigure);
}

export async function getFigure(db: Database, id: string): Promise<FigureOut> {
  const [row] = await db.query<FigureRow>(`${SELECT_FIGURES} WHERE f.id = $1`, [id], { prepare: true });
  if (!row) throw notFound('figure', id);
  return toFigure(row);
}

export async function listFigures(db: Database, q: FigureListInput) {
  assertRange(q.from, q.to);
  const sort = parseSort(q.sort, { asOf: 'date', createdAt: 'date' });
  const p = new Params();
  const where: string[] = [];
  if (q.metric) where.push(oneOf(p, 'f.metric', q.metric));
  if (q.reporter) where.push(actorRefs(p, 'f.reporter_id', q.reporter));
  where.push(...periodWithin(p, 'f.as_of', 'f.as_of_precision', q.from, q.to));
  if (q.area) where.push(`lower(f.area) = lower(${p.add(q.area)})`);
  if (q.population) where.push(`lower(f.population) = lower(${p.add(q.population)})`);
  if (q.qualifier) where.push(`f.qualifier = ${p.add(q.qualifier)}::qualifier`);
  if (q.statement) where.push(`f.statement_id = ${p.add(q.statement)}::uuid`);
  if (q.source)
    where.push(`EXISTS (SELECT 1 FROM citations c WHERE c.figure_id = f.id AND c.source_id = ${p.add(q.source)}::uuid)`);
  if (q.outlet) where.push(carriedBy(p, 'figure_id', 'f.id', q.outlet));

  const counting = q.total ? countRows(db, 'figures f', [...where], [...p.values]) : undefined;
  void counting?.catch(() => {}); // awaited below; a refused cursor before then must not leave it unhandled
  const byAsOf = sort.field === 'asOf';
  const page = keyset(p, sort, byAsOf ? 'f.as_of' : 'f.created_at', byAsOf ? 'date' : 'timestamptz', 'f.id', q.cursor);
  where.push(...page.where);
  const sql = `${SELECT_FIGURES}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ${page.orderBy} LIMIT ${p.add(q.limit + 1)}`;
  const { data, nextCursor } = pageOf(await db.query<FigureRow>(sql, p.values, { prepare: true }), q.limit, sort, (r) =>
    byAsOf ? r.as_of : r.created_at,
  );
  if (data.length === 0 && q.reporter) await assertActorsExist(db.prisma, q.reporter, 'reporter');
  const total = await counting;
  return { data: data.map(toFigure), nextCursor, ...(total === undefined ? {} : { total }) };
}
