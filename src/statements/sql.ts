import { actorSummaryJson, citationsJson, isoTimestamp } from '../citations/sql.js';
import type { Params } from '../db/sql.js';

/**
 * SQL for reading statements. One query shapes a statement with its speaker,
 * the actors involved and its citations, for lists and single reads alike.
 */

export interface Shape {
  /** Full speaker (role, country, aliases) instead of the summary. */
  fullActor: boolean;
  /** Full source records in citations instead of summaries. */
  fullSources: boolean;
  /** Placeholder of the search query, for rank and highlights. */
  search?: { query: string; highlight: boolean };
}

const speakerJson = (full: boolean) =>
  full
    ? `json_build_object('id', a.id, 'slug', a.slug, 'name', a.name, 'kind', a.kind, 'role', a.role, 'country', a.country, 'aliases', a.aliases)`
    : actorSummaryJson('a');

/** The ts_query of a search in the language of one rendering. */
const tsQuery = (language: string, q: string) => `websearch_to_tsquery(attest_ts_config(${language}), ${q})`;

export const rankSql = (q: string) =>
  `(ts_rank_cd(s.search_text, ${tsQuery('s.language', q)}) + coalesce(ts_rank_cd(s.search_original, ${tsQuery('s.original_language', q)}), 0))`;

// Short texts come back whole with every match marked; long ones as the best fragments.
const headline = (config: string, text: string, q: string) => `CASE WHEN ${text} IS NULL THEN NULL
  WHEN length(${text}) <= 1000 THEN ts_headline(attest_ts_config(${config}), ${text}, ${tsQuery(config, q)}, 'HighlightAll=true, StartSel=<mark>, StopSel=</mark>')
  ELSE ts_headline(attest_ts_config(${config}), ${text}, ${tsQuery(config, q)}, 'MaxFragments=3, MaxWords=40, MinWords=15, StartSel=<mark>, StopSel=</mark>') END`;

export function selectStatements(shape: Shape): string {
  const search = shape.search;
  const extra = search
    ? `, ${rankSql(search.query)} AS rank${
        search.highlight
          ? `, ${headline('s.language', 's.text', search.query)} AS highlight_text, ${headline('s.original_language', 's.original_text', search.query)} AS highlight_original`
          : ''
      }`
    : '';
  return `
SELECT s.id, s.text, s.language, s.original_text, s.original_language, s.kind,
       to_char(s.said_on, 'YYYY-MM-DD') AS said_on, s.said_precision, s.medium, s.platform, s.location, s.occasion,
       s.tags, s.verification, s.notes,
       ${isoTimestamp('s.created_at')} AS created_at, ${isoTimestamp('s.updated_at')} AS updated_at,
       ${speakerJson(shape.fullActor)} AS speaker,
       COALESCE((SELECT json_agg(json_build_object('actor', ${actorSummaryJson('ia')}, 'role', sa.role) ORDER BY ia.name, ia.id)
                 FROM statement_actors sa JOIN actors ia ON ia.id = sa.actor_id
                 WHERE sa.statement_id = s.id), '[]'::json) AS involved,
       ${citationsJson('statement_id', 's.id', shape.fullSources)} AS citations${extra}
FROM statements s JOIN actors a ON a.id = s.speaker_id`;
}

// Every configuration attest_ts_config can return (see the search migration).
const TS_CONFIGS = [
  'arabic',
  'armenian',
  'basque',
  'catalan',
  'danish',
  'dutch',
  'english',
  'finnish',
  'french',
  'german',
  'greek',
  'hindi',
  'hungarian',
  'indonesian',
  'irish',
  'italian',
  'lithuanian',
  'nepali',
  'norwegian',
  'portuguese',
  'romanian',
  'russian',
  'serbian',
  'simple',
  'spanish',
  'swedish',
  'tamil',
  'turkish',
  'yiddish',
];

// `-word` or `-"a phrase"` in web-search syntax.
const EXCLUDED = /(?:^|\s)-("[^"]*"|[^\s"]+)/g;

/**
 * Full-text match, each rendering in its own language. The per-configuration
 * alternatives let PostgreSQL use the GIN indexes on constant queries; the
 * final condition keeps only matches made in the rendering's own language, so
 * an exclusion (`-rally`) is never bypassed through another language's stemmer.
 */
export function matchSql(p: Params, q: string): { where: string; query: string } {
  const query = p.add(q);
  // An excluded word or phrase drops the statement when either rendering has it, in its own language.
  const excluded = [...q.matchAll(EXCLUDED)].map((m) => {
    const term = p.add(m[1]);
    return `NOT coalesce(s.search_text @@ ${tsQuery('s.language', term)} OR s.search_original @@ ${tsQuery('s.original_language', term)}, false)`;
  });
  const prefilter = TS_CONFIGS.map(
    (c) =>
      `s.search_text @@ websearch_to_tsquery('${c}', ${query}) OR s.search_original @@ websearch_to_tsquery('${c}', ${query})`,
  ).join(' OR ');
  const exact = `(s.search_text @@ ${tsQuery('s.language', query)} OR s.search_original @@ ${tsQuery('s.original_language', query)})`;
  return { where: [`(${prefilter})`, exact, ...excluded].join(' AND '), query };
}
