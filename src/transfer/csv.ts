import { LIST_SEPARATOR } from '../core/flatten.js';
import { ProblemError } from '../core/problems.js';
import type { RecordType } from './export.js';

/**
 * CSV for one type of record (`type=actor|source|statement`): each row becomes
 * the NDJSON line an import takes. The columns are those of the type's CSV
 * list (GET /actors?format=csv, /sources?format=csv), so a list downloaded as
 * CSV imports back; derived columns (counts, first and last days, precisions)
 * are ignored. Statements take a minimal set with one citation per row. Lists
 * (aliases, authors, tags) are joined with " | "; an empty cell leaves the
 * field out.
 */
export type CsvType = Exclude<RecordType, 'figure' | 'relation'>;
export const CSV_TYPES = ['actor', 'source', 'statement'] as const;

type Raw = Record<string, unknown>;
type Setter = (raw: Raw, value: string) => void;

const list = (value: string) => value.split(LIST_SEPARATOR).map((v) => v.trim());
const text =
  (field: string): Setter =>
  (raw, value) => {
    raw[field] = value;
  };
const listOf =
  (field: string): Setter =>
  (raw, value) => {
    raw[field] = list(value);
  };
const json =
  (field: string): Setter =>
  (raw, value) => {
    try {
      raw[field] = JSON.parse(value);
    } catch {
      raw[field] = value;
    }
  };
/** Positional lists that make one list of objects: `handles.platform` and `handles.handle` → handles[i].{platform, handle}. */
const objects =
  (field: string, key: string): Setter =>
  (raw, value) => {
    const items = ((raw[field] as Raw[] | undefined) ??= []);
    list(value).forEach((v, i) => {
      items[i] ??= {};
      if (v !== '') items[i][key] = v;
    });
  };
const citation =
  (key: string): Setter =>
  (raw, value) => {
    const c = (((raw.citations as Raw[] | undefined) ??= [{}])[0] ??= {});
    c[key] = value;
  };
const source =
  (key: string): Setter =>
  (raw, value) => {
    const c = (((raw.citations as Raw[] | undefined) ??= [{}])[0] ??= {});
    const s = ((c.source as Raw | undefined) ??= {});
    s[key] = value;
    // A URL read before the source's other columns becomes the source's.
    if (typeof c.sourceUrl === 'string') {
      s.url = c.sourceUrl;
      delete c.sourceUrl;
    }
  };

const common = (fields: string[]) => Object.fromEntries(fields.map((f) => [f, text(f)]));

const COLUMNS: Record<CsvType, { set: Record<string, Setter>; ignored: string[] }> = {
  actor: {
    set: {
      ...common(['id', 'slug', 'name', 'kind', 'role', 'country', 'description', 'createdAt', 'updatedAt']),
      aliases: listOf('aliases'),
      externalIds: json('externalIds'),
      'handles.platform': objects('handles', 'platform'),
      'handles.handle': objects('handles', 'handle'),
      'handles.url': objects('handles', 'url'),
    },
    ignored: ['aliases.count', 'handles.count'],
  },
  source: {
    set: {
      ...common([
        'id',
        'kind',
        'title',
        'url',
        'publisher',
        'publishedOn',
        'language',
        'retrievedAt',
        'archiveUrl',
        'notes',
        'createdAt',
        'updatedAt',
      ]),
      authors: listOf('authors'),
      // The outlet by any actor reference; a downloaded list names it by id (its other columns are ignored).
      outlet: text('outlet'),
      'outlet.id': text('outlet'),
    },
    ignored: [
      'authors.count',
      'publishedPrecision',
      'publishedOnFirstDay',
      'publishedOnLastDay',
      'outlet.slug',
      'outlet.name',
      'outlet.kind',
    ],
  },
  statement: {
    set: {
      ...common([
        'id',
        'speaker',
        'attribution',
        'attributedTo',
        'text',
        'language',
        'originalText',
        'originalLanguage',
        'kind',
        'saidOn',
        'medium',
        'platform',
        'location',
        'occasion',
        'verification',
        'notes',
        'createdAt',
        'updatedAt',
      ]),
      tags: listOf('tags'),
      sourceId: citation('sourceId'),
      excerpt: citation('excerpt'),
      locator: citation('locator'),
      role: citation('role'),
      sourceUrl: (raw, value) => {
        // The URL of an existing source, unless the row describes the source (kind, title…) to create it.
        const c = (((raw.citations as Raw[] | undefined) ??= [{}])[0] ??= {});
        if (c.source) (c.source as Raw).url = value;
        else c.sourceUrl = value;
      },
      sourceKind: source('kind'),
      sourceTitle: source('title'),
      sourcePublisher: source('publisher'),
      sourcePublishedOn: source('publishedOn'),
    },
    ignored: ['tags.count', 'saidPrecision', 'saidOnFirstDay', 'saidOnLastDay'],
  },
};

/** The columns a type takes, for documentation and error messages. */
export const csvColumns = (type: CsvType) => Object.keys(COLUMNS[type].set);

/** Checks a header row; returns, per column, how to set its cell (undefined for an ignored column). */
export function csvHeader(type: CsvType, header: string[]): (Setter | undefined)[] {
  const { set, ignored } = COLUMNS[type];
  const unknown = header.filter((h) => !(h in set) && !ignored.includes(h));
  const errors = unknown.map((h) => ({ in: 'line 1', field: h, message: `is not a column of type=${type}` }));
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) errors.push({ in: 'line 1', field: h, message: 'appears twice' });
    seen.add(h);
  }
  if (type === 'statement' && !header.includes('excerpt')) {
    errors.push({
      in: 'line 1',
      field: 'excerpt',
      message:
        'a statement needs a citation: give excerpt, role, and sourceId or sourceUrl (with sourceKind and sourceTitle for a new source)',
    });
  }
  if (errors.length) {
    throw new ProblemError(
      'validation-failed',
      `The CSV header does not fit type=${type}. Its columns are: ${csvColumns(type).join(', ')}.`,
      { errors },
    );
  }
  return header.map((h) => set[h]);
}

/** A CSV row as the line an import takes. */
export function csvRow(setters: (Setter | undefined)[], row: string[]): Raw {
  const raw: Raw = {};
  row.forEach((value, i) => {
    if (value !== '' && setters[i]) setters[i](raw, value);
  });
  return raw;
}

/** An error's field (a path in the line) as the CSV column it came from. */
export function csvField(type: CsvType, field: string): string {
  if (type === 'actor') return field.replace(/^handles\.\d+\./, 'handles.');
  if (type !== 'statement') return field;
  const m = /^citations\.0\.(?:source\.(\w+)|(\w+))(.*)$/.exec(field);
  if (!m) return field === 'citations' ? 'excerpt' : field;
  if (m[1]) return `source${m[1][0].toUpperCase()}${m[1].slice(1)}${m[3]}`;
  return `${m[2]}${m[3]}`;
}
