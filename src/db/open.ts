import type { Config } from '../config.js';
import { type Database, openDatabase } from './database.js';
import { applyMigrations } from './migrations.js';

/**
 * Opens the configured database (PostgreSQL when DATABASE_URL is set, else the
 * embedded one in DATA_DIR) and brings its schema up to date. `fresh` says the
 * database had never been migrated before, i.e. this is its first start.
 */
export async function openMigratedDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>) {
  const db: Database = await openDatabase(
    config.DATABASE_URL ? { kind: 'postgres', url: config.DATABASE_URL } : { kind: 'pglite', dataDir: config.DATA_DIR },
  );
  try {
    const [{ exists }] = await db.query<{ exists: boolean }>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`);
    const applied = await applyMigrations(db.migrationAdapter());
    return { db, fresh: !exists, applied };
  } catch (err) {
    await db.close();
    throw err;
  }
}
