-- The anonymous role PostgREST switches to for every request (bench/postgrest.conf db-anon-role).
-- Read-only, no login; PostgREST connects as the database owner and does SET LOCAL ROLE per request.
-- Idempotent: run.sh applies it before starting the postgrest peer.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'attest_bench_anon') THEN
    CREATE ROLE attest_bench_anon NOLOGIN;
  END IF;
END $$;
GRANT USAGE ON SCHEMA public TO attest_bench_anon;
GRANT SELECT ON actors, sources, statements, statement_actors, citations, figures TO attest_bench_anon;
