-- Hand-written: indexes on expressions, which schema.prisma cannot describe (and Prisma's drift check
-- leaves alone). The filters compare case-insensitively, so their indexes hold the lower-cased values;
-- without them a tag, language or area that few records have was a scan of the whole table
-- (0.5-0.6 s on 200,000 statements).

-- A statement's tags lower-cased, for ?tag= (any of the tags given).
CREATE FUNCTION attest_lower_tags(tags text[]) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT lower(t) FROM unnest(tags) t)
$$;

CREATE INDEX "statements_tags_lower_idx" ON "statements" USING GIN (attest_lower_tags("tags"));
CREATE INDEX "statements_language_lower_idx" ON "statements" (lower("language"));
CREATE INDEX "statements_original_language_lower_idx" ON "statements" (lower("original_language"));
CREATE INDEX "figures_area_lower_idx" ON "figures" (lower("area"));
CREATE INDEX "figures_population_lower_idx" ON "figures" (lower("population"));
