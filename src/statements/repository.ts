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

export interface Attributed {
  speaker?: string | null;
  attribution: StatementCreateInput['attribution'];
  attributedTo?: string | null;
}

/**
 * A statement is attributed to a named speaker, or to the outlet's words for who said it: never to
 * no one, and never to both a name and a description of someone unnamed. Shared with bulk imports.
 */
export function attributionErrors({ speaker, attribution, attributedTo }: Attributed): { field: string; message: string }[] {
  if (attribution === 'named') {
    if (!speaker) return [{ field: 'speaker', message: 'required when attribution is named (the default)' }];
    if (attributedTo)
      return [{ field: 'attributedTo', message: 'only for an unnamed_group or anonymous attribution; a named statement has its speaker' }];
    return [];
  }
  if (!attributedTo) return [{ field: 'attributedTo', message: `required when attribution is ${attribution}: who the outlet says it was` }];
  return [];
}

function assertAttribution(a: Attributed) {
  const [first] = attributionErrors(a);
  if (first) throw invalidField('body', first.field, first.message);
}

/** Who said it, as the duplicate check and the import's natural key tell statements apart. */
export const sayer = (speakerId: string | null, attributedTo: string | null | undefined) =>
  speakerId ?? `(${(attributedTo ?? '').toLowerCase()})`;

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
export const quoteKey = (who: string, saidOn: Date, precision: string, text: string) =>
  `statement-quote:${who}:${saidOn.toISOString().slice(0, 10)}:${precision}:${text}`;

async function assertNewQuote(
  tx: Tx,
  speakerId: string | null,
  attributedTo: string | null | undefined,
  said: ReturnType<typeof saidFields>,
  text: string,
  saidOn: string,
) {
  await tx.$queryRawUnsafe(
    `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text`,
    quoteKey(sayer(speakerId, attributedTo), said.saidOn, said.saidPrecision, text),
  );
  const who = speakerId ? { speakerId } : { speakerId: null, attributedTo: { equals: attributedTo ?? '', mode: 'insensitive' as const } };
  const existing = await tx.statement.findFirst({ where: { ...who, ...said, text }, select: { id: true } });
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
  assertAttribution(input);
  const speakerId = speaker ? await resolveActorId(tx, speaker, 'speaker') : null;
  const said = saidFields(saidOn);
  const involvedRows = await resolveInvolved(tx, involved);
  const citationRows = await prepareCitations(tx, citations, 'citations');
  await assertNewQuote(tx, speakerId, input.attributedTo, said, input.text, saidOn);
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
    select: { id: true, originalText: true, originalLanguage: true, speakerId: true, attribution: true, attributedTo: true },
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
  const pick = <K extends keyof StatementUpdateInput>(k: K, now: StatementUpdateInput[K]) => (input[k] === undefined ? now : input[k]);
  assertAttribution({
    speaker: pick('speaker', current.speakerId),
    attribution: pick('attribution', current.attribution)!,
    attributedTo: pick('attributedTo', current.attributedTo),
  });
  const { speaker, involved, saidOn, ...rest } = input;
  const speakerId = speaker === undefined ? undefined : speaker === null ? null : await resolveActorId(tx, speaker, 'speaker');
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
  // Its own relations go with it; those of other statements about it would lose what they are about.
  const about = { targetStatementId: id };
  const relations = await dependentsOf(
    tx.relation.count({ where: about }),
    tx.relation.findMany({ where: about, select: { id: true }, take: SAMPLE }),
  );
  assertNoDependents(`statement ${id}`, { figures, 'relations about it': relations });
  await tx.statement.delete({ where: { id } });
}
