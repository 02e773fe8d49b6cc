import { existsSync } from 'node:fs';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, responseCacheOn } from './config.js';
import { describeOpenFailure, openMigratedDatabase } from './db/open.js';
import { openDatabase } from './db/database.js';
import { fillBaselineSnapshots } from './writes/baseline.js';
import { loadSeed } from './seed/load.js';
import type { Database } from './db/database.js';

async function neverWritten(db: Database) {
  const [{ empty }] = await db.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM revisions) AS empty');
  return empty;
}

// A .env file is a convenience for local runs; variables already in the environment win.
if (existsSync('.env')) process.loadEnvFile('.env');

let config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const logger = {
  level: config.LOG_LEVEL,
  // Never log credentials; bodies are not logged at all.
  redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
};

// No reachable database (or a data directory another process holds): one clear line, exit 1.
let opened: Awaited<ReturnType<typeof openMigratedDatabase>>;
try {
  opened = await openMigratedDatabase(config);
} catch (err) {
  console.error(describeOpenFailure(config, err));
  process.exit(1);
}
const { db, applied } = opened;
const app = await buildApp({
  database: db,
  // Opened without a migration: a replica follows the primary's schema.
  replica: config.DATABASE_REPLICA_URL ? await openDatabase({ kind: 'postgres', url: config.DATABASE_REPLICA_URL }) : undefined,
  logger,
  bodyLimit: config.BODY_LIMIT,
  adminKey: config.ADMIN_KEY,
  rateLimit: { perMinute: config.RATE_LIMIT_PER_MINUTE, keyedPerMinute: config.RATE_LIMIT_KEYED_PER_MINUTE },
  trustProxy: config.TRUST_PROXY,
  corsWriteOrigins: config.CORS_WRITE_ORIGINS,
  publicUrl: config.PUBLIC_URL,
  redis: config.REDIS_URL ? { url: config.REDIS_URL, prefix: config.REDIS_KEY_PREFIX } : undefined,
  responseCache: responseCacheOn(config) ? { maxBytes: config.RESPONSE_CACHE_MB * 1024 * 1024 } : undefined,
  pressure: {
    maxInFlight: config.SHED_MAX_IN_FLIGHT,
    maxEventLoopDelayMs: config.SHED_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes: config.SHED_HEAP_USED_MB * 1024 * 1024,
    maxRssBytes: config.SHED_RSS_MB * 1024 * 1024,
    retryAfterSeconds: config.SHED_RETRY_AFTER_S,
  },
  metrics: { key: config.METRICS_KEY },
});
if (applied.length) app.log.info({ migrations: applied, baseline: await fillBaselineSnapshots(db) }, 'applied migrations');
// A new embedded database is one that has never recorded a change: keys made with `npm run keys`
// before the first start do not count, so the seed still loads.
if (db.kind === 'pglite' && config.SEED_ON_EMPTY && (await neverWritten(db)) && (await loadSeed(db))) {
  app.log.info('new embedded database: loaded the seed data');
}
if (!config.ADMIN_KEY) {
  app.log.info('ADMIN_KEY is not set: only keys created with `npm run keys -- create` can write');
}
if (config.DATABASE_URL && config.RESPONSE_CACHE === 'auto' && !config.REDIS_URL) {
  app.log.info('response cache off: without REDIS_URL other instances could write unseen (RESPONSE_CACHE=on if this is the only one)');
}

// On a signal (or an error nothing caught): stop listening and refuse new requests (src/http/closing.ts),
// let those in flight finish, then close the database. Requests get the deadline less the database's
// share; connections still open then are cut. Past the whole deadline the process exits 1 whatever is
// left; a second signal exits at once.
const deadline = config.SHUTDOWN_TIMEOUT_MS;
closeWithGrace(
  { delay: deadline, logger: { error: (msg: unknown) => app.log.error(msg) } },
  async ({ signal, err }) => {
    if (err) app.log.fatal({ err }, 'unhandled error: shutting down');
    else app.log.info({ signal, deadlineMs: deadline }, 'shutting down');
    const cut = setTimeout(() => {
      app.log.warn('requests still in flight at the deadline: closing their connections');
      app.server.closeAllConnections();
    }, Math.max(deadline / 2, deadline - 2000));
    await app.close();
    clearTimeout(cut);
    await db.close();
    app.log.info('closed');
  },
);

try {
  await app.listen({ port: config.PORT, host: config.HOST });
} catch (err) {
  app.log.fatal({ err }, 'could not listen');
  await db.close();
  process.exit(1);
}
