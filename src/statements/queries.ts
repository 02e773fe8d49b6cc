import type { Database } from '../db/database.js';
import { Params, keyset, periodWithin } from '../db/sql.js';
import { actorSummaryJson, citationsJson, isoTimestamp } from '../citations/sql.js';
import { pageOf, parseSort } from '../http/pagination.js';
import { type Precision, formatPartialDate, rangeEnd, rangeStart } from '../http/partial-date.js';
import { notFound } from '../http/problems.js';
import type { z } from 'zod';
import type { Statement, StatementListInput } from './schemas.js';

/**
 * The read side of statements: one SQL query shapes a statement with its
 * speaker, the actors involved and its citations, for lists and single reads
 * alike. Hand-written because this is the hottest path of the API.
 */
const SELECT = `
SELECT s.id, s.text, s.language, s.original_text, s.original_language, s.kind,
       to_char(s.said_on, 'YYYY-MM-DD') AS said_on, s.said_precision, s.medium, s.platform, s.location, s.occasion,
       s.tags, s.verification, s.notes,
       ${isoTimestamp('s.created_at')} AS created_at, ${isoTimestamp('s.updated_at')} AS updated_at,
       ${actorSummaryJson('a')} AS speaker,
       COALESCE((SELECT json_agg(json_build_object('actor', ${actorSummaryJson('ia')}, 'role', sa.role) ORDER BY ia.name, ia.id)
                 FROM statement_actors sa JOIN actors ia ON ia.id = sa.actor_id
                 WHERE sa.statement_id = s.id), '[]'::json) AS involved,
       ${citationsJson('statement_id', 's.id')} AS citations
FROM statements s JOIN actors a ON a.id = s.speaker_id`;

type StatementOut = z.output<typeof Statement>;

// Column types as the SQL above produces them: JSON columns arrive parsed.
interface Row {
  id: string;
  text: string;
  language: string;
  original_text: string | null;
  original_language: string | null;
  kind: StatementOut['kind'];
  said_on: string;
  said_precision: Precision;
  medium: StatementOut['medium'];
  platform: string | null;
  location: string | null;
  occasion: string | null;
  tags: string[];
  verification: StatementOut['verification'];
  notes: string | null;
  created_at: string;
  updated_at: string;
  speaker: StatementOut['speaker'];
  involved: StatementOut['involved'];
  citations: StatementOut['citations'];
}

function toStatement(r: Row): StatementOut {
  return {
    id: r.id,
    speaker: r.speaker,
    text: r.text,
    language: r.language,
    originalText: r.original_text,
    originalLanguage: r.original_language,
    kind: r.kind,
    saidOn: formatPartialDate(new Date(`${r.said_on}T00:00:00Z`), r.said_precision),
    saidPrecision: r.said_precision,
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
  };
}

export async function getStatement(db: Database, id: string): Promise<StatementOut> {
  const [row] = await db.query<Row>(`${SELECT} WHERE s.id = $1`, [id]);
  if (!row) throw notFound('statement', id);
  return toStatement(row);
}

export async function listStatements(db: Database, q: StatementListInput) {
  const sort = parseSort(q.sort, { saidOn: 'date', createdAt: 'date' });
  const p = new Params();
  const where: string[] = [];

  if (q.actor) {
    const refs = p.add(q.actor);
    where.push(`s.speaker_id IN (SELECT id FROM actors WHERE id::text = ANY(${refs}) OR slug = ANY(${refs}))`);
  }
  where.push(...periodWithin(p, 's.said_on', 's.said_precision', rangeStart(q.from), rangeEnd(q.to)));
  if (q.kind) where.push(`s.kind = ${p.add(q.kind)}::statement_kind`);
  if (q.medium) where.push(`s.medium = ${p.add(q.medium)}::medium`);
  if (q.language) {
    const lang = p.add(q.language.toLowerCase());
    where.push(`(lower(s.language) = ${lang} OR lower(s.original_language) = ${lang})`);
  }
  if (q.tag)
    where.push(
      `EXISTS (SELECT 1 FROM unnest(s.tags) t WHERE lower(t) = ANY(${p.add(q.tag.map((t: string) => t.replace(/^#/, '').toLowerCase()))}))`,
    );

  const bySaidOn = sort.field === 'saidOn';
  const page = keyset(p, sort, bySaidOn ? 's.said_on' : 's.created_at', bySaidOn ? 'date' : 'timestamptz', 's.id', q.cursor);
  where.push(...page.where);
  const sql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ${page.orderBy} LIMIT ${p.add(q.limit + 1)}`;
  const { data, nextCursor } = pageOf(await db.query<Row>(sql, p.values), q.limit, sort, (r) =>
    bySaidOn ? r.said_on : r.created_at,
  );
  return { data: data.map(toStatement), nextCursor };
}
