import type { WithId } from '../core/ids.js';
import { ProblemError, invalidField, notFound } from '../core/problems.js';
import type { Tx } from '../db/database.js';
import type { RelationCreateInput, RelationUpdateInput } from './schemas.js';

/** Every write to relations goes through here, inside the write door. */

async function assertExists(tx: Tx, table: 'statements' | 'figures', id: string, field: string) {
  const found = await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM ${table} WHERE id = $1::uuid`, id);
  if (!found.length) throw invalidField('body', field, `no ${table.slice(0, -1)} with id ${id}`);
}

/**
 * One relation of a kind between the same two records (a unique index holds it): a second
 * "disputes" is a 409 that names the first. The advisory lock makes two concurrent creations wait
 * for each other, so the second finds the first instead of failing on the index.
 */
async function assertNew(tx: Tx, statement: string, kind: string, target: string) {
  await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text`, `relation:${statement}:${kind}:${target}`);
  const [existing] = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text FROM relations WHERE statement_id = $1::uuid AND kind = $2::relation_kind
       AND coalesce(target_statement_id, target_figure_id) = $3::uuid`,
    statement,
    kind,
    target,
  );
  if (!existing) return;
  throw new ProblemError(
    'conflict',
    `Relation ${existing.id} already records that statement ${statement} ${kind.replace('_', ' ')} ${target}.`,
    { errors: [{ in: 'body', field: 'kind', message: `already recorded as relation ${existing.id}` }] },
    { link: `</relations/${existing.id}>; rel="duplicate"` },
  );
}

export async function createRelation(tx: Tx, input: WithId<RelationCreateInput>): Promise<string> {
  const statement = input.statement.toLowerCase();
  const target = (input.targetStatement ?? input.targetFigure)!.toLowerCase();
  await assertExists(tx, 'statements', statement, 'statement');
  if (input.targetStatement) await assertExists(tx, 'statements', target, 'targetStatement');
  else await assertExists(tx, 'figures', target, 'targetFigure');
  await assertNew(tx, statement, input.kind, target);
  const created = await tx.relation.create({
    data: {
      id: input.id,
      statementId: statement,
      kind: input.kind,
      targetStatementId: input.targetStatement ? target : null,
      targetFigureId: input.targetFigure ? target : null,
      notes: input.notes ?? null,
    },
    select: { id: true },
  });
  return created.id;
}

export async function updateRelation(tx: Tx, id: string, input: RelationUpdateInput) {
  const current = await tx.relation.findUnique({ where: { id } });
  if (!current) throw notFound('relation', id);
  if (input.kind && input.kind !== current.kind)
    await assertNew(tx, current.statementId, input.kind, (current.targetStatementId ?? current.targetFigureId)!);
  await tx.relation.update({ where: { id }, data: input });
}

export async function deleteRelation(tx: Tx, id: string) {
  const found = await tx.relation.findUnique({ where: { id }, select: { id: true } });
  if (!found) throw notFound('relation', id);
  await tx.relation.delete({ where: { id } });
}
