// npm run bench:embedded — the embedded default at scale: list by actor and date and full-text search on
// STATEMENTS (100,000) statements in a PGlite data directory, one request at a time, against the compiled
// server (`node dist/server.js`, what `npm start` runs: `npm run build` first) started as its own process;
// the server's resident memory from /proc.
//
//   npm run build && npm run bench:embedded
//   RUNS=600 RESPONSE_CACHE=on npm run bench:embedded      # any server setting passes through the environment
//   SERVER_DIRS="/tmp/before ." ROUNDS=2 npm run bench:embedded   # another checkout's dist/server.js beside this one
//
// The data directory is made once and kept in bench/.data/embedded-<STATEMENTS>/ (delete it to start over):
// bench/generate.ts fills a PostgreSQL database (attest_bench_embedded) with the same dataset the PostgreSQL
// benchmarks use, bench/targets.ts writes its URL lists beside it, a server on that database exports it
// (GET /export), and a server on a new data directory imports the export (POST /import), the way a user
// moves a record between databases. The PostgreSQL database is dropped afterwards. Took 8 minutes here.
//
// Each server setting comes from the environment; the response cache is off unless RESPONSE_CACHE says
// otherwise, so that every request reaches the database: the cache answers a repeated URL from memory,
// and what is measured is the first time a page is asked for.
import { spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BENCH_DATABASE_URL, admin, percentile, withDatabase } from './lib.js';
import { peakMb, postImport, rssMb, startServer, urlList } from './process.js';

const STATEMENTS = Number(process.env.STATEMENTS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 400);
/** How many of the search words, rarest first, count as rare. */
const RARE = Number(process.env.RARE ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 1);
/** Checkouts whose dist/server.js to measure, one after the other in each round (another commit beside this one). */
const SERVER_DIRS = (process.env.SERVER_DIRS ?? '.').split(/\s+/).filter(Boolean);
const PORT = Number(process.env.BENCH_PORT ?? 3960);
const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijklmnopq';
const here = resolve(import.meta.dirname, '..');
const cache = join(here, 'bench/.data', `embedded-${STATEMENTS}`);
const dataDir = join(cache, 'pgdata');
const urlsDir = join(cache, 'urls');
const done = join(cache, 'loaded.json');

function run(script: string, args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: here, env: { ...process.env, ...env }, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${script} exited with ${r.status}`);
}

/** Generates the dataset on PostgreSQL and moves it into a new data directory through export and import. */
async function load() {
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const database = withDatabase(BENCH_DATABASE_URL, 'attest_bench_embedded');
  const t0 = performance.now();
  run('bench/generate.ts', [], { BENCH_DATABASE_URL: database, STATEMENTS: String(STATEMENTS) });
  run('bench/targets.ts', [urlsDir], { BENCH_DATABASE_URL: database });
  const file = join(cache, 'export.ndjson');
  try {
    const source = await startServer('compiled', PORT, { DATABASE_URL: database });
    try {
      const res = await fetch(`${source.url}/export`);
      if (!res.ok || !res.body) throw new Error(`GET /export: ${res.status}`);
      await pipeline(Readable.fromWeb(res.body as never), createWriteStream(file));
      // How many statements each search word matches, counted here on PostgreSQL.
      const words = [];
      for (const path of urlList('b', urlsDir)) {
        const count = await fetch(`${source.url}${path.replace(/&limit=\d+/, '')}&limit=1&total=true`);
        words.push({ path, total: ((await count.json()) as { total: number }).total });
      }
      writeFileSync(join(urlsDir, 'b-totals.json'), JSON.stringify(words));
    } finally {
      await source.stop();
    }
    const t1 = performance.now();
    const target = await startServer('compiled', PORT, {
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      SEED_ON_EMPTY: 'false',
      ADMIN_KEY,
      RATE_LIMIT_KEYED_PER_MINUTE: '1000000',
      // A batch of the import holds the event loop (PGlite runs on it): not a reason to refuse the next.
      SHED_EVENT_LOOP_DELAY_MS: '0',
    });
    try {
      const { status, body } = await postImport(target.url, file, ADMIN_KEY);
      if (status !== 200 || body.failed !== 0 || body.created !== body.lines)
        throw new Error(`POST /import: ${status} ${JSON.stringify(body).slice(0, 1000)}`);
      // The server's upkeep (src/db/upkeep.ts) runs VACUUM ANALYZE once the writes pause, as it would for
      // a user's import; a read waits for it to finish, so the data directory kept is the settled one.
      await new Promise((r) => setTimeout(r, 3000));
      await fetch(`${target.url}/statements?limit=1`);
      const seconds = (performance.now() - t1) / 1000;
      writeFileSync(done, `${JSON.stringify({ statements: STATEMENTS, lines: body.lines, importSeconds: seconds, at: new Date() })}\n`);
      console.log(
        `loaded ${body.lines} records into ${dataDir}: import ${seconds.toFixed(0)} s, all ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
    } finally {
      await target.stop();
    }
  } finally {
    rmSync(file, { force: true });
    await admin('DROP DATABASE IF EXISTS attest_bench_embedded WITH (FORCE)');
  }
}

