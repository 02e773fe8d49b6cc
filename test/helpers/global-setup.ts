// Vitest's global setup: migrates (and seeds) once per run what every test file then gets a copy of
// (see ./database.ts). Booting a database, migrating it and seeding it took most of each file's time.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type Database, openDatabase } from '../../src/db/database.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { loadSeed } from '../../src/seed/load.js';

/**
 * The templates of one run: PGlite data directories as tarballs (file paths), or PostgreSQL databases (names)
 * that `CREATE DATABASE ... TEMPLATE` copies.
 */
export type Templates =
  { kind: 'pglite'; migrated: string; seeded: string } | { kind: 'postgres'; runId: string; migrated: string; seeded: string };

declare module 'vitest' {
  interface ProvidedContext {
    attestTemplates: Templates | undefined;
  }
}

// Names unique to the run, so that two runs on one server (CI and a developer) never touch each other's.
const templatePrefix = (runId: string) => `attest_tpl_${runId}_`;
export const copyPrefix = (runId?: string) => (runId ? `attest_test_${runId}_` : 'attest_test_');

export default async function setup(project: TestProject) {
  // Vitest runs this file through Vite's module runner, where the migration engine's loader cannot work
  // (no import.meta.resolve): the templates are built by this same file, loaded by Node through tsx.
  const { tsImport } = await import('tsx/esm/api');
  const native: typeof import('./global-setup.js') = await tsImport('./global-setup.ts', import.meta.url);
  const serverUrl = process.env.TEST_DATABASE_URL;
  const { templates, teardown } = serverUrl ? await native.postgresTemplates(serverUrl) : await native.pgliteTemplates();
  project.provide('attestTemplates', templates);
  return teardown;
}

export async function pgliteTemplates() {
  const dir = await mkdtemp(join(tmpdir(), 'attest-templates-'));
  const teardown = () => rm(dir, { recursive: true, force: true });
  try {
    const templates = { kind: 'pglite' as const, migrated: join(dir, 'migrated.tar'), seeded: join(dir, 'seeded.tar') };
    // In memory, as the tests open theirs; migrated through the same adapter as the app's, and seeded
    // through the app's own Database (loadSeed writes through the write door). Each state is dumped as it stands.
    const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    try {
      await applyMigrations(db.migrationAdapter());
      await writeFile(templates.migrated, await dump(db));
      await loadSeed(db);
      await writeFile(templates.seeded, await dump(db));
    } finally {
      await db.close();
    }
    return { templates, teardown };
  } catch (e) {
    await teardown();
    throw e;
  }
}

// Uncompressed: it loads faster, and the file lives only as long as the run. The PGlite instance behind the
// Database is the one its adapter factory (handed to the migration engine) holds.
async function dump(db: Database) {
  const { client } = db.migrationAdapter() as unknown as { client?: unknown };
  if (!(client instanceof PGlite)) throw new Error('cannot reach the PGlite instance behind this Database');
  return new Uint8Array(await (await client.dumpDataDir('none')).arrayBuffer());
}

export async function postgresTemplates(serverUrl: string) {
  const runId = randomBytes(6).toString('hex');
  const templates = {
    kind: 'postgres' as const,
    runId,
    migrated: `${templatePrefix(runId)}migrated`,
    seeded: `${templatePrefix(runId)}seeded`,
  };
  // Drops the templates and whatever copy a test file left behind (one that crashed before its afterAll).
  const teardown = async () => {
    const rows = await adminQuery<{ datname: string }>(
      serverUrl,
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1) OR starts_with(datname, $2)',
      [templatePrefix(runId), copyPrefix(runId)],
    );
    for (const { datname } of rows) await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  };
  try {
    await adminQuery(serverUrl, `CREATE DATABASE ${templates.migrated}`);
    const migrated = await openDatabase({ kind: 'postgres', url: databaseUrl(serverUrl, templates.migrated) });
    try {
      await applyMigrations(migrated.migrationAdapter());
    } finally {
      await migrated.close();
    }
    // A template must have no other connection while it is copied: every pool here is closed before.
    await adminQuery(serverUrl, `CREATE DATABASE ${templates.seeded} TEMPLATE ${templates.migrated}`);
    const seeded = await openDatabase({ kind: 'postgres', url: databaseUrl(serverUrl, templates.seeded) });
    try {
      await loadSeed(seeded);
    } finally {
      await seeded.close();
    }
    return { templates, teardown };
  } catch (e) {
    await teardown();
    throw e;
  }
}

export function databaseUrl(serverUrl: string, name: string) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
