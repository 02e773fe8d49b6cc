// Shared helpers for the benchmarks: the bench database URL, a seeded PRNG and small utilities.
import pg from 'pg';

export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/attest_bench';

/** The database name of a URL; the benchmarks refuse to create or drop anything not named attest_bench*. */
export function benchDatabaseName(url = BENCH_DATABASE_URL): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^attest_bench[a-z0-9_]*$/.test(name)) {
    throw new Error(`refusing to use database '${name}': bench databases must be named attest_bench*`);
  }
  return name;
}

/** The same server, another database (for CREATE/DROP DATABASE). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs one statement on the bench server's `postgres` database (CREATE/DROP DATABASE). */
export async function admin(sql: string) {
  const c = new pg.Client({ connectionString: withDatabase(BENCH_DATABASE_URL, 'postgres') });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** sfc32: small, fast, good enough, and deterministic for a given seed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 16; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    let { a, b, c, d } = this;
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return (t >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** Picks by weight from [value, weight] pairs. */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let x = this.next() * total;
    for (const [v, w] of pairs) {
      x -= w;
      if (x < 0) return v;
    }
    return pairs[pairs.length - 1][0];
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
  /** A UUIDv7 whose timestamp is `ms`, the rest from this generator. */
  uuid7(ms: number): string {
    const ts = Math.floor(ms).toString(16).padStart(12, '0');
    const variant = '89ab'[this.int(4)];
    return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }
}

/** A cumulative-weight table for fast repeated weighted picks among indices 0..n-1. */
export class Sampler {
  private readonly cumulative: Float64Array;
  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      sum += weights[i];
      this.cumulative[i] = sum;
    }
  }
  sample(rng: Rng): number {
    const c = this.cumulative;
    const x = rng.next() * c[c.length - 1];
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** A PostgreSQL array literal for text[] ('{"a","b"}'), to pass jagged arrays through unnest(text[]). */
export function pgTextArray(xs: readonly string[]): string {
  return `{${xs.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export const slugify = (s: string) =>
  fold(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Percentile of an ascending-sorted array. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/**
 * Latency of single requests, one at a time, in-process (`app.inject`): what one reader sees without
 * the network. Each URL is warmed up 5 times, then timed `runs` times; prints p50 and p99 per URL.
 */
export async function timeRequests(
  app: { inject(opts: { url: string }): Promise<{ statusCode: number }> },
  urls: readonly string[],
  runs: number,
) {
  for (const url of urls) {
    for (let i = 0; i < 5; i++) await app.inject({ url });
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const res = await app.inject({ url });
      times.push(performance.now() - t);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => percentile(times, p).toFixed(2).padStart(8);
    console.log(`p50 ${q(50)} ms  p99 ${q(99)} ms  ${decodeURIComponent(url)}`);
  }
}
