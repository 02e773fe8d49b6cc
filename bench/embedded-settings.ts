// npm run bench:embedded-settings — PGlite's own settings, side by side in one run: for each value of
// shared_buffers, the embedded default's reads (list by actor and date, full-text for the rarest and for all
// the search words) run in this process on a copy of the data directory `npm run bench:embedded` loads,
// through the same query code as the server (dist/, `npm run build` first) but without HTTP; then the
// process's resident memory, and what a VACUUM ANALYZE at STATISTICS_TARGET adds to PGlite's WebAssembly
// memory (it is never given back).
//
//   npm run build && npm run bench:embedded-settings
//   BUFFERS="32MB 48MB 128MB" STATISTICS_TARGET=100 npm run bench:embedded-settings
//
// Each setting gets its own process (a PGlite's memory is the process's), run one after the other.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const here = resolve(import.meta.dirname, '..');
const cache = join(here, 'bench/.data', `embedded-${process.env.STATEMENTS ?? 100_000}`);
const BUFFERS = (process.env.BUFFERS ?? '32MB 48MB 64MB 128MB').split(/\s+/).filter(Boolean);
const TARGET = process.env.STATISTICS_TARGET ?? '50';
const RUNS = Number(process.env.RUNS ?? 400);

if (process.argv[2] === 'child') {
  const [, , , buffers, dataDir] = process.argv;
  const { PGlite } = await import('@electric-sql/pglite');
  const { pgliteExtensions } = await import(join(here, 'dist/db/extensions.js'));
  const { listStatements } = await import(join(here, 'dist/statements/queries.js'));
  const { StatementListQuery } = await import(join(here, 'dist/statements/schemas.js'));
  const pg = await PGlite.create({
    dataDir,
    extensions: await pgliteExtensions(),
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${buffers}`, '-c', `default_statistics_target=${TARGET}`],
  });
  const db = { kind: 'pglite', query: async (sql: string, params: unknown[] = []) => (await pg.query(sql, params)).rows };
  const query = (path: string) => Object.fromEntries(new URL(`http://x${path}`).searchParams);
  const words: { path: string; total: number }[] = JSON.parse(readFileSync(join(cache, 'urls/b-totals.json'), 'utf8'));
  words.sort((a, b) => a.total - b.total);
  const lists = readFileSync(join(cache, 'urls/a.txt'), 'utf8').split('\n').filter(Boolean).map(query);
  const rare = words.slice(0, 5).map((w) => query(w.path));
  const all = words.map((w) => query(w.path));
  const time = async (inputs: Record<string, string>[], n: number) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await listStatements(db, StatementListQuery.parse(inputs[i % inputs.length]));
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    return `p50 ${ms[Math.floor(n / 2)].toFixed(1).padStart(5)} p95 ${ms[Math.floor(n * 0.95)].toFixed(1).padStart(5)}`;
  };
  // Warm-up: V8 and PGlite's WebAssembly reach their optimised code after some dozens of queries.
  await time(lists, lists.length);
  await time(all, all.length * 2);
  const mb = (bytes: number) => (bytes / 1048576).toFixed(0);
  const line = [`list ${await time(lists, RUNS)}`, `rare ${await time(rare, RUNS / 2)}`, `all ${await time(all, RUNS)}`];
  const before = process.memoryUsage();
  const t = performance.now();
  await pg.query('VACUUM ANALYZE');
  const after = process.memoryUsage();
  console.log(
    `shared_buffers ${buffers.padEnd(6)} ${line.join(' | ')} ms | resident ${mb(before.rss)} MB (WebAssembly ${mb(before.external)}); ` +
      `VACUUM ANALYZE at target ${TARGET}: ${(performance.now() - t).toFixed(0)} ms, resident ${mb(after.rss)} MB (WebAssembly ${mb(after.external)})`,
  );
  await pg.close();
  process.exit(0);
}

console.log(`${RUNS} reads of each kind on ${cache}/pgdata, in-process, one at a time (ms); memory of the process`);
for (const buffers of BUFFERS) {
  const work = mkdtempSync(join(tmpdir(), 'attest-bench-settings-'));
  try {
    cpSync(join(cache, 'pgdata'), work, { recursive: true });
    rmSync(join(work, 'attest.lock'), { force: true });
    spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, 'child', buffers, work], { cwd: here, stdio: 'inherit' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
