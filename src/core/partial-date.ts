import { invalidField } from './problems.js';

/**
 * Dates known to a day, a month or a year ("earlier this month"). They travel
 * as reduced-precision ISO 8601 strings (2024, 2024-03, 2024-03-30) and are
 * stored as the first day of the period plus its precision.
 */
export type Precision = 'day' | 'month' | 'year';

export interface PartialDate {
  date: Date; // UTC midnight, first day of the period
  precision: Precision;
}

export const PARTIAL_DATE_PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** Returns undefined for anything that is not a real calendar date. */
export function parsePartialDate(text: string): PartialDate | undefined {
  const m = PARTIAL_DATE_PATTERN.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return { date, precision: m[3] ? 'day' : m[2] ? 'month' : 'year' };
}

export function formatPartialDate(date: Date, precision: Precision): string {
  const iso = date.toISOString();
  return precision === 'year' ? iso.slice(0, 4) : precision === 'month' ? iso.slice(0, 7) : iso.slice(0, 10);
}

/** The last day of the period a partial date names. */
export function periodEnd({ date, precision }: PartialDate): Date {
  if (precision === 'day') return date;
  const y = date.getUTCFullYear();
  return precision === 'month' ? new Date(Date.UTC(y, date.getUTCMonth() + 1, 0)) : new Date(Date.UTC(y, 11, 31));
}

/** A YYYY-MM-DD string cut to its precision, without building a Date (a hot path: every row read). */
export function cutDay(day: string, precision: Precision): string {
  return precision === 'year' ? day.slice(0, 4) : precision === 'month' ? day.slice(0, 7) : day;
}

export const formatDay = (date: Date) => date.toISOString().slice(0, 10);

/** First day (YYYY-MM-DD) of the period a validated `from` parameter names. */
const rangeStart = (from: string | undefined) => from && formatDay(parsePartialDate(from)!.date);

/** Last day (YYYY-MM-DD) of the period a validated `to` parameter names: to=2024-03 ends on 2024-03-31. */
const rangeEnd = (to: string | undefined) => to && formatDay(periodEnd(parsePartialDate(to)!));

/**
 * The latest first day a period of `precision` can have and still end by the
 * end of `to`: with to=2024-03-30, March is not over, so a month-dated record
 * must start by 1 February.
 */
export function latestStart(to: string, precision: Precision): Date {
  const end = periodEnd(parsePartialDate(to)!);
  if (precision === 'day') return end;
  const next = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate() + 1));
  return precision === 'month'
    ? new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() - 1, 1))
    : new Date(Date.UTC(next.getUTCFullYear() - 1, 0, 1));
}

/** `to` before `from` is a mistake worth naming, not an empty answer. */
export function assertRange(from: string | undefined, to: string | undefined) {
  if (from && to && rangeStart(from)! > rangeEnd(to)!) throw invalidField('query', 'to', 'is before from');
}
