import { resolveActorId } from '../actors/repository.js';
import type { WithId } from '../core/ids.js';
import { prepareCitations } from '../citations/repository.js';
import type { Tx } from '../db/database.js';
import { parsePartialDate } from '../core/partial-date.js';
import { invalidField, notFound } from '../core/problems.js';
import { SAMPLE, assertNoDependents, dependentsOf } from '../core/dependents.js';
import { type Quantity, impliedBounds, quantityErrors } from './quantities.js';
import type { FigureCreateInput, FigureUpdateInput } from './schemas.js';

/** Checks a figure's quantity as it will be stored, and that the figures it names exist. */
async function assertQuantity(tx: Tx, q: Quantity, id?: string) {
  const [first] = quantityErrors(q, id);
  if (first) throw invalidField('body', first.field, first.message);
  const named = [...new Set([...(q.shareOf ? [q.shareOf] : []), ...q.derivedFrom])];
  if (!named.length) return;
  const found = new Set((await tx.figure.findMany({ where: { id: { in: named } }, select: { id: true } })).map((f) => f.id));
  if (q.shareOf && !found.has(q.shareOf)) throw invalidField('body', 'shareOf', `no figure with id ${q.shareOf}`);
  const missing = q.derivedFrom.findIndex((d) => !found.has(d));
  if (missing >= 0) throw invalidField('body', `derivedFrom.${missing}`, `no figure with id ${q.derivedFrom[missing]}`);
}

const day = (d: string | null | undefined) => (d == null ? d : new Date(`${d}T00:00:00Z`));

async function references(tx: Tx, reporter: string | null | undefined, statementId: string | null | undefined) {
  const out: { reporterId?: string | null; statementId?: string | null } = {};
  if (reporter !== undefined) out.reporterId = reporter === null ? null : await resolveActorId(tx, reporter, 'reporter');
  if (statementId) {
    const found = await tx.statement.findUnique({ where: { id: statementId }, select: { id: true } });
    if (!found) throw invalidField('body', 'statementId', `no statement with id ${statementId}`);
  }
  if (statementId !== undefined) out.statementId = statementId;
  return out;
}

export async function createFigure(
  tx: Tx,
  input: WithId<Omit<FigureCreateInput, 'citations'>> & { citations: WithId<FigureCreateInput['citations'][number]>[] },
): Promise<string> {
  const { reporter, statementId, citations, asOf, periodStart, periodEnd, lowerBound, upperBound, shareOf, ...rest } = input;
  const implied = impliedBounds(input.qualifier, input.value, input.unit);
  const { date, precision } = parsePartialDate(asOf)!;
  const ranges = {
    lowerBound: lowerBound === undefined ? implied.lowerBound : lowerBound,
    upperBound: upperBound === undefined ? implied.upperBound : upperBound,
    periodStart: day(periodStart) ?? null,
    periodEnd: day(periodEnd) ?? null,
  };
  await assertQuantity(tx, { ...input, ...ranges, shareOf: shareOf ?? null }, input.id);
  const created = await tx.figure.create({
    data: {
      ...rest,
      ...ranges,
      shareOfId: shareOf ?? null,
      ...(await references(tx, reporter, statementId)),
      asOf: date,
      asOfPrecision: precision,
      citations: { create: await prepareCitations(tx, citations, 'citations') },
    },
    select: { id: true },
  });
  return created.id;
}

export async function updateFigure(tx: Tx, id: string, input: FigureUpdateInput): Promise<string> {
  const current = await tx.figure.findUnique({ where: { id } });
  if (!current) throw notFound('figure', id);
  const { reporter, statementId, asOf, periodStart, periodEnd, shareOf, ...rest } = input;
  const merged = {
    value: input.value !== undefined ? input.value : current.value,
    qualifier: input.qualifier ?? current.qualifier,
    unit: input.unit ?? current.unit,
  };
  // A new value, qualifier or unit moves the bounds with it unless new bounds are given.
  const implied =
    input.value !== undefined || input.qualifier !== undefined || input.unit !== undefined
      ? impliedBounds(merged.qualifier, merged.value, merged.unit)
      : {};
  type Ranges = Pick<Quantity, 'lowerBound' | 'upperBound'> & { periodStart: Date | null; periodEnd: Date | null };
  const pick = <K extends keyof Ranges>(key: K, given: Ranges[K] | undefined): Ranges[K] =>
    given !== undefined ? given : key in implied ? (implied as Ranges)[key] : current[key];
  await assertQuantity(
    tx,
    {
      ...merged,
      lowerBound: pick('lowerBound', input.lowerBound),
      upperBound: pick('upperBound', input.upperBound),
      periodStart: pick('periodStart', day(periodStart)),
      periodEnd: pick('periodEnd', day(periodEnd)),
      shareOf: shareOf !== undefined ? shareOf : current.shareOfId,
      method: input.method ?? current.method,
      derivedFrom: input.derivedFrom ?? current.derivedFrom ?? [],
    },
    id,
  );
  const asOfFields =
    asOf === undefined ? {} : (({ date, precision }) => ({ asOf: date, asOfPrecision: precision }))(parsePartialDate(asOf)!);
  await tx.figure.update({
    where: { id },
    data: {
      ...implied,
      ...rest,
      ...asOfFields,
      ...(shareOf === undefined ? {} : { shareOfId: shareOf }),
      ...(await references(tx, reporter, statementId)),
      periodStart: day(periodStart),
      periodEnd: day(periodEnd),
    },
  });
  return id;
}

export async function deleteFigure(tx: Tx, id: string) {
  const found = await tx.figure.findUnique({ where: { id }, select: { id: true } });
  if (!found) throw notFound('figure', id);
  // Figures that are a share of this one, or were computed from it, would lose what they mean.
  const shares = { shareOfId: id };
  const derived = { derivedFrom: { has: id } };
  assertNoDependents(`figure ${id}`, {
    'figures that are a share of it': await dependentsOf(
      tx.figure.count({ where: shares }),
      tx.figure.findMany({ where: shares, select: { id: true }, take: SAMPLE }),
    ),
    'figures derived from it': await dependentsOf(
      tx.figure.count({ where: derived }),
      tx.figure.findMany({ where: derived, select: { id: true }, take: SAMPLE }),
    ),
    'relations about it': await dependentsOf(
      tx.relation.count({ where: { targetFigureId: id } }),
      tx.relation.findMany({ where: { targetFigureId: id }, select: { id: true }, take: SAMPLE }),
    ),
  });
  await tx.figure.delete({ where: { id } });
}
