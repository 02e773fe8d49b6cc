// npm run bench:latency — single-request latency of every kind of read on the generated database
// (npm run bench:generate), in-process, one request at a time: the questions at scale, and the
// reads around them. The URLs are picked from the data (the busiest speaker, reporter and source).
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { openDatabase } from '../src/db/database.js';
import { BENCH_DATABASE_URL, timeRequests } from './lib.js';

const RUNS = Number(process.env.RUNS ?? 20);
const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
await client.connect();
const one = async (sql: string) => Object.values((await client.query(sql)).rows[0])[0] as string;
const speaker = await one(
  `SELECT a.slug FROM statements s JOIN actors a ON a.id = s.speaker_id GROUP BY a.slug ORDER BY count(*) DESC LIMIT 1`,
);
const reporter = await one(
  `SELECT a.slug FROM figures f JOIN actors a ON a.id = f.reporter_id WHERE f.metric = 'killed' GROUP BY a.slug ORDER BY count(*) DESC LIMIT 1`,
);
const source = await one(`SELECT source_id FROM citations GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
const statement = await one(`SELECT id FROM statements ORDER BY said_on DESC LIMIT 1 OFFSET 1000`);
const counts = await client.query(`SELECT (SELECT count(*) FROM statements) AS s, (SELECT count(*) FROM figures) AS f`);
await client.end();

const q = encodeURIComponent;
const URLS = [
  // The five questions, asked of the generated data.
  `/actors/${speaker}/statements?from=2021-03&to=2021-03&q=${q('ceasefire OR aid')}`,
  `/statements?q=genocide&from=2023-12&to=2023-12&sort=relevance&highlight=true`,
  `/figures/series?metric=killed&reporter=${reporter}`,
  '/figures/latest',
  '/figures/latest?metric=killed',
  '/figures/discrepancies?window=30&metric=injured',
  '/figures/discrepancies?window=30',
  // Around them.
  `/statements?actor=${speaker}&from=2021-01&to=2021-06`,
  `/statements/${statement}`,
  `/statements/${statement}?include=actor,sources`,
  '/statements',
  '/statements?total=true',
  '/statements?sort=-createdAt',
  '/statements?q=ceasefire',
  '/statements?q=cholera',
  `/statements?q=${q('maracaibo cholera')}`,
  `/statements?q=${q('ceasefire -rally')}`,
  '/statements?q=ceasefire&sort=relevance',
  '/statements?language=es&tag=journalists',
  `/statements?source=${source}`,
  `/sources/${source}`,
  '/figures?metric=killed',
  '/figures?metric=journalists_killed',
  '/actors?q=osei',
];

const db = await openDatabase({ kind: 'postgres', url: BENCH_DATABASE_URL });
const app = await buildApp({ database: db });
await app.ready();
const { s, f } = counts.rows[0];
console.log(`${RUNS} runs each, after 5 warm-up runs; ${s} statements, ${f} figures on PostgreSQL, in-process (app.inject)`);
await timeRequests(app, URLS, RUNS);
await app.close();
await db.close();
