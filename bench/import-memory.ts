// node --expose-gc --import tsx bench/import-memory.ts — the heap of one import as it goes: the importer
// runs in this process (no HTTP) on a fresh database, and every 20 batches a forced GC is followed by
// process.memoryUsage(). A heap that stays flat while the lines go by is memory bounded by the batch, not
// by the file.
//
//   N=60000 TARGET=postgres node --expose-gc --import tsx bench/import-memory.ts    (or TARGET=pglite)
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '../src/db/database.js';
import { applyMigrations } from '../src/db/migrations.js';
import { runImport } from '../src/transfer/import.js';
import { spool } from '../src/transfer/lines.js';
import { BENCH_DATABASE_URL, admin, withDatabase } from './lib.js';

const N = Number(process.env.N ?? 60_000);
const TARGET = process.env.TARGET ?? 'postgres';
const DATABASE = 'attest_bench_memory';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc --import tsx bench/import-memory.ts');

let db: Database;
if (TARGET === 'postgres') {
  await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DATABASE}`);
  db = await openDatabase({ kind: 'postgres', url: withDatabase(BENCH_DATABASE_URL, DATABASE) });
} else db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
const dir = mkdtempSync(join(tmpdir(), 'attest-bench-memory-'));
try {
  await applyMigrations(db.migrationAdapter());
  const path = join(dir, 'lines.ndjson');
  const out = createWriteStream(path);
  for (let k = 0; k < 200; k++)
    out.write(`${JSON.stringify({ type: 'actor', slug: `s-${k}`, name: `S ${k}`, kind: 'person' })}\n`);
  for (let i = 0; i < N; i++) {
    const line = {
      type: 'statement',
      speaker: `s-${i % 200}`,
      text: `Statement number ${i}, as quoted by the outlet, with enough words to look like a real quote.`,
      language: 'en',
      kind: 'direct_quote',
      saidOn: new Date(Date.UTC(2020, 0, 1 + ((i * 7919) % 1826))).toISOString().slice(0, 10),
      citations: [
        {
          source: { kind: 'news_article', title: `A ${i % 50}`, url: `https://example.org/b/${i % 50}` },
          excerpt: `P ${i}.`,
          role: 'secondary',
        },
      ],
    };
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const file = await spool(createReadStream(path), 2 ** 31);
  const writer = { keyId: null, name: 'bench', scope: 'admin' as const };
  let batches = 0;
  const t = performance.now();
  const report = await runImport(db, { writer, reason: 'bench' }, file, {
    format: 'ndjson',
    dryRun: false,
    onError: 'fail',
    onProgress: (p) => {
      if (++batches % 20 !== 0) return;
      gc();
      const m = process.memoryUsage();
      const rate = p.line / ((performance.now() - t) / 1000);
      console.log(
        `line ${String(p.line).padStart(7)}: heap ${(m.heapUsed / 1e6).toFixed(0)} MB, rss ${(m.rss / 1e6).toFixed(0)} MB, ${rate.toFixed(0)} lines/s`,
      );
    },
  });
  console.log(`${TARGET}: ${report.created} created, ${report.failed} failed`);
  await file.dispose();
} finally {
  rmSync(dir, { recursive: true, force: true });
  await db.close();
  if (TARGET === 'postgres') await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
}
