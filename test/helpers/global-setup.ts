// Vitest's global setup: migrates (and seeds) once per run what every test file then gets a copy of
// (see ./database.ts). Booting a database, migrating it and seeding it took most of each file's time.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
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

// Names unique to the run, so that two runs on one server (CI and a developer) never touch each other's. The
// run id starts with its start time (seconds, base 36), which lets a later run drop what a killed one left.
const templatePrefix = (runId: string) => `attest_tpl_${runId}_`;
export const copyPrefix = (runId?: string) => (runId ? `attest_test_${runId}_` : 'attest_test_');
const newRunId = () => `${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(4).toString('hex')}`;
const runStartedAt = (datname: string) => /^attest_(?:tpl|test)_([0-9a-z]+)_[0-9a-f]{8}_/.exec(datname)?.[1];
/** No run lasts this long (CI stops one at 90 minutes): a run's databases older than this were left by a killed run. */
const STALE_AFTER_S = 6 * 3600;

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
  // What a killed run left behind (some 100 MB each).
  for (const name of await readdir(tmpdir())) {
    const old =
      name.startsWith('attest-templates-') && Date.now() - (await stat(join(tmpdir(), name))).mtimeMs > STALE_AFTER_S * 1000;
    if (old) await rm(join(tmpdir(), name), { recursive: true, force: true });
  }
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
  await dropStaleDatabases(serverUrl);
  const runId = newRunId();
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

async function dropStaleDatabases(serverUrl: string) {
  const rows = await adminQuery<{ datname: string }>(
    serverUrl,
    "SELECT datname FROM pg_database WHERE starts_with(datname, 'attest_tpl_') OR starts_with(datname, 'attest_test_')",
  );
  const now = Date.now() / 1000;
  for (const { datname } of rows) {
    const started = runStartedAt(datname);
    if (started && now - parseInt(started, 36) > STALE_AFTER_S) {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
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
