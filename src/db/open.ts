import { readdir } from 'node:fs/promises';
import type { Config } from '../config.js';
import { type Database, POOL_LIMITS, openDatabase } from './database.js';
import { DataDirLockedError } from './lock.js';

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
    // The migration engine (WebAssembly) is loaded only when there is something for it to do: on a
    // database that is up to date it would cost every start ~20 MB of memory for nothing.
    const applied =
      exists && (await allApplied(db)) ? [] : await (await import('./migrations.js')).applyMigrations(db.migrationAdapter());
    return { db, fresh: !exists, applied };
  } catch (err) {
    await db.close();
    throw err;
  }
}

const MIGRATIONS_DIR = new URL('../../prisma/migrations/', import.meta.url);

/** Every folder in prisma/migrations is recorded as applied, and no migration is left failed (the engine reports those). */
async function allApplied(db: Database): Promise<boolean> {
  const local = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  const rows = await db.query<{ name: string; finished: boolean; rolledBack: boolean }>(
    `SELECT migration_name AS name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS "rolledBack"
       FROM _prisma_migrations`,
  );
  if (rows.some((r) => !r.finished && !r.rolledBack)) return false;
  const done = new Set(rows.filter((r) => r.finished && !r.rolledBack).map((r) => r.name));
  return local.every((name) => done.has(name));
}

/**
 * One line that says why the database could not be opened at start-up, and what to check: printed
 * instead of a stack trace. The URL is shown without its password.
 */
export function describeOpenFailure(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>, err: unknown): string {
  if (err instanceof DataDirLockedError) return `Cannot start: ${err.message}`;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0] : String(err);
  if (!config.DATABASE_URL) {
    return `Cannot start: the embedded database in DATA_DIR ${config.DATA_DIR} could not be opened (${message}).`;
  }
  const where = safeUrl(config.DATABASE_URL);
  const reason = REASONS[code] ?? (/timeout/i.test(message) ? `no answer within ${POOL_LIMITS.connectionTimeoutMillis / 1000} s` : message);
  if (REASONS[code] || /^(08|53|57P0)/.test(code) || /timeout|terminated/i.test(message)) {
    return `Cannot start: the database at ${where} is not reachable (${reason}). Check DATABASE_URL and that PostgreSQL is running and accepts connections.`;
  }
  return `Cannot start: the database at ${where} could not be opened and migrated (${code ? `${code}: ` : ''}${message}). Check DATABASE_URL.`;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
