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

/**
 * Starts upkeep on `db`. It reads the database in the background and never throws: on a database it
 * cannot read (not migrated, closed) it logs why and does nothing, and tries again after the next write.
 */
export function startUpkeep(db: Database, log: Log): Upkeep {
  /** The change sequence and the rows analysed at the last upkeep; undefined until read. */
  let last: { seq: number; rows: number } | undefined;
  let quiet: NodeJS.Timeout | undefined;
  let latest: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const run = async (reason: string) => {
    clearTimeout(quiet);
    clearTimeout(latest);
    quiet = latest = undefined;
    if (stopped) return;
    const t = performance.now();
    try {
      const seq = await changeSeq(db);
      await db.query('VACUUM ANALYZE');
      last = { seq, rows: (await tables(db)).rows };
      log.info({ reason, rows: last.rows, ms: Math.round(performance.now() - t) }, 'embedded database: VACUUM ANALYZE');
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
  /** Reads where the record stands; at start-up, also whether a table grew since it was last analysed. */
  const begin = async (atStart: boolean) => {
    try {
      const [seq, found] = await Promise.all([changeSeq(db), tables(db)]);
      last = { seq, rows: found.rows };
      if (atStart && found.grown) schedule('tables grew since last analysed');
    } catch (err) {
      log.warn({ err }, 'embedded database: upkeep cannot read the database yet');
    }
  };
  let starting: Promise<void> | undefined = begin(true);

  return {
    async afterWrite() {
      await starting;
      starting = undefined;
      if (stopped || running) return;
      if (!last) {
        starting = begin(false);
        return;
      }
      if ((await changeSeq(db)) - last.seq > THRESHOLD + SCALE * last.rows) schedule('changes since last upkeep');
    },
    async stop() {
      stopped = true;
      clearTimeout(quiet);
      clearTimeout(latest);
      await starting;
      await running;
    },
  };
}

/** Rows in the record's tables as the planner last counted them, and whether one has grown by a tenth since. */
async function tables(db: Database): Promise<{ rows: number; grown: boolean }> {
  const [row] = await db.query<{ rows: number; grown: boolean }>(
    `SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::float8 AS rows,
            coalesce(bool_or(pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * (1 + ${SCALE}) + 8), false) AS grown
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
  );
  return row;
}

async function changeSeq(db: Database): Promise<number> {
  const [{ seq }] = await db.query<{ seq: number }>('SELECT coalesce(max(seq), 0)::float8 AS seq FROM revisions');
  return seq;
}
