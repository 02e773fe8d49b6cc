import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { pgliteExtensions } from './extensions.js';
import { lockDataDir } from './lock.js';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  /** `loadDataDir`: a tarball from PGlite's dumpDataDir() to start from (the tests' migrated templates). */
  | { kind: 'pglite'; dataDir: string; loadDataDir?: Blob };

/**
 * One handle on the database: Prisma for the write paths and ordinary reads, and
 * `query` for hot read paths that run hand-written SQL on the same connection(s),
 * without Prisma's query engine in between.
 */
export interface Database {
  readonly kind: DatabaseTarget['kind'];
  readonly prisma: PrismaClient;
  /**
   * `prepare`: run as a named prepared statement, so PostgreSQL parses and plans this SQL text once per
   * connection. Only for queries whose plan does not depend on the values (PostgreSQL switches to a
   * generic plan after five executions): not for full-text search.
   */
  query<T>(sql: string, params?: unknown[], options?: { prepare?: boolean }): Promise<T[]>;
  /** The factory the migration engine needs (see ./migrations.ts). */
  migrationAdapter(): SqlMigrationAwareDriverAdapterFactory;
  /** PostgreSQL only: the connection pool right now, for /metrics (PGlite has one connection, no pool). */
  poolStats?(): PoolStats;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections open, idle among them, and the pool's ceiling. */
  total: number;
  idle: number;
  max: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'postgres' ? openPostgres(target.url) : openPglite(target.dataDir, target.loadDataDir);
}

const statementNames = new Map<string, string>();
/** One name per distinct SQL text; there are few, as the text depends only on which filters are present. */
function statementName(sql: string) {
  let name = statementNames.get(sql);
  if (!name) statementNames.set(sql, (name = `attest_${statementNames.size}`));
  return name;
}

/** Time limits on every PostgreSQL connection (the migrations' too). */
export const POOL_LIMITS = {
  connectionTimeoutMillis: 3000,
  query_timeout: 5000,
  keepAlive: true,
  options:
    '-c statement_timeout=4500 -c max_parallel_workers_per_gather=0 -c jit=off',
} satisfies pg.PoolConfig;

function openPostgres(url: string): Database {
  // A runaway query is cancelled rather than left to hold a connection (answered 503, see
  // http/db-errors.ts). Parallel workers cost more to start than they save on the API's LIMITed
  // queries and compete with the server for cores (full-text search measured 4-8x faster without).
  // JIT compilation is for long analytic queries: on a discrepancy search it spent 286 ms compiling
  // a query that ran in 53 ms.
  //
  // A database in trouble is a 503 within 5 s, never a hang: connecting, or waiting for a free
  // connection, gives up after 3 s; a query the server does not answer (a dead peer, a network
  // partition) after 5 s on this side; and the server cancels a statement after 4.5 s. A reply is
  // sent without waiting on the database longer than that (see http/db-errors.ts).
  const pool = new pg.Pool({ ...POOL_LIMITS, connectionString: url, max: 10 });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgres',
    prisma,
    query: async <T>(sql: string, params: unknown[] = [], options?: { prepare?: boolean }) => {
      const named = options?.prepare ? { name: statementName(sql) } : {};
      return (await pool.query({ ...named, text: sql, values: params })).rows as T[];
    },
    // Migrations may run longer than a request's statement; they get the connection limits only.
    migrationAdapter: () => new PrismaPg({ connectionString: url, connectionTimeoutMillis: POOL_LIMITS.connectionTimeoutMillis, keepAlive: true }),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, max: pool.options.max, waiting: pool.waitingCount }),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  // One process per data directory (./lock.ts): a second server, or `npm run keys` beside a
  // running server, is refused here before it touches the files.
  const lock = dataDir.startsWith('memory://') ? undefined : lockDataDir(dataDir);
  // Loaded only here: a server on PostgreSQL does not carry the embedded database's code.
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      dataDir,
      loadDataDir,
      extensions: await pgliteExtensions(),
      // PostgreSQL's default 128 MB of shared buffers live in PGlite's WebAssembly memory, all touched at
      // start and never given back (288 MB resident before the first query). PGlite reads its files through
      // the operating system's page cache, which keeps the rest: at 100,000 statements, 48 MB served lists
      // and searches as fast as 128 MB; 32 MB slowed searches for rare words by a third (bench/README.md,
      // The embedded default at scale).
      //
      // ANALYZE keeps its sample of rows (300 times the statistics target) in that memory too: at the default
      // target of 100, the first upkeep (./upkeep.ts) grew it by about 50 MB for good; at 50 it did not grow, and
      // the plans and their times were the same.
      startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=48MB', '-c', 'default_statistics_target=50'],
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    kind: 'pglite',
    prisma,
    query: async <T>(sql: string, params: unknown[] = []) => {
      // PGlite runs a query on this thread, and queued queries back to back without returning to
      // the event loop: yielding first lets the requests that arrived meanwhile (/health, a cheap
      // read) in between, so twelve heavy reads hold the server for one query, not twelve.
      await new Promise((resolve) => setImmediate(resolve));
      return (await pglite.query<T>(sql, params)).rows;
    },
    migrationAdapter: () => new PrismaPGlite(pglite),
    close: async () => {
      try {
        await prisma.$disconnect();
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** Repository functions take either the client or a transaction, so routes can compose them atomically. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
