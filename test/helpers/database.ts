import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { loadSeed } from '../../src/seed/load.js';
import { adminQuery, copyPrefix, databaseUrl } from './global-setup.js';

/**
 * A fresh, migrated (and, when asked, seeded) database for one test file: in-memory PGlite by default, or a
 * new database on the PostgreSQL server named by TEST_DATABASE_URL, dropped again afterwards. Each is a copy
 * of a template the global setup migrated (and seeded) once, so no test shares state with another file.
 * Without those templates (a run that skipped the global setup) it migrates and seeds from scratch.
 */
export async function freshDatabase(options: { seed?: boolean } = {}): Promise<{ db: Database; drop(): Promise<void> }> {
  const templates = inject('attestTemplates');
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (templates && templates.kind !== (serverUrl ? 'postgres' : 'pglite')) {
    throw new Error('TEST_DATABASE_URL changed after the global setup built the templates');
  }
  const template = templates && (options.seed ? templates.seeded : templates.migrated);

  if (!serverUrl) {
    const loadDataDir = template ? new Blob([await readFile(template)]) : undefined;
    const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://', loadDataDir });
    if (!template) await migrateAndSeed(db, options.seed);
    return { db, drop: () => db.close() };
  }

  const name = `${copyPrefix(templates?.kind === 'postgres' ? templates.runId : undefined)}${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl(serverUrl, name) });
  const drop = async () => {
    await db.close();
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  if (!template) await migrateAndSeed(db, options.seed).catch((e: unknown) => drop().then(() => Promise.reject(e)));
  return { db, drop };
}

async function migrateAndSeed(db: Database, seed = false) {
  await applyMigrations(db.migrationAdapter());
  if (seed) await loadSeed(db);
}
