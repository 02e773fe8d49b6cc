import { actorSummaryJson, citationsJson, isoTimestamp, revisionSql } from '../citations/sql.js';
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
  /** Placeholder of the search query, for rank and highlights; `rank` when it is already computed. */
  search?: { query: string; highlight: boolean; rank?: string };
  /** The revision the statement is at, for answers (history snapshots leave it out). */
  revision?: boolean;
}

const speakerJson = (full: boolean) =>
  `CASE WHEN a.id IS NULL THEN NULL ELSE ${speakerFields(full)} END`;

const speakerFields = (full: boolean) =>
  full
    ? `json_build_object('id', a.id, 'slug', a.slug, 'name', a.name, 'kind', a.kind, 'role', a.role, 'country', a.country, 'aliases', a.aliases)`
    : actorSummaryJson('a');

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

/**
 * The ts_query of a search in the language of one rendering. Spelled out per
 * configuration so that each branch is parsed once, when the query is planned,
 * instead of once per row (20 to 30 times slower on a common word).
 */
const tsQuery = (language: string, q: string) =>
  `CASE attest_ts_config(${language}) ${TS_CONFIGS.map((c) => `WHEN '${c}'::regconfig THEN websearch_to_tsquery('${c}', ${q})`).join(' ')} END`;

// ts_rank, not ts_rank_cd: cover density grows with the square of the query's words (a 60-word OR
// ranked over 200,000 rows: 10.3 s against 1.6 s), and statements are too short for it to matter.
export const rankSql = (q: string) =>
  `(ts_rank(s.search_text, ${tsQuery('s.language', q)}) + coalesce(ts_rank(s.search_original, ${tsQuery('s.original_language', q)}), 0))`;

/**
 * Stored text as HTML text: `&`, `<`, `>` and both quotes escaped. Highlights are HTML, and the
 * text is whatever a writer stored (an `<img onerror=…>` included): escaped before ts_headline
 * marks it, so the only markup in a highlight is the `<mark>` tags. The parser reads an escape as
 * one token (an entity), never a word, so a fragment cannot cut one in half nor mark inside it.
 */
export const htmlEscaped = (text: string) =>
  `replace(replace(replace(replace(replace(${text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')`;

// Short texts come back whole with every match marked; long ones as the best fragments.
const headline = (config: string, text: string, q: string) => `CASE WHEN ${text} IS NULL THEN NULL
  WHEN length(${text}) <= 1000 THEN ts_headline(attest_ts_config(${config}), ${htmlEscaped(text)}, ${tsQuery(config, q)}, 'HighlightAll=true, StartSel=<mark>, StopSel=</mark>')
  ELSE ts_headline(attest_ts_config(${config}), ${htmlEscaped(text)}, ${tsQuery(config, q)}, 'MaxFragments=3, MaxWords=40, MinWords=15, StartSel=<mark>, StopSel=</mark>') END`;

/** `from` must name the statement `s`; it can join it to a page of ids chosen beforehand. */
export function selectStatements(shape: Shape, from = 'statements s'): string {
  const search = shape.search;
  const extra = search
    ? `, ${search.rank ?? rankSql(search.query)} AS rank${
        search.highlight
          ? `, ${headline('s.language', 's.text', search.query)} AS highlight_text, ${headline('s.original_language', 's.original_text', search.query)} AS highlight_original`
          : ''
      }`
    : '';
  const revision = shape.revision ? `, ${revisionSql('statement', 's.id')} AS revision` : '';
  return `
SELECT s.id, s.text, s.language, s.original_text, s.original_language, s.kind,
       to_char(s.said_on, 'YYYY-MM-DD') AS said_on, s.said_precision, s.medium, s.platform, s.location, s.occasion,
       s.tags, s.verification, s.notes, s.attribution, s.attributed_to,
       ${isoTimestamp('s.created_at')} AS created_at, ${isoTimestamp('s.updated_at')} AS updated_at,
       ${speakerJson(shape.fullActor)} AS speaker,
       COALESCE((SELECT json_agg(json_build_object('actor', ${actorSummaryJson('ia')}, 'role', sa.role) ORDER BY ia.name, ia.id)
                 FROM statement_actors sa JOIN actors ia ON ia.id = sa.actor_id
                 WHERE sa.statement_id = s.id), '[]'::json) AS involved,
       ${citationsJson('statement_id', 's.id', shape.fullSources)} AS citations${revision}${extra}
FROM ${from} LEFT JOIN actors a ON a.id = s.speaker_id`;
}

// Outside quotes: `-word` or `-"a phrase"` (an exclusion), or a quoted phrase (kept whole, so a
// hyphen inside it excludes nothing).
const TERM = /(^|\s)-("[^"]*"?|[^\s"]+)|"[^"]*"?/g;
const OR = /(^|\s)or(\s|$)/i;

/** Web-search syntax split into what a match needs and the words or phrases it must not contain. */
export function splitSearch(q: string): { positive: string; excluded: string[]; or: boolean } {
  const excluded: string[] = [];
  const positive = q.replace(TERM, (match, lead: string | undefined, term: string | undefined) => {
    if (term === undefined) return match;
    excluded.push(term);
    return lead ?? ' ';
  });
  return { positive: positive.trim(), excluded, or: OR.test(q.replace(TERM, ' ')) };
}

/**
 * Full-text match, each rendering in its own language.
 *
 * The language of a row is only known once it is read, so the GIN index on
 * search_all (both renderings) is asked for the wanted words analysed in every
 * language at once: one tsquery, one index scan, a superset of the matches.
 * Each candidate is then checked in its renderings' own languages, so an
 * exclusion (`-rally`) is never bypassed through another language's stemmer.
 */
export function matchSql(p: Params, q: string): { where: string; query: string } {
  const query = p.add(q);
  const { positive, excluded, or } = splitSearch(q);
  // The superset holds only for the words wanted: with `a OR -b`, or when a language drops every
  // wanted word as a stopword while the exclusions remain, a row can match having none of them.
  // The second condition is constant, so PostgreSQL folds it away when planning.
  const prefilter = positive && !(or && excluded.length);
  // Rank and highlights need only the words wanted: excluded ones are absent from every match. A
  // parameter of their own only where the conditions use it too, since a count reuses the conditions
  // and their parameters, and PostgreSQL refuses a parameter that nothing uses.
  const wantedQuery = excluded.length && prefilter ? p.add(positive) : query;
  const where: string[] = [];
  if (prefilter) {
    const every = (f: (c: string) => string, op: string) => TS_CONFIGS.map(f).join(op);
    const guard = excluded.length
      ? ` OR ${every((c) => `numnode(websearch_to_tsquery('${c}', ${wantedQuery})) = 0`, ' OR ')}`
      : '';
    where.push(`(s.search_all @@ (${every((c) => `websearch_to_tsquery('${c}', ${wantedQuery})`, ' || ')})${guard})`);
  }
  where.push(
    `(s.search_text @@ ${tsQuery('s.language', query)} OR s.search_original @@ ${tsQuery('s.original_language', query)})`,
  );
  // An excluded word or phrase drops the statement when either rendering has it, in its own language.
  // All of them as one `a OR "b c"` query: one check per row however many there are (one check each
  // let a 500-character query of exclusions run into the statement timeout on 200,000 rows).
  if (excluded.length) {
    const t = p.add(excluded.join(' OR '));
    where.push(
      `NOT coalesce(s.search_text @@ ${tsQuery('s.language', t)} OR s.search_original @@ ${tsQuery('s.original_language', t)}, false)`,
    );
  }
  return { where: where.join(' AND '), query: wantedQuery };
}
