// npm run bench:import-floor — how fast PostgreSQL itself takes the rows of a bulk import on this machine,
// beside POST /import (npm run bench:import). The same multi-row INSERTs the import sends (statements,
// then one citation each, 500 a batch, one transaction), straight through `pg`, on two fresh databases:
// with the revision triggers as they are, and with them disabled (the floor of any import that keeps
// the full-text trigger and the indexes). No validation, no matching, no snapshots: what is left is
// the database's own work.
//
//   N=100000 npm run bench:import-floor
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openMigratedDatabase } from '../src/db/open.js';
import { INSERT } from '../src/transfer/import.js';
import { BENCH_DATABASE_URL, admin, withDatabase } from './lib.js';

const N = Number(process.env.N ?? 100_000);
const BATCH = 500;
const SPEAKERS = 200;
const SOURCES = 50;

async function run(name: string, withHistory: boolean) {
  const database = `attest_bench_floor_${name}`;
  await admin(`DROP DATABASE IF EXISTS ${database}`);
  await admin(`CREATE DATABASE ${database}`);
  const url = withDatabase(BENCH_DATABASE_URL, database);
  const { db } = await openMigratedDatabase({ DATABASE_URL: url, DATA_DIR: '' });
  await db.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const speakers = Array.from({ length: SPEAKERS }, () => randomUUID());
    const sources = Array.from({ length: SOURCES }, () => randomUUID());
    await client.query('BEGIN');
    await client.query(`SELECT set_config('attest.writer', 'bench', true)`);
    await client.query(
      `INSERT INTO actors (id, slug, name, kind, updated_at) SELECT id, 'bench-speaker-' || n, 'Bench speaker ' || n, 'person', now()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [speakers],
    );
    await client.query(
      `INSERT INTO sources (id, kind, title, url, updated_at) SELECT id, 'news_article', 'Article ' || n, 'https://example.org/bench/' || n, now()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [sources],
    );
    await client.query('COMMIT');
    if (!withHistory) {
      await client.query('ALTER TABLE statements DISABLE TRIGGER statements_revision');
      await client.query('ALTER TABLE citations DISABLE TRIGGER citations_revision');
    }
    const started = performance.now();
    await client.query('BEGIN');
    await client.query(`SELECT set_config('attest.writer', 'bench', true)`);
    for (let from = 0; from < N; from += BATCH) {
      const statements = [];
      const citations = [];
      for (let i = from; i < Math.min(N, from + BATCH); i++) {
        const id = randomUUID();
        statements.push({
          id,
          speaker_id: speakers[i % SPEAKERS],
          text: `Statement number ${i}, as quoted by the outlet, with enough words to look like a real quote from a leader.`,
          language: 'en',
          kind: 'direct_quote',
          said_on: new Date(Date.UTC(2020, 0, 1 + ((i * 7919) % 1826))).toISOString().slice(0, 10),
          said_precision: 'day',
          tags: ['bench'],
          verification: 'unverified',
        });
        citations.push({
          id: randomUUID(),
          source_id: sources[i % SOURCES],
          statement_id: id,
          excerpt: `The passage quoting statement ${i}.`,
          role: 'secondary',
        });
      }
      await client.query(INSERT.statements, [JSON.stringify(statements)]);
      await client.query(INSERT.citations, [JSON.stringify(citations)]);
    }
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `  ${name.padEnd(12)} ${N} statements + ${N} citations in ${seconds.toFixed(1)} s: ${Math.round(N / seconds)} statements/s`,
    );
  } finally {
    await client.end();
    await admin(`DROP DATABASE IF EXISTS ${database}`);
  }
}

console.log(`bare INSERTs of the import, ${N} statements with one citation each, PostgreSQL (${new URL(BENCH_DATABASE_URL).host}):`);
await run('history', true);
await run('nohistory', false);
