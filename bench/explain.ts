// EXPLAIN (ANALYZE, BUFFERS) of the SQL Attest sends for (a) list by actor and date range, (b) full-text
// search (common to rare words, by date and by relevance) and (d) figures by metric, captured from the app
// itself (in-process, spying on Database.query) and run on a connection with the settings of Attest's pool
// (no parallel workers). Each query runs 3 times; the last (warm) plan is written to
// bench/.out/explain/<case>.txt and summarised: the index that drives the scan, planning and execution
// time, rows read. Also shows the generic plan PostgreSQL would use for (a) as a named prepared statement.
//
// Usage: tsx bench/explain.ts [outDir=bench/.out/explain]
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { BENCH_DATABASE_URL, pgTextArray } from './lib.js';

const outDir = process.argv[2] ?? 'bench/.out/explain';
const db = await openDatabase({ kind: 'postgres', url: BENCH_DATABASE_URL });
// The session settings of Attest's pool (src/db/database.ts).
const client = new pg.Client({
  connectionString: BENCH_DATABASE_URL,
  options: '-c max_parallel_workers_per_gather=0 -c jit=off',
});
await client.connect();

// The busiest speaker, and a busy one from the middle of the top 50.
const top = await client.query<{ slug: string; n: number }>(
  `SELECT a.slug, count(*)::int AS n FROM statements s JOIN actors a ON a.id = s.speaker_id GROUP BY a.slug ORDER BY n DESC, a.slug LIMIT 50`,
);
const busiest = top.rows[0].slug;
const middle = top.rows[25].slug;

const captured: { sql: string; params: unknown[] }[] = [];
const spy: Database = {
  ...db,
  query: async <T>(sql: string, params: unknown[] = []) => {
    captured.push({ sql, params });
    return db.query<T>(sql, params);
  },
};
const app = await buildApp({ database: spy });
async function capture(url: string) {
  captured.length = 0;
  const r = await app.inject(url);
  if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
  return { url, ...captured[0] };
}

const cases: { name: string; url: string; sql: string; params: unknown[]; setup?: string }[] = [
  { name: 'a-busiest', ...(await capture(`/statements?actor=${busiest}&from=2021-01&to=2021-06&limit=20`)) },
  { name: 'a-middle', ...(await capture(`/statements?actor=${middle}&from=2021-01&to=2021-06&limit=20`)) },
  { name: 'b-ceasefire', ...(await capture('/statements?q=ceasefire&limit=20')) },
  { name: 'b-cholera', ...(await capture('/statements?q=cholera&limit=20')) },
  { name: 'b-bloqueo', ...(await capture('/statements?q=bloqueo&limit=20')) },
  { name: 'b-aleppo', ...(await capture('/statements?q=aleppo&limit=20')) },
  { name: 'b-maracaibo', ...(await capture('/statements?q=maracaibo&limit=20')) },
  { name: 'b-maracaibo-cholera', ...(await capture('/statements?q=maracaibo%20cholera&limit=20')) },
  { name: 'b-havana-OR-cairo', ...(await capture('/statements?q=havana%20OR%20cairo&limit=20')) },
  { name: 'b-ceasefire-relevance', ...(await capture('/statements?q=ceasefire&sort=relevance&limit=20')) },
  { name: 'b-aleppo-relevance', ...(await capture('/statements?q=aleppo&sort=relevance&limit=20')) },
  { name: 'd-killed', ...(await capture('/figures?metric=killed&limit=20')) },
  { name: 'd-rare', ...(await capture('/figures?metric=journalists_killed&limit=20')) },
];
await app.close();

// For a word in 1% or more of the statements, walking the date index newest first and stopping at the
// page is cheaper than reading every match through the GIN index and sorting: PostgreSQL picks by cost.
const EXPECTED: Record<string, string[]> = {
  a: ['statements_speaker_id_said_on_id_idx'],
  b: ['statements_search_all_idx', 'statements_said_on_id_idx'],
  d: ['figures_metric_as_of_id_idx', 'figures_as_of_id_idx'],
};

