// Where the time of one request goes, for Attest's hot path (a) GET /statements?actor=&from=&to=&limit=20,
// measured in-process, one request at a time (no concurrency), over the URLs of bench/.out/urls/a.txt:
//
//   sql            Database.query (pg Pool) with the exact SQL and parameters listStatements sends
//   sql-prepared   the same through a named prepared statement (PostgreSQL plans it once per connection)
//   sql-unparsed   the same with pg's type parsers off (json columns left as text): the difference to
//                  `sql` is pg's row parsing on the Node side
//   sql-trivial    SELECT $1: the round trip through pg and the socket, for scale
//   list-no-db     listStatements with a stub database that returns the captured rows: building the SQL,
//                  the row → object mapping (toStatement), cursor
//   validate-query the route's zod querystring schema (what validatorCompiler runs)
//   serialize-zod  fastify-type-provider-zod's serializerCompiler for the route's response schema (zod encode
//                  of pageEnvelope(Statement) + JSON.stringify): what Attest used until 2026-11-22 ~16:45 UTC
//   serialize-app  the serializer compiler src/app.ts installs now (src/http/serializer.ts, when present)
//   stringify      JSON.stringify of the same page, no validation
//   serialize-fjs  fast-json-stringify compiled from the same schema (z.toJSONSchema)
//   etag           @fastify/etag's default hash (sha1, base64) of the body
//   inject         the whole request through app.inject (no socket), real database
//   inject-no-db   the whole request through app.inject with the stub database: Fastify + hooks + zod +
//                  mapping + etag, without PostgreSQL
//   inject-raw     the same for bench/raw-server.ts's handler (bare Fastify, same rows, same mapping and
//                  JSON): inject-no-db minus inject-raw is what Attest's framework layer costs per request
//
// Usage: tsx bench/breakdown.ts [iterations=2000]   (bench/.out/urls/a.txt must exist: bench/targets.ts)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import fastJson from 'fast-json-stringify';
import Fastify from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import pg from 'pg';
import { z } from 'zod';
import { buildApp } from '../src/app.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { pageEnvelope } from '../src/core/pagination.js';
import { type StatementRow, listStatements, toStatement } from '../src/statements/queries.js';
import { Statement, StatementListQuery } from '../src/statements/schemas.js';
import { BENCH_DATABASE_URL, percentile } from './lib.js';

const N = Number(process.argv[2] ?? 2000);
const urls = readFileSync('bench/.out/urls/a.txt', 'utf8').split('\n').filter(Boolean);

const db = await openDatabase({ kind: 'postgres', url: BENCH_DATABASE_URL });
const realQuery = db.query.bind(db);

// ---- capture what listStatements sends and gets, per URL
interface Captured {
  url: string;
  query: Record<string, string>;
  sql: string;
  params: unknown[];
  rows: unknown[];
}
const captured: Captured[] = [];
for (const url of urls) {
  const query = Object.fromEntries(new URL(url, 'http://x').searchParams) as Record<string, string>;
  const input = StatementListQuery.parse(query);
  let sql = '';
  let params: unknown[] = [];
  let rows: unknown[] = [];
  const spy: Database = {
    ...db,
    query: async <T>(s: string, p: unknown[] = []) => {
      sql = s;
      params = p;
      rows = await realQuery<T>(s, p);
      return rows as T[];
    },
  };
  await listStatements(spy, input);
  captured.push({ url, query, sql, params, rows });
}
const avgRows = captured.reduce((n, c) => n + c.rows.length, 0) / captured.length;

// ---- timing helpers
interface Stage {
  name: string;
  mean: number;
  p50: number;
  p99: number;
}
const stages: Stage[] = [];
async function time(name: string, iterations: number, fn: (c: Captured, i: number) => unknown) {
  for (let i = 0; i < Math.min(200, iterations); i++) await fn(captured[i % captured.length], i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const c = captured[i % captured.length];
    const t0 = process.hrtime.bigint();
    await fn(c, i);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const stage = { name, mean, p50: percentile(samples, 50), p99: percentile(samples, 99) };
  stages.push(stage);
  console.log(
    `${name.padEnd(16)} mean ${mean.toFixed(3).padStart(8)} ms   p50 ${stage.p50.toFixed(3).padStart(8)} ms   p99 ${stage.p99.toFixed(3).padStart(8)} ms`,
  );
}

console.log(
  `Attest hot path (a): ${captured.length} URLs, ${avgRows.toFixed(1)} rows per query (limit 20 + 1), ${N} iterations per stage, node ${process.version}\n`,
);

// ---- the database
const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 1 });
const noParse = { getTypeParser: () => (v: string) => v };
await time('sql', N, (c) => realQuery(c.sql, c.params));
await time('sql-prepared', N, (c) => pool.query({ name: 'a', text: c.sql, values: c.params }));
await time('sql-unparsed', N, (c) => pool.query({ text: c.sql, values: c.params, types: noParse }));
await time('sql-trivial', N, (c) => pool.query({ text: 'SELECT $1::text[] AS refs', values: [c.params[0]] }));

