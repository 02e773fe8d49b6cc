// npm run bench:writes — what keeping history costs a write. Starts the server of this tree and, for
// comparison, the server of an earlier commit (BEFORE, default the last commit without history) on
// fresh PostgreSQL databases, and creates statements through HTTP on each, in alternating rounds so
// that the machine's drift hits both alike. Prints statements per second for each, their ratio, and the
// bytes history takes per revision.
//
//   BEFORE=c807c7a ROUNDS=3 N=600 CONCURRENCY=10 npm run bench:writes
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { BENCH_DATABASE_URL, admin, withDatabase } from './lib.js';

const BEFORE = process.env.BEFORE ?? 'c807c7a';
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const N = Number(process.env.N ?? 600);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);
const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijklmnopq';
const here = resolve(import.meta.dirname, '..');

/** A checkout of the earlier commit beside this tree, with the dependencies it had. */
function beforeTree(): string {
  const dir = join(here, 'bench/.tools', `before-${BEFORE}`);
  if (!existsSync(join(dir, 'node_modules'))) {
    if (!existsSync(dir)) execFileSync('git', ['worktree', 'add', '--detach', dir, BEFORE], { cwd: here, stdio: 'ignore' });
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, stdio: 'ignore' });
  }
  return dir;
}

async function start(dir: string, database: string, port: number): Promise<ChildProcess> {
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${database}`);
  const child = spawn(join(here, 'node_modules/.bin/tsx'), ['src/server.ts'], {
    cwd: dir,
    env: {
      ...process.env,
      DATABASE_URL: withDatabase(BENCH_DATABASE_URL, database),
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ADMIN_KEY,
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_KEYED_PER_MINUTE: '1000000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // An actor and a source to cite, through the API like everything else.
  const post = (path: string, body: object) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify(body),
    });
  await post('/actors', { slug: 'bench-speaker', name: 'Bench Speaker', kind: 'person' });
  return child;
}

const statement = (i: number) => ({
  speaker: 'bench-speaker',
  text: `Statement number ${i}, as quoted by the outlet, with enough words to look like a real quote from a leader.`,
  language: 'en',
  kind: 'direct_quote',
  saidOn: '2024-03-30',
  tags: ['bench'],
  citations: [
    {
      source: { kind: 'news_article', title: `Article ${i % 50}`, url: `https://example.org/bench/${i % 50}` },
      excerpt: `The passage quoting statement ${i}.`,
      role: 'secondary',
    },
  ],
});

/** Creates N statements with CONCURRENCY in flight; returns statements per second. */
async function load(port: number, offset: number): Promise<number> {
  let next = 0;
  let failed = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = offset + next++;
        const res = await fetch(`http://127.0.0.1:${port}/statements`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
          body: JSON.stringify(statement(i)),
        });
        if (res.status !== 201) failed++;
        await res.arrayBuffer();
      }
    }),
  );
  if (failed) throw new Error(`${failed} of ${N} creations failed on port ${port}`);
  return N / ((performance.now() - t) / 1000);
}

const servers = [
  { name: `before (${BEFORE})`, dir: beforeTree(), database: 'attest_bench_writes_before', port: 3901 },
  { name: 'with history', dir: here, database: 'attest_bench_writes_after', port: 3902 },
];
const children = [];
for (const s of servers) children.push(await start(s.dir, s.database, s.port));
try {
  const rates: number[][] = servers.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [k, s] of servers.entries()) rates[k].push(await load(s.port, round * N));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`\n${ROUNDS} rounds of ${N} POST /statements (each with a citation), ${CONCURRENCY} in flight, PostgreSQL:`);
  for (const [k, s] of servers.entries()) {
    console.log(
      `  ${s.name.padEnd(20)} ${rates[k].map((r) => r.toFixed(0)).join(', ')} statements/s (median ${median(rates[k]).toFixed(0)})`,
    );
  }
  console.log(`  ratio with/before: ${(median(rates[1]) / median(rates[0])).toFixed(2)}`);

  const c = new pg.Client({ connectionString: withDatabase(BENCH_DATABASE_URL, servers[1].database) });
  await c.connect();
  const [size] = (
    await c.query(`SELECT count(*)::int AS revisions, pg_total_relation_size('revisions') AS bytes,
                          avg(pg_column_size(snapshot))::int AS snapshot_bytes FROM revisions`)
  ).rows;
  const [records] = (await c.query(`SELECT pg_total_relation_size('statements') + pg_total_relation_size('citations') AS bytes`))
    .rows;
  await c.end();
  console.log(
    `  history: ${size.revisions} revisions, ${(size.bytes / size.revisions).toFixed(0)} bytes each on disk with indexes ` +
      `(snapshot ${size.snapshot_bytes} bytes compressed), ${(size.bytes / 1e6).toFixed(1)} MB against ${(records.bytes / 1e6).toFixed(1)} MB of statements and citations`,
  );
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  for (const s of servers) await admin(`DROP DATABASE IF EXISTS ${s.database} WITH (FORCE)`);
}
