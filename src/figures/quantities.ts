import type { FieldError } from '../core/problems.js';

/**
 * Quantities as they are printed. A number comes with the reporter's hedge
 * ("at least 7,000"), or there is no number at all, only words ("dozens",
 * "the majority of those killed"): the words are the qualifier, and the range
 * they allow is recorded as bounds by the convention below, so that
 * comparisons (GET /figures/discrepancies) treat every figure alike.
 */

export const QUALIFIERS = [
  'exact',
  'at_least',
  'more_than',
  'about',
  'nearly',
  'up_to',
  'less_than',
  'several',
  'dozens',
  'hundreds',
  'thousands',
  'tens_of_thousands',
  'majority',
  'minority',
] as const;
export type Qualifier = (typeof QUALIFIERS)[number];

export const UNITS = ['count', 'percent', 'share'] as const;
export type Unit = (typeof UNITS)[number];

export const METHODS = ['reported', 'estimated', 'extrapolated', 'derived'] as const;
export type Method = (typeof METHODS)[number];

/**
 * Words that give a range but no number. The convention: "several" 3–9; "dozens" 24–143 (two to
 * eleven dozen); "hundreds" 200–999; "thousands" 2,000–9,999; "tens of thousands" 20,000–99,999;
 * "the majority" 50–100% and "a minority" 0–50% of something (a percentage, or a share of another
 * figure).
 */
export const VAGUE: Partial<Record<Qualifier, [number, number]>> = {
  several: [3, 9],
  dozens: [24, 143],
  hundreds: [200, 999],
  thousands: [2000, 9999],
  tens_of_thousands: [20000, 99999],
  majority: [50, 100],
  minority: [0, 50],
};
const PROPORTIONS: Qualifier[] = ['majority', 'minority'];

/** Each qualifier in words, as explanations and citation lines print it ("" for an exact number). */
export const QUALIFIER_WORDS: Record<Qualifier, string> = {
  exact: '',
  at_least: 'at least',
  more_than: 'more than',
  about: 'about',
  nearly: 'nearly',
  up_to: 'up to',
  less_than: 'less than',
  several: 'several',
  dozens: 'dozens',
  hundreds: 'hundreds',
  thousands: 'thousands',
  tens_of_thousands: 'tens of thousands',
  majority: 'the majority',
  minority: 'a minority',
};

/** The range a qualified number asserts: "at least 7,000" is [7000, open], "nearly 2,000,000" is [open, 2000000]. */
export function impliedBounds(
  qualifier: Qualifier,
  value: number | null,
  unit: Unit = 'count',
): { lowerBound: number | null; upperBound: number | null } {
  const vague = VAGUE[qualifier];
  if (vague) return { lowerBound: vague[0], upperBound: vague[1] };
  const ceiling = unit === 'count' ? null : 100;
  switch (qualifier) {
    case 'exact':
      return { lowerBound: value, upperBound: value };
    case 'at_least':
    case 'more_than':
      return { lowerBound: value, upperBound: ceiling };
    case 'nearly':
    case 'up_to':
    case 'less_than':
      return { lowerBound: null, upperBound: value };
    default:
      return { lowerBound: null, upperBound: null };
  }
}

/** A figure's quantity as it will be stored: the given fields merged with the current ones. */
export interface Quantity {
  value: number | null;
  qualifier: Qualifier;
  lowerBound: number | null;
  upperBound: number | null;
  unit: Unit;
  shareOf: string | null;
  method: Method;
  derivedFrom: string[];
  periodStart: string | Date | null;
  periodEnd: string | Date | null;
}

/**
 * What is wrong with a quantity, field by field (the API answers the first
 * as a 400; an import lists them all). References to other figures are
 * checked for existence by the caller.
 */
export function quantityErrors(q: Quantity, id?: string): Omit<FieldError, 'in'>[] {
  const errors: Omit<FieldError, 'in'>[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  if (q.value === null && !VAGUE[q.qualifier]) {
    add(
      'value',
      `required with qualifier ${q.qualifier}; only words without a number (several, dozens, hundreds, thousands, tens_of_thousands, majority, minority) may leave it out`,
    );
  }
  if (PROPORTIONS.includes(q.qualifier) && q.unit === 'count') {
    add('unit', `must be percent or share with qualifier ${q.qualifier}: it is a part of something`);
  }
  if (q.unit === 'share' && !q.shareOf) add('shareOf', 'required with unit share: the figure this is a share of');
  if (q.unit !== 'share' && q.shareOf) add('shareOf', 'only with unit share');
  if (id && q.shareOf === id) add('shareOf', 'cannot be the figure itself');
  if (q.unit !== 'count') {
    for (const [field, v] of [
      ['value', q.value],
      ['lowerBound', q.lowerBound],
      ['upperBound', q.upperBound],
    ] as const) {
      if (v !== null && v > 100) add(field, `is a percentage: at most 100, not ${v}`);
    }
  }
  if (q.method === 'derived' && !q.derivedFrom.length)
    add('derivedFrom', 'required with method derived: the figures it was computed from');
  if (q.method === 'reported' && q.derivedFrom.length) {
    add('derivedFrom', 'only for estimated, extrapolated or derived figures');
  }
  if (id && q.derivedFrom.includes(id)) add('derivedFrom', 'cannot include the figure itself');
  if (new Set(q.derivedFrom).size !== q.derivedFrom.length) add('derivedFrom', 'lists a figure twice');
  if (q.lowerBound !== null && q.upperBound !== null && q.lowerBound > q.upperBound) {
    add('lowerBound', `is above the upper bound ${q.upperBound}`);
  }
  if (q.periodStart && q.periodEnd && q.periodStart > q.periodEnd) add('periodEnd', 'is before periodStart');
  return errors;
}
