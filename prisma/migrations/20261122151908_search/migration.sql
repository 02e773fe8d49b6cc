-- AlterTable
ALTER TABLE "actors" ADD COLUMN     "search_key" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "statements" ADD COLUMN     "search_original" tsvector,
ADD COLUMN     "search_text" tsvector;

-- CreateIndex
CREATE INDEX "statements_search_text_idx" ON "statements" USING GIN ("search_text");

-- CreateIndex
CREATE INDEX "statements_search_original_idx" ON "statements" USING GIN ("search_original");

-- Hand-written (Prisma cannot express functions or triggers; its drift check ignores them).

-- Folds text for accent- and case-insensitive matching: "Díaz-Canel" → "diaz canel".
CREATE FUNCTION attest_fold(input text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT trim(regexp_replace(lower(regexp_replace(normalize(coalesce(input, ''), NFKD), '[\u0300-\u036f]', '', 'g')),
                             '[[:space:][:punct:]‘’“”«»–—]+', ' ', 'g'))
$$;

CREATE FUNCTION actors_search_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_key := attest_fold(concat_ws(' ', NEW.name, NEW.slug, array_to_string(NEW.aliases, ' ')));
  RETURN NEW;
END $$;

CREATE TRIGGER actors_search_key BEFORE INSERT OR UPDATE OF name, slug, aliases ON actors
  FOR EACH ROW EXECUTE FUNCTION actors_search_key();

UPDATE actors SET name = name;

-- The text search configuration for a BCP 47 language tag; 'simple' (no stemming) when none fits.
CREATE FUNCTION attest_ts_config(lang text) RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE lower(split_part(coalesce(lang, ''), '-', 1))
    WHEN 'ar' THEN 'arabic' WHEN 'hy' THEN 'armenian' WHEN 'eu' THEN 'basque' WHEN 'ca' THEN 'catalan'
    WHEN 'da' THEN 'danish' WHEN 'nl' THEN 'dutch' WHEN 'en' THEN 'english' WHEN 'fi' THEN 'finnish'
    WHEN 'fr' THEN 'french' WHEN 'de' THEN 'german' WHEN 'el' THEN 'greek' WHEN 'hi' THEN 'hindi'
    WHEN 'hu' THEN 'hungarian' WHEN 'id' THEN 'indonesian' WHEN 'ga' THEN 'irish' WHEN 'it' THEN 'italian'
    WHEN 'lt' THEN 'lithuanian' WHEN 'ne' THEN 'nepali' WHEN 'no' THEN 'norwegian' WHEN 'nb' THEN 'norwegian'
    WHEN 'nn' THEN 'norwegian' WHEN 'pt' THEN 'portuguese' WHEN 'ro' THEN 'romanian' WHEN 'ru' THEN 'russian'
    WHEN 'sr' THEN 'serbian' WHEN 'es' THEN 'spanish' WHEN 'sv' THEN 'swedish' WHEN 'ta' THEN 'tamil'
    WHEN 'tr' THEN 'turkish' WHEN 'yi' THEN 'yiddish' ELSE 'simple' END)::regconfig
$$;

-- Each rendering is analysed in its own language: the Spanish original with Spanish stemming, its
-- English translation with English stemming. Tags join the text unstemmed, camel-case hashtags split
-- into words (#GenocidioEnGaza is found by "Gaza").
CREATE FUNCTION statements_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_text := to_tsvector(attest_ts_config(NEW.language), NEW.text)
    || to_tsvector('simple', regexp_replace(array_to_string(NEW.tags, ' '), '([[:lower:]])([[:upper:]])', '\1 \2', 'g'));
  NEW.search_original := CASE WHEN NEW.original_text IS NULL THEN NULL
                              ELSE to_tsvector(attest_ts_config(NEW.original_language), NEW.original_text) END;
  RETURN NEW;
END $$;

CREATE TRIGGER statements_search_update BEFORE INSERT OR UPDATE OF text, language, original_text, original_language, tags
  ON statements FOR EACH ROW EXECUTE FUNCTION statements_search_update();

UPDATE statements SET text = text;
