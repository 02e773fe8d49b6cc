/**
 * Pieces of the citation line (`citeAs`) that statements and figures share. The line is plain text,
 * on one line, and deterministic: the same revision read at the same address gives the same line,
 * so its answer keeps its ETag and its cached copy. It has no access date, since its permalink names
 * a revision that never changes.
 *
 * The record may be a history snapshot written by an older version of Attest, so every field is
 * read as possibly missing.
 */

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** As precise as known: 2024-03-30 is "30 March 2024", 2024-03 "March 2024", 2024 "2024". */
export function spellDate(date: string | null | undefined): string | null {
  const m = date ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date) : null;
  if (!m) return date ?? null;
  const [, year, month, day] = m;
  if (!month) return year;
  return `${day ? `${Number(day)} ` : ''}${MONTHS[Number(month) - 1]} ${year}`;
}

const languages = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** "Spanish" for es, "Brazilian Portuguese" for pt-BR; the tag itself when it names no known language. */
export function languageName(tag: string): string {
  try {
    return languages.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** Longest passage a line quotes; a longer one is cut at a word and marked […], as an editor marks a cut. */
const MAX_QUOTED = 500;

/** Text on one line, cut to MAX_QUOTED characters. */
export function oneLine(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= MAX_QUOTED) return t;
  const cut = t.slice(0, MAX_QUOTED);
  const space = cut.lastIndexOf(' ');
  return `${space > 0 ? cut.slice(0, space) : cut} […]`;
}

/** Text set inside “…”: on one line, with the quotation marks it holds made single (a quote within a quote). */
export function quoted(text: string): string {
  let open = false;
  const nested = oneLine(text).replace(/[“”"]/g, (q) => {
    if (q === '“') return '‘';
    if (q === '”') return '’';
    open = !open;
    return open ? '‘' : '’';
  });
  return `“${nested}”`;
}

/** Ends a sentence unless its last words already did: "now." and "outrageous.”" take no second stop. */
export const stop = (sentence: string) => (/[.!?…][’”'")\]]*$/.test(sentence) ? sentence : `${sentence}.`);

interface SourceSummary {
  title?: string | null;
  publisher?: string | null;
  publishedOn?: string | null;
  url?: string | null;
}
interface CitationSummary {
  role?: string;
  source?: SourceSummary | null;
}

/**
 * Where it was read: the first outlet that reported it ("Reported by …", what a journalist has in
 * print), or, when no citation is secondary, its original source ("Source: …"). Citations come
 * primary first, then in the order they were added. Null when there is none.
 */
export function reportedIn(citations: CitationSummary[] | null | undefined): string | null {
  const list = (citations ?? []).filter((c) => c?.source);
  const secondary = list.find((c) => c.role === 'secondary');
  const chosen = secondary ?? list[0];
  if (!chosen?.source) return null;
  const { title, publisher, publishedOn, url } = chosen.source;
  const label = secondary ? (publisher ? `Reported by ${publisher}` : 'Reported in') : publisher ? `Source: ${publisher}` : 'Source:';
  const parts = [title ? quoted(title) : null, spellDate(publishedOn), url].filter(Boolean);
  if (!parts.length) return publisher ? stop(label) : null;
  return stop(`${label}${publisher ? ',' : ''} ${parts.join(', ')}`);
}

/** The last sentence: the record in Attest, its revision and the permalink that shows it. */
export const inAttest = (noun: 'statement' | 'figure', id: string, revision: number, permalink: string) =>
  `Attest ${noun} ${id}, revision ${revision}, ${permalink}.`;
