import { resolveActorId } from '../actors/repository.js';
import type { WithId } from '../core/ids.js';
import { prepareCitations } from '../citations/repository.js';
import type { Tx } from '../db/database.js';
import { parsePartialDate } from '../core/partial-date.js';
import { invalidField, notFound } from '../core/problems.js';
import type { FigureCreateInput, FigureUpdateInput } from './schemas.js';

/** Every write to figures goes through here (revision history will hook in at this one place). */

type Qualifier = FigureCreateInput['qualifier'];

/** The range a qualified number asserts: "at least 7,000" is [7000, open], "nearly 2,000,000" is [open, 2000000]. */
export function impliedBounds(qualifier: Qualifier, value: number): { lowerBound: number | null; upperBound: number | null } {
  switch (qualifier) {
    case 'exact':
      return { lowerBound: value, upperBound: value };
    case 'at_least':
    case 'more_than':
      return { lowerBound: value, upperBound: null };
    case 'nearly':
    case 'up_to':
    case 'less_than':
      return { lowerBound: null, upperBound: value };
    case 'about':
      return { lowerBound: null, upperBound: null };
  }
}

interface Ranges {
  lowerBound: number | null;
  upperBound: number | null;
  periodStart: Date | null;
  periodEnd: Date | null;
}

/** Checks the figure as it will be stored: given fields merged with implied and current ones. */
function assertRanges({ lowerBound, upperBound, periodStart, periodEnd }: Ranges) {
  if (lowerBound !== null && upperBound !== null && lowerBound > upperBound) {
    throw invalidField('body', 'lowerBound', `is above the upper bound ${upperBound}`);
  }
  if (periodStart && periodEnd && periodStart > periodEnd) {
    throw invalidField('body', 'periodEnd', 'is before periodStart');
  }
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
  const { reporter, statementId, citations, asOf, periodStart, periodEnd, lowerBound, upperBound, ...rest } = input;
  const implied = impliedBounds(input.qualifier, input.value);
  const { date, precision } = parsePartialDate(asOf)!;
  const ranges = {
    lowerBound: lowerBound === undefined ? implied.lowerBound : lowerBound,
    upperBound: upperBound === undefined ? implied.upperBound : upperBound,
    periodStart: day(periodStart) ?? null,
    periodEnd: day(periodEnd) ?? null,
  };
  assertRanges(ranges);
  const created = await tx.figure.create({
    data: {
      ...rest,
      ...ranges,
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
  const { reporter, statementId, asOf, periodStart, periodEnd, ...rest } = input;
  // A new value or qualifier moves the bounds with it unless new bounds are given.
  const implied =
    input.value !== undefined || input.qualifier !== undefined
      ? impliedBounds(input.qualifier ?? current.qualifier, input.value ?? current.value)
      : {};
  const pick = <K extends keyof Ranges>(key: K, given: Ranges[K] | undefined): Ranges[K] =>
    given !== undefined ? given : key in implied ? (implied as Ranges)[key] : current[key];
  assertRanges({
    lowerBound: pick('lowerBound', input.lowerBound),
    upperBound: pick('upperBound', input.upperBound),
    periodStart: pick('periodStart', day(periodStart)),
    periodEnd: pick('periodEnd', day(periodEnd)),
  });
  const asOfFields =
    asOf === undefined ? {} : (({ date, precision }) => ({ asOf: date, asOfPrecision: precision }))(parsePartialDate(asOf)!);
  await tx.figure.update({
    where: { id },
    data: {
      ...implied,
      ...rest,
      ...asOfFields,
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
  await tx.figure.delete({ where: { id } });
}
