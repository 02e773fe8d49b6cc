// npm run bench:import — bulk import and export rates. Starts Attest's server on a fresh PostgreSQL
// database and on a fresh embedded database (a PGlite data directory in a temporary folder), generates N
// statements as NDJSON (by SPEAKERS actors over five years, each with one citation, its source inline by
// URL among 50), posts the file to
// POST /import as a stream, posts it again (every line then matches: nothing is created), exports
// everything with GET /export, and, for comparison, creates POST_N statements one POST each with
// CONCURRENCY in flight. Prints rates and the server's peak resident memory during each step.
//
//   N=100000 SPEAKERS=200 POST_N=2000 CONCURRENCY=10 TARGETS="postgres pglite" npm run bench:import
//
// A line matches an existing statement by speaker, date and text (no id in the file): the index on
// (speaker, date) finds the candidates, so SPEAKERS=1 (every statement by one actor, ~300 a day) is the
// worst case.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { BENCH_DATABASE_URL, admin, withDatabase } from './lib.js';
import { postImport, rssMb } from './process.js';

const N = Number(process.env.N ?? 100_000);
const SPEAKERS = Number(process.env.SPEAKERS ?? 200);
const POST_N = Number(process.env.POST_N ?? 2000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);
const TARGETS = (process.env.TARGETS ?? 'postgres pglite').split(/\s+/).filter(Boolean);
const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijklmnopq';
const DATABASE = 'attest_bench_import';
const PORT = 3911;
const here = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'attest-bench-import-'));

/** N statements as NDJSON, written to a file as they are made. */
async function generate(path: string, n: number, offset = 0) {
  const out = createWriteStream(path);
  for (let i = offset; i < offset + n; i++) {
    const line = {
      type: 'statement',
      speaker: `bench-speaker-${i % SPEAKERS}`,
      text: `Statement number ${i}, as quoted by the outlet, with enough words to look like a real quote from a leader.`,
      language: 'en',
      kind: 'direct_quote',
      saidOn: new Date(Date.UTC(2020, 0, 1 + ((i * 7919) % 1826))).toISOString().slice(0, 10),
      tags: ['bench'],
      citations: [
        {
          source: { kind: 'news_article', title: `Article ${i % 50}`, url: `https://example.org/bench/${i % 50}` },
          excerpt: `The passage quoting statement ${i}.`,
          role: 'secondary',
        },
      ],
    };
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The server's resident memory, sampled every 100 ms while `work` runs: the peak, in MB. */
async function peakMemory<T>(child: ChildProcess, work: () => Promise<T>): Promise<[T, number]> {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, rssMb(child.pid!));
  };
  sample();
  const timer = setInterval(sample, 100);
  try {
    return [await work(), peak];
  } finally {
    clearInterval(timer);
    sample();
  }
}

const postFile = (path: string) => postImport(`http://127.0.0.1:${PORT}`, path, ADMIN_KEY);

async function exportAll(): Promise<{ lines: number; bytes: number }> {
  const res = await fetch(`http://127.0.0.1:${PORT}/export`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines++;
  }
  return { lines, bytes };
}

/** POST_N statements, one POST each, CONCURRENCY in flight: statements per second. */
async function postLoop(): Promise<number> {
  let next = 0;
  let failed = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < POST_N) {
        const i = 10_000_000 + next++;
        const res = await fetch(`http://127.0.0.1:${PORT}/statements`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}`, 'change-reason': 'bench post' },
          body: JSON.stringify({
            speaker: `bench-speaker-${i % SPEAKERS}`,
            text: `Posted statement ${i}, one request each.`,
            language: 'en',
            kind: 'direct_quote',
            saidOn: '2024-03-30',
            citations: [
              {
                source: { kind: 'news_article', title: `Article ${i % 50}`, url: `https://example.org/bench/${i % 50}` },
                excerpt: `The passage quoting statement ${i}.`,
                role: 'secondary',
              },
            ],
          }),
        });
        if (res.status !== 201) failed++;
        await res.arrayBuffer();
      }
    }),
  );
  if (failed) throw new Error(`${failed} of ${POST_N} POSTs failed`);
  return POST_N / ((performance.now() - t) / 1000);
}

