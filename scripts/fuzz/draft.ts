// The request a case builds, and the JSON helpers that build and break bodies.
import type { Loose, Operation } from './openapi.js';
import type { HeaderValue, RawRequest } from './raw-http.js';

const RAW = '\u0001RAW';
/** JSON text where some values are raw tokens (`1e309`, `NaN`, deep nesting) that JSON.stringify cannot write. */
export class JsonBuilder {
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

export type PathPart = string | number;

/** Paths to every value inside `v` (containers included, the root excluded). */
export function pathsOf(v: unknown, prefix: PathPart[] = [], out: PathPart[][] = []): PathPart[][] {
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

export function setAt(root: Loose, path: PathPart[], value: unknown) {
  let o = root;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path[path.length - 1]] = value;
}
export function getAt(root: Loose, path: PathPart[]): unknown {
  return path.reduce((o, k) => o?.[k], root);
}
export function deleteAt(root: Loose, path: PathPart[]) {
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
export const nestedArrays = (depth: number) => memo(`a${depth}`, () => '['.repeat(depth) + '1' + ']'.repeat(depth));
export const nestedObjects = (depth: number) => memo(`o${depth}`, () => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
export const nestedMixed = (depth: number) =>
  memo(`m${depth}`, () => '[{"k":'.repeat(depth / 2) + (depth % 2 ? '[null]' : 'null') + '}]'.repeat(depth / 2));
export const manyKeys = () =>
  memo('keys', () => JSON.stringify(Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]))));
export const manyNumbers = () => memo('numbers', () => JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i)));

export const NO_BODY = Symbol('no body');

/** The request a case builds: filled in from the schema, then broken in one place by a category. */
export class Draft {
  method: string;
  /** When set, the request target as sent, instead of the template filled from `path` and `query`. */
  target: string | Buffer | undefined;
  readonly json = new JsonBuilder();
  body: unknown;
  /** When set, the body bytes as sent, instead of `json.stringify(body)`. */
  rawBody: Buffer | undefined;
  contentType: string | undefined;
  contentLength: number | false | undefined;
  rawHead: Buffer | undefined;
  version: string | undefined;

  constructor(
    readonly op: Operation,
    public path: Record<string, string>,
    public query: [string, string][],
    public headers: [string, HeaderValue][],
  ) {
    this.method = op.method;
    this.contentType = op.body ? (op.bodyTypes.includes('application/json') ? 'application/json' : op.bodyTypes[0]) : undefined;
  }

  finish(): RawRequest {
    const target =
      this.target ??
      this.op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => this.path[name] ?? 'x') +
        (this.query.length ? `?${this.query.map(([k, v]) => (v === '\u0000NOVALUE' ? k : `${k}=${v}`)).join('&')}` : '');
    const bodyBytes =
      this.rawBody ??
      (this.body !== undefined && this.body !== NO_BODY ? Buffer.from(this.json.stringify(this.body), 'utf8') : undefined);
    const headers = [...this.headers];
    if (bodyBytes && this.contentType !== undefined && !headers.some(([n]) => n.toLowerCase() === 'content-type')) {
      headers.push(['Content-Type', this.contentType]);
    }
    return {
      method: this.method,
      target,
      headers,
      body: bodyBytes,
      contentLength: this.contentLength,
      rawHead: this.rawHead,
      version: this.version,
    };
  }
}

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** Text for a report line: control characters, surrogates and NUL spelt as escapes. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function short(s: string, n = 80): string {
  return s.length > n ? `${s.slice(0, n)}…(${s.length})` : s;
}
