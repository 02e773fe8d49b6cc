import { z } from 'zod';
import { parsePartialDate, periodEnd } from './partial-date.js';

/**
 * Flat rows for CSV: one column per leaf field of a record's zod schema, so the
 * columns are the same on every request and documented by the schema itself.
 * Nested objects become dotted names (`speaker.slug`); lists join their values
 * with LIST_SEPARATOR, keeping positions (an empty cell part for a null), and
 * get a `.count` column; a tuple's members are numbered (`figures.0.value`). A partial date (`2024-03`) keeps its text and gains
 * its first and last day as ISO dates, which pandas and R read as dates.
 */
export const LIST_SEPARATOR = ' | ';

type Cell = string | number | boolean | null;
export interface Column {
  name: string;
  get(record: unknown): Cell;
}

type Json = { [key: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Partial-date fields and the precision field beside each. */
const PARTIAL_DATES = new Set(['saidOn', 'asOf', 'publishedOn']);

function deref(node: unknown, root: Json): Json {
  let n = node as Json;
  for (let guard = 0; guard < 20; guard++) {
    if (typeof n?.$ref === 'string') {
      n = (n.$ref as string)
        .slice(2)
        .split('/')
        .reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), root) as Json;
      continue;
    }
    const branches = (n?.anyOf ?? n?.oneOf) as Json[] | undefined;
    const nonNull = branches?.filter((b) => !(isObject(b) && b.type === 'null'));
    if (nonNull?.length === 1) {
      n = nonNull[0];
      continue;
    }
    return n ?? {};
  }
  return n;
}

const TUPLE_INDEX = /^\d+$/;

/** Values at a path, through any lists on the way: one value, or a list of them. */
function valuesAt(record: unknown, path: string[]): { list: boolean; values: unknown[] } {
  let current: unknown[] = [record];
  let list = false;
  for (const [i, key] of path.entries()) {
    const next: unknown[] = [];
    // A tuple's members are columns of their own (`figures.0.value`), not a joined list.
    const tuple = TUPLE_INDEX.test(path[i + 1] ?? '');
    for (const v of current) {
      const child = Array.isArray(v) && TUPLE_INDEX.test(key) ? v[Number(key)] : isObject(v) ? v[key] : undefined;
      if (Array.isArray(child) && !tuple) {
        list = true;
        next.push(...child);
      } else next.push(child);
    }
    current = next;
  }
  return { list, values: current };
}

const scalar = (v: unknown): Cell =>
  v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : (v as Cell);

function leaf(name: string, path: string[], transform: (v: unknown) => Cell = scalar): Column {
  return {
    name,
    get(record) {
      const { list, values } = valuesAt(record, path);
      if (!list) return transform(values[0]);
      return values.map((v) => transform(v) ?? '').join(LIST_SEPARATOR);
    },
  };
}

const day = (end: boolean) => (v: unknown) => {
  const parsed = typeof v === 'string' ? parsePartialDate(v) : undefined;
  if (!parsed) return null;
  return (end ? periodEnd(parsed) : parsed.date).toISOString().slice(0, 10);
};

export function columnsOf(schema: z.ZodType): Column[] {
  const root = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Json;
  const columns: Column[] = [];
  const walk = (node: unknown, path: string[]) => {
    const n = deref(node, root);
    const name = path.join('.');
    if (n.type === 'object' && isObject(n.properties)) {
      for (const [key, child] of Object.entries(n.properties)) walk(child, [...path, key]);
      return;
    }
    if (n.type === 'array' && Array.isArray(n.prefixItems)) {
      n.prefixItems.forEach((item, i) => walk(item, [...path, String(i)]));
      return;
    }
    if (n.type === 'array') {
      columns.push({ name: `${name}.count`, get: (r) => valuesAt(r, path).values.filter((v) => v !== undefined).length });
      const items = deref(n.items, root);
      if (items.type === 'object' && isObject(items.properties)) walk(items, path);
      else columns.push(leaf(name, path));
      return;
    }
    columns.push(leaf(name, path));
    const last = path.at(-1)!;
    if (PARTIAL_DATES.has(last)) {
      columns.push(leaf(`${name}FirstDay`, path, day(false)), leaf(`${name}LastDay`, path, day(true)));
    }
  };
  walk(schema === undefined ? {} : root, []);
  return columns;
}