async function start(target: string): Promise<ChildProcess> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(PORT),
    LOG_LEVEL: 'warn',
    ADMIN_KEY,
    SEED_ON_EMPTY: 'false',
    RATE_LIMIT_PER_MINUTE: '1000000',
    // What is measured is the import, not load shedding: on the embedded database a batch holds the
    // event loop, and the next request would be refused for a few seconds (see README, Under load).
    SHED_EVENT_LOOP_DELAY_MS: '0',
    RATE_LIMIT_KEYED_PER_MINUTE: '1000000',
  };
  if (target === 'postgres') {
    await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${DATABASE}`);
    env.DATABASE_URL = withDatabase(BENCH_DATABASE_URL, DATABASE);
  } else {
    env.DATABASE_URL = '';
    env.DATA_DIR = join(work, 'pglite');
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/attest-server.ts'], { cwd: here, env, stdio: 'inherit' });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // The speakers, through the import itself.
  const actors = join(work, 'actors.ndjson');
  const out = createWriteStream(actors);
  for (let k = 0; k < SPEAKERS; k++)
    out.write(`${JSON.stringify({ type: 'actor', slug: `bench-speaker-${k}`, name: `Bench Speaker ${k}`, kind: 'person' })}\n`);
  out.end();
  await once(out, 'finish');
  const res = await postFile(actors);
  if (res.status !== 200 || res.body.created !== SPEAKERS)
    throw new Error(`could not create the speakers: ${res.status} ${JSON.stringify(res.body)}`);
  return child;
}

const file = join(work, 'statements.ndjson');
let t = performance.now();
await generate(file, N);
console.log(
  `generated ${N} statements as NDJSON (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

const rows: string[] = [];
try {
  for (const target of TARGETS) {
    const child = await start(target);
    try {
      const idle = rssMb(child.pid!);
      t = performance.now();
      const [first, mem1] = await peakMemory(child, () => postFile(file));
      const s1 = (performance.now() - t) / 1000;
      if (first.status !== 200 || first.body.created !== N + 50)
        throw new Error(`import: ${first.status} ${JSON.stringify(first.body).slice(0, 500)}`);
      t = performance.now();
      const [second, mem2] = await peakMemory(child, () => postFile(file));
      const s2 = (performance.now() - t) / 1000;
      if (second.status !== 200 || second.body.created !== 0)
        throw new Error(`re-import: ${second.status} ${JSON.stringify(second.body).slice(0, 500)}`);
      t = performance.now();
      const [exported, mem3] = await peakMemory(child, exportAll);
      const s3 = (performance.now() - t) / 1000;
      const posts = await postLoop();
      const line = (what: string, n: number, s: number, mem: number, unit = 'statements') =>
        `  ${target.padEnd(9)} ${what.padEnd(34)} ${String(n).padStart(7)} ${unit} in ${s.toFixed(1).padStart(5)} s: ${(n / s).toFixed(0).padStart(6)}/s, server peak RSS ${mem.toFixed(0)} MB`;
      rows.push(
        `  ${target.padEnd(9)} server RSS before the import: ${idle.toFixed(0)} MB`,
        line('POST /import (new)', N, s1, mem1),
        line('POST /import again (all unchanged)', N, s2, mem2),
        line('GET /export', exported.lines, s3, mem3, 'lines     '),
        `  ${target.padEnd(9)} ${'POST /statements, one each'.padEnd(34)} ${String(POST_N).padStart(7)} statements, ${CONCURRENCY} in flight: ${posts.toFixed(0)}/s`,
      );
      console.log(rows.slice(-5).join('\n'));
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  if (TARGETS.includes('postgres')) await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
}
console.log(
  `\n${N} statements by ${SPEAKERS} speakers with one citation each (sources inline by URL, 50 distinct):\n${rows.join('\n')}`,
);
