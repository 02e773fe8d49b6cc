import type { Database } from './database.js';

/**
 * Autovacuum's work, for the embedded database. PGlite runs PostgreSQL in single-user mode: no
 * autovacuum worker ever runs and no activity statistics survive a restart, so left alone the planner
 * never learns what the tables hold and dead rows are never reclaimed. At 100,000 imported statements a
 * list of 20 was planned as if each statement had a thousand citations and took 16 ms instead of 5
 * (bench/README.md, The embedded default at scale).
 *
 * The same rule as autovacuum's defaults: VACUUM ANALYZE once the record has changed by a tenth since the
 * last one (counted in revisions: every change to a record is one), and at start-up when a table has
 * grown by a tenth since it was last analysed (an import whose process stopped before its upkeep).
 * It waits for writes to pause, since it holds the database (PGlite runs one statement at a time).
 */
export interface Upkeep {
  /** After a write ended: counts its changes, and schedules a VACUUM ANALYZE when they are due. */
  afterWrite(): Promise<void>;
  /** Cancels what is scheduled and waits for what runs. */
  stop(): Promise<void>;
}

/** Writes must pause this long before upkeep runs, and it runs at the latest this long after it fell due. */
const QUIET_MS = 2_000;
const LATEST_MS = 30_000;
// Autovacuum's autovacuum_vacuum_threshold and autovacuum_vacuum_scale_factor / analyze_scale_factor.
const THRESHOLD = 50;
const SCALE = 0.1;

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export async function startUpkeep(db: Database, log: Log): Promise<Upkeep> {
  let lastSeq = await changeSeq(db);
  let rows = 0;
  let quiet: NodeJS.Timeout | undefined;
  let latest: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const tables = await db.query<{ rows: number; grown: boolean }>(
    `SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::float8 AS rows,
            coalesce(bool_or(pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * (1 + ${SCALE}) + 8), false) AS grown
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
  );
  rows = tables[0].rows;

  const run = async (reason: string) => {
    clearTimeout(quiet);
    clearTimeout(latest);
    quiet = latest = undefined;
    if (stopped) return;
    const seq = await changeSeq(db);
    const t = performance.now();
    try {
      await db.query('VACUUM ANALYZE');
      const [after] = await db.query<{ rows: number }>(
        `SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::float8 AS rows FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
      );
      rows = after.rows;
      lastSeq = seq;
      log.info({ reason, rows, ms: Math.round(performance.now() - t) }, 'embedded database: VACUUM ANALYZE');
    } catch (err) {
      log.warn({ err }, 'embedded database: VACUUM ANALYZE failed');
    }
  };
  const schedule = (reason: string) => {
    const go = () => {
      running = run(reason).finally(() => {
        running = undefined;
      });
    };
    clearTimeout(quiet);
    quiet = setTimeout(go, QUIET_MS);
    latest ??= setTimeout(go, LATEST_MS);
    // Never what keeps a process alive.
    quiet.unref();
    latest.unref();
  };

  if (tables[0].grown) schedule('tables grew since last analysed');

  return {
    async afterWrite() {
      if (stopped || running) return;
      if ((await changeSeq(db)) - lastSeq > THRESHOLD + SCALE * rows) schedule('changes since last upkeep');
    },
    async stop() {
      stopped = true;
      clearTimeout(quiet);
      clearTimeout(latest);
      await running;
    },
  };
}

async function changeSeq(db: Database): Promise<number> {
  const [{ seq }] = await db.query<{ seq: number }>('SELECT coalesce(max(seq), 0)::float8 AS seq FROM revisions');
  return seq;
}
