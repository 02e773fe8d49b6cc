import { existsSync } from 'node:fs';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openMigratedDatabase } from './db/open.js';
import { loadSeed } from './seed/load.js';

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

const { db, fresh, applied } = await openMigratedDatabase(config);
const app = await buildApp({ database: db, logger, bodyLimit: config.BODY_LIMIT });
if (applied.length) app.log.info({ migrations: applied }, 'applied migrations');
if (fresh && db.kind === 'pglite' && config.SEED_ON_EMPTY && (await loadSeed(db))) {
  app.log.info('new embedded database: loaded the seed data');
}

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  // Stop taking requests, let those in flight finish, then close the database.
  await app.close();
  await db.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  await app.listen({ port: config.PORT, host: config.HOST });
} catch (err) {
  app.log.fatal({ err }, 'could not listen');
  await db.close();
  process.exit(1);
}
