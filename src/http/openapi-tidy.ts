import { isDeepStrictEqual } from 'node:util';

type Json = Record<string, unknown>;
const PREFIX = '#/components/schemas/';

/**
 * Polishes the document fastify-type-provider-zod emits, for readers and client
 * generators: it registers every named schema twice (`X` for output, `XInput`
 * for input) even where both are the same or one is never used.
 * - `XInput` identical to `X` becomes `X`;
 * - `XInput` whose `X` is unused is renamed `X` (request bodies keep clean names);
 * - components that nothing references are dropped;
 * - "one value or a list" query parameters become arrays (`?actor=a&actor=b`).
 */
export function tidyDocument<T extends Json>(doc: T): T {
  let out = structuredClone(doc) as Json;
  const schemas = ((out.components as Json | undefined)?.schemas ?? {}) as Record<string, unknown>;

  const renames = new Map<string, string>();
  const used = referenced(out, schemas);
  for (const name of Object.keys(schemas)) {
    if (!name.endsWith('Input')) continue;
    const base = name.slice(0, -'Input'.length);
    if (base in schemas && (isDeepStrictEqual(schemas[base], schemas[name]) || !used.has(base))) renames.set(name, base);
  }
  out = renameRefs(out, renames) as Json;
  const tidied = (out.components as Json).schemas as Record<string, unknown>;
  for (const [from, to] of renames) {
    tidied[to] = tidied[from];
    delete tidied[from];
  }
  const keep = referenced(out, tidied);
  for (const name of Object.keys(tidied)) if (!keep.has(name)) delete tidied[name];

  for (const path of Object.values((out.paths ?? {}) as Record<string, Record<string, { parameters?: Json[] }>>)) {
    for (const op of Object.values(path)) for (const p of op.parameters ?? []) arrayParameter(p);
  }
  return out as T;
}

/** Names reachable from the paths, following references through components. */
function referenced(doc: Json, schemas: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  collectRefs(doc.paths, schemas, seen);
  return seen;
}

/** Adds to `seen` the component schemas `node` references, following references through them. */
export function collectRefs(node: unknown, schemas: Record<string, unknown>, seen: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((n) => collectRefs(n, schemas, seen));
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith(PREFIX)) {
      const name = v.slice(PREFIX.length);
      if (!seen.has(name)) {
        seen.add(name);
        collectRefs(schemas[name], schemas, seen);
      }
    } else collectRefs(v, schemas, seen);
  }
}

function renameRefs(node: unknown, renames: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => renameRefs(n, renames));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(PREFIX)) {
        const name = v.slice(PREFIX.length);
        return [k, PREFIX + (renames.get(name) ?? name)];
      }
      return [k, renameRefs(v, renames)];
    }),
  );
}

function arrayParameter(p: Json) {
  const anyOf = (p.schema as Json | undefined)?.anyOf as Json[] | undefined;
  const list = anyOf?.find((s) => s.type === 'array');
  if (p.in !== 'query' || anyOf?.length !== 2 || !list) return;
  p.schema = list;
  p.style = 'form';
  p.explode = true;
}
