import type { z } from 'zod';
import { inAttest, quoted, reportedIn, spellDate } from '../core/cite.js';
import { QUALIFIER_WORDS, VAGUE } from './quantities.js';
import type { Figure } from './schemas.js';

type Shown = Partial<z.output<typeof Figure>>;

const numbers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

/** "at least 7,000 missing", "dozens killed", "52% displaced", "the majority killed". */
function quantity(f: Shown): string {
  const percent = f.unit === 'percent' || f.unit === 'share' ? '%' : '';
  const n = f.value === null || f.value === undefined ? null : `${numbers.format(f.value)}${percent}`;
  // Words that stand for a number lead ("dozens (24)"); a hedge precedes its number ("at least 7,000").
  const words = f.qualifier ? QUALIFIER_WORDS[f.qualifier] : '';
  const amount =
    f.qualifier && VAGUE[f.qualifier]
      ? `${words}${n ? ` (${n})` : ''}`
      : n
        ? `${words ? `${words} ` : ''}${n}`
        : 'an unstated number';
  return `${amount} ${(f.metric ?? '').replaceAll('_', ' ')}`.trim();
}

/** "since 7 October 2023" for a running total; "on 7 October 2023", "1 to 7 May 2024"… for a period. */
function period(f: Shown): string | null {
  const start = spellDate(f.periodStart);
  const end = spellDate(f.periodEnd);
  if (f.cumulative !== false) return start ? `since ${start}` : null;
  if (start && end) return start === end ? `on ${start}` : `${start} to ${end}`;
  return start ? `from ${start}` : end ? `until ${end}` : null;
}

/**
 * A figure's citation line: `Gaza Ministry of Health, as of March 2024: “32,705 Palestinians have been
 * killed” (32,705 killed; Palestinians; Gaza Strip; since 7 October 2023). Reported by The Palestine
 * Chronicle, “…”, March 2024. Attest figure <id>, revision 1, <permalink>.` The words as printed come
 * first when the figure keeps them; what it counts follows in brackets, hedge included, so that
 * "dozens" (no number) reads as such. "Unattributed" when the outlet named no reporter.
 */
export function citeFigure(f: Shown, revision: number, permalink: string): string {
  const details = [
    f.phrase ? quantity(f) : null,
    f.population,
    f.area,
    period(f),
    f.method && f.method !== 'reported' ? f.method : null,
    f.unit === 'share' ? (f.shareOf ? `a share of figure ${f.shareOf}` : 'a share of another figure') : null,
  ].filter(Boolean);
  const what = f.phrase ? quoted(f.phrase) : quantity(f);
  const asOf = spellDate(f.asOf);
  const figure = `${f.reporter?.name ?? 'Unattributed'}${asOf ? `, as of ${asOf}` : ''}: ${what}${details.length ? ` (${details.join('; ')})` : ''}.`;
  return [figure, reportedIn(f.citations), inAttest('figure', f.id ?? '', revision, permalink)].filter(Boolean).join(' ');
}