// ---- Node-side stages
const byUrl = new Map(captured.map((c) => [c.sql + JSON.stringify(c.params), c.rows]));
const stubDb: Database = {
  ...db,
  query: async <T>(s: string, p: unknown[] = []) => (byUrl.get(s + JSON.stringify(p)) ?? []) as T[],
};
const inputs = captured.map((c) => StatementListQuery.parse(c.query));
const pages = await Promise.all(inputs.map((q) => listStatements(stubDb, q)));
await time('list-no-db', N, (_c, i) => listStatements(stubDb, inputs[i % inputs.length]));
await time('validate-query', N, (c) => StatementListQuery.safeParse(c.query));

const schema = pageEnvelope(Statement);
const zodSerialize = serializerCompiler({ schema, method: 'GET', url: '/statements' } as never) as (d: unknown) => string;
const jsonSchema = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' });
const fjs = fastJson(jsonSchema as never);
for (const page of pages) {
  const [a, b, c] = [zodSerialize(page), JSON.stringify(page), fjs(page)];
  if (a !== b || JSON.stringify(JSON.parse(c)) !== b) throw new Error('serialisers disagree');
}
await time('serialize-zod', N, (_c, i) => zodSerialize(pages[i % pages.length]));
if (existsSync('src/http/serializer.ts')) {
  const { fastSerializerCompiler } = (await import('../src/http/serializer.js')) as {
    fastSerializerCompiler: (route: unknown) => (d: unknown) => string;
  };
  const appSerialize = fastSerializerCompiler({ schema, method: 'GET', url: '/statements' });
  await time('serialize-app', N, (_c, i) => appSerialize(pages[i % pages.length]));
}
await time('stringify', N, (_c, i) => JSON.stringify(pages[i % pages.length]));
await time('serialize-fjs', N, (_c, i) => fjs(pages[i % pages.length]));
const bodies = pages.map((p) => JSON.stringify(p));
await time('etag', N, (_c, i) =>
  createHash('sha1')
    .update(bodies[i % bodies.length])
    .digest('base64'),
);

// ---- whole requests, in-process
const app = await buildApp({ database: db });
await app.ready();
await time('inject', N, async (c) => {
  const r = await app.inject(c.url);
  if (r.statusCode !== 200) throw new Error(`${c.url}: ${r.statusCode}`);
});
await app.close();
const appNoDb = await buildApp({ database: stubDb });
await appNoDb.ready();
await time('inject-no-db', N, async (c) => {
  const r = await appNoDb.inject(c.url);
  if (r.statusCode !== 200) throw new Error(`${c.url}: ${r.statusCode}`);
});
await appNoDb.close();

// bench/raw-server.ts's handler in the same harness: bare Fastify, the same rows, mapping and JSON.
const rawApp = Fastify({ logger: false });
const rowsByUrl = new Map(captured.map((c) => [c.url, c.rows as StatementRow[]]));
rawApp.get('/statements', async (req) => {
  const rows = rowsByUrl.get(req.url)!;
  const page = rows.slice(0, 20);
  const last = page.at(-1)!;
  return {
    data: page.map(toStatement),
    nextCursor: rows.length > 20 ? Buffer.from(JSON.stringify(['-saidOn', last.said_on, last.id])).toString('base64url') : null,
  };
});
await rawApp.ready();
await time('inject-raw', N, async (c) => {
  const r = await rawApp.inject(c.url);
  if (r.statusCode !== 200) throw new Error(`${c.url}: ${r.statusCode}`);
});
await rawApp.close();

const body = bodies.reduce((n, b) => n + b.length, 0) / bodies.length;
console.log(`\nmean body ${(body / 1024).toFixed(1)} KiB`);
const get = (n: string) => stages.find((s) => s.name === n)!.mean;
const has = (n: string) => stages.some((s) => s.name === n);
console.log(
  `Node-side per request without PostgreSQL: Attest ${get('inject-no-db').toFixed(3)} ms, bare Fastify with the same rows ${get('inject-raw').toFixed(3)} ms ` +
    `(difference ${(get('inject-no-db') - get('inject-raw')).toFixed(3)} ms). Parts: response serialisation ` +
    `${has('serialize-app') ? `${get('serialize-app').toFixed(3)} ms as installed now, ` : ''}${get('serialize-zod').toFixed(3)} ms with zod's serializer ` +
    `(JSON.stringify alone ${get('stringify').toFixed(3)}, fast-json-stringify ${get('serialize-fjs').toFixed(3)}); listStatements without the database ` +
    `${get('list-no-db').toFixed(3)} ms; query validation ${get('validate-query').toFixed(3)} ms; etag ${get('etag').toFixed(3)} ms.`,
);
console.log(
  `Database per request: ${get('sql').toFixed(3)} ms as sent (as a named prepared statement: ${get('sql-prepared').toFixed(3)}; ` +
    `a trivial query: ${get('sql-trivial').toFixed(3)}); pg row parsing ≈ ${(get('sql') - get('sql-unparsed')).toFixed(3)} ms.`,
);
if (process.env.BREAKDOWN_JSON) console.log(`JSON ${JSON.stringify({ node: process.version, iterations: N, stages })}`);
await pool.end();
await db.close();
