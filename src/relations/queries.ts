import type { z } from 'zod';
import { actorSummaryJson, isoTimestamp, partialDate } from '../citations/sql.js';
import { pageOf, parseSort } from '../core/pagination.js';
import { notFound } from '../core/problems.js';
import type { Database } from '../db/database.js';
import { Params, actorRefs, countRows, keyset, oneOf } from '../db/sql.js';
import type { Relation, RelationListInput } from './schemas.js';

type RelationOut = z.output<typeof Relation>;

const actorOrNull = (a: string) => `CASE WHEN ${a}.id IS NULL THEN NULL ELSE ${actorSummaryJson(a)} END`;

const statementBrief = (s: string, a: string) =>
  `json_build_object('id', ${s}.id, 'speaker', ${actorOrNull(a)}, 'attributedTo', ${s}.attributed_to,
     'saidOn', ${partialDate(`${s}.said_on`, `${s}.said_precision`)}, 'text', ${s}.text)`;

/**
 * A relation with both ends briefly: who said what, when, and what it is about. The relating
 * statement `s` is joined (filters and the saidOn sort use it); the target is read per row.
 */
const SELECT_RELATIONS = `
SELECT r.id, r.kind, r.notes, ${isoTimestamp('r.created_at')} AS "createdAt", ${isoTimestamp('r.updated_at')} AS "updatedAt",
       to_char(s.said_on, 'YYYY-MM-DD') AS said_on,
       ${statementBrief('s', 'a')} AS statement,
       (SELECT ${statementBrief('ts', 'ta')} FROM statements ts LEFT JOIN actors ta ON ta.id = ts.speaker_id
         WHERE ts.id = r.target_statement_id) AS "targetStatement",
       (SELECT json_build_object('id', tf.id, 'metric', tf.metric, 'value', tf.value, 'qualifier', tf.qualifier, 'unit', tf.unit,
                 'phrase', tf.phrase, 'asOf', ${partialDate('tf.as_of', 'tf.as_of_precision')}, 'reporter', ${actorOrNull('fr')})
         FROM figures tf LEFT JOIN actors fr ON fr.id = tf.reporter_id WHERE tf.id = r.target_figure_id) AS "targetFigure"
FROM relations r JOIN statements s ON s.id = r.statement_id LEFT JOIN actors a ON a.id = s.speaker_id`;

type RelationRow = RelationOut & { said_on: string };

const toRelation = ({ said_on: _saidOn, ...r }: RelationRow): RelationOut => r;

export async function getRelations(db: Database, ids: string[]): Promise<RelationOut[]> {
  return (await db.query<RelationRow>(`${SELECT_RELATIONS} WHERE r.id = ANY($1::uuid[])`, [ids])).map(toRelation);
}

export async function getRelation(db: Database, id: string): Promise<RelationOut> {
  const [row] = await db.query<RelationRow>(`${SELECT_RELATIONS} WHERE r.id = $1`, [id], { prepare: true });
  if (!row) throw notFound('relation', id);
  return toRelation(row);
}

export async function listRelations(db: Database, q: RelationListInput) {
  const sort = parseSort(q.sort, { saidOn: 'date', createdAt: 'date' });
  const p = new Params();
  const where: string[] = [];
  if (q.statement) where.push(`r.statement_id = ${p.add(q.statement)}::uuid`);
  if (q.target) {
    const t = p.add(q.target);
    where.push(`(r.target_statement_id = ${t}::uuid OR r.target_figure_id = ${t}::uuid)`);
  }
  if (q.involving) {
    const t = p.add(q.involving);
    where.push(`(r.statement_id = ${t}::uuid OR r.target_statement_id = ${t}::uuid OR r.target_figure_id = ${t}::uuid)`);
  }
  if (q.kind) where.push(oneOf(p, 'r.kind::text', q.kind));
  if (q.actor) where.push(actorRefs(p, 's.speaker_id', q.actor));
  const counting = q.total
    ? countRows(db, 'relations r JOIN statements s ON s.id = r.statement_id', [...where], [...p.values])
    : undefined;
  void counting?.catch(() => {}); // awaited below; a refused cursor before then must not leave it unhandled
  const bySaidOn = sort.field === 'saidOn';
  const page = keyset(p, sort, bySaidOn ? 's.said_on' : 'r.created_at', bySaidOn ? 'date' : 'timestamptz', 'r.id', q.cursor);
  where.push(...page.where);
  const sql = `${SELECT_RELATIONS}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ${page.orderBy} LIMIT ${p.add(q.limit + 1)}`;
  const { data, nextCursor } = pageOf(await db.query<RelationRow>(sql, p.values, { prepare: true }), q.limit, sort, (r) =>
    bySaidOn ? r.said_on : r.createdAt,
  );
  const total = await counting;
  return { data: data.map(toRelation), nextCursor, ...(total === undefined ? {} : { total }) };
}
