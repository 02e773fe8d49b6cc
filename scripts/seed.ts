// npm run db:seed — loads the dataset of the two seed articles into the configured database, once.
import { loadConfig } from '../src/config.js';
import { openMigratedDatabase } from '../src/db/open.js';
import { loadSeed } from '../src/seed/load.js';

const { db } = await openMigratedDatabase(loadConfig());
try {
  console.log((await loadSeed(db)) ? 'Seed data loaded.' : 'Seed data is already there: nothing changed.');
} finally {
  await db.close();
}
