/**
 * PostgreSQL extensions the migrations create (`CREATE EXTENSION`). PostgreSQL ships them as
 * contrib modules; PGlite needs each one's code handed over when an instance is created,
 * including the throw-away ones migrations are replayed into. Imported on demand, so that a
 * server on PostgreSQL does not load the embedded database's code.
 */
export async function pgliteExtensions() {
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  return { pg_trgm };
}
