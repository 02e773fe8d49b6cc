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
  for (const [i, { id: citationId, sourceId, source, excerpt, locator, role }] of inputs.entries()) {
    let id = sourceId;
    if (id) {
      const exists = await tx.source.findUnique({ where: { id }, select: { id: true } });
      if (!exists) throw invalidField('body', `${field}.${i}.sourceId`, `no source with id ${id}`);
    } else {
      id = (await findOrCreateSource(tx, source!)).id;
    }
    rows.push({ id: citationId, sourceId: id, excerpt, locator, role });
  }
  return rows;
}

const detailInclude = {
  source: {
    select: { id: true, kind: true, title: true, publisher: true, url: true, publishedOn: true, publishedPrecision: true },
  },
} satisfies Prisma.CitationInclude;

type CitationRow = Prisma.CitationGetPayload<{ include: typeof detailInclude }>;

function toCitationDetail(row: CitationRow) {
  const { sourceId: _sourceId, source: fullSource, ...rest } = row;
  const { publishedOn, publishedPrecision, ...source } = fullSource;
  return {
    ...rest,
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
  const created = await tx.citation.create({ data: { ...row, ...target }, include: detailInclude });
  return toCitationDetail(created);
}

export async function updateCitation(tx: Tx, id: string, input: CitationUpdateInput) {
  await getCitation(tx, id);
  if (input.sourceId) {
    const exists = await tx.source.findUnique({ where: { id: input.sourceId }, select: { id: true } });
    if (!exists) throw invalidField('body', 'sourceId', `no source with id ${input.sourceId}`);
  }
  return toCitationDetail(await tx.citation.update({ where: { id }, data: input, include: detailInclude }));
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
