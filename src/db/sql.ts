import { UUID } from '../core/ids.js';
import { type SortSpec, decodeCursor } from '../core/pagination.js';
import { formatDay, latestStart, parsePartialDate } from '../core/partial-date.js';
import type { Database } from './database.js';

/** Collects bind parameters while a query is assembled, so values never enter SQL text. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * `column` is one of `values`. A single value is an equality, so that an index
 * on (column, sort key) can hand rows over in order: PostgreSQL 15 cannot do
 * that for `= ANY(array)`.
 */
export const oneOf = (p: Params, column: string, values: readonly unknown[]): string =>
  values.length === 1 ? `${column} = ${p.add(values[0])}` : `${column} = ANY(${p.add(values)})`;

/**
 * Conditions for "the dated period lies within [from, to]", given the `from`
 * and `to` query parameters (partial dates). Periods are stored by their first
 * day, so "ends by `to`" becomes a plain comparison with the latest first day
 * each precision may have: cheap per row, and the bare `date <= to` lets an
 * index narrow the scan.
 */
export function periodWithin(p: Params, date: string, precision: string, from?: string, to?: string): string[] {
  const where: string[] = [];
  if (from) where.push(`${date} >= ${p.add(formatDay(parsePartialDate(from)!.date))}::date`);
  if (to) {
    const [day, month, year] = (['day', 'month', 'year'] as const).map((pr) => p.add(formatDay(latestStart(to, pr))));
    where.push(
      `${date} <= ${day}::date`,
      `${date} <= CASE ${precision} WHEN 'day' THEN ${day}::date WHEN 'month' THEN ${month}::date ELSE ${year}::date END`,
    );
  }
  return where;
}

/**
 * Actors named by id or slug, as an index-friendly condition on `column` (by the time a query
 * runs, src/actors/query-refs.ts has resolved every other form of reference to ids): the
 * ids and slugs are told apart here, so each is looked up in its own index.
 */
export function actorRefs(p: Params, column: string, refs: string[]): string {
  const ids = refs.filter((r) => UUID.test(r)).map((r) => r.toLowerCase());
  const actors = `SELECT id FROM actors WHERE slug = ANY(${p.add(refs)}) OR id = ANY(${p.add(ids)}::uuid[])`;
  // One actor (the usual case) as a scalar, so PostgreSQL can walk the (actor, date) index in order
  // and stop at the page size instead of sorting all of the actor's rows.
  return refs.length === 1 ? `${column} = (${actors})` : `${column} = ANY(ARRAY(${actors}))`;
}

/**
 * A BCP 47 language filter as prefix matching (RFC 4647 basic filtering): `pt` matches pt,
 * pt-BR and pt-PT, `pt-br` matches pt-BR and pt-BR-x-…, but `pt` never matches pta. Compared
 * lower-cased and byte by byte, so "starts with pt-" is the range ['pt-', 'pt.') ('.' follows '-')
 * on any database collation, which the `lower(column) COLLATE "C"` indexes answer.
 */
export function languageMatches(p: Params, columns: string[], tag: string): string {
  const t = tag.toLowerCase();
  const [exact, from, to] = [p.add(t), p.add(`${t}-`), p.add(`${t}.`)];
  const one = (column: string) => {
    const e = `(lower(${column}) COLLATE "C")`;
    return `${e} = ${exact} OR (${e} >= ${from} AND ${e} < ${to})`;
  };
  return `(${columns.map(one).join(' OR ')})`;
}

/**
 * The statement or figure in `owner` is carried by one of these actors: a source they published
 * cites it, or relays it to an outlet that cites it ("(PC, Anadolu)": the agency carried it too).
 */
export function carriedBy(p: Params, fk: 'statement_id' | 'figure_id', owner: string, refs: string[]): string {
  return `EXISTS (SELECT 1 FROM citations c JOIN sources src ON src.id = c.source_id OR src.id = c.relays_source_id
    WHERE c.${fk} = ${owner} AND ${actorRefs(p, 'src.outlet_id', refs)})`;
}

/** ORDER BY and the keyset condition for one page, sorted on `column` with `idColumn` breaking ties. */
export function keyset(
  p: Params,
  sort: SortSpec,
  column: string,
  type: 'date' | 'timestamptz',
  idColumn: string,
  cursor?: string,
) {
  const dir = sort.descending ? 'DESC' : 'ASC';
  const orderBy = `ORDER BY ${column} ${dir}, ${idColumn} ${dir}`;
  if (!cursor) return { orderBy, where: [] };
  const c = decodeCursor(cursor, sort);
  const op = sort.descending ? '<' : '>';
  return { orderBy, where: [`(${column}, ${idColumn}) ${op} (${p.add(c.value)}::${type}, ${p.add(c.id)}::uuid)`] };
}

/** `SELECT count(*)` over the same FROM and WHERE as a list, for `total=true`. */
export async function countRows(db: Database, from: string, where: string[], values: unknown[]): Promise<number> {
  const whereSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const [{ count }] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${from}${whereSql}`, values);
  return count;
}
