import { resolveActorId } from '../actors/repository.js';
import type { WithId } from '../core/ids.js';
import { prepareCitations } from '../citations/repository.js';
import type { Tx } from '../db/database.js';
import { SAMPLE, assertNoDependents, dependentsOf } from '../core/dependents.js';
import { parsePartialDate } from '../core/partial-date.js';
import { invalidField, notFound } from '../core/problems.js';
import type { StatementCreateInput, StatementUpdateInput } from './schemas.js';

/** Every write to statements goes through here (revision history will hook in at this one place). */

async function resolveInvolved(tx: Tx, involved: StatementCreateInput['involved']) {
  const rows: { actorId: string; role: StatementCreateInput['involved'][number]['role'] }[] = [];
  for (const [i, { actor, role }] of involved.entries()) {
    const actorId = await resolveActorId(tx, actor, `involved.${i}.actor`);
    if (rows.some((r) => r.actorId === actorId)) throw invalidField('body', `involved.${i}.actor`, 'actor listed twice');
    rows.push({ actorId, role });
  }
  return rows;
}

/** A translation must say what language its original is in, whichever request set either. */
function assertOriginal(originalText: string | null | undefined, originalLanguage: string | null | undefined) {
  if (originalText && !originalLanguage) throw invalidField('body', 'originalLanguage', 'required when originalText is given');
}

function saidFields(saidOn: string) {
  const { date, precision } = parsePartialDate(saidOn)!;
  return { saidOn: date, saidPrecision: precision };
}

export async function createStatement(
  tx: Tx,
  input: WithId<Omit<StatementCreateInput, 'citations'>> & { citations: WithId<StatementCreateInput['citations'][number]>[] },
): Promise<string> {
  const { speaker, involved, citations, saidOn, ...rest } = input;
  assertOriginal(input.originalText, input.originalLanguage);
  const speakerId = await resolveActorId(tx, speaker, 'speaker');
  const involvedRows = await resolveInvolved(tx, involved);
  const citationRows = await prepareCitations(tx, citations, 'citations');
  const created = await tx.statement.create({
    data: {
      ...rest,
      ...saidFields(saidOn),
      speakerId,
      involved: { create: involvedRows },
      citations: { create: citationRows },
    },
    select: { id: true },
  });
  return created.id;
}

async function findCurrent(tx: Tx, id: string) {
  const found = await tx.statement.findUnique({
    where: { id },
    select: { id: true, originalText: true, originalLanguage: true },
  });
  if (!found) throw notFound('statement', id);
  return found;
}

export async function updateStatement(tx: Tx, id: string, input: StatementUpdateInput): Promise<string> {
  const current = await findCurrent(tx, id);
  assertOriginal(
    input.originalText === undefined ? current.originalText : input.originalText,
    input.originalLanguage === undefined ? current.originalLanguage : input.originalLanguage,
  );
  const { speaker, involved, saidOn, ...rest } = input;
  const speakerId = speaker === undefined ? undefined : await resolveActorId(tx, speaker, 'speaker');
  if (involved) {
    const rows = await resolveInvolved(tx, involved);
    await tx.statementActor.deleteMany({ where: { statementId: id } });
    await tx.statementActor.createMany({ data: rows.map((r) => ({ ...r, statementId: id })) });
  }
  await tx.statement.update({ where: { id }, data: { ...rest, ...(saidOn === undefined ? {} : saidFields(saidOn)), speakerId } });
  return id;
}

export async function deleteStatement(tx: Tx, id: string) {
  await findCurrent(tx, id);
  const where = { statementId: id };
  const figures = await dependentsOf(
    tx.figure.count({ where }),
    tx.figure.findMany({ where, select: { id: true }, take: SAMPLE }),
  );
  assertNoDependents(`statement ${id}`, { figures });
  await tx.statement.delete({ where: { id } });
}
