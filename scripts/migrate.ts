// npm run db:migrate — applies pending migrations to the configured database (DATABASE_URL or DATA_DIR).
import { loadConfig } from '../src/config.js';
import { openMigratedDatabase } from '../src/db/open.js';
import { fillBaselineSnapshots } from '../src/writes/baseline.js';

const { db, applied } = await openMigratedDatabase(loadConfig());
if (applied.length) await fillBaselineSnapshots(db);
await db.close();
console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
