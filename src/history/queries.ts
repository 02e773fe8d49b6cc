import type { Database } from '../db/database.js';
import { UUID } from '../core/ids.js';
import { parsePartialDate } from '../core/partial-date.js';
import { ProblemError, invalidField, notFound } from '../core/problems.js';
import { RECORDS, type Resource } from '../writes/records.js';

interface RevisionRow {
  seq: string;
  txid: string;
  resource: Resource;
  record_id: string;
  revision: number;
  action: 'create' | 'update' | 'delete';
  at: string;
  key_name: string;
  reason: string | null;
  snapshot: Record<string, unknown> | null;
}

const COLUMNS = `seq::text, txid::text, resource, record_id, revision, action, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, key_name, reason, snapshot`;

const historyUrl = (resource: Resource, id: string) => `${RECORDS[resource].path}/${id}/history`;

/**
 * What a reader gets for an id that is not there: 410 with when and why it
 * was deleted when it once was, else the original 404.
 */
export async function goneOrNotFound(db: Database, resource: Resource, ref: string, notThere: unknown): Promise<never> {
  if (UUID.test(ref)) {
    const [deleted] = await db.query<RevisionRow>(
      `SELECT ${COLUMNS} FROM revisions WHERE resource = $1 AND record_id = $2::uuid AND action = 'delete'`,
      [resource, ref.toLowerCase()],
    );
    if (deleted) throw gone(deleted);
  }
  throw notThere;
}

/** Runs a read or write of a record named in the URL; if it is not there, 410 when it was deleted, else 404. */
export async function orGone<T>(db: Database, resource: Resource, ref: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ProblemError && err.code === 'not-found') return goneOrNotFound(db, resource, ref, err);
    throw err;
  }
}

const gone = (r: RevisionRow) =>
  new ProblemError(
    'gone',
    `The ${r.resource} ${r.record_id} was deleted at ${r.at}${r.reason ? `: ${r.reason}` : ''}. Its history stays at ${historyUrl(r.resource, r.record_id)}.`,
    { deleted: { at: r.at, by: r.key_name, reason: r.reason, history: historyUrl(r.resource, r.record_id) } },
    { link: `<${historyUrl(r.resource, r.record_id)}>; rel="version-history"` },
  );

/**
 * The record as it read at `at`: its last revision up to then. Times are compared to the millisecond,
 * as history shows them, so that a revision's own `at` finds it.
 */
export async function recordAsOf(db: Database, resource: Resource, id: string, at: string) {
  if (!UUID.test(id)) throw notFound(resource, id);
  const [row] = await db.query<RevisionRow>(
    `SELECT ${COLUMNS} FROM revisions WHERE resource = $1 AND record_id = $2::uuid AND revision IS NOT NULL AND date_trunc('milliseconds', at) <= $3::timestamptz
     ORDER BY revision DESC LIMIT 1`,
    [resource, id.toLowerCase(), at],
  );
  if (!row) {
    throw new ProblemError('not-found', `No ${resource} with id '${id}' existed at ${at}.`);
  }
  return shown(row);
}

/** A revision's record, with its number (statements and figures show it); 410 for the deletion itself. */
function shown(row: RevisionRow): Record<string, unknown> {
  if (row.action === 'delete') throw gone(row);
  if (!row.snapshot) {
    throw new ProblemError(
      'not-found',
      `The ${row.resource} ${row.record_id} was recorded before Attest kept history; no earlier state is known.`,
    );
  }
  return { ...row.snapshot, revision: row.revision };
}

/**
 * The record as it read at revision `revision`. Revisions never change, so this answer does not
 * either: a deleted record's revisions stay readable, and the deletion itself answers 410.
 */
export async function recordAtRevision(db: Database, resource: Resource, id: string, revision: number) {
  if (!UUID.test(id)) throw notFound(resource, id);
  const [row] = await db.query<RevisionRow>(
    `SELECT ${COLUMNS} FROM revisions WHERE resource = $1 AND record_id = $2::uuid AND revision = $3`,
    [resource, id.toLowerCase(), revision],
  );
  if (row) return shown(row);
  const [latest] = await db.query<{ revision: number | null }>(
    `SELECT max(revision) AS revision FROM revisions WHERE resource = $1 AND record_id = $2::uuid`,
    [resource, id.toLowerCase()],
  );
  if (latest?.revision == null) throw notFound(resource, id);
  throw new ProblemError('not-found', `The ${resource} ${id} has no revision ${revision}; its latest is ${latest.revision}.`, {
    errors: [{ in: 'query', field: 'revision', message: `no such revision; the latest is ${latest.revision}` }],
  });
}

// Fields every change touches; a diff that listed them would bury what changed.
const IGNORED = new Set(['updatedAt']);

