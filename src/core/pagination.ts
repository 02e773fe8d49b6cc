import { z } from 'zod';
import { UUID } from './ids.js';
import { ProblemError } from './problems.js';

/**
 * Keyset pagination. The cursor names the sort it belongs to and the last row's
 * sort value and id, so a page never shifts when rows are inserted before it,
 * and a cursor cannot be replayed against another sort by mistake.
 */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe(`Page size, 1 to ${MAX_LIMIT}.`),
  cursor: z.string().max(500).optional().describe('`nextCursor` from the previous page.'),
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string')) {
    throw new ProblemError('invalid-cursor', 'The cursor is not one this API issued; start again without it.', {
      errors: [{ in: 'query', field: 'cursor', message: 'not a cursor issued by this API' }],
    });
  }
  const [key, v, id] = parsed as [string, string, string];
  if (key !== sortKey(sort)) {
    throw new ProblemError('invalid-cursor', `The cursor belongs to sort '${key}', not '${sortKey(sort)}'.`, {
      errors: [{ in: 'query', field: 'cursor', message: `issued for sort ${key}` }],
    });
  }
  if ((sort.type === 'date' && Number.isNaN(Date.parse(v))) || !UUID.test(id)) {
    throw new ProblemError('invalid-cursor', 'The cursor is damaged.', {
      errors: [{ in: 'query', field: 'cursor', message: 'damaged' }],
    });
  }
  return { value: v, id };
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
  const offset = Number(decodeCursor(cursor, sort).value);
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ProblemError('invalid-cursor', 'The cursor is damaged.', {
      errors: [{ in: 'query', field: 'cursor', message: 'damaged' }],
    });
  }
  return offset;
}
