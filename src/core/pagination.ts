import { z } from 'zod';
import { ProblemError } from './problems.js';

/**
 * Keyset pagination. The cursor names the sort it belongs to and the last row's
 * sort value and id, so a page never shifts when rows are inserted before it,
 * and a cursor cannot be replayed against another sort by mistake.
 */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/**
 * Every list answers JSON (one page), CSV or NDJSON (every matching row, streamed: see
 * src/http/formats.ts), chosen by `format` or else by the Accept header.
 */
export const formatParams = {
  format: z
    .enum(['json', 'csv', 'ndjson'])
    .optional()
    .describe(
      '`json`: one page, as `{data, nextCursor}`. `csv` or `ndjson`: every matching row, streamed (only `limit` rows when `limit` is given). Overrides the Accept header (`text/csv`, `application/x-ndjson`).',
    ),
  spreadsheet: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      'With `format=csv`: prefix text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) with an apostrophe. Off by default, so pandas and R read every value exactly as stored.',
    ),
};

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe(`Page size, 1 to ${MAX_LIMIT}.`),
  cursor: z.string().max(500).optional().describe('`nextCursor` from the previous page.'),
  ...formatParams,
};

export function sortParam<const S extends readonly [string, ...string[]]>(sorts: S, fallback: S[number]) {
  return z
    .enum(sorts)
    .default(fallback as never)
    .describe('Sort key; a leading `-` sorts descending. Ties are broken by id, so the order is stable.');
}

export interface SortSpec {
  field: string;
  descending: boolean;
  type: 'date' | 'string';
}

/** `-saidOn` → { field: saidOn, descending }. */
export function parseSort(sort: string, types: Record<string, SortSpec['type']>): SortSpec {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  return { field, descending, type: types[field] ?? 'string' };
}

export interface Cursor {
  /** The sort value as text: ISO 8601 for dates, so SQL can cast it without time-zone surprises. */
  value: string;
  id: string;
}

export function encodeCursor(sort: SortSpec, row: Record<string, unknown>): string {
  const value = row[sort.field];
  const v = value instanceof Date ? value.toISOString() : String(value);
  return Buffer.from(JSON.stringify([sortKey(sort), v, row.id])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: SortSpec): Cursor {
  const [v, id] = decodePosition(cursor, sortKey(sort), [sort.type, 'uuid']);
  return { value: v, id };
}

/**
 * What a cursor value must be. Cursors come back from clients, so each value is checked as strictly
 * as the database would: a value it would refuse (a date that is not one, a year out of range, a
 * NUL) is a 400 here, never a failed query.
 */
export type CursorValue = SortSpec['type'] | 'timestamp' | 'uuid' | 'offset' | 'text';

/** A cursor for a position given by several values, e.g. the last pair a scan examined. */
export function encodePosition(key: string, values: string[]): string {
  return Buffer.from(JSON.stringify([key, ...values])).toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const damaged = (message = 'damaged') =>
  new ProblemError('invalid-cursor', 'The cursor is damaged; start again without it.', {
    errors: [{ in: 'query', field: 'cursor', message }],
  });

/** The values of a cursor issued under `key`, each checked against what it must be. */
export function decodePosition(cursor: string, key: string, kinds: CursorValue[]): string[] {
  let parsed: unknown;
  try {
    if (!BASE64URL.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(utf8.decode(Buffer.from(cursor, 'base64url')));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((p) => typeof p === 'string')) {
    throw new ProblemError('invalid-cursor', 'The cursor is not one this API issued; start again without it.', {
      errors: [{ in: 'query', field: 'cursor', message: 'not a cursor issued by this API' }],
    });
  }
  const [issued, ...values] = parsed as string[];
  if (issued !== key) {
    const shown = issued.slice(0, 40).replace(/[^\x20-\x7e]/g, '?');
    throw new ProblemError('invalid-cursor', `The cursor belongs to '${shown}', not '${key}'.`, {
      errors: [{ in: 'query', field: 'cursor', message: `issued for ${shown}` }],
    });
  }
  if (values.length !== kinds.length || !values.every((v, i) => valid(kinds[i], v))) throw damaged();
  return values;
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** A calendar day in years 1 to 9999: what both databases and JavaScript's Date agree on. */
function calendarDay(y: string, m: string, d: string): boolean {
  const [year, month, day] = [Number(y), Number(m), Number(d)];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(2000, month, 0)).getUTCDate() && (month !== 2 || day <= 28 || leap(year));
}
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function valid(kind: CursorValue, v: string): boolean {
  switch (kind) {
    case 'uuid':
      return UUID_TEXT.test(v);
    case 'offset':
      // Offsets the API issues grow by a page at a time; a billion is far past any real list.
      return /^\d{1,9}$/.test(v);
    case 'date':
    case 'timestamp': {
      // A day (YYYY-MM-DD) or an RFC 3339 time, as the API renders them.
      const day = DAY.exec(v);
      if (day) return calendarDay(day[1], day[2], day[3]);
      const t = TIME.exec(v);
      return (
        !!t &&
        calendarDay(t[1], t[2], t[3]) &&
        Number(t[4]) < 24 &&
        Number(t[5]) < 60 &&
        Number(t[6]) < 60 &&
        (t[7] === undefined || (Number(t[7]) < 16 && Number(t[8]) < 60))
      );
    }
    case 'string':
    case 'text':
      // Names, titles, areas: stored text, so never U+0000 or a lone surrogate.
      return v.length <= 1000 && !v.includes('\u0000') && v.isWellFormed();
  }
}

const sortKey = (s: SortSpec) => `${s.descending ? '-' : ''}${s.field}`;

/** Prisma `orderBy` and `where` for one page. */
export function prismaPage(sort: SortSpec, cursor: string | undefined) {
  const dir = sort.descending ? ('desc' as const) : ('asc' as const);
  const orderBy: Record<string, 'asc' | 'desc'>[] = [{ [sort.field]: dir }, { id: dir }];
  if (!cursor) return { orderBy, where: {} };
  const c = decodeCursor(cursor, sort);
  const value = sort.type === 'date' ? new Date(c.value) : c.value;
  const op = sort.descending ? 'lt' : 'gt';
  return { orderBy, where: { OR: [{ [sort.field]: { [op]: value } }, { [sort.field]: value, id: { [op]: c.id } }] } };
}

/** Rows were fetched with limit + 1 to learn whether another page exists. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number, sort: SortSpec, sortValue: (row: T) => unknown) {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  const last = data.at(-1);
  return { data, nextCursor: more && last ? encodeCursor(sort, { id: last.id, [sort.field]: sortValue(last) }) : null };
}

export const pageEnvelope = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
    total: z.number().int().optional().describe('Number of matching records, with total=true.'),
  });

/**
 * For orders that are not stable keys (relevance, computed pairs) the cursor
 * carries an offset instead of a sort value.
 */
export function offsetFromCursor(sort: SortSpec, cursor: string | undefined): number {
  if (!cursor) return 0;
  return Number(decodePosition(cursor, sortKey(sort), ['offset', 'uuid'])[0]);
}
