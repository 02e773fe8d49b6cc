import { resolveActorId } from '../actors/repository.js';
import type { WithId } from '../core/ids.js';
import { prepareCitations } from '../citations/repository.js';
import type { Tx } from '../db/database.js';
import { SAMPLE, assertNoDependents, dependentsOf } from '../core/dependents.js';
import { parsePartialDate } from '../core/partial-date.js';
import { ProblemError, invalidField, notFound } from '../core/problems.js';
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

/**
 * The same words by the same speaker on the same date (as given, with its precision) are one
 * statement: another outlet carrying them is another citation of it, not a second statement.
 * Bulk imports match on the same key (src/transfer/import.ts). The advisory lock makes two
 * concurrent creations of one quote wait for each other, so the second sees the first.
 */
export const quoteKey = (speakerId: string, saidOn: Date, precision: string, text: string) =>
  `statement-quote:${speakerId}:${saidOn.toISOString().slice(0, 10)}:${precision}:${text}`;

async function assertNewQuote(tx: Tx, speakerId: string, said: ReturnType<typeof saidFields>, text: string, saidOn: string) {
  await tx.$queryRawUnsafe(
    `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text`,
    quoteKey(speakerId, said.saidOn, said.saidPrecision, text),
  );
  const existing = await tx.statement.findFirst({ where: { speakerId, ...said, text }, select: { id: true } });
  if (!existing) return;
  const path = `/statements/${existing.id}`;
  throw new ProblemError(
    'conflict',
    `Statement ${existing.id} already records these words by this speaker on ${saidOn}. To add another source for it, POST the citation to ${path}/citations.`,
    { errors: [{ in: 'body', field: 'text', message: `already recorded as statement ${existing.id} (same speaker and saidOn)` }] },
    { link: `<${path}>; rel="duplicate"` },
  );
}

export async function createStatement(
  tx: Tx,
  input: WithId<Omit<StatementCreateInput, 'citations'>> & { citations: WithId<StatementCreateInput['citations'][number]>[] },
): Promise<string> {
  const { speaker, involved, citations, saidOn, ...rest } = input;
  assertOriginal(input.originalText, input.originalLanguage);
  const speakerId = await resolveActorId(tx, speaker, 'speaker');
  const said = saidFields(saidOn);
  const involvedRows = await resolveInvolved(tx, involved);
  const citationRows = await prepareCitations(tx, citations, 'citations');
  await assertNewQuote(tx, speakerId, said, input.text, saidOn);
  const created = await tx.statement.create({
    data: {
      ...rest,
      ...said,
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
