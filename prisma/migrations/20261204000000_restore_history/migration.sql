-- Two changes to attest_touch (the history migration's revision recorder).
--
-- Restoring an export with its history (POST /import of GET /export?history=true into a database
-- that has none) writes each record's revisions as they were, rather than new ones: the import sets
-- attest.restoring for its transaction, and the trigger then records nothing. The writer is still
-- required, so a write outside the write path is refused as before. Records the stream gives no
-- revisions for get their first revision from the import afterwards (src/transfer/import.ts).
CREATE OR REPLACE FUNCTION attest_touch(res text, rid uuid, act revision_action) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  writer text := current_setting('attest.writer', true);
BEGIN
  IF writer IS NULL OR writer = '' THEN
    RAISE EXCEPTION 'attest: % % written outside the write path', res, rid USING ERRCODE = '42501';
  END IF;
  IF current_setting('attest.restoring', true) = 'on' THEN
    RETURN;
  END IF;
  INSERT INTO revisions (resource, record_id, action, txid, key_id, key_name, reason)
  VALUES (res, rid, act, pg_current_xact_id()::text::bigint,
          nullif(current_setting('attest.key_id', true), '')::uuid, writer,
          nullif(current_setting('attest.reason', true), ''))
  ON CONFLICT (resource, record_id, txid) DO UPDATE SET action = CASE
    WHEN revisions.action = 'delete' OR EXCLUDED.action = 'delete' THEN 'delete'::revision_action
    WHEN revisions.action = 'create' THEN 'create'::revision_action
    ELSE EXCLUDED.action END
  -- Most touches repeat one already recorded (a statement's citations touch the statement created
  -- just before): without this a bulk import rewrote one revision row per citation for nothing. A
  -- revision already numbered is still "updated", so that attest_revision_immutable refuses it.
  WHERE revisions.revision IS NOT NULL
     OR (revisions.action <> 'delete' AND revisions.action <> EXCLUDED.action
         AND NOT (revisions.action = 'create' AND EXCLUDED.action = 'update'));
END $$;
