/** SQL fragments shared by the read queries of statements and figures. */

export const isoTimestamp = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const actorSummaryJson = (alias: string) =>
  `json_build_object('id', ${alias}.id, 'slug', ${alias}.slug, 'name', ${alias}.name, 'kind', ${alias}.kind)`;

/** A partial date column as the API writes it: YYYY-MM-DD, YYYY-MM or YYYY. */
export const partialDate = (date: string, precision: string) =>
  `to_char(${date}, CASE ${precision} WHEN 'year' THEN 'YYYY' WHEN 'month' THEN 'YYYY-MM' ELSE 'YYYY-MM-DD' END)`;

const FULL_SOURCE = `, 'authors', src.authors, 'language', src.language, 'archiveUrl', src.archive_url,
  'retrievedAt', ${isoTimestamp('src.retrieved_at')}, 'notes', src.notes`;

/**
 * A JSON array of the citations of the row whose id is in `owner`
 * (citations.<fk> = owner), primary sources first; `fullSources` adds the rest
 * of each source record to its summary.
 */
export const citationsJson = (fk: 'statement_id' | 'figure_id', owner: string, fullSources = false) => `COALESCE((
    SELECT json_agg(json_build_object(
      'id', c.id, 'role', c.role, 'excerpt', c.excerpt, 'locator', c.locator, 'relays', c.relays_source_id,
      'source', json_build_object('id', src.id, 'kind', src.kind, 'title', src.title, 'publisher', src.publisher,
                                  'url', src.url, 'publishedOn', ${partialDate('src.published_on', 'src.published_precision')}${fullSources ? FULL_SOURCE : ''})
    ) ORDER BY c.role, c.created_at, c.id)
    FROM citations c JOIN sources src ON src.id = c.source_id
    WHERE c.${fk} = ${owner}), '[]'::json)`;

/**
 * The revision a statement's or figure's answer shows: its highest numbered revision, plus the one this
 * transaction recorded and has not numbered yet (the write door numbers it one above, just before
 * commit: src/writes/door.ts), so that a write's own answer names the revision it makes. Both probes
 * are index-only, on revisions' unique (resource, record_id, revision). Not in history snapshots: they
 * are read before their revision is numbered.
 */
export const revisionSql = (resource: 'statement' | 'figure', id: string) =>
  `((SELECT coalesce(max(rv.revision), 0) FROM revisions rv WHERE rv.resource = '${resource}' AND rv.record_id = ${id})
    + (SELECT count(*) FROM revisions rv WHERE rv.resource = '${resource}' AND rv.record_id = ${id} AND rv.revision IS NULL))::int`;
