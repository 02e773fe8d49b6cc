// Builds hostile requests from the OpenAPI document: for each operation, a valid-ish request, then one
// thing broken in it (a field, a parameter, a header, the body's syntax, the method, the route...).
import type { HeaderValue, RawRequest } from './raw-http.js';
import {
  BAD_DATES,
  BAD_ESCAPES,
  BAD_IDS,
  BAD_TEXT,
  BAD_TIMES,
  NEST_DEPTHS,
  ODD_STRINGS,
  QUERY_NUMBERS,
  RAW_NUMBERS,
  type Rng,
  rngFor,
  SEARCH_STRINGS,
  longString,
  pct,
} from './values.js';

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI schemas and JSON bodies of any shape are walked freely.
export type Loose = any;
type Schema = Record<string, Loose>;

export interface Param {
  name: string;
  in: 'query' | 'path' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** The OpenAPI path template, e.g. /actors/{id}. */
  path: string;
  id: string;
  params: Param[];
  body?: Schema;
  bodyTypes: string[];
  secured: boolean;
}

/** What the fuzzer learnt from the target before the run: ids that exist, cursors it issued. */
export interface Known {
  /** Ids (and slugs) by the first segment of the path, e.g. actors → [uuid, slug, ...]. */
  ids: Map<string, string[]>;
  /** Real cursors by operation id, and every one of them. */
  cursors: Map<string, string[]>;
  allCursors: string[];
  /** ETags of records, for If-Match. */
  etags: string[];
}

export interface Case {
  index: number;
  category: Category;
  op: string;
  /** One line on what was broken. */
  what: string;
  request: RawRequest;
}

export const CATEGORIES = {
  valid: 6,
  'body-field': 14,
  'body-shape': 4,
  nesting: 5,
  'bad-text': 10,
  'query-param': 9,
  cursor: 8,
  'path-param': 7,
  'unknown-query': 3,
  'content-type': 5,
  'json-syntax': 5,
  numbers: 5,
  method: 4,
  headers: 8,
  route: 3,
  http: 2,
} as const;
/** The sweep is not drawn at random: it comes first (see Generator.sweep). */
export type Drawn = keyof typeof CATEGORIES;
export type Category = Drawn | 'sweep';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every operation of the document, with its references resolved. */
export function operationsOf(doc: Schema): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].includes(method)) continue;
      const params: Param[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Schema) => {
        const param = resolve(doc, p);
        return { name: param.name, in: param.in, required: !!param.required, schema: resolve(doc, param.schema ?? {}) };
      });
      const content = resolve(doc, op.requestBody ?? {}).content ?? {};
      const bodyTypes = Object.keys(content);
      const body = bodyTypes.length ? resolve(doc, content[bodyTypes[0]].schema ?? {}) : undefined;
      ops.push({
        method: method.toUpperCase(),
        path,
        id: op.operationId ?? `${method} ${path}`,
        params,
        body,
        bodyTypes,
        secured: Array.isArray(op.security) && op.security.length > 0,
      });
    }
  }
  return ops;
}

function resolve(doc: Schema, s: Schema): Schema {
  let seen = 0;
  while (s && typeof s.$ref === 'string' && seen++ < 20) {
    const target = s.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((o: Schema | undefined, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    // Keep what sits beside the $ref (a default, a description) over the target's.
    const { $ref: _ignored, ...rest } = s;
    s = { ...target, ...rest };
  }
  return s;
}

const RAW = '\u0001RAW';
/** JSON text where some values are raw tokens (`1e309`, `NaN`, deep nesting) that JSON.stringify cannot write. */
class JsonBuilder {
  private raws: string[] = [];
  raw(text: string): string {
    this.raws.push(text);
    return `${RAW}${this.raws.length - 1}\u0001`;
  }
  stringify(value: unknown): string {
    let text = JSON.stringify(value) ?? '';
    if (!this.raws.length) return text;
    text = text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_m, n) => this.raws[Number(n)]);
    return text;
  }
}

type PathPart = string | number;

/** Paths to every value inside `v` (containers included, the root excluded). */
function pathsOf(v: unknown, prefix: PathPart[] = [], out: PathPart[][] = []): PathPart[][] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push([...prefix, i]);
      pathsOf(x, [...prefix, i], out);
    });
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push([...prefix, k]);
      pathsOf(x, [...prefix, k], out);
    }
  }
  return out;
}

function setAt(root: Loose, path: PathPart[], value: unknown) {
  let o = root;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path[path.length - 1]] = value;
}
function getAt(root: Loose, path: PathPart[]): unknown {
  return path.reduce((o, k) => o?.[k], root);
}
function deleteAt(root: Loose, path: PathPart[]) {
  let o = root;
  for (const k of path.slice(0, -1)) o = o[k];
  const last = path[path.length - 1];
  if (Array.isArray(o) && typeof last === 'number') o.splice(last, 1);
  else delete o[last];
}

// Built once each: the deepest take a while to build, and the fuzzer shares the server's event loop.
const built = new Map<string, string>();
const memo = (key: string, make: () => string) => {
  if (!built.has(key)) built.set(key, make());
  return built.get(key)!;
};
const nestedArrays = (depth: number) => memo(`a${depth}`, () => '['.repeat(depth) + '1' + ']'.repeat(depth));
const nestedObjects = (depth: number) => memo(`o${depth}`, () => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
const nestedMixed = (depth: number) =>
  memo(`m${depth}`, () => '[{"k":'.repeat(depth / 2) + (depth % 2 ? '[null]' : 'null') + '}]'.repeat(depth / 2));
const manyKeys = () =>
  memo('keys', () => JSON.stringify(Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]))));
const manyNumbers = () => memo('numbers', () => JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i)));

export class Generator {
  readonly ops: Operation[];
  private readonly bodyOps: Operation[];
  private readonly cursorOps: Operation[];
  /** While true, `sample` fills in every optional field (for the sweep). */
  private full = false;
  /**
   * The first cases: every string field of every body (all optional fields filled in), every query
   * parameter and every path parameter, each once with a lone surrogate and once with a NUL, sent with the
   * admin key so that they reach validation. The random cases follow.
   */
  readonly sweep: {
    op: Operation;
    in: 'body' | 'query' | 'path';
    name: string;
    path?: PathPart[];
    body?: unknown;
    bad: string;
  }[] = [];

  constructor(
    doc: Schema,
    private readonly known: Known,
    private readonly adminKey: string | undefined,
    sweepSeed: number,
  ) {
    this.ops = operationsOf(doc);
    this.bodyOps = this.ops.filter((o) => o.body);
    this.cursorOps = this.ops.filter((o) => o.params.some((p) => p.name === 'cursor' || p.name === 'since'));
    this.ops.forEach((op, n) => {
      for (const bad of ['\ud800', '\u0000']) {
        for (const p of op.params.filter((p) => p.in === 'path' || p.in === 'query')) {
          this.sweep.push({ op, in: p.in as 'path' | 'query', name: p.name, bad });
        }
      }
      if (!op.body) return;
      this.full = true;
      const body = this.sample(op.body, rngFor(sweepSeed, n), '', 0);
      this.full = false;
      for (const path of pathsOf(body).filter((p) => typeof getAt(body, p) === 'string')) {
        for (const bad of ['\ud800', '\u0000']) this.sweep.push({ op, in: 'body', name: path.join('.'), path, body, bad });
      }
    });
  }

