import type { z } from 'zod';
import { assertActorsExist } from '../actors/repository.js';
import type { Database } from '../db/database.js';
import { Params, actorRefs, carriedBy, countRows, keyset, languageMatches, periodWithin } from '../db/sql.js';
import { offsetFromCursor, pageOf, parseSort } from '../core/pagination.js';
import { type Precision, assertRange, cutDay } from '../core/partial-date.js';
import { invalidField, notFound } from '../core/problems.js';
import type { AsRead } from '../history/citable.js';
import type { Statement, StatementListInput } from './schemas.js';
import { type Shape, matchSql, rankSql, selectStatements, splitSearch } from './sql.js';

type StatementOut = AsRead<z.output<typeof Statement>>;

// Column types as the SQL produces them: JSON columns arrive parsed.
export interface StatementRow {
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
  attribution: StatementOut['attribution'];
  attributed_to: string | null;
  involved: StatementOut['involved'];
  citations: StatementOut['citations'];
  revision?: number;
  rank?: number;
  highlight_text?: string;
  highlight_original?: string | null;
}

export function toStatement(r: StatementRow): StatementOut {
  return {
    id: r.id,
    speaker: r.speaker,
    attribution: r.attribution,
    attributedTo: r.attributed_to,
    text: r.text,
    language: r.language,
    originalText: r.original_text,
    originalLanguage: r.original_language,
    kind: r.kind,
    saidOn: cutDay(r.said_on, r.said_precision),
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
    ...(r.revision === undefined ? {} : { revision: r.revision }),
    ...(r.rank === undefined ? {} : { rank: r.rank }),
    ...(r.highlight_text === undefined
      ? {}
      : { highlight: { text: r.highlight_text, originalText: r.highlight_original ?? null } }),
  };
}

/** What an answer shows: what `include` asks to embed beyond the default shape, and the revision. */
export const shapeOf = ({ include }: { include: string[] }): Shape => ({
  fullActor: include.includes('actor'),
  fullSources: include.includes('sources'),
  revision: true,
});

const DEFAULT_SHAPE: Shape = shapeOf({ include: [] });
/** What a history snapshot keeps: the default shape, without the revision it is about to become. */
const SNAPSHOT_SHAPE: Shape = { ...DEFAULT_SHAPE, revision: false };

// Built once per shape: the prepared statement is looked up by its text, and V8 hashes a string
// once, so the same string costs nothing the second time (a new one ~2% of a GET under load).
const byIdSql = new Map<string, string>();
function selectById(shape: Shape): string {
  const key = `${shape.fullActor} ${shape.fullSources} ${shape.revision}`;
  let sql = byIdSql.get(key);
  if (!sql) byIdSql.set(key, (sql = `${selectStatements(shape)} WHERE s.id = $1`));
  return sql;
}

/** Several statements by id, as history snapshots keep them (for the snapshots of a whole write at once). */
export async function getStatements(db: Database, ids: string[]): Promise<StatementOut[]> {
  const rows = await db.query<StatementRow>(`${selectStatements(SNAPSHOT_SHAPE)} WHERE s.id = ANY($1::uuid[])`, [ids]);
  return rows.map(toStatement);
}

export async function getStatement(db: Database, id: string, shape: Shape = DEFAULT_SHAPE): Promise<StatementOut> {
  const [row] = await db.query<StatementRow>(selectById(shape), [id], { prepare: true });
  if (!row) throw notFound('statement', id);
  return toStatement(row);
}

/** Parameters that only make sense together are checked here, with the field to blame. */
function checkCombinations(q: StatementListInput) {
  if (q.sort === 'relevance' && !q.q) throw invalidField('query', 'sort', 'relevance needs a search query q');
  // Only exclusions match nearly everything, and rank nothing.
  if (q.sort === 'relevance' && q.q && !splitSearch(q.q).positive)
    throw invalidField('query', 'sort', 'relevance needs a word or phrase to look for in q, not only exclusions');
  if (q.highlight && !q.q) throw invalidField('query', 'highlight', 'needs a search query q');
  assertRange(q.from, q.to);
}

