import type { WithId } from '../core/ids.js';
import type { Tx } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { formatPartialDate } from '../core/partial-date.js';
import { ProblemError, invalidField, notFound } from '../core/problems.js';
import { findOrCreateSource } from '../sources/repository.js';
import type { CitationCreateInput, CitationUpdateInput } from './schemas.js';

export type CitationTarget = { statementId: string } | { figureId: string };

/**
 * Citation rows ready to insert, each source checked or found by URL or
 * created. `field` names the list in the request, for error messages.
 */
export async function prepareCitations(tx: Tx, inputs: WithId<CitationCreateInput>[], field: string) {
  const rows = [];
  for (const [i, { id: citationId, sourceId, source, excerpt, locator, role, relays }] of inputs.entries()) {
    let id = sourceId;
    if (id) {
      const exists = await tx.source.findUnique({ where: { id }, select: { id: true } });
      if (!exists) throw invalidField('body', `${field}.${i}.sourceId`, `no source with id ${id}`);
    } else {
      id = (await findOrCreateSource(tx, source!, `${field}.${i}.source.`)).id;
    }
    await assertRelays(tx, id, relays, `${field}.${i}.relays`);
    rows.push({ id: citationId, sourceId: id, excerpt, locator, role, relaysId: relays ?? null });
  }
  assertNoRelayCycle(rows, field);
  return rows;
}

async function assertRelays(tx: Tx, sourceId: string, relays: string | null | undefined, field: string) {
  if (!relays) return;
  if (relays === sourceId) throw invalidField('body', field, 'a source cannot relay itself');
  const exists = await tx.source.findUnique({ where: { id: relays }, select: { id: true } });
  if (!exists) throw invalidField('body', field, `no source with id ${relays}`);
}

/** A record's sources relay one another in chains, never in a circle (A relays B relays A). */
function assertNoRelayCycle(citations: { sourceId: string; relaysId: string | null }[], field: string) {
  const relays = new Map(citations.map((c) => [c.sourceId, c.relaysId]));
  for (const start of relays.keys()) {
    const seen = new Set<string>();
    for (let at: string | null | undefined = start; at; at = relays.get(at)) {
      if (seen.has(at)) throw invalidField('body', field, 'its sources would relay one another in a circle');
      seen.add(at);
    }
  }
}

/** The citations a statement or figure already has, as the chain check needs them. */
const siblings = (tx: Tx, target: CitationTarget) =>
  tx.citation.findMany({ where: target, select: { id: true, sourceId: true, relaysId: true } });

const detailInclude = {
  source: {
    select: { id: true, kind: true, title: true, publisher: true, url: true, publishedOn: true, publishedPrecision: true },
  },
} satisfies Prisma.CitationInclude;

type CitationRow = Prisma.CitationGetPayload<{ include: typeof detailInclude }>;

function toCitationDetail(row: CitationRow) {
  const { sourceId: _sourceId, relaysId, source: fullSource, ...rest } = row;
  const { publishedOn, publishedPrecision, ...source } = fullSource;
  return {
    ...rest,
    relays: relaysId,
    source: { ...source, publishedOn: publishedOn && formatPartialDate(publishedOn, publishedPrecision ?? 'day') },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function getCitations(db: Tx, ids: string[]) {
  return (await db.citation.findMany({ where: { id: { in: ids } }, include: detailInclude })).map(toCitationDetail);
}

export async function getCitation(db: Tx, id: string) {
  const row = await db.citation.findUnique({ where: { id }, include: detailInclude });
  if (!row) throw notFound('citation', id);
  return toCitationDetail(row);
}

export async function addCitation(tx: Tx, target: CitationTarget, input: CitationCreateInput) {
  const [row] = await prepareCitations(tx, [input], 'citation');
  assertNoRelayCycle([...(await siblings(tx, target)), row], 'relays');
  const created = await tx.citation.create({ data: { ...row, ...target }, include: detailInclude });
  return toCitationDetail(created);
}

export async function updateCitation(tx: Tx, id: string, input: CitationUpdateInput) {
  const current = await tx.citation.findUnique({ where: { id } });
  if (!current) throw notFound('citation', id);
  if (input.sourceId) {
    const exists = await tx.source.findUnique({ where: { id: input.sourceId }, select: { id: true } });
    if (!exists) throw invalidField('body', 'sourceId', `no source with id ${input.sourceId}`);
  }
  const { relays, ...fields } = input;
  const after = {
    id,
    sourceId: input.sourceId ?? current.sourceId,
    relaysId: relays !== undefined ? relays : current.relaysId,
  };
  await assertRelays(tx, after.sourceId, after.relaysId, 'relays');
  const target = current.statementId ? { statementId: current.statementId } : { figureId: current.figureId! };
  assertNoRelayCycle([...(await siblings(tx, target)).filter((c) => c.id !== id), after], 'relays');
  const data = { ...fields, ...(relays === undefined ? {} : { relaysId: relays }) };
  return toCitationDetail(await tx.citation.update({ where: { id }, data, include: detailInclude }));
}

/** Every statement and figure keeps at least one citation: removing the last one is refused. */
export async function deleteCitation(tx: Tx, id: string) {
  const citation = await tx.citation.findUnique({ where: { id }, select: { statementId: true, figureId: true } });
  if (!citation) throw notFound('citation', id);
  // Lock the statement or figure so two concurrent deletions cannot both see a sibling left.
  if (citation.statementId) await tx.$queryRaw`SELECT 1 FROM statements WHERE id = ${citation.statementId}::uuid FOR UPDATE`;
  else await tx.$queryRaw`SELECT 1 FROM figures WHERE id = ${citation.figureId}::uuid FOR UPDATE`;
  const siblings = await tx.citation.count({
    where: citation.statementId ? { statementId: citation.statementId } : { figureId: citation.figureId },
  });
  if (siblings <= 1) {
    throw new ProblemError(
      'last-citation',
      'This is the only citation of its statement or figure; add another before removing it.',
    );
  }
  await tx.citation.delete({ where: { id } });
}
