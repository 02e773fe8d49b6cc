import type { PrismaClient } from '../generated/prisma/client.js';
import type { Database, Tx } from './database.js';

/** A view of the database whose queries run inside a transaction. */
export function inside(db: Database, tx: Tx): Database {
  return {
    ...db,
    prisma: tx as PrismaClient,
    query: <T>(sql: string, params: unknown[] = []) => tx.$queryRawUnsafe<T[]>(sql, ...params),
  };
}

// An export of the whole record takes a while; it must not be cut off, nor hold a connection forever.
const EXPORT_TIMEOUT_MS = 30 * 60_000;

/**
 * Runs a long read on one consistent snapshot: on PostgreSQL a read-only
 * REPEATABLE READ transaction, so an export's pages agree with each other
 * whatever is written meanwhile. The embedded database has one connection, and
 * a transaction there would stall every other request for the whole export, so
 * its pages are read one by one (keyset cursors still never skip or repeat a
 * row that stays).
 */
export async function readSnapshot<T>(db: Database, work: (db: Database) => Promise<T>): Promise<T> {
  if (db.kind === 'pglite') return work(db);
  return db.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SET TRANSACTION READ ONLY');
      return work(inside(db, tx));
    },
    { isolationLevel: 'RepeatableRead', timeout: EXPORT_TIMEOUT_MS, maxWait: 5_000 },
  );
}