  private sweepCase(index: number, rng: Rng): Case {
    const s = this.sweep[index];
    const d = this.draft(s.op, rng);
    d.headers = d.headers.filter(([n]) => n.toLowerCase() !== 'authorization');
    if (this.adminKey) d.headers.push(['Authorization', `Bearer ${this.adminKey}`]);
    const v = rng.chance(0.5) ? s.bad : `fuzz${s.bad}text`;
    if (s.in === 'path') d.path[s.name] = pct(v);
    else if (s.in === 'query') {
      d.query = d.query.filter(([k]) => k !== s.name);
      d.query.push([s.name, pct(v)]);
    } else {
      d.body = structuredClone(s.body);
      setAt(d.body, s.path!, v);
    }
    const what = `${s.in} ${s.name} = ${printable(v)}`;
    return { index, category: 'sweep', op: `${s.op.method} ${s.op.path}`, what, request: d.finish() };
  }

  /** Case `index`: its category and operation are spread evenly; the details come from `rng`. */
  make(index: number, rng: Rng, only?: Drawn[]): Case {
    if (index < this.sweep.length && !only?.length) return this.sweepCase(index, rng);
    const category: Drawn = only?.length ? rng.pick(only) : rng.weighted(CATEGORIES);
    let op = this.ops[index % this.ops.length];
    // Categories that need a body or a cursor take an operation that has one.
    if (['body-field', 'body-shape', 'json-syntax', 'content-type'].includes(category) && !op.body) op = rng.pick(this.bodyOps);
    if (category === 'cursor' && !this.cursorOps.includes(op)) op = rng.pick(this.cursorOps);
    const draft = this.draft(op, rng);
    const what = this[category](draft, rng);
    return { index, category, op: `${op.method} ${op.path}`, what, request: draft.finish() };
  }

  // ---- A valid-ish request ------------------------------------------------------------------------

