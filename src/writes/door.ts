import { createHash } from 'node:crypto';
import type { Database, Tx } from '../db/database.js';
import { inside } from '../db/snapshot.js';
import { ProblemError, notFound } from '../core/problems.js';
import type { Writer } from '../keys/auth.js';
import { RECORDS, type Resource } from './records.js';
import { writeEnded } from './commits.js';

/** Who writes, why, and what makes a retried request the same request. */
export interface WriteContext {
  writer: Writer;
  reason?: string | null;
  /** A POST retried with the same Idempotency-Key gets the first answer, and changes nothing. */
  idempotency?: { key: string; fingerprint: string };
}

/** What a unit of work can do inside the door's transaction. */
export interface WriteTx {
  tx: Tx;
  /** Reads as the API does, but inside this transaction (its own writes included). */
  db: Database;
  /**
   * Locks a record for the rest of the transaction, so that rules spanning
   * several fields (and If-Match) are checked against the row as it will be
   * updated. Throws not-found when there is no such record.
   */
  lock(resource: Resource, id: string): Promise<void>;
  /**
   * Numbers and snapshots the revisions the work caused so far, as the door
   * does at the end. For bulk writes (src/transfer/import.ts): done after each
   * batch, it keeps each snapshot read to one batch's records instead of the
   * whole import's. A record must not be changed again after a flush in the same
   * transaction (its one revision per transaction is then numbered, so final).
   */
  flush(): Promise<void>;
}

/** `timeoutMs`: how long the transaction may take in all (bulk imports need more than a request's 20 s). */
export interface WriteOptions {
  timeoutMs?: number;
}

// A write waits at most this long for a connection, and takes at most this long in all; beyond
// either the client gets a 503 to retry rather than a hang.
const MAX_WAIT_MS = 5_000;
const TIMEOUT_MS = 20_000;
const IDEMPOTENCY_HOURS = 24;

/**
 * The one way to change the record. It opens the transaction, names the
 * writer and the reason for the revision trigger (see the history migration),
 * runs the work, then numbers each revision the work caused and stores the
 * record as it now reads, before committing. A failure anywhere rolls back the
 * change and its revisions together.
 */
export async function write<T>(
  db: Database,
  ctx: WriteContext,
  work: (w: WriteTx) => Promise<T>,
  options: WriteOptions = {},
): Promise<T> {
  const timeout = options.timeoutMs ?? TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.prisma.$transaction((tx) => run(db, tx, ctx, work), { maxWait: MAX_WAIT_MS, timeout });
    } catch (err) {
      // Two writers that lock the same records in opposite orders: PostgreSQL aborts one; run it again.
      if (attempt < 3 && sqlState(err) === '40P01') continue;
      throw err;
    } finally {
      // Before the writer hears back, so that its next read, on any instance, is not an older cached answer.
      // After a failure too: a commit whose acknowledgement was lost is still a change.
      await writeEnded(db);
    }
  }
}

async function run<T>(db: Database, tx: Tx, ctx: WriteContext, work: (w: WriteTx) => Promise<T>): Promise<T> {
  await tx.$queryRawUnsafe(
    `SELECT set_config('attest.writer', $1, true), set_config('attest.key_id', $2, true), set_config('attest.reason', $3, true)`,
    ctx.writer.name,
    ctx.writer.keyId ?? '',
    ctx.reason ?? '',
  );
  const owner = ctx.writer.keyId ?? ctx.writer.name;
  if (ctx.idempotency) {
    const earlier = await claim(tx, owner, ctx.idempotency);
    if (earlier !== undefined) return earlier as T;
  }
  const inTx = inside(db, tx);
  // What the work locked (rows held FOR UPDATE until commit), and how far revisions are complete.
  const progress: Progress = { locked: new Set(), doneSeq: 0n };
  const result = await work({
    tx,
    db: inTx,
    lock: async (resource, id) => {
      const locked = await tx.$queryRawUnsafe<unknown[]>(
        `SELECT 1 FROM ${RECORDS[resource].table} WHERE id = $1::uuid FOR UPDATE`,
        id,
      );
      if (!locked.length) throw notFound(resource, id);
      progress.locked.add(`${resource}:${id}`);
    },
    flush: () => completeRevisions(tx, inTx, progress),
  });
  await completeRevisions(tx, inTx, progress);
  if (ctx.idempotency) {
    await tx.$executeRawUnsafe(
      `UPDATE idempotent_requests SET body = $3 WHERE owner = $1 AND key = $2`,
      owner,
      ctx.idempotency.key,
      JSON.stringify(result),
    );
  }
  return result;
}

/**
 * Claims an idempotency key for this transaction. A concurrent request with
 * the same key waits on the claim until this one commits or rolls back, then
 * finds its answer (or claims the key itself).
 */