await mkdir(outDir, { recursive: true });
const summary: string[] = [];
for (const c of cases) {
  let plan = '';
  await client.query(c.setup ?? 'RESET ALL');
  for (let i = 0; i < 3; i++) {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${c.sql}`, c.params);
    plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  }
  await client.query('RESET ALL');
  await writeFile(
    join(outDir, `${c.name}.txt`),
    `-- ${c.url}\n-- params: ${JSON.stringify(c.params)}\n${c.setup ? `-- ${c.setup}\n` : ''}${c.sql}\n\n${plan}\n`,
  );
  const used = [
    ...new Set(
      [...plan.matchAll(/(?:Index|Index Only|Bitmap Index) Scan (?:Backward )?using (\w+)|Bitmap Index Scan on (\w+)/g)].map(
        (m) => m[1] ?? m[2],
      ),
    ),
  ];
  const seq = [...new Set([...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]))];
  const planning = /Planning Time: ([\d.]+) ms/.exec(plan)?.[1];
  const execution = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
  const sort = /Sort Method: ([^\n]+)/.exec(plan)?.[1];
  const expected = EXPECTED[c.name[0]] ?? [];
  const driving = expected.find((i) => used.includes(i));
  const scan =
    /\n\s*->\s+((?:Parallel )?(?:Index Scan|Bitmap Heap Scan|Index Scan Backward))[^\n]*on (?:statements s|figures f)[^\n]*actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)\)(?:\n(?:(?!\s*->)[^\n]*\n)*?\s*Rows Removed by (?:Filter|Index Recheck): (\d+))?/.exec(
      plan,
    );
  const firstRows =
    scan &&
    `${Number(scan[2]) * Number(scan[3]) + Number(scan[4] ?? 0) * Number(scan[3])} (kept ${Number(scan[2]) * Number(scan[3])})`;
  const workers = /Workers Launched: (\d+)/.exec(plan)?.[1];
  summary.push(
    `${c.name.padEnd(16)} planning ${planning?.padStart(7)} ms  execution ${execution?.padStart(8)} ms  ` +
      `${driving ? `uses ${driving}` : `MISSING one of ${expected.join(', ')}`}; ` +
      `other indexes: ${used.filter((i) => i !== driving).join(', ') || '-'}; seq scans: ${seq.join(', ') || '-'}` +
      `${sort ? `; sort: ${sort}` : ''}${firstRows ? `; rows read from the driving table: ${firstRows}` : ''}${workers ? `; parallel workers: ${workers}` : ''}`,
  );
}

// (a) as a named prepared statement: after five executions PostgreSQL may switch to a generic plan.
{
  const c = cases[0];
  await client.query(`PREPARE a_generic AS ${c.sql}`);
  await client.query('SET plan_cache_mode = force_generic_plan');
  const literal = (v: unknown): string =>
    Array.isArray(v)
      ? client.escapeLiteral(pgTextArray(v.map(String)))
      : typeof v === 'number'
        ? String(v)
        : client.escapeLiteral(String(v));
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) EXECUTE a_generic(${c.params.map(literal).join(', ')})`,
  );
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  await writeFile(join(outDir, 'a-busiest-generic.txt'), `-- generic plan of (a) as a prepared statement\n${plan}\n`);
  const execution = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
  const used = [
    ...new Set([...plan.matchAll(/Scan (?:Backward )?using (\w+)|Bitmap Index Scan on (\w+)/g)].map((m) => m[1] ?? m[2])),
  ];
  summary.push(
    `a-busiest-generic execution ${execution?.padStart(8)} ms  indexes: ${used.join(', ')} (force_generic_plan, what a named prepared statement may switch to)`,
  );
  await client.query('RESET plan_cache_mode');
}

console.log(
  `EXPLAIN (ANALYZE, BUFFERS), warm, on ${(await client.query('SELECT count(*) FROM statements')).rows[0].count} statements; busiest actor ${busiest} (${top.rows[0].n}), middle ${middle} (${top.rows[25].n})\n`,
);
console.log(summary.join('\n'));
console.log(`\nplans in ${outDir}/`);
await client.end();
await db.close();
