import { isoTimestamp, partialDate } from '../citations/sql.js';
import type { Database } from '../db/database.js';

/**
 * The whole record as lines of NDJSON, in an order an import can replay:
 * actors, sources, statements, figures (each by id), then, when asked, every
 * revision. Each record line has the shape of its create body (references by
 * id, citations and involved actors inline) plus `type`, `id`, `createdAt` and
 * `updatedAt`, so that POST /import of an export restores the same record and
 * an export of the restored database gives the same lines.
 */
// Relations last: they name statements and figures, which an import must have read by then.
export const RECORD_TYPES = ['actor', 'source', 'statement', 'figure', 'relation'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

type Row = Record<string, unknown>;
export type Line = Record<string, unknown> & { type: string; id: string };

const ts = (col: string) => isoTimestamp(col);

const citationsOf = (fk: 'statement_id' | 'figure_id', owner: string) => `COALESCE((
    SELECT json_agg(json_build_object('id', c.id, 'sourceId', c.source_id, 'excerpt', c.excerpt, 'locator', c.locator,
                                      'role', c.role, 'relays', c.relays_source_id, 'createdAt', ${ts('c.created_at')}, 'updatedAt', ${ts('c.updated_at')}) ORDER BY c.id)
    FROM citations c WHERE c.${fk} = ${owner}), '[]'::json)`;

const TIMES = `${ts('a.created_at')} AS "createdAt", ${ts('a.updated_at')} AS "updatedAt"`;

/**
 * SQL per type, its columns named and ordered as the line's keys (the create body's, between id and
 * the times): every column as text, JSON or a number, so that Prisma's raw reads (inside snapshots)
 * and the drivers agree.
 */
const SELECT: Record<RecordType, string> = {
  actor: `SELECT a.id::text, a.slug, a.name, a.kind::text, a.aliases, a.role, a.country, a.handles,
    a.external_ids AS "externalIds", a.description, ${TIMES} FROM actors a`,
  source: `SELECT a.id::text, a.kind::text, a.title, a.url, a.publisher, a.outlet_id::text AS outlet, a.authors,
    ${partialDate('a.published_on', 'a.published_precision')} AS "publishedOn", a.language,
    ${ts('a.retrieved_at')} AS "retrievedAt", a.archive_url AS "archiveUrl", a.notes, ${TIMES} FROM sources a`,
  statement: `SELECT a.id::text, a.speaker_id::text AS speaker, a.attribution::text, a.attributed_to AS "attributedTo", a.text, a.language, a.original_text AS "originalText",
    a.original_language AS "originalLanguage", a.kind::text, ${partialDate('a.said_on', 'a.said_precision')} AS "saidOn",
    a.medium::text, a.platform, a.location, a.occasion, a.tags, a.verification::text, a.notes,
    COALESCE((SELECT json_agg(json_build_object('actor', sa.actor_id, 'role', sa.role) ORDER BY sa.actor_id)
              FROM statement_actors sa WHERE sa.statement_id = a.id), '[]'::json) AS involved,
    ${citationsOf('statement_id', 'a.id')} AS citations, ${TIMES} FROM statements a`,
  figure: `SELECT a.id::text, a.metric, a.value, a.qualifier::text, a.unit::text, a.share_of_id::text AS "shareOf",
    a.method::text, coalesce(a.derived_from, '{}')::text[] AS "derivedFrom", a.lower_bound AS "lowerBound",
    a.upper_bound AS "upperBound", a.phrase, a.population, a.area, a.cumulative,
    to_char(a.period_start, 'YYYY-MM-DD') AS "periodStart", to_char(a.period_end, 'YYYY-MM-DD') AS "periodEnd",
    ${partialDate('a.as_of', 'a.as_of_precision')} AS "asOf", a.reporter_id::text AS reporter,
    a.statement_id::text AS "statementId", a.caveats, a.notes, ${citationsOf('figure_id', 'a.id')} AS citations,
    ${TIMES} FROM figures a`,
  relation: `SELECT a.id::text, a.statement_id::text AS statement, a.kind::text, a.target_statement_id::text AS "targetStatement",
    a.target_figure_id::text AS "targetFigure", a.notes, ${TIMES} FROM relations a`,
};

const line = (type: RecordType) => (r: Row) => ({ type, ...r }) as Line;

/** One page of a type's lines after the id `after` (keyset on the primary key). */
export async function pageOfLines(db: Database, type: RecordType, after: string | undefined, limit: number): Promise<Line[]> {
  const rows = after
    ? await db.query<Row>(`${SELECT[type]} WHERE a.id > $1::uuid ORDER BY a.id LIMIT $2`, [after, limit])
    : await db.query<Row>(`${SELECT[type]} ORDER BY a.id LIMIT $1`, [limit]);
  return rows.map(line(type));
}

/** The lines of the records with these ids (in no particular order): what an import compares a line with. */
export async function linesByIds(db: Database, type: RecordType, ids: string[]): Promise<Map<string, Line>> {
  if (!ids.length) return new Map();
  const rows = await db.query<Row>(`${SELECT[type]} WHERE a.id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.id as string, line(type)(r)]));
}

/** Every revision, by record and number: deterministic whatever order transactions committed in. */
export async function pageOfRevisions(
  db: Database,
  after: { resource: string; id: string; revision: number } | undefined,
  limit: number,
): Promise<{ line: Line; key: { resource: string; id: string; revision: number } }[]> {
  const select = `SELECT resource, record_id::text AS id, revision, action::text, ${ts('at')} AS at, key_name, reason, snapshot
    FROM revisions WHERE revision IS NOT NULL`;
  const rows = after
    ? await db.query<Row>(
        `${select} AND (resource, record_id, revision) > ($1, $2::uuid, $3::int) ORDER BY resource, record_id, revision LIMIT $4`,
        [after.resource, after.id, after.revision, limit],
      )
    : await db.query<Row>(`${select} ORDER BY resource, record_id, revision LIMIT $1`, [limit]);
  return rows.map((r) => ({
    key: { resource: r.resource as string, id: r.id as string, revision: Number(r.revision) },
    line: {
      type: 'revision',
      resource: r.resource,
      id: r.id as string,
      revision: Number(r.revision),
      action: r.action,
      at: r.at,
      by: r.key_name,
      reason: r.reason,
      record: r.snapshot,
    },
  }));
}

// Large enough that a line costs little, small enough to keep memory flat.
export const EXPORT_PAGE = 500;

/**
 * Writes the export through `send` (which waits while the client is slow), page
 * by page, from the database view given (one snapshot: see readSnapshot).
 */
export async function writeExport(db: Database, send: (chunk: string) => Promise<void>, history: boolean) {
  for (const type of RECORD_TYPES) {
    let after: string | undefined;
    for (;;) {
      const lines = await pageOfLines(db, type, after, EXPORT_PAGE);
      if (!lines.length) break;
      await send(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      if (lines.length < EXPORT_PAGE) break;
      after = lines.at(-1)!.id;
    }
  }
  if (!history) return;
  let after: { resource: string; id: string; revision: number } | undefined;
  for (;;) {
    const page = await pageOfRevisions(db, after, EXPORT_PAGE);
    if (!page.length) break;
    await send(page.map((p) => `${JSON.stringify(p.line)}\n`).join(''));
    if (page.length < EXPORT_PAGE) break;
    after = page.at(-1)!.key;
  }
}
