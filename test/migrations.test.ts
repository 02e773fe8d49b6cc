import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffMigrationsToSchema, applyMigrations } from '../src/db/migrations.js';
import type { Database } from '../src/db/database.js';
import { freshDatabase } from './helpers/database.js';

let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
});
afterAll(() => drop?.());

describe('migrations', () => {
  it('prisma/migrations builds exactly what schema.prisma describes (no drift)', async () => {
    const drift = await diffMigrationsToSchema(db.migrationAdapter());
    expect(drift, 'run `npm run db:migration -- <name>` to write the missing migration').toBe('');
  });

  it('records applied migrations and applies nothing twice', async () => {
    expect(await applyMigrations(db.migrationAdapter())).toEqual([]);
    const rows = await db.query<{ migration_name: string; finished_at: Date | null }>(
      'SELECT migration_name, finished_at FROM _prisma_migrations',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it('enforces that a citation supports exactly one statement or figure', async () => {
    // Written as the write door writes: in one transaction that names its writer.
    const asWriter = (sql: string) => db.query(`DO $$ BEGIN PERFORM set_config('attest.writer', 'test', true); ${sql}; END $$`);
    const source = '0192e4a1-0000-7000-8000-00000000c001';
    await asWriter(`INSERT INTO sources (id, kind, title, updated_at) VALUES ('${source}', 'other', 't', now())`);
    await expect(
      asWriter(
        `INSERT INTO citations (id, source_id, excerpt, role, updated_at) VALUES (gen_random_uuid(), '${source}', 'x', 'primary', now())`,
      ),
    ).rejects.toThrow(/citations_one_target/);
  });
});