function filters(p: Params, q: StatementListInput): string[] {
  const where: string[] = [];
  if (q.actor) where.push(actorRefs(p, 's.speaker_id', q.actor));
  if (q.actorKind) where.push(`a.kind = ${p.add(q.actorKind)}::actor_kind`);
  if (q.country) where.push(`a.country = ${p.add(q.country)}`);
  where.push(...periodWithin(p, 's.said_on', 's.said_precision', q.from, q.to));
  if (q.kind) where.push(`s.kind = ${p.add(q.kind)}::statement_kind`);
  if (q.medium) where.push(`s.medium = ${p.add(q.medium)}::medium`);
  if (q.language) where.push(languageMatches(p, ['s.language', 's.original_language'], q.language));
  if (q.tag) {
    const tags = p.add(q.tag.map((t) => t.replace(/^#/, '').toLowerCase()));
    where.push(`attest_lower_tags(s.tags) && ${tags}::text[]`);
  }
  if (q.source)
    where.push(`EXISTS (SELECT 1 FROM citations c WHERE c.statement_id = s.id AND c.source_id = ${p.add(q.source)}::uuid)`);
  if (q.outlet) where.push(carriedBy(p, 'statement_id', 's.id', q.outlet));
  if (q.publisher) {
    where.push(`EXISTS (SELECT 1 FROM citations c JOIN sources src ON src.id = c.source_id
      WHERE c.statement_id = s.id AND lower(src.publisher) = lower(${p.add(q.publisher)}))`);
  }
  return where;
}

export async function listStatements(db: Database, q: StatementListInput) {
  checkCombinations(q);
  const sort = parseSort(q.sort, { saidOn: 'date', createdAt: 'date', relevance: 'string' });
  const p = new Params();
  const where = filters(p, q);
  const search = q.q ? matchSql(p, q.q) : undefined;
  if (search) where.push(search.where);
  const countWhere = [...where];
  const countValues = [...p.values];

  const shape: Shape = { ...shapeOf(q), search: search && { query: search.query, highlight: q.highlight } };

  const whereSql = (conditions: string[]) => (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '');
  let sql: string;
  let offset = 0;
  if (sort.field === 'relevance' && search) {
    // Rank every match but shape only the page: the JSON of a statement costs more than its rank.
    offset = offsetFromCursor(sort, q.cursor);
    const page = `(SELECT s.id, ${rankSql(search.query)} AS rank FROM statements s LEFT JOIN actors a ON a.id = s.speaker_id${whereSql(where)}
      ORDER BY rank DESC, s.id DESC OFFSET ${p.add(offset)} LIMIT ${p.add(q.limit + 1)}) r JOIN statements s ON s.id = r.id`;
    const ranked: Shape = { ...shape, search: { query: search.query, highlight: q.highlight, rank: 'r.rank' } };
    sql = `${selectStatements(ranked, page)} ORDER BY r.rank DESC, s.id DESC`;
  } else {
    const bySaidOn = sort.field === 'saidOn';
    const page = keyset(p, sort, bySaidOn ? 's.said_on' : 's.created_at', bySaidOn ? 'date' : 'timestamptz', 's.id', q.cursor);
    sql = `${selectStatements(shape)}${whereSql([...where, ...page.where])} ${page.orderBy} LIMIT ${p.add(q.limit + 1)}`;
  }

  const [rows, total] = await Promise.all([
    // Full-text plans depend on the words searched: those stay unprepared.
    db.query<StatementRow>(sql, p.values, { prepare: !search }),
    q.total ? countRows(db, 'statements s LEFT JOIN actors a ON a.id = s.speaker_id', countWhere, countValues) : undefined,
  ]);
  // An empty answer for an actor that does not exist is a typo, not a finding.
  if (rows.length === 0 && q.actor) await assertActorsExist(db.prisma, q.actor, 'actor');

  const { data, nextCursor } = pageOf(rows, q.limit, sort, (last) =>
    sort.field === 'relevance' ? String(offset + q.limit) : sort.field === 'saidOn' ? last.said_on : last.created_at,
  );
  return { data: data.map(toStatement), nextCursor, ...(total === undefined ? {} : { total }) };
}
