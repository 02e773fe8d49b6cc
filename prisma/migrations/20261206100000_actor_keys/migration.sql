-- CreateTable
CREATE TABLE "actor_keys" (
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "bare" TEXT,
    "actor_id" UUID NOT NULL,

    CONSTRAINT "actor_keys_pkey" PRIMARY KEY ("kind","key")
);

-- CreateIndex
CREATE INDEX "actor_keys_bare_idx" ON "actor_keys"("bare");

-- CreateIndex
CREATE INDEX "actor_keys_actor_id_idx" ON "actor_keys"("actor_id");

-- CreateIndex
CREATE INDEX "sources_language_idx" ON "sources"("language");

-- AddForeignKey
ALTER TABLE "actor_keys" ADD CONSTRAINT "actor_keys_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (Prisma cannot express extensions, functions, triggers or indexes on expressions; its
-- drift check leaves them alone).

-- Trigram similarity for name search that tolerates spelling variants ("ibrahim raisi" finds
-- Ebrahim Raisi). PostgreSQL ships it as a contrib module; PGlite loads it from src/db/extensions.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "actors_search_key_trgm_idx" ON "actors" USING GIN ("search_key" gin_trgm_ops);

-- An actor's name and aliases, folded as search keys are, for references by alias (`actor=ICJ`,
-- `speaker: "díaz-canel"`). Several actors may share an alias: the resolver then names them all.
-- attest_fold's expression, spelled out: PostgreSQL 17 and later build and maintain an index with a
-- search_path that does not reach this schema, where a call to attest_fold would not be found.
CREATE FUNCTION attest_actor_names(name text, aliases text[]) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT DISTINCT f FROM (
    SELECT trim(regexp_replace(lower(regexp_replace(normalize(coalesce(n, ''), NFKD), '[\u0300-\u036f]', '', 'g')),
                               '[[:space:][:punct:]‘’“”«»–—]+', ' ', 'g')) AS f
    FROM unnest(array_prepend(name, aliases)) n) t WHERE f <> '')
$$;

CREATE INDEX "actors_names_idx" ON "actors" USING GIN (attest_actor_names("name", "aliases"));

-- Handles and external ids in actor_keys, whose primary key makes each one name a single actor,
-- also under concurrent writes: a second writer of the same key waits for the first to commit, then
-- fails. The failure names the holder (as JSON after the marker), so the API can answer a 409 that
-- says which actor to use or merge instead.
CREATE FUNCTION actors_keys_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  k record;
  holder record;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM actor_keys WHERE actor_id = NEW.id AND kind IN ('handle', 'externalId');
  END IF;
  FOR k IN
    SELECT kind, key, min(bare) AS bare, min(field) AS field FROM (
      SELECT 'handle' AS kind, lower(h->>'platform') || ':' || lower(h->>'handle') AS key, lower(h->>'handle') AS bare,
             'handles.' || lpad((i - 1)::text, 4, '0') AS field
        FROM jsonb_array_elements(NEW.handles) WITH ORDINALITY AS t(h, i)
      UNION ALL
      SELECT 'externalId', e.key || ':' || lower(e.value), NULL, 'externalIds.' || e.key
        FROM jsonb_each_text(NEW.external_ids) e
    ) wanted GROUP BY kind, key
  LOOP
    INSERT INTO actor_keys (kind, key, bare, actor_id) VALUES (k.kind, k.key, k.bare, NEW.id) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      SELECT a.id, a.slug, a.name INTO holder FROM actor_keys ak JOIN actors a ON a.id = ak.actor_id
        WHERE ak.kind = k.kind AND ak.key = k.key;
      RAISE EXCEPTION 'attest-actor-key-taken %', json_build_object(
        'field', regexp_replace(k.field, '^handles\.0*(\d)', 'handles.\1'), 'key', k.key,
        'id', holder.id, 'slug', holder.slug, 'name', holder.name)
        USING ERRCODE = '23505';
    END IF;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER actors_keys_sync AFTER INSERT OR UPDATE OF handles, external_ids ON actors
  FOR EACH ROW EXECUTE FUNCTION actors_keys_sync();

-- Actors recorded before this migration: the oldest holder of a handle or external id keeps it.
-- Later duplicates keep theirs in their own fields, and a change to those fields is refused until
-- they are merged (POST /actors/{id}/merge).
INSERT INTO actor_keys (kind, key, bare, actor_id)
SELECT DISTINCT ON (kind, key) kind, key, bare, id FROM (
  SELECT 'handle' AS kind, lower(h->>'platform') || ':' || lower(h->>'handle') AS key, lower(h->>'handle') AS bare, a.id, a.created_at
    FROM actors a, jsonb_array_elements(a.handles) h
  UNION ALL
  SELECT 'externalId', e.key || ':' || lower(e.value), NULL, a.id, a.created_at
    FROM actors a, jsonb_each_text(a.external_ids) e
) t ORDER BY kind, key, created_at, id;

-- Language filters match BCP 47 prefixes (`pt` finds pt and pt-BR): a range of the lower-cased tag,
-- compared byte by byte so that "starts with pt-" is the range ['pt-', 'pt.') on any database
-- collation. These replace the lower-cased indexes, which served equality only.
DROP INDEX "statements_language_lower_idx";
DROP INDEX "statements_original_language_lower_idx";
CREATE INDEX "statements_language_lower_idx" ON "statements" ((lower("language") COLLATE "C"));
CREATE INDEX "statements_original_language_lower_idx" ON "statements" ((lower("original_language") COLLATE "C"));
CREATE INDEX "sources_language_lower_idx" ON "sources" ((lower("language") COLLATE "C"), "language");
