// Builds hostile requests from the OpenAPI document: for each operation, a valid-ish request, then one
// thing broken in it (a field, a parameter, a header, the body's syntax, the method, the route...).
import {
  Draft,
  type PathPart,
  deleteAt,
  getAt,
  isUuid,
  manyKeys,
  manyNumbers,
  nestedArrays,
  nestedMixed,
  nestedObjects,
  pathsOf,
  printable,
  setAt,
  short,
} from './draft.js';
import { bulkBody, type RecordType } from './bulk.js';
import { type Loose, type Operation, type Param, type Schema, operationsOf, resolve } from './openapi.js';
import { contentType, headers, http, jsonSyntax, method, route } from './protocol.js';
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
  bulk: 4,
} as const;
/** The sweep is not drawn at random: it comes first (see Generator.sweep). */
export type Drawn = keyof typeof CATEGORIES;
export type Category = Drawn | 'sweep';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class Generator {
  readonly ops: Operation[];
  private readonly bodyOps: Operation[];
  private readonly cursorOps: Operation[];
  private readonly bulkOps: Operation[];
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
    private readonly doc: Schema,
    private readonly known: Known,
    private readonly adminKey: string | undefined,
    sweepSeed: number,
  ) {
    this.ops = operationsOf(doc);
    this.bodyOps = this.ops.filter((o) => o.body);
    this.cursorOps = this.ops.filter((o) => o.params.some((p) => p.name === 'cursor' || p.name === 'since'));
    this.bulkOps = this.ops.filter((o) => o.bodyTypes.some((t) => /ndjson|csv/.test(t)));
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
    return { index, category: 'sweep', op: `${s.op.method} ${s.op.path}`, what, request: tagged(d.finish(), index) };
  }

  /** Case `index`: its category and operation are spread evenly; the details come from `rng`. */
  make(index: number, rng: Rng, only?: Drawn[]): Case {
    if (index < this.sweep.length && !only?.length) return this.sweepCase(index, rng);
    let category: Drawn = only?.length ? rng.pick(only) : rng.weighted(CATEGORIES);
    // A server without bulk routes gets valid requests instead.
    if (category === 'bulk' && !this.bulkOps.length) category = 'valid';
    let op = this.ops[index % this.ops.length];
    // Categories that need a body or a cursor take an operation that has one.
    if (['body-field', 'body-shape', 'json-syntax', 'content-type'].includes(category) && !op.body) op = rng.pick(this.bodyOps);
    if (category === 'cursor' && !this.cursorOps.includes(op)) op = rng.pick(this.cursorOps);
    if (category === 'bulk' && !this.bulkOps.includes(op)) op = rng.pick(this.bulkOps);
    const draft = this.draft(op, rng);
    const what = this[category](draft, rng);
    return { index, category, op: `${op.method} ${op.path}`, what, request: tagged(draft.finish(), index) };
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
    const draft = new Draft(op, path, query, headers);
    draft.body = body;
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
    s = resolve(this.doc, s);
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

  /** Many lines (NDJSON or CSV) for an import, some broken. */
  private bulk(d: Draft, rng: Rng): string {
    return bulkBody(d, rng, (type: RecordType) => {
      const name = `${type[0].toUpperCase()}${type.slice(1)}Create`;
      const schema = this.doc.components?.schemas?.[name];
      return schema ? (this.sample(schema, rng, '', 0) as Record<string, unknown>) : {};
    });
  }

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
        // A body with no string field in it (an object of numbers, or a bare value such as a text body).
        if (d.body && typeof d.body === 'object' && !Array.isArray(d.body)) (d.body as Loose)[v] = 'x';
        else d.body = { [v]: 'x' };
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

  private 'content-type'(d: Draft, rng: Rng): string {
    return contentType(d, rng);
  }

  private 'json-syntax'(d: Draft, rng: Rng): string {
    return jsonSyntax(d, rng);
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

  private method(d: Draft, rng: Rng): string {
    return method(d, rng);
  }

  private headers(d: Draft, rng: Rng): string {
    return headers(d, rng, this.adminKey);
  }

  private route(d: Draft, rng: Rng): string {
    return route(d, rng);
  }

  private http(d: Draft, rng: Rng): string {
    return http(d, rng);
  }
}

/**
 * Every case carries `X-Request-Id: fuzz-<index>` (unless it sends its own): the server logs under that
 * id, so an error it logs is tied to its case even when no answer came back.
 */
export const caseRequestId = (index: number) => `fuzz-${index}`;
function tagged(r: RawRequest, index: number): RawRequest {
  if (r.rawHead || r.headers.some(([n]) => n.toLowerCase() === 'x-request-id')) return r;
  return { ...r, headers: [...r.headers, ['X-Request-Id', caseRequestId(index)]] };
}
