// npm run db:seed — loads the dataset of the two seed articles into the configured database, once.
import { loadConfig } from '../src/config.js';
import { openMigratedDatabase } from '../src/db/open.js';
import { announceChange } from '../src/http/response-cache.js';
import { loadSeed } from '../src/seed/load.js';

const config = loadConfig();
const { db } = await openMigratedDatabase(config);
try {
  const loaded = await loadSeed(db);
  // Running instances answer from their caches until told the record changed.
  if (loaded && config.REDIS_URL) await announceChange(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  console.log(loaded ? 'Seed data loaded.' : 'Seed data is already there: nothing changed.');
} finally {
  await db.close();
}