async function claim(tx: Tx, owner: string, { key, fingerprint }: { key: string; fingerprint: string }) {
  const claimed = await tx.$queryRawUnsafe<unknown[]>(
    `INSERT INTO idempotent_requests (owner, key, fingerprint) VALUES ($1, $2, $3)
     ON CONFLICT (owner, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, body = NULL, created_at = now()
       WHERE idempotent_requests.created_at < now() - interval '${IDEMPOTENCY_HOURS} hours'
     RETURNING 1`,
    owner,
    key,
    fingerprint,
  );
  if (claimed.length) return undefined;
  const [earlier] = await tx.$queryRawUnsafe<{ fingerprint: string; body: string | null }[]>(
    `SELECT fingerprint, body FROM idempotent_requests WHERE owner = $1 AND key = $2`,
    owner,
    key,
  );
  if (earlier.fingerprint !== fingerprint || earlier.body === null) {
    throw new ProblemError(
      'idempotency-key-reused',
      'This Idempotency-Key was already used for a different request; use a new key for a new request.',
      { errors: [{ in: 'headers', field: 'idempotency-key', message: 'already used for a different request' }] },
    );
  }
  return JSON.parse(earlier.body) as unknown;
}

interface Progress {
  /** `resource:id` of the records the work locked with lock(). */
  locked: Set<string>;
  /** Revisions up to this seq are complete (seq grows within a transaction, so later ones are above it). */
  doneSeq: bigint;
}

/**
 * Gives each revision the trigger recorded in this transaction its number and
 * its snapshot. Numbering takes a lock per record, in a fixed order, so two
 * transactions that touched the same record number their revisions one after
 * the other. A record this transaction created is at its first revision (the
 * trigger refuses an id that ever had one). Two kinds of record need no such
 * lock, which keeps a bulk import within PostgreSQL's lock table (a few
 * thousand locks in all): one this transaction created (no other transaction
 * can see it, and its id cannot be reused), and one the work locked with
 * lock() (its row stays locked until commit, which holds off every other
 * writer of it, adders of citations included).
 */
async function completeRevisions(tx: Tx, db: Database, progress: Progress) {
  const pending = await tx.$queryRawUnsafe<{ seq: bigint; resource: Resource; record_id: string; action: string }[]>(
    `SELECT seq, resource, record_id, action FROM revisions
     WHERE txid = pg_current_xact_id()::text::bigint AND seq > $1::bigint AND revision IS NULL ORDER BY resource, record_id`,
    progress.doneSeq.toString(),
  );
  if (!pending.length) return;
  for (const p of pending) if (BigInt(p.seq) > progress.doneSeq) progress.doneSeq = BigInt(p.seq);
  const contended = pending
    .map((p) => `${p.resource}:${p.record_id}`)
    .filter((key, i) => pending[i].action !== 'create' && !progress.locked.has(key));
  if (contended.length) {
    await tx.$queryRawUnsafe(
      `SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))::text) FROM unnest($1::text[]) WITH ORDINALITY AS t(k, i)`,
      contended,
    );
  }
  // One read per kind of record, however many records the write touched (an import touches thousands).
  const current = new Map<string, string>();
  for (const resource of new Set(pending.map((p) => p.resource))) {
    const ids = pending.filter((p) => p.resource === resource && p.action !== 'delete').map((p) => p.record_id);
    const { readMany, serialize } = RECORDS[resource];
    if (ids.length) for (const record of await readMany(db, ids)) current.set(`${resource}:${record.id}`, serialize(record));
  }
  const snapshots = pending.map((p) => current.get(`${p.resource}:${p.record_id}`) ?? null);
  await tx.$executeRawUnsafe(
    `UPDATE revisions r SET at = date_trunc('milliseconds', clock_timestamp()), snapshot = u.snapshot::jsonb,
       revision = CASE WHEN r.action = 'create' THEN 1
         ELSE (SELECT coalesce(max(o.revision), 0) + 1 FROM revisions o WHERE o.resource = r.resource AND o.record_id = r.record_id) END
     FROM unnest($1::bigint[], $2::text[]) AS u(seq, snapshot) WHERE r.seq = u.seq`,
    pending.map((p) => p.seq),
    snapshots,
  );
}

/** The SQLSTATE of a database error, wherever the driver adapter put it. */
export function sqlState(err: unknown): string | undefined {
  const e = err as {
    code?: unknown;
    meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } };
    cause?: { code?: unknown; originalCode?: unknown };
  };
  for (const c of [
    e?.meta?.driverAdapterError?.cause?.originalCode,
    e?.cause?.originalCode,
    e?.cause?.code,
    e?.meta?.code,
    e?.code,
  ]) {
    if (typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c)) return c;
  }
  return undefined;
}

/** Method, path and body: what makes a retry the same request. */
export const fingerprint = (method: string, url: string, body: unknown) =>
  createHash('sha256')
    .update(`${method} ${url}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