  private draft(op: Operation, rng: Rng) {
    const path: Record<string, string> = {};
    for (const p of op.params.filter((p) => p.in === 'path')) path[p.name] = pct(this.pathValue(op, p, rng));
    const query: [string, string][] = [];
    for (const p of op.params.filter((p) => p.in === 'query')) {
      if (p.required || rng.chance(0.25)) {
        for (const v of this.queryValues(op, p, rng)) query.push([p.name, pct(v)]);
      }
    }
    const json = new JsonBuilder();
    const body = op.body ? this.sample(op.body, rng, '', 0) : undefined;
    const headers: [string, HeaderValue][] = [];
    const write = WRITE_METHODS.has(op.method) || op.secured;
    // Writes mostly carry the admin key (validation past auth); some go anonymous, some with a junk key.
    const auth = write ? rng.weighted({ admin: 75, none: 20, junk: 5 }) : rng.weighted({ none: 85, admin: 10, junk: 5 });
    if (auth === 'admin' && this.adminKey) headers.push(['Authorization', `Bearer ${this.adminKey}`]);
    if (auth === 'junk') headers.push(['Authorization', `Bearer ${rng.hex(40)}`]);
    if (write && op.method !== 'GET') headers.push(['Change-Reason', `fuzz case ${rng.hex(6)}`]);
    if (op.method === 'POST' && rng.chance(0.2)) headers.push(['Idempotency-Key', `fuzz-${rng.hex(12)}`]);
    if ((op.method === 'PATCH' || op.method === 'DELETE') && this.known.etags.length && rng.chance(0.15)) {
      headers.push(['If-Match', rng.pick(this.known.etags)]);
    }
    const draft = {
      op,
      method: op.method,
      path,
      /** When set, the request target as sent, instead of the template filled from `path` and `query`. */
      target: undefined as string | Buffer | undefined,
      query,
      headers,
      json,
      body: body as unknown,
      /** When set, the body bytes as sent, instead of `json.stringify(body)`. */
      rawBody: undefined as Buffer | undefined,
      contentType: op.body ? (op.bodyTypes.includes('application/json') ? 'application/json' : op.bodyTypes[0]) : undefined,
      contentLength: undefined as number | false | undefined,
      rawHead: undefined as Buffer | undefined,
      version: undefined as string | undefined,
      finish(): RawRequest {
        const target =
          this.target ??
          this.op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => this.path[name] ?? 'x') +
            (this.query.length ? `?${this.query.map(([k, v]) => (v === '\u0000NOVALUE' ? k : `${k}=${v}`)).join('&')}` : '');
        const bodyBytes =
          this.rawBody ??
          (this.body !== undefined && this.body !== NO_BODY ? Buffer.from(this.json.stringify(this.body), 'utf8') : undefined);
        const hdrs = [...this.headers];
        if (bodyBytes && this.contentType !== undefined && !hdrs.some(([n]) => n.toLowerCase() === 'content-type')) {
          hdrs.push(['Content-Type', this.contentType]);
        }
        return {
          method: this.method,
          target,
          headers: hdrs,
          body: bodyBytes,
          contentLength: this.contentLength,
          rawHead: this.rawHead,
          version: this.version,
        };
      },
    };
    return draft;
  }

  private resource(op: Operation) {
    return op.path.split('/')[1];
  }

  private pathValue(op: Operation, p: Param, rng: Rng): string {
    if (p.schema.enum) return rng.pick(p.schema.enum as string[]);
    const ids = this.known.ids.get(this.resource(op)) ?? [];
    if (ids.length && rng.chance(0.85)) return rng.pick(ids);
    if (p.schema.example && rng.chance(0.5)) return String(p.schema.example);
    return rng.uuid();
  }

  private queryValues(op: Operation, p: Param, rng: Rng): string[] {
    const s = p.schema;
    if (s.type === 'array') {
      const n = 1 + rng.int(3);
      return Array.from({ length: n }, () => this.scalarFor(p.name, s.items ?? {}, rng));
    }
    if (p.name === 'cursor') return [rng.pick(this.known.cursors.get(op.id) ?? this.known.allCursors) ?? 'x'];
    if (p.name === 'since') return [rng.pick(this.known.cursors.get(op.id) ?? ['2024-01-01T00:00:00Z'])];
    return [this.scalarFor(p.name, s, rng)];
  }

  /** A plausible value for one parameter or field, from its schema and name. */
  private scalarFor(name: string, s: Schema, rng: Rng): string {
    const v = this.sample(s, rng, name, 0);
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  /** A value that the schema accepts, as far as a small generator can tell. */
  private sample(s: Schema, rng: Rng, name: string, depth: number): unknown {
    if (!s || depth > 6) return null;
    if (s.example !== undefined && depth === 0 && typeof s.example === 'object' && !this.full && rng.chance(0.7)) {
      return this.freshen(structuredClone(s.example), rng);
    }
    if (s.enum) return rng.pick(s.enum);
    if (s.const !== undefined) return s.const;
    if (s.anyOf || s.oneOf) {
      const options = (s.anyOf ?? s.oneOf) as Schema[];
      const nonNull = options.filter((o) => o.type !== 'null');
      const choice = (this.full || rng.chance(0.85)) && nonNull.length ? rng.pick(nonNull) : rng.pick(options);
      return this.sample(choice, rng, name, depth);
    }
    if (s.allOf) return this.sample(Object.assign({}, ...s.allOf), rng, name, depth);
    const type = Array.isArray(s.type) ? rng.pick(s.type.filter((t: string) => t !== 'null')) : s.type;
    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        const props = (s.properties ?? {}) as Record<string, Schema>;
        const required = new Set<string>(s.required ?? []);
        for (const [k, ps] of Object.entries(props)) {
          // A source inside a citation is the other choice to sourceId: not both.
          // (The sweep takes the source, which has more fields, the others the id.)
          if (this.full ? k === 'sourceId' && 'source' in props : k === 'source' && 'sourceId' in props) continue;
          if (required.has(k) || this.full || rng.chance(0.4)) out[k] = this.sample(ps, rng, k, depth + 1);
        }
        if (s.additionalProperties && typeof s.additionalProperties === 'object' && (this.full || rng.chance(0.5))) {
          out[`x${rng.hex(3).replace(/\d/g, 'a')}`] = this.sample(s.additionalProperties, rng, name, depth + 1);
        }
        return out;
      }
      case 'array': {
        const n = Math.max(s.minItems ?? 0, this.full ? 1 : rng.int(3));
        return Array.from({ length: Math.min(n, s.maxItems ?? n) }, () => this.sample(s.items ?? {}, rng, name, depth + 1));
      }
      case 'integer':
      case 'number': {
        const min = s.minimum ?? 0;
        const max = s.maximum ?? min + 100_000;
        const v = min + rng.next() * (max - min);
        return type === 'integer' ? Math.floor(v) : Math.round(v * 100) / 100;
      }
      case 'boolean':
        return rng.chance(0.5);
      case 'string':
        return this.stringFor(name, s, rng);
      default:
        if (s.properties) return this.sample({ ...s, type: 'object' }, rng, name, depth);
        return 'x';
    }
  }

  /** Unique fields (slug, url) get fresh values so that some creates succeed. */
  private freshen(v: Loose, rng: Rng) {
    const walk = (o: Loose) => {
      if (!o || typeof o !== 'object') return;
      for (const k of Object.keys(o)) {
        if (k === 'slug' && typeof o[k] === 'string') o[k] = `${o[k]}-${rng.hex(6)}`;
        else if ((k === 'url' || k === 'archiveUrl') && typeof o[k] === 'string')
          o[k] = `https://example.org/fuzz/${rng.hex(10)}`;
        else if (k === 'name' && typeof o[k] === 'string') o[k] = `${o[k]} ${rng.hex(4)}`;
        else walk(o[k]);
      }
    };
    walk(v);
    return v;
  }

  private stringFor(name: string, s: Schema, rng: Rng): string {
    const pool = (r: string) => this.known.ids.get(r) ?? [];
    const pattern: string = s.pattern ?? '';
    if (/^(speaker|reporter|actor)$/.test(name) && pool('actors').length) return rng.pick(pool('actors'));
    if (name === 'sourceId' || name === 'source') return rng.pick(pool('sources').filter(isUuid).concat(rng.uuid()));
    if (name === 'statementId' || name === 'statement') return rng.pick(pool('statements').filter(isUuid).concat(rng.uuid()));
    if (s.format === 'uuid') return rng.uuid();
    if (s.format === 'date-time')
      return rng.pick([
        '2024-03-31T09:00:00Z',
        '2023-10-07T06:30:00+03:00',
        new Date(Date.UTC(2024, 0, 1 + rng.int(300))).toISOString(),
      ]);
    if (s.format === 'uri') return `https://example.org/fuzz/${rng.hex(10)}`;
    if (pattern.includes('\\d{4}')) return rng.pick(['2024', '2024-03', '2024-03-30', '2023-10-07', '2023-12']);
    if (pattern.includes('[A-Za-z]{2,3}')) return rng.pick(['en', 'es', 'ar', 'fr', 'he', 'pt-BR']);
    if (pattern === '^[A-Z]{2}$') return rng.pick(['US', 'CU', 'PS', 'IL', 'TR']);
    if (pattern.startsWith('^[a-z][a-z0-9_]')) return rng.pick(['killed', 'injured', 'displaced', `m_${rng.hex(4)}`]);
    if (pattern.startsWith('^[a-z0-9]+')) return `fuzz-${rng.hex(8)}`;
    if (name === 'q') return rng.pick(['gaza', 'genocide', '"international community"', 'cuba OR gaza', 'gaza -cuba']);
    if (s.example !== undefined && rng.chance(0.6)) return String(s.example);
    const min = s.minLength ?? 1;
    const max = Math.min(s.maxLength ?? 40, 40);
    const words = ['Gaza', 'ceasefire', 'report', 'ministry', 'figure', 'statement', 'source', 'قال', 'דובר', 'São Paulo'];
    let out = rng.pick(words);
    while (out.length < min) out += ` ${rng.pick(words)}`;
    return out.slice(0, Math.max(max, min));
  }

  // ---- The categories: each breaks one thing in the draft and says what ------------------------------

  private valid(_d: Draft, _rng: Rng): string {
    return 'as the schema says';
  }

  /** One field of a valid body changed to something it must not be. */
  private 'body-field'(d: Draft, rng: Rng): string {
    const body = (d.body ?? {}) as object;
    if (typeof body !== 'object') return 'no body';
    const paths = pathsOf(body);
    if (!paths.length) {
      (body as Loose).unknownField = 'x';
      return 'unknown field on an empty body';
    }
    const path = rng.pick(paths);
    const at = path.join('.');
    const old = getAt(body, path);
    const kind = rng.weighted({
      wrongType: 5,
      huge: 2,
      badText: 4,
      odd: 3,
      number: 3,
      nested: 2,
      remove: 2,
      nul: 1,
      empty: 1,
      bigArray: 1,
      proto: 1,
      extra: 1,
      date: 2,
      id: 2,
    });
    switch (kind) {
      case 'wrongType': {
        const v = rng.pick<unknown>([0, -1, 1.5, true, false, null, [], {}, [old], { value: old }, '1', 'true', String(old)]);
        setAt(body, path, v);
        return `${at} = ${short(JSON.stringify(v))} (was ${typeof old})`;
      }
      case 'huge': {
        const n = rng.pick([301, 1001, 5001, 20_001, 50_001, 100_000, 900_000]);
        setAt(body, path, longString(n, rng.pick(['a', 'é', '😀', ' '])));
        return `${at} = string of ${n} characters`;
      }
      case 'badText': {
        const v = rng.pick(BAD_TEXT);
        setAt(body, path, typeof old === 'string' && rng.chance(0.5) ? old + v : v);
        return `${at} with ${printable(v)}`;
      }
      case 'odd': {
        const v = rng.pick(ODD_STRINGS);
        setAt(body, path, v);
        return `${at} = ${short(JSON.stringify(v))}`;
      }
      case 'number': {
        const raw = rng.pick(RAW_NUMBERS);
        setAt(body, path, d.json.raw(raw));
        return `${at} = ${raw} (raw JSON)`;
      }
      case 'nested': {
        const depth = rng.pick(NEST_DEPTHS.filter((n) => n <= 100_000));
        setAt(body, path, d.json.raw(rng.chance(0.5) ? nestedArrays(depth) : nestedObjects(depth)));
        return `${at} nested ${depth} deep`;
      }
      case 'remove':
        deleteAt(body, path);
        return `${at} removed`;
      case 'nul':
        setAt(body, path, `${String(old)}\u0000`);
        return `${at} ends with NUL`;
      case 'empty':
        setAt(body, path, rng.pick(['', [], {}, ' ']));
        return `${at} empty`;
      case 'bigArray': {
        const n = rng.pick([101, 1000, 50_000]);
        setAt(
          body,
          path,
          Array.from({ length: n }, (_, i) => (rng.chance(0.5) ? `t${i}` : old)),
        );
        return `${at} = array of ${n}`;
      }
      case 'proto': {
        const target = getAt(body, path.slice(0, -1)) as Loose;
        const key = rng.pick(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']);
        if (target && typeof target === 'object' && !Array.isArray(target)) {
          Object.defineProperty(target, key, {
            value: { polluted: true, isAdmin: true },
            enumerable: true,
            configurable: true,
            writable: true,
          });
        }
        return `${key} key beside ${at}`;
      }
      case 'extra': {
        const target = getAt(body, path.slice(0, -1)) as Loose;
        if (target && typeof target === 'object' && !Array.isArray(target))
          target[rng.pick(['id', 'createdAt', 'deletedAt', 'revision', 'x'])] = rng.pick<unknown>([
            rng.uuid(),
            '2020-01-01T00:00:00Z',
            1,
          ]);
        return `extra field beside ${at}`;
      }
      case 'date': {
        const v = rng.pick([...BAD_DATES, ...BAD_TIMES]);
        setAt(body, path, v);
        return `${at} = ${printable(v)}`;
      }
      case 'id': {
        const v = rng.pick(BAD_IDS);
        setAt(body, path, v);
        return `${at} = id ${short(v)}`;
      }
    }
  }

  /** The whole body of the wrong shape. */
  private 'body-shape'(d: Draft, rng: Rng): string {
    const shape = rng.pick<[string, unknown]>([
      ['an array', [d.body]],
      ['a string', 'body'],
      ['a number', 42],
      ['null', null],
      ['true', true],
      ['an empty object', {}],
      ['an empty array', []],
      ['the body twice', [d.body, d.body]],
      ['each field wrapped in an array', Object.fromEntries(Object.entries((d.body ?? {}) as object).map(([k, v]) => [k, [v]]))],
      ['each field null', Object.fromEntries(Object.entries((d.body ?? {}) as object).map(([k]) => [k, null]))],
      ['each field a string', Object.fromEntries(Object.entries((d.body ?? {}) as object).map(([k, v]) => [k, String(v)]))],
      ['50,000 unknown keys', d.json.raw(manyKeys())],
      ['an array of 100,000 numbers', d.json.raw(manyNumbers())],
    ]);
    d.body = shape[1];
    return `body is ${shape[0]}`;
  }

  /** Deeply nested JSON: the whole body, or one field. */
  private nesting(d: Draft, rng: Rng): string {
    const depth = rng.pick(NEST_DEPTHS);
    const style = rng.pick(['arrays', 'objects', 'mixed'] as const);
    const text = style === 'arrays' ? nestedArrays(depth) : style === 'objects' ? nestedObjects(depth) : nestedMixed(depth);
    if (!d.op.body) {
      // A GET with a body, or the nesting in a query value.
      if (rng.chance(0.5)) {
        d.rawBody = Buffer.from(text);
        d.contentType = 'application/json';
        return `GET-style request with a body nested ${depth} deep (${style})`;
      }
      d.query.push([
        rng.pick(
          d.op.params
            .filter((p) => p.in === 'query')
            .map((p) => p.name)
            .concat('x'),
        ),
        pct(text.slice(0, 6000)),
      ]);
      return `query value nested ${Math.min(depth, 3000)} deep`;
    }
    if (rng.chance(0.5) || typeof d.body !== 'object' || !d.body) {
      d.rawBody = Buffer.from(text);
      return `body nested ${depth} deep (${style}, ${text.length} bytes)`;
    }
    const paths = pathsOf(d.body);
    const path = paths.length ? rng.pick(paths) : ['x'];
    setAt(d.body, path, d.json.raw(text));
    return `${path.join('.')} nested ${depth} deep (${style})`;
  }

  /** A lone surrogate or NUL in a string field, a query parameter or a path parameter. */
  private 'bad-text'(d: Draft, rng: Rng): string {
    const v = rng.pick(BAD_TEXT);
    const where = rng.weighted({
      body: d.op.body ? 4 : 0,
      query: 3,
      path: d.op.params.some((p) => p.in === 'path') ? 3 : 0,
      raw: 1,
    });
    if (where === 'body') {
      const strings = pathsOf(d.body).filter((p) => typeof getAt(d.body, p) === 'string');
      if (!strings.length) {
        (d.body as Loose)[v] = 'x';
        return `a key ${printable(v)}`;
      }
      const path = rng.pick(strings);
      if (rng.chance(0.15)) {
        // In a key rather than a value.
        const parent = getAt(d.body, path.slice(0, -1)) as Loose;
        if (parent && !Array.isArray(parent)) parent[`k${v}`] = 'x';
        return `key k${printable(v)} beside ${path.join('.')}`;
      }
      setAt(d.body, path, `${getAt(d.body, path)}${v}`);
      return `body ${path.join('.')} + ${printable(v)}`;
    }
    if (where === 'query') {
      const params = d.op.params.filter((p) => p.in === 'query').map((p) => p.name);
      const name = params.length ? rng.pick(params) : 'q';
      d.query = d.query.filter(([k]) => k !== name);
      if (rng.chance(0.1)) {
        d.query.push([pct(`n${v}`), 'x']);
        return `query parameter name with ${printable(v)}`;
      }
      d.query.push([name, pct(`gaza${v}`)]);
      return `query ${name} with ${printable(v)}`;
    }
    if (where === 'path') {
      const p = rng.pick(d.op.params.filter((p) => p.in === 'path'));
      d.path[p.name] = pct(rng.chance(0.5) ? v : `miguel-diaz-canel${v}`);
      return `path ${p.name} with ${printable(v)}`;
    }
    // Not percent-encoded: the raw bytes of invalid UTF-8 in the body.
    const bytes = rng.pick([
      Buffer.from([0xff]),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from([0xc0, 0x80]),
      Buffer.from([0xe0, 0xa4]),
      Buffer.from([0x00]),
      Buffer.from([0xfe, 0xff]),
    ]);
    const text = d.json.stringify(d.body ?? { text: 'x' });
    const cut = text.lastIndexOf('"', text.length - 2);
    d.rawBody =
      cut > 0
        ? Buffer.concat([Buffer.from(text.slice(0, cut)), bytes, Buffer.from(text.slice(cut))])
        : Buffer.concat([bytes, Buffer.from(text)]);
    d.contentType ??= 'application/json';
    return `raw bytes ${bytes.toString('hex')} inside a JSON string`;
  }

  /** One query parameter with a value of the wrong type, range, size or syntax. */
  private 'query-param'(d: Draft, rng: Rng): string {
    const params = d.op.params.filter((p) => p.in === 'query');
    if (!params.length) return this['unknown-query'](d, rng);
    const p = rng.pick(params);
    d.query = d.query.filter(([k]) => k !== p.name);
    const s = p.schema.type === 'array' ? (p.schema.items ?? {}) : p.schema;
    let values: string[];
    if (p.schema.type === 'array' && rng.chance(0.3)) {
      const n = rng.pick([2, 50, 101, 1000]);
      values = Array.from({ length: n }, (_, i) => (rng.chance(0.5) ? `v${i}` : this.scalarFor(p.name, s, rng)));
    } else if (s.type === 'integer' || s.type === 'number') values = [rng.pick(QUERY_NUMBERS)];
    else if (s.enum)
      values = [
        rng.pick([...ODD_STRINGS, s.enum[0].toUpperCase(), `${s.enum[0]} `, `-${s.enum[0]}`, `--${s.enum[0]}`, s.enum.join(',')]),
      ];
    else if (p.name === 'q') values = [rng.pick(SEARCH_STRINGS)];
    else if (p.name === 'asOf' || p.name === 'since') values = [rng.pick(BAD_TIMES)];
    else if (s.pattern?.includes('\\d{4}')) values = [rng.pick(BAD_DATES)];
    else if (s.format === 'uuid') values = [rng.pick(BAD_IDS)];
    else {
      values = [
        rng.pick<string>([
          ...ODD_STRINGS,
          ...SEARCH_STRINGS,
          longString(rng.pick([299, 300, 301, 501, 2001, 12_000])),
          longString(3000, 'é'),
        ]),
      ];
    }
    if (rng.chance(0.15)) values.push(values[0]);
    for (const v of values) d.query.push([p.name, pct(v)]);
    return `query ${p.name} = ${short(values.map(printable).join(' & '))}${values.length > 2 ? ` (${values.length} values)` : ''}`;
  }

  /** Cursors crafted to look issued: base64url of JSON with bad values, other sorts' keys, wrong shapes. */
  private cursor(d: Draft, rng: Rng): string {
    const p = d.op.params.find((p) => p.name === 'cursor' || p.name === 'since')!;
    d.query = d.query.filter(([k]) => k !== p.name);
    const real = this.known.cursors.get(d.op.id) ?? [];
    const all = this.known.allCursors;
    const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
    const decoded = (c: string): unknown[] | undefined => {
      try {
        const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
        return Array.isArray(v) ? v : undefined;
      } catch {
        return undefined;
      }
    };
    const keys = [...new Set(all.map((c) => decoded(c)?.[0]).filter((k): k is string => typeof k === 'string'))];
    const key = rng.chance(0.7) && real.length ? (decoded(rng.pick(real))?.[0] ?? 'x') : rng.pick(keys.length ? keys : ['x']);
    const badValue = () =>
      rng.pick<unknown>([
        ...BAD_DATES,
        ...BAD_TIMES,
        '1e309',
        '-0',
        'NaN',
        '99999999999999999999999',
        '9'.repeat(300),
        '-1',
        '4294967296',
        "' OR 1=1 --",
        '\\',
        '%',
        'x'.repeat(300),
        '\u0000',
        'a\u0000b',
        '\ud800',
        1e308,
        -1,
        0,
        null,
        true,
        {},
        [],
        [[['deep']]],
      ]);
    const badId = () =>
      rng.pick<unknown>([rng.uuid(), ...BAD_IDS.slice(0, 12), '\u0000', '\ud800', 12345, null, rng.uuid().toUpperCase()]);
    const kind = rng.weighted({
      value: 6,
      id: 2,
      key: 2,
      shape: 3,
      escapes: 2,
      notBase64: 2,
      bytes: 1,
      mutated: 3,
      foreign: 2,
      long: 1,
      since: p.name === 'since' ? 6 : 0,
    });
    let cursor: string;
    let what: string;
    const realValues = real.length ? (decoded(rng.pick(real)) ?? []) : [];
    switch (kind) {
      case 'value': {
        const v = badValue();
        const values = realValues.length > 1 ? realValues.slice(1) : ['x', rng.uuid()];
        values[rng.int(Math.max(1, values.length - 1))] = v;
        cursor = b64(JSON.stringify([key, ...values]));
        what = `value ${short(JSON.stringify(v))}`;
        break;
      }
      case 'id': {
        const values = realValues.length > 1 ? realValues.slice(1) : ['2024-01-01', 'x'];
        values[values.length - 1] = badId();
        cursor = b64(JSON.stringify([key, ...values]));
        what = `id ${short(JSON.stringify(values[values.length - 1]))}`;
        break;
      }
      case 'key': {
        const other = rng.pick([...keys, '', '-', 'relevance', '__proto__', 'name; DROP TABLE x', '\u0000', 'x'.repeat(200)]);
        cursor = b64(JSON.stringify([other, ...(realValues.slice(1).length ? realValues.slice(1) : ['2024-01-01', rng.uuid()])]));
        what = `issued for ${short(JSON.stringify(other))}`;
        break;
      }
      case 'shape': {
        const v = rng.pick<unknown>([
          [],
          [key],
          [key, 'x'],
          [key, 'x', rng.uuid(), 'extra'],
          { key },
          'string',
          42,
          null,
          [key, ['x'], rng.uuid()],
          Array(50).fill(key),
        ]);
        cursor = b64(JSON.stringify(v));
        what = `shape ${short(JSON.stringify(v))}`;
        break;
      }
      case 'escapes': {
        const text = rng.pick([
          `["${key}","\\ud800","${rng.uuid()}"]`,
          `["${key}","2024-01-01\\u0000","${rng.uuid()}"]`,
          `["${key}","2024-01-01","\\udfff"]`,
          `["${key}",1e309,"${rng.uuid()}"]`,
          `["${key}",NaN,"${rng.uuid()}"]`,
          `["${key}","2024-01-01"`,
          `["${key}" "x"]`,
          '[',
          '',
          'null',
        ]);
        cursor = b64(text);
        what = `JSON text ${short(text)}`;
        break;
      }
      case 'notBase64':
        cursor = rng.pick([
          '!!!',
          '====',
          'abc=',
          'a+b/c',
          'a b',
          '.',
          '..',
          '-',
          '_',
          'é',
          '%00',
          '%FF',
          'eyJ',
          'W10=',
          '*',
          '\u0000',
        ]);
        what = `not base64url: ${printable(cursor)}`;
        break;
      case 'bytes': {
        const bytes = rng.pick([
          Buffer.from([0xff, 0xfe]),
          Buffer.from('["a","\xed\xa0\x80"]', 'latin1'),
          Buffer.from([0x5b, 0x00, 0x5d]),
          Buffer.from([0xc0, 0xaf]),
        ]);
        cursor = b64(bytes);
        what = `base64url of bytes ${bytes.toString('hex')}`;
        break;
      }
      case 'mutated': {
        const c = rng.pick(real.length ? real : all.length ? all : ['WyJ4Il0']);
        const m = rng.int(5);
        cursor =
          m === 0
            ? c.slice(0, Math.max(1, rng.int(c.length)))
            : m === 1
              ? c.slice(0, -1) + (c.endsWith('A') ? 'B' : 'A')
              : m === 2
                ? `${c}=`
                : m === 3
                  ? `${c}${c}`
                  : c.split('').reverse().join('');
        what = `a real cursor ${['truncated', 'with its last character changed', 'padded', 'doubled', 'reversed'][m]}`;
        break;
      }
      case 'foreign':
        cursor = rng.pick(all.length ? all : ['WyJ4Il0']);
        what = 'a cursor issued for another list or sort';
        break;
      case 'long':
        cursor = b64(JSON.stringify([key, 'x'.repeat(rng.pick([360, 400, 1000])), rng.uuid()]));
        what = `a cursor of ${cursor.length} characters`;
        break;
      case 'since': {
        const c = rng.pick(real.length ? real : ['1.1']);
        cursor = rng.pick([
          ...BAD_TIMES,
          '1e309.1',
          '-1.1',
          '0.0',
          '99999999999999999999.1',
          '1.99999999999999999999',
          'NaN.1',
          '1.NaN',
          '1..1',
          '.',
          '1.1.1',
          `${c}.1`,
          `${c}0`,
          '9'.repeat(59),
          '٧٨٥.١',
          '0x10.1',
          ' 1.1',
          '1.1\u0000',
        ]);
        what = `since ${printable(cursor)}`;
        break;
      }
    }
    d.query.push([p.name, pct(cursor!)]);
    return `${p.name}: ${what!}`;
  }

  /** A path parameter over-long, oddly encoded, or not an id. */
  private 'path-param'(d: Draft, rng: Rng): string {
    const params = d.op.params.filter((p) => p.in === 'path');
    if (!params.length) {
      d.target = `${d.op.path}/${rng.pick(BAD_ESCAPES)}`;
      return `extra segment ${d.target}`;
    }
    const p = rng.pick(params);
    const kind = rng.weighted({ badEscape: 4, id: 3, long: 2, raw: 1 });
    if (kind === 'badEscape') {
      const e = rng.pick(BAD_ESCAPES);
      d.path[p.name] = rng.chance(0.5) ? e : `miguel-diaz-canel${e}`;
      return `${p.name} = ${d.path[p.name]}`;
    }
    if (kind === 'id') {
      d.path[p.name] = pct(rng.pick(BAD_IDS));
      return `${p.name} = ${short(d.path[p.name])}`;
    }
    if (kind === 'long') {
      const n = rng.pick([201, 999, 1000, 1001, 2000, 8000, 20_000]);
      d.path[p.name] = rng.chance(0.5) ? longString(n) : pct(longString(Math.ceil(n / 6), 'é'));
      return `${p.name} of ${d.path[p.name].length} characters`;
    }
    // Bytes that are not ASCII, unencoded, in the request line.
    const base = d.op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => (name === p.name ? '\u0000' : (d.path[name] ?? 'x')));
    const bytes = rng.pick([
      Buffer.from([0xff]),
      Buffer.from('é'),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from([0x7f]),
      Buffer.from([0x09]),
    ]);
    const [before, after] = base.split('\u0000');
    d.target = Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)]);
    return `${p.name} = raw bytes ${bytes.toString('hex')}`;
  }

  /** Parameters the operation does not take, or one it takes, given twice or oddly. */
  private 'unknown-query'(d: Draft, rng: Rng): string {
    const kind = rng.weighted({ unknown: 3, duplicate: 3, bare: 1, many: 1, brackets: 1, proto: 1, empty: 1 });
    const names = d.op.params.filter((p) => p.in === 'query').map((p) => p.name);
    switch (kind) {
      case 'unknown': {
        const n = rng.pick([
          'foo',
          'LIMIT',
          'Limit',
          'page',
          'offset',
          'sort_by',
          'fields',
          'include_deleted',
          'debug',
          'admin',
          'callback',
          '$where',
        ]);
        d.query.push([n, pct(rng.pick(['1', 'true', '', 'x'.repeat(100)]))]);
        return `unknown parameter ${n}`;
      }
      case 'duplicate': {
        const n = names.length ? rng.pick(names) : 'limit';
        const existing = d.query.find(([k]) => k === n)?.[1] ?? '1';
        d.query.push([n, existing], [n, rng.pick(['2', '', 'x', existing, '-1', '1e309'])]);
        return `${n} given twice or more`;
      }
      case 'bare': {
        const n = names.length ? rng.pick(names) : 'limit';
        d.query.push([n, '\u0000NOVALUE']);
        return `${n} with no = sign`;
      }
      case 'many': {
        const n = rng.pick([100, 1000, 1500]);
        for (let i = 0; i < n; i++) d.query.push([`p${i}`, `${i}`]);
        return `${n} unknown parameters`;
      }
      case 'brackets': {
        const n = names.length ? rng.pick(names) : 'limit';
        d.query.push([rng.pick([`${n}[]`, `${n}[0]`, `${n}[a][b]`, `${n}.x`]), '1']);
        return `bracketed ${n}`;
      }
      case 'proto':
        d.query.push([rng.pick(['__proto__', 'constructor', '__proto__[x]', 'hasOwnProperty', 'toString']), '1']);
        return 'prototype-named parameter';
      case 'empty':
        d.target = `${d.finish().target.toString()}${rng.pick(['?', '&', '?&&&', '?=', '?=x', '??', '?&=&'])}`;
        return 'empty query parts';
    }
  }

  /** A body sent with a content type the route does not take, or none. */
  private 'content-type'(d: Draft, rng: Rng): string {
    const ct = rng.pick([
      undefined,
      '',
      'text/plain',
      'text/html',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/octet-stream',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset="utf-8"',
      'application/json;;;',
      'application/json; x=' + 'y'.repeat(4000),
      'APPLICATION/JSON',
      'Application/Json',
      'application/json, text/plain',
      'application/jsonx',
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/problem+json',
      'application/vnd.api+json',
      '*/*',
      'application/*',
      'json',
      ' application/json',
      'application/json\t',
      'application/json; charset=utf-8; charset=utf-16',
    ]);
    if (ct === undefined) {
      d.contentType = undefined;
      return 'body without Content-Type';
    }
    if (ct === 'application/json; charset=utf-16' && rng.chance(0.5)) {
      d.rawBody = Buffer.from(d.json.stringify(d.body), 'utf16le');
    }
    if (rng.chance(0.1)) {
      d.headers.push(['Content-Type', 'application/json'], ['Content-Type', ct]);
      return `two Content-Type headers (json and ${short(ct)})`;
    }
    d.contentType = ct;
    return `Content-Type: ${short(ct)}`;
  }

  /** Empty, truncated and otherwise broken JSON. */
  private 'json-syntax'(d: Draft, rng: Rng): string {
    const full = d.json.stringify(d.body);
    const text = rng.pick([
      '',
      ' ',
      '\n',
      '{',
      '}',
      '[',
      '"',
      '{"',
      '{"a"',
      '{"a":',
      '{"a":}',
      'nul',
      'tru',
      'nan',
      '{"a":1,}',
      '[1,]',
      "{'a':1}",
      '{a:1}',
      '{"a":1}{"b":2}',
      '{"a":1} garbage',
      '{"a":1}\u0000',
      '// comment\n{}',
      '{"a":"\\x"}',
      '{"a":"\\u12"}',
      '{"a":"\\ud800"}',
      '{"a":"\\u0000"}',
      '{"a":"unterminated}',
      '{"a":1e}',
      '{"a":-}',
      '{"a":01}',
      '{"a":"\t"}',
      '\ufeff{}',
      '\ufeff' + full,
      full.slice(0, Math.max(0, full.length - 1)),
      full.slice(0, Math.floor(full.length / 2)),
      full.slice(1),
      full + ']',
      full.replace(/:/, '::'),
      full.replace(/"/, "'"),
      full.replace(/,/g, ',,'),
      '{"__proto__":{"isAdmin":true}}',
      '{"a":1,"a":2}',
      full.replace(/^\{/, '{"x":1,"x":2,'),
      '1',
      '"text"',
      'null',
      'true',
      '[]',
      '{}',
    ]);
    if (rng.chance(0.15) && text.length > 2) {
      // Content-Length shorter than what is sent: the server sees a truncated body.
      d.rawBody = Buffer.from(text);
      d.contentLength = Math.floor(text.length / 2);
      return `Content-Length ${d.contentLength} for ${text.length} bytes`;
    }
    d.rawBody = Buffer.from(text);
    d.contentType ??= 'application/json';
    return `JSON ${short(printable(text))}`;
  }

  /** Numbers JavaScript and PostgreSQL disagree about, in the body and the query. */
  private numbers(d: Draft, rng: Rng): string {
    const numeric = pathsOf(d.body).filter((p) => typeof getAt(d.body, p) === 'number');
    const intParams = d.op.params.filter((p) => p.in === 'query' && (p.schema.type === 'integer' || p.schema.type === 'number'));
    if (numeric.length && (rng.chance(0.7) || !intParams.length)) {
      const path = rng.pick(numeric);
      const raw = rng.pick([
        ...RAW_NUMBERS,
        '"1e309"',
        '"NaN"',
        '"-0"',
        '"Infinity"',
        '"12"',
        'null',
        '1e308',
        '4294967296',
        '-2147483649',
      ]);
      setAt(d.body, path, d.json.raw(raw));
      return `${path.join('.')} = ${raw}`;
    }
    if (intParams.length) {
      const p = rng.pick(intParams);
      d.query = d.query.filter(([k]) => k !== p.name);
      const v = rng.pick(QUERY_NUMBERS);
      d.query.push([p.name, pct(v)]);
      return `query ${p.name} = ${printable(v)}`;
    }
    // No number anywhere: put one where a string goes.
    const strings = pathsOf(d.body).filter((p) => typeof getAt(d.body, p) === 'string');
    if (strings.length) {
      const path = rng.pick(strings);
      const raw = rng.pick(RAW_NUMBERS);
      setAt(d.body, path, d.json.raw(raw));
      return `${path.join('.')} = ${raw} (a string field)`;
    }
    d.query.push(['limit', pct(rng.pick(QUERY_NUMBERS))]);
    return 'limit on a route without one';
  }

  /** A method the route does not take. */
  private method(d: Draft, rng: Rng): string {
    const m = rng.pick([
      'GET',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'HEAD',
      'OPTIONS',
      'OPTIONS',
      'TRACE',
      'PROPFIND',
      'SEARCH',
      'LINK',
      'PURGE',
      'MKCOL',
      'REPORT',
      'QUERY',
      'FOO',
      'get',
      'Get',
      'G',
      'GETT',
    ]);
    d.method = m;
    if (m === 'OPTIONS' && rng.chance(0.6)) {
      d.headers.push(
        ['Origin', rng.pick(['https://evil.example', 'null', 'http://localhost', 'https://newsroom.example', ''])],
        ['Access-Control-Request-Method', rng.pick(['PATCH', 'DELETE', 'POST', 'GET', 'FOO', ''])],
        [
          'Access-Control-Request-Headers',
          rng.pick(['authorization,change-reason', 'x-' + 'a'.repeat(2000), '', 'content-type']),
        ],
      );
      return `CORS preflight on ${d.op.path}`;
    }
    if (rng.chance(0.2)) d.headers.push(['X-HTTP-Method-Override', rng.pick(['DELETE', 'PATCH', 'PUT'])]);
    return `${m} ${d.op.path} (documented: ${d.op.method})`;
  }

  /** One odd header on an otherwise valid request. */
  private headers(d: Draft, rng: Rng): string {
    const control = () => rng.pick(['\x01', '\x07', '\x08', '\x1b', '\x7f', 'a\x00b']);
    const kind = rng.weighted({
      reason: 5,
      ifMatch: 3,
      idempotency: 3,
      requestId: 3,
      auth: 3,
      misc: 3,
      crlf: 2,
    });
    const set = (name: string, value: HeaderValue) => {
      d.headers = d.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
      d.headers.push([name, value]);
      return `${name}: ${short(typeof value === 'string' ? printable(value) : `bytes ${value.toString('hex')}`)}`;
    };
    switch (kind) {
      case 'reason':
        return set(
          'Change-Reason',
          rng.pick<HeaderValue>([
            `fix ${control()}`,
            '%00',
            '%FF',
            '%E0%A4%A',
            '%ED%A0%80',
            '%0D%0A',
            '%7F',
            '%',
            '50% of it',
            'Corrected%20the%20date%20%E2%80%94%20see%20the%20source',
            Buffer.from([0xff, 0xfe]),
            Buffer.from('caf\xe9', 'latin1'),
            Buffer.from([0xed, 0xa0, 0x80]),
            Buffer.from('Corrección', 'utf8'),
            '',
            ' ',
            '\t',
            longString(2000),
            longString(2001),
            longString(10_000),
            '😀',
            '<script>alert(1)</script>',
          ]),
        );
      case 'ifMatch':
        return set(
          'If-Match',
          rng.pick<HeaderValue>([
            '*',
            '"',
            'W/',
            'W/"',
            '""',
            '"x"',
            'W/"x", W/"y"',
            ',,,',
            '*, "x"',
            longString(1001),
            longString(10_000),
            `"${control()}"`,
            Buffer.from([0xff]),
            '\u00e9',
          ]),
        );
      case 'idempotency':
        return set(
          'Idempotency-Key',
          rng.pick<HeaderValue>([
            '',
            ' ',
            'x',
            'same-key',
            'same-key',
            longString(200),
            longString(201),
            longString(10_000),
            `k${control()}`,
            Buffer.from([0xff]),
            'é',
            'a b',
            '%00',
          ]),
        );
      case 'requestId':
        return set(
          'X-Request-Id',
          rng.pick<HeaderValue>([
            longString(10_000),
            longString(65),
            'a b',
            '../../etc',
            '<script>',
            `id${control()}`,
            Buffer.from([0xff, 0xfe]),
            '',
            '%0D%0AX-Injected:%201',
            'é',
          ]),
        );
      case 'auth':
        return set(
          'Authorization',
          rng.pick<HeaderValue>([
            'Bearer',
            'Bearer ',
            'Bearer  ' + (this.adminKey ?? 'x'),
            `bearer ${this.adminKey ?? 'x'}`,
            `Bearer ${this.adminKey ?? 'x'}x`,
            `Bearer ${(this.adminKey ?? 'x').slice(0, -1)}`,
            `Basic ${Buffer.from(`admin:${this.adminKey}`).toString('base64')}`,
            `Bearer ${longString(10_000)}`,
            `Bearer ${rng.hex(64)}`,
            'Bearer \u00e9',
            Buffer.from([0x42, 0x65, 0x61, 0x72, 0x65, 0x72, 0x20, 0xff]),
            `Token ${this.adminKey}`,
            `Bearer ${this.adminKey}, Bearer x`,
          ]),
        );
      case 'misc': {
        const [name, value] = rng.pick<[string, HeaderValue]>([
          ['Accept', 'application/xml'],
          ['Accept', 'text/csv'],
          ['Accept', 'application/x-ndjson'],
          ['Accept', 'text/csv;q=0.5, application/x-ndjson;q=0.5'],
          ['Accept', '*/*;q=abc'],
          ['Accept', longString(8000, ',')],
          ['Accept-Encoding', 'gzip;q=2, br;q=-1, identity;q=0'],
          ['Accept-Language', longString(4000, '-')],
          ['If-None-Match', '*'],
          ['If-None-Match', longString(5000)],
          ['If-Modified-Since', 'not a date'],
          ['If-Modified-Since', 'Tue, 31 Feb 2024 00:00:00 GMT'],
          ['Range', 'bytes=0-0,1-1,2-2'],
          ['Origin', 'https://evil.example'],
          ['Origin', 'null'],
          ['X-Forwarded-For', '1.2.3.4, ' + longString(5000, '9')],
          ['X-Forwarded-For', 'not-an-ip'],
          ['X-Forwarded-Host', 'evil.example'],
          ['X-Forwarded-Proto', 'gopher'],
          ['Forwarded', 'for=;;;'],
          ['Cookie', 'a=' + longString(8000)],
          ['Content-Encoding', 'gzip'],
          ['Content-Encoding', 'br, deflate, x'],
          ['Upgrade', 'websocket'],
          ['TE', 'trailers, deflate'],
          ['Via', longString(3000)],
          ['Expect', '100-continue'],
          ['Prefer', 'return=minimal; handling=lenient'],
          ['Max-Forwards', '-1'],
          ['Host', 'evil.example'],
          ['Host', ''],
          ['X-Frame-Options', 'ALLOW'],
          ['Referer', `https://x/${longString(3000)}`],
          ['Cache-Control', 'no-cache, max-age=-1'],
        ]);
        return set(name, value);
      }
      case 'crlf': {
        // Header values the HTTP parser must refuse or split: bare CR, bare LF, obs-fold, NUL, a header
        // injected after CR LF.
        const name = rng.pick(['X-Request-Id', 'Change-Reason', 'Idempotency-Key', 'If-Match']);
        const v = rng.pick([
          'a\r\nX-Injected: 1',
          'a\rb',
          'a\nb',
          'a\r\n b',
          'a\u0000b',
          'a\r\n\r\nGET /health HTTP/1.1',
          `${longString(9000)}\r\nX-Injected: 1`,
        ]);
        d.headers.push([name, Buffer.from(v, 'latin1')]);
        return `${name} with ${printable(v).slice(0, 40)}`;
      }
    }
  }

  /** A URL no route serves. */
  private route(d: Draft, rng: Rng): string {
    const t = rng.pick([
      '/nope',
      '/actors/x/y/z',
      '/actors/',
      '//actors',
      '/ACTORS',
      '/Actors',
      '/actors;jsessionid=1',
      '/actors#frag',
      '/actors/..',
      '/actors/../keys',
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/docs/../openapi.json',
      '/docs/static/../../package.json',
      '/docs/%2e%2e/%2e%2e/package.json',
      '/docs/' + longString(3000),
      '/docs/static/%FF',
      '/docs/json',
      '/docs/yaml',
      '/openapi.json/x',
      '/openapi.json?x=%FF',
      '/health/x',
      '/health?%FF',
      '/ready?x=' + longString(5000),
      '/' + longString(8000),
      '/' + longString(17_000),
      '/problems/',
      '/problems/nope',
      '/problems/%00',
      '/changes/x',
      '/keys/',
      '/keys/me',
      '/statements/x/citations/y',
      '/figures/series/x',
      '/.env',
      '/.git/config',
      '/data/PG_VERSION',
      '/node_modules/fastify/package.json',
      '/favicon.ico',
      '/robots.txt',
      '*',
      'http://evil.example/actors',
      'http://127.0.0.1/health',
      'actors',
      '/actors?' + 'a&'.repeat(3000),
      '/\\actors',
      '/actors\\..\\keys',
    ]);
    d.target = t;
    d.method = rng.pick(['GET', 'GET', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
    return `${d.method} ${short(t)}`;
  }

  /** Requests that bend HTTP itself. */
  private http(d: Draft, rng: Rng): string {
    const body = Buffer.from(d.json.stringify(d.body ?? {}));
    const kind = rng.pick([
      'no-host',
      'http10',
      'http09',
      'http2-line',
      'garbage',
      'tab-line',
      'no-colon',
      'space-name',
      'obs-fold',
      'te-and-cl',
      'bad-chunk',
      'chunked-ok',
      'cl-words',
      'cl-negative',
      'cl-double',
      'cl-list',
      'many-headers',
      'long-header-name',
      'headers-over-16k',
      'expect-junk',
      'lowercase-version',
    ] as const);
    const head = (s: string) => Buffer.from(s, 'latin1');
    const target = d.finish().target.toString();
    switch (kind) {
      case 'no-host':
        d.rawHead = head(`GET /health HTTP/1.1\r\nConnection: close\r\n\r\n`);
        break;
      case 'http10':
        d.version = '1.0';
        break;
      case 'http09':
        d.rawHead = head(`GET /health\r\n\r\n`);
        break;
      case 'http2-line':
        d.version = rng.pick(['2.0', '1.2', '9.9', '0.9']);
        break;
      case 'garbage':
        d.rawHead = rng.pick([
          head('HELLO\r\n\r\n'),
          head('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03'),
          head('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
          head('\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
        ]);
        break;
      case 'tab-line':
        d.rawHead = head(`GET\t/health\tHTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        break;
      case 'no-colon':
        d.headers.push(['X-Bad', '']);
        d.rawHead = head(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nNoColonHere\r\n\r\n`);
        break;
      case 'space-name':
        d.rawHead = head(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX Bad: 1\r\n\r\n`);
        break;
      case 'obs-fold':
        d.rawHead = head(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: a\r\n  folded\r\n\r\n`);
        break;
      case 'te-and-cl':
        d.rawHead = head(
          `POST ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n`,
        );
        d.rawBody = Buffer.concat([head(`${body.length.toString(16)}\r\n`), body, head('\r\n0\r\n\r\n')]);
        d.body = NO_BODY;
        break;
      case 'bad-chunk':
        d.rawHead = head(
          `${d.op.method} ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        );
        d.rawBody = head(
          rng.pick([
            'zz\r\n{}\r\n0\r\n\r\n',
            '-1\r\n{}\r\n0\r\n\r\n',
            'fffffffffffffffff\r\n{}\r\n0\r\n\r\n',
            '2;ext="\x00"\r\n{}\r\n0\r\n\r\n',
            '1\r\n{}\r\n0\r\n\r\n',
          ]),
        );
        break;
      case 'chunked-ok':
        d.rawHead = head(
          `${d.op.method} ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n${d.headers.map(([n, v]) => `${n}: ${v.toString()}\r\n`).join('')}\r\n`,
        );
        d.rawBody = Buffer.concat([head(`${body.length.toString(16)}\r\n`), body, head('\r\n0\r\n\r\n')]);
        break;
      case 'cl-words':
        d.headers.push(['Content-Length', 'abc']);
        break;
      case 'cl-negative':
        d.headers.push(['Content-Length', '-1']);
        break;
      case 'cl-double':
        d.headers.push(['Content-Length', String(body.length)], ['Content-Length', String(body.length + 1)]);
        break;
      case 'cl-list':
        d.headers.push(['Content-Length', `${body.length}, ${body.length}`]);
        break;
      case 'many-headers':
        for (let i = 0; i < rng.pick([200, 1000, 2100]); i++) d.headers.push([`X-H${i}`, '1']);
        break;
      case 'long-header-name':
        d.headers.push([`X-${longString(rng.pick([1000, 15_000]), 'n')}`, '1']);
        break;
      case 'headers-over-16k':
        d.headers.push(['X-Big', longString(17_000)]);
        break;
      case 'expect-junk':
        d.headers.push(['Expect', rng.pick(['junk', '100-continue, x', '200-ok'])]);
        break;
      case 'lowercase-version':
        d.rawHead = head(`GET /health http/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        break;
    }
    if ((kind === 'cl-words' || kind === 'cl-negative' || kind === 'cl-double' || kind === 'cl-list') && !d.rawBody) {
      d.rawBody = body;
      d.contentType ??= 'application/json';
    }
    return kind;
  }
}

const NO_BODY = Symbol('no body');
type Draft = ReturnType<Generator['draft']>;

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** Text for a report line: control characters, surrogates and NUL spelt as escapes. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function short(s: string, n = 80): string {
  return s.length > n ? `${s.slice(0, n)}…(${s.length})` : s;
}