if (!existsSync(done)) await load();

/** What each request kind measured on one server, and its memory. */
interface Result {
  dir: string;
  readyMs: number;
  rows: [name: string, sortedMs: number[]][];
  idleMb: number;
  afterMb: number;
  peakMb: number;
  heap: string;
  load: string;
}

// The search words of bench/targets.ts (common to rare), with how many statements each matches.
const words: { path: string; total: number }[] = JSON.parse(readFileSync(join(urlsDir, 'b-totals.json'), 'utf8'));
words.sort((a, b) => a.total - b.total);
const rare = words.slice(0, RARE);
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/**
 * Starts the compiled server of the checkout `dir` on a copy of the data directory (each server gets the
 * data as the loader left it, whatever an earlier one wrote), and times the reads one at a time.
 */
async function measure(dir: string): Promise<Result> {
  const load = loadAverage();
  const work = mkdtempSync(join(tmpdir(), 'attest-bench-embedded-'));
  cpSync(dataDir, work, { recursive: true });
  rmSync(join(work, 'attest.lock'), { force: true });
  const server = await startServer(
    'compiled',
    PORT,
    {
      DATABASE_URL: '',
      DATA_DIR: work,
      SEED_ON_EMPTY: 'false',
      RESPONSE_CACHE: process.env.RESPONSE_CACHE ?? 'off',
      RATE_LIMIT_PER_MINUTE: '1000000',
    },
    dir,
  );
  const pid = server.proc.pid!;
  try {
    /** One GET, uncompressed (what the server and database cost, not the client's choice of encoding); ms. */
    const get = async (path: string) => {
      const t = performance.now();
      const res = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
      const body = await res.arrayBuffer();
      const ms = performance.now() - t;
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${Buffer.from(body).toString()}`);
      return ms;
    };
    /** RUNS requests one at a time, rotating over `paths` after one warm-up request each; sorted times in ms. */
    const time = async (paths: string[]) => {
      for (const p of paths) await get(p);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await get(paths[i % paths.length]));
      return times.sort((a, b) => a - b);
    };
    await new Promise((r) => setTimeout(r, 2000));
    const idleMb = rssMb(pid);
    const rows: Result['rows'] = [
      ['list by actor and date (200 URLs)', await time(urlList('a', urlsDir))],
      [`full-text, ${RARE} rarest words (${rare[0].total}-${rare.at(-1)!.total} matches)`, await time(rare.map((w) => w.path))],
      [`full-text, all ${words.length} words (${words[0].total}-${words.at(-1)!.total} matches)`, await time(words.map((w) => w.path))],
    ];
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN) / 1048576;
    const heap = `V8 heap ${metric('nodejs_heap_size_total_bytes').toFixed(0)} MB (${metric('nodejs_heap_size_used_bytes').toFixed(0)} in use), external ${metric('nodejs_external_memory_bytes').toFixed(0)} MB`;
    return { dir, readyMs: server.readyMs, rows, idleMb, afterMb: rssMb(pid), peakMb: peakMb(pid), heap, load };
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const loaded = JSON.parse(readFileSync(done, 'utf8'));
console.log(
  `Embedded database, ${loaded.statements} statements (${dataDir}); compiled server, response cache ${process.env.RESPONSE_CACHE ?? 'off'}; ` +
    `${RUNS} requests each, one at a time, after one warm-up request per URL`,
);
for (let round = 0; round < ROUNDS; round++) {
  for (const dir of SERVER_DIRS) {
    const r = await measure(dir);
    console.log(`\n${r.dir}: /ready ${r.readyMs.toFixed(0)} ms after spawn; load average ${r.load} before … ${loadAverage()} after`);
    for (const [name, times] of r.rows) {
      const q = (p: number) => percentile(times, p).toFixed(1).padStart(6);
      console.log(`  ${name.padEnd(52)} p50 ${q(50)} ms  p95 ${q(95)} ms  p99 ${q(99)} ms  max ${q(100)} ms`);
    }
    console.log(`  server resident: ${r.idleMb.toFixed(0)} MB idle, ${r.afterMb.toFixed(0)} MB after, ${r.peakMb.toFixed(0)} MB peak; ${r.heap}`);
  }
}
