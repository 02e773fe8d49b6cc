import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { ProblemError } from '../core/problems.js';
import { hashKey, newSecret } from './secret.js';
import type { Key, KeyScope } from './schemas.js';

/**
 * API keys live beside the record, not in it: they have no revisions and are
 * not in /changes. Plain SQL, so the server, the CLI and the auth hook share it
 * on either database.
 */

interface KeyRow {
  id: string;
  name: string;
  scope: KeyScope;
  created_at: Date | string;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

const COLUMNS = 'id, name, scope, created_at, last_used_at, revoked_at';
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toKey(row: KeyRow): Key {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: iso(row.created_at)!,
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

/** Creates a key and returns it with its secret, which exists nowhere else from now on. */
export async function createKey(db: Database, input: { name: string; scope: KeyScope }): Promise<Key & { key: string }> {
  const secret = newSecret();
  // History tells writers apart by name, so an active key's name is not given twice (checked in the
  // same statement; there is no unique index, as a revoked key's name may be reused).
  const rows = await db.query<KeyRow>(
    `INSERT INTO api_keys (id, name, scope, hash)
     SELECT $4::uuid, $1::text, $2::key_scope, $3::text
     WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE lower(name) = lower($1::text) AND revoked_at IS NULL)
     RETURNING ${COLUMNS}`,
    [input.name, input.scope, hashKey(secret), randomUUID()],
  );
  if (!rows.length) {
    throw new ProblemError(
      'conflict',
      `A key named '${input.name}' is in use: history tells writers apart by name. Revoke it first, or choose another name.`,
    );
  }
  return { ...toKey(rows[0]), key: secret };
}

/** Every key, revoked ones included, oldest first; never a secret or a hash. */
export async function listKeys(db: Database): Promise<Key[]> {
  return (await db.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`)).map(toKey);
}

/**
 * Revokes a key at once (every later request with it gets 401). Revoking a
 * revoked key changes nothing and keeps the first revocation time. Undefined
 * when there is no such key.
 */
export async function revokeKey(db: Database, id: string): Promise<{ key: Key; hash: string } | undefined> {
  const [row] = await db.query<KeyRow & { hash: string }>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1::uuid RETURNING ${COLUMNS}, hash`,
    [id],
  );
  return row && { key: toKey(row), hash: row.hash };
}

/** Finds a usable (not revoked) key by the hash of its secret. */
export async function findActiveKey(db: Database, hash: string) {
  const [row] = await db.query<{ id: string; name: string; scope: KeyScope }>(
    'SELECT id, name, scope FROM api_keys WHERE hash = $1 AND revoked_at IS NULL',
    [hash],
  );
  return row;
}

/** Records that a key was used. The caller throttles it; api_keys has no revision trigger. */
export async function touchKey(db: Database, id: string): Promise<void> {
  await db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1::uuid', [id]);
}