function changes(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  if (!after) return [];
  const out: { field: string; before: unknown; after: unknown }[] = [];
  for (const field of new Set([...Object.keys(before ?? {}), ...Object.keys(after)])) {
    if (IGNORED.has(field)) continue;
    const b = before?.[field] ?? null;
    const a = after[field] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) out.push({ field, before: b, after: a });
  }
  return out;
}

const toEntry = (r: RevisionRow, previous: RevisionRow | undefined) => ({
  revision: r.revision,
  action: r.action,
  at: r.at,
  by: r.key_name,
  reason: r.reason,
  changes: r.action === 'create' ? changes(null, r.snapshot) : changes(previous?.snapshot ?? null, r.snapshot),
  record: r.snapshot,
});

/** A record's revisions, newest first, each with what it changed. */
export async function recordHistory(db: Database, resource: Resource, id: string, limit: number, cursor?: string) {
  let below = 2 ** 31 - 1;
  if (cursor !== undefined) {
    below = Number(cursor);
    if (!/^[1-9]\d{0,9}$/.test(cursor)) {
      throw new ProblemError('invalid-cursor', 'The cursor is not one this API issued; start again without it.', {
        errors: [{ in: 'query', field: 'cursor', message: 'not a cursor issued by this API' }],
      });
    }
  }
  // One more than the page to know if there is a next page, and one more to diff the last entry against.
  const rows = await db.query<RevisionRow>(
    `SELECT ${COLUMNS} FROM revisions WHERE resource = $1 AND record_id = $2::uuid AND revision IS NOT NULL AND revision < $3
     ORDER BY revision DESC LIMIT $4`,
    [resource, id, below, limit + 2],
  );
  if (!rows.length && cursor === undefined) throw notFound(resource, id);
  const page = rows.slice(0, limit);
  return {
    data: page.map((r, i) => toEntry(r, rows[i + 1])),
    nextCursor: rows.length > limit ? String(page.at(-1)!.revision) : null,
  };
}

/** `since`: a cursor from an earlier page, or an RFC 3339 time. */
function feedPosition(since: string | undefined): { txid: string; seq: string } | { at: string } | undefined {
  if (since === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}T/.test(since)) {
    // The calendar date checked by itself: Date.parse rolls 2024-02-30 over into March, and
    // PostgreSQL has no year 0.
    if (Number.isNaN(Date.parse(since)) || !parsePartialDate(since.slice(0, 10)) || since.startsWith('0000')) {
      throw invalidField('query', 'since', 'is not an RFC 3339 time');
    }
    return { at: since };
  }
  // Restored history has transaction ids below zero (src/transfer/import.ts).
  const m = /^(-?\d{1,19})\.(\d{1,19})$/.exec(since);
  if (!m || BigInt(m[1]) > 2n ** 63n - 1n || BigInt(m[1]) < -(2n ** 63n) || BigInt(m[2]) > 2n ** 63n - 1n) {
    throw new ProblemError('invalid-cursor', 'since is neither a cursor from this feed nor an RFC 3339 time.', {
      errors: [{ in: 'query', field: 'since', message: 'not a feed cursor or an RFC 3339 time' }],
    });
  }
  return { txid: m[1], seq: m[2] };
}

/**
 * Every change, in an order a poller can rely on. Entries are ordered by the
 * writing transaction, and only transactions older than every one still
 * running are shown: a change that commits late is never behind a cursor
 * already handed out. A change therefore appears once the transactions that
 * started before it have ended (milliseconds, under the statement timeout).
 */
export async function changeFeed(db: Database, since: string | undefined, limit: number) {
  const position = feedPosition(since);
  const where = ['txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint'];
  const params: unknown[] = [];
  if (position && 'at' in position) {
    params.push(position.at);
    where.push(`at >= $${params.length}::timestamptz`);
  } else if (position) {
    params.push(position.txid, position.seq);
    where.push(`(txid, seq) > ($${params.length - 1}::bigint, $${params.length}::bigint)`);
  }
  params.push(limit + 1);
  const rows = await db.query<RevisionRow>(
    // Qualified: the bare names would sort by the text columns of the select list ("10" before "9").
    `SELECT ${COLUMNS} FROM revisions WHERE ${where.join(' AND ')} ORDER BY revisions.txid, revisions.seq LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => ({
      resource: r.resource,
      id: r.record_id,
      action: r.action,
      revision: r.revision,
      at: r.at,
      by: r.key_name,
      reason: r.reason,
      url: `${RECORDS[r.resource].path}/${r.record_id}`,
    })),
    // Always a position to poll from: the last entry seen, or where the caller already was.
    nextCursor: last ? `${last.txid}.${last.seq}` : position && 'txid' in position ? `${position.txid}.${position.seq}` : null,
    more: rows.length > limit,
  };
}
