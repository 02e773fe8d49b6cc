import { type SortSpec, decodeCursor } from '../http/pagination.js';
import type { Database } from './database.js';

/** Collects bind parameters while a query is assembled, so values never enter SQL text. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The last day of the period a (date, precision) pair of columns names. */
const periodEndSql = (date: string, precision: string) => `(CASE ${precision} WHEN 'day' THEN ${date}
  WHEN 'month' THEN (date_trunc('month', ${date}) + interval '1 month - 1 day')::date
  ELSE (date_trunc('year', ${date}) + interval '1 year - 1 day')::date END)`;

/**
 * Conditions for "the dated period lies within [from, to]" where `from` and
 * `to` are already the first and last days (YYYY-MM-DD) of the range. The plain
 * comparison on the date column lets an index narrow the scan first.
 */
export function periodWithin(p: Params, date: string, precision: string, from?: string, to?: string): string[] {
  const where: string[] = [];
  if (from) where.push(`${date} >= ${p.add(from)}::date`);
  if (to) {
    const end = p.add(to);
    where.push(`${date} <= ${end}::date`, `${periodEndSql(date, precision)} <= ${end}::date`);
  }
  return where;
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
