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
export const RECORD_TYPES = ['actor', 'source', 'statement', 'figure'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

type Row = Record<string, unknown>;
export type Line = Record<string, unknown> & { type: string; id: string };

const ts = (col: string) => isoTimestamp(col);

const citationsOf = (fk: 'statement_id' | 'figure_id', owner: string) => `COALESCE((
    SELECT json_agg(json_build_object('id', c.id, 'sourceId', c.source_id, 'excerpt', c.excerpt, 'locator', c.locator,
                                      'role', c.role, 'relays', c.relays_source_id, 'createdAt', ${ts('c.created_at')}, 'updatedAt', ${ts('c.updated_at')}) ORDER BY c.id)
    FROM citations c WHERE c.${fk} = ${owner}), '[]'::json)`;

/** SQL per type: every column as text, JSON or a number, so that Prisma's raw reads (inside snapshots) and the drivers agree. */
const SELECT: Record<RecordType, string> = {
  actor: `SELECT a.id::text, a.slug, a.name, a.kind::text, a.aliases, a.role, a.country, a.handles, a.external_ids, a.description,
    ${ts('a.created_at')} AS created_at, ${ts('a.updated_at')} AS updated_at FROM actors a`,
  source: `SELECT a.id::text, a.kind::text, a.title, a.url, a.publisher, a.authors,
    ${partialDate('a.published_on', 'a.published_precision')} AS published_on, a.language, ${ts('a.retrieved_at')} AS retrieved_at,
    a.archive_url, a.notes, ${ts('a.created_at')} AS created_at, ${ts('a.updated_at')} AS updated_at FROM sources a`,
  statement: `SELECT a.id::text, a.speaker_id::text, a.text, a.language, a.original_text, a.original_language, a.kind::text,
    ${partialDate('a.said_on', 'a.said_precision')} AS said_on, a.medium::text, a.platform, a.location, a.occasion, a.tags,
    a.verification::text, a.notes,
    COALESCE((SELECT json_agg(json_build_object('actor', sa.actor_id, 'role', sa.role) ORDER BY sa.actor_id)
              FROM statement_actors sa WHERE sa.statement_id = a.id), '[]'::json) AS involved,
    ${citationsOf('statement_id', 'a.id')} AS citations,
    ${ts('a.created_at')} AS created_at, ${ts('a.updated_at')} AS updated_at FROM statements a`,
  figure: `SELECT a.id::text, a.metric, a.value, a.qualifier::text, a.unit::text, a.share_of_id::text, a.method::text,
    coalesce(a.derived_from, '{}')::text[] AS derived_from, a.lower_bound, a.upper_bound, a.phrase, a.population, a.area,
    a.cumulative, to_char(a.period_start, 'YYYY-MM-DD') AS period_start, to_char(a.period_end, 'YYYY-MM-DD') AS period_end,
    ${partialDate('a.as_of', 'a.as_of_precision')} AS as_of, a.reporter_id::text, a.statement_id::text, a.caveats, a.notes,
    ${citationsOf('figure_id', 'a.id')} AS citations,
    ${ts('a.created_at')} AS created_at, ${ts('a.updated_at')} AS updated_at FROM figures a`,
};

/** A database row as its line, keys in the order of the create body. */
const LINE: Record<RecordType, (r: Row) => Line> = {
  actor: (r) => ({
    type: 'actor',
    id: r.id as string,
    slug: r.slug,
    name: r.name,
    kind: r.kind,
    aliases: r.aliases,
    role: r.role,
    country: r.country,
    handles: r.handles,
    externalIds: r.external_ids,
    description: r.description,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }),
  source: (r) => ({
    type: 'source',
    id: r.id as string,
    kind: r.kind,
    title: r.title,
    url: r.url,
    publisher: r.publisher,
    authors: r.authors,
    publishedOn: r.published_on,
    language: r.language,
    retrievedAt: r.retrieved_at,
    archiveUrl: r.archive_url,
    notes: r.notes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }),
  statement: (r) => ({
    type: 'statement',
    id: r.id as string,
    speaker: r.speaker_id,
    text: r.text,
    language: r.language,
    originalText: r.original_text,
    originalLanguage: r.original_language,
    kind: r.kind,
    saidOn: r.said_on,
    medium: r.medium,
    platform: r.platform,
    location: r.location,
    occasion: r.occasion,
    tags: r.tags,
    verification: r.verification,
    notes: r.notes,
    involved: r.involved,
    citations: r.citations,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }),
  figure: (r) => ({
    type: 'figure',
    id: r.id as string,
    metric: r.metric,
    value: r.value,
    qualifier: r.qualifier,
    unit: r.unit,
    shareOf: r.share_of_id,
    method: r.method,
    derivedFrom: r.derived_from,
    lowerBound: r.lower_bound,
    upperBound: r.upper_bound,
    phrase: r.phrase,
    population: r.population,
    area: r.area,
    cumulative: r.cumulative,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    asOf: r.as_of,
    reporter: r.reporter_id,
    statementId: r.statement_id,
    caveats: r.caveats,
    notes: r.notes,
    citations: r.citations,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }),
};

/** One page of a type's lines after the id `after` (keyset on the primary key). */
export async function pageOfLines(db: Database, type: RecordType, after: string | undefined, limit: number): Promise<Line[]> {
  const rows = after
    ? await db.query<Row>(`${SELECT[type]} WHERE a.id > $1::uuid ORDER BY a.id LIMIT $2`, [after, limit])
    : await db.query<Row>(`${SELECT[type]} ORDER BY a.id LIMIT $1`, [limit]);
  return rows.map(LINE[type]);
}

/** The lines of the records with these ids (in no particular order): what an import compares a line with. */
export async function linesByIds(db: Database, type: RecordType, ids: string[]): Promise<Map<string, Line>> {
  if (!ids.length) return new Map();
  const rows = await db.query<Row>(`${SELECT[type]} WHERE a.id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.id as string, LINE[type](r)]));
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
