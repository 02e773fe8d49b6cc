import type { Database } from '../db/database.js';
import { RECORDS, type Resource } from './records.js';

/** The writer name the history migration gives records that existed before Attest kept history. */
export const BEFORE_HISTORY = '(before history)';

/**
 * Records that existed before history began got a first revision without a
 * snapshot (SQL cannot shape a record as the API does). Until such a record
 * changes, it still reads as it did then, so its snapshot is taken now.
 */
export async function fillBaselineSnapshots(db: Database): Promise<number> {
  const missing = await db.query<{ seq: string; resource: Resource; record_id: string }>(
    `SELECT r.seq::text, r.resource, r.record_id FROM revisions r
     WHERE r.key_name = $1 AND r.snapshot IS NULL AND r.revision = 1
       AND NOT EXISTS (SELECT 1 FROM revisions o WHERE o.resource = r.resource AND o.record_id = r.record_id AND o.revision > 1)`,
    [BEFORE_HISTORY],
  );
  for (const m of missing) {
    const { read, serialize } = RECORDS[m.resource];
    await db.query(`UPDATE revisions SET snapshot = $2::jsonb WHERE seq = $1::bigint AND snapshot IS NULL`, [
      m.seq,
      serialize(await read(db, m.record_id)),
    ]);
  }
  return missing.length;
}
