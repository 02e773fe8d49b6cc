-- CreateEnum
CREATE TYPE "key_scope" AS ENUM ('write', 'admin');

-- CreateEnum
CREATE TYPE "revision_action" AS ENUM ('create', 'update', 'delete');

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "scope" "key_scope" NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "revisions" (
    "seq" BIGSERIAL NOT NULL,
    "resource" TEXT NOT NULL,
    "record_id" UUID NOT NULL,
    "revision" INTEGER,
    "action" "revision_action" NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "txid" BIGINT NOT NULL,
    "key_id" UUID,
    "key_name" TEXT NOT NULL,
    "reason" TEXT,
    "snapshot" JSONB,

    CONSTRAINT "revisions_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "idempotent_requests" (
    "owner" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status" INTEGER,
    "headers" JSONB,
    "body" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotent_requests_pkey" PRIMARY KEY ("owner","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- CreateIndex
CREATE INDEX "revisions_txid_seq_idx" ON "revisions"("txid", "seq");

-- CreateIndex
CREATE INDEX "revisions_at_idx" ON "revisions"("at");

-- CreateIndex
CREATE UNIQUE INDEX "revisions_resource_record_id_txid_key" ON "revisions"("resource", "record_id", "txid");

-- CreateIndex
CREATE UNIQUE INDEX "revisions_resource_record_id_revision_key" ON "revisions"("resource", "record_id", "revision");

-- CreateIndex
CREATE INDEX "idempotent_requests_created_at_idx" ON "idempotent_requests"("created_at");

-- Every change to a record is a revision, written by this trigger in the
-- change's own transaction, so that no write path can forget one and a
-- rolled-back write leaves none. The write path (src/writes) names the writer
-- and the reason in transaction-local settings before it writes, and gives each
-- revision its number and snapshot before it commits. A write without a writer
-- did not come through that path, and is refused.
CREATE FUNCTION attest_touch(res text, rid uuid, act revision_action) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  writer text := current_setting('attest.writer', true);
BEGIN
  IF writer IS NULL OR writer = '' THEN
    RAISE EXCEPTION 'attest: % % written outside the write path', res, rid USING ERRCODE = '42501';
  END IF;
  INSERT INTO revisions (resource, record_id, action, txid, key_id, key_name, reason)
  VALUES (res, rid, act, pg_current_xact_id()::text::bigint,
          nullif(current_setting('attest.key_id', true), '')::uuid, writer,
          nullif(current_setting('attest.reason', true), ''))
  ON CONFLICT (resource, record_id, txid) DO UPDATE SET action = CASE
    WHEN revisions.action = 'delete' OR EXCLUDED.action = 'delete' THEN 'delete'::revision_action
    WHEN revisions.action = 'create' THEN 'create'::revision_action
    ELSE EXCLUDED.action END;
END $$;

CREATE FUNCTION attest_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  act revision_action := CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END;
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF TG_TABLE_NAME = 'statement_actors' THEN
    -- The actors a statement involves are part of the statement.
    PERFORM attest_touch('statement', r.statement_id, 'update');
    RETURN NULL;
  END IF;
  -- An id, once used, names that record forever, even after it is deleted.
  IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM revisions WHERE resource = TG_ARGV[0] AND record_id = r.id) THEN
    RAISE EXCEPTION 'attest: the id % was already used by a % record', r.id, TG_ARGV[0] USING ERRCODE = '23505';
  END IF;
  PERFORM attest_touch(TG_ARGV[0], r.id, act);
  IF TG_TABLE_NAME = 'citations' THEN
    -- A statement or figure is shown with its citations: a citation's change changes it too.
    IF r.statement_id IS NOT NULL THEN PERFORM attest_touch('statement', r.statement_id, 'update'); END IF;
    IF r.figure_id IS NOT NULL THEN PERFORM attest_touch('figure', r.figure_id, 'update'); END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER actors_revision AFTER INSERT OR UPDATE OR DELETE ON actors FOR EACH ROW EXECUTE FUNCTION attest_record_change('actor');
CREATE TRIGGER sources_revision AFTER INSERT OR UPDATE OR DELETE ON sources FOR EACH ROW EXECUTE FUNCTION attest_record_change('source');
CREATE TRIGGER statements_revision AFTER INSERT OR UPDATE OR DELETE ON statements FOR EACH ROW EXECUTE FUNCTION attest_record_change('statement');
CREATE TRIGGER figures_revision AFTER INSERT OR UPDATE OR DELETE ON figures FOR EACH ROW EXECUTE FUNCTION attest_record_change('figure');
CREATE TRIGGER citations_revision AFTER INSERT OR UPDATE OR DELETE ON citations FOR EACH ROW EXECUTE FUNCTION attest_record_change('citation');
CREATE TRIGGER statement_actors_revision AFTER INSERT OR UPDATE OR DELETE ON statement_actors FOR EACH ROW EXECUTE FUNCTION attest_record_change('statement');

-- A revision, once numbered, is history: it is never changed or removed. Only
-- a snapshot missing since before history began may be filled in.
CREATE FUNCTION attest_revision_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.revision IS NOT NULL THEN
    RAISE EXCEPTION 'attest: revisions are never removed' USING ERRCODE = '42501';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.revision IS NOT NULL
     AND (OLD.snapshot IS NOT NULL OR NEW.revision IS DISTINCT FROM OLD.revision OR NEW.action IS DISTINCT FROM OLD.action
          OR NEW.at IS DISTINCT FROM OLD.at OR NEW.reason IS DISTINCT FROM OLD.reason OR NEW.key_name IS DISTINCT FROM OLD.key_name) THEN
    RAISE EXCEPTION 'attest: revisions are never changed' USING ERRCODE = '42501';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER revisions_immutable BEFORE UPDATE OR DELETE ON revisions FOR EACH ROW EXECUTE FUNCTION attest_revision_immutable();

-- Records that existed before history began get a first revision, without a
-- snapshot; the server fills those in at start-up (src/writes/baseline.ts).
INSERT INTO revisions (resource, record_id, revision, action, at, txid, key_name, reason)
SELECT t.resource, t.id, 1, 'create', t.created_at, pg_current_xact_id()::text::bigint, '(before history)', 'recorded before Attest kept history'
FROM (
  SELECT 'actor' AS resource, id, created_at FROM actors
  UNION ALL SELECT 'source', id, created_at FROM sources
  UNION ALL SELECT 'statement', id, created_at FROM statements
  UNION ALL SELECT 'figure', id, created_at FROM figures
  UNION ALL SELECT 'citation', id, created_at FROM citations
) t;
