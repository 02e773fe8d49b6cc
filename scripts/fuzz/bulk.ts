// Bodies for bulk routes (POST /import: NDJSON or CSV): many lines, one or more of them broken, or the file
// itself malformed. Kept under the 1 MB a request body may have elsewhere, so 2 s stays a fair bound.
import { type Draft, nestedArrays, nestedObjects, printable, short } from './draft.js';
import { BAD_DATES, BAD_IDS, BAD_TEXT, BAD_TIMES, RAW_NUMBERS, type Rng, longString } from './values.js';

export type RecordType = 'actor' | 'source' | 'statement' | 'figure';
const TYPES: RecordType[] = ['actor', 'source', 'statement', 'figure'];

/** A valid-ish create body of each type (from the document's schemas), to make lines of. */
export type Sampler = (type: RecordType) => Record<string, unknown>;

export function bulkBody(d: Draft, rng: Rng, sample: Sampler): string {
  const types = d.op.bodyTypes;
  const csv = types.includes('text/csv') && (!types.some((t) => /ndjson/.test(t)) || rng.chance(0.3));
  // Half the time the answer is a progress stream (what the command-line tool asks for).
  if (rng.chance(0.3)) d.headers.push(['Accept', 'application/x-ndjson']);
  if (rng.chance(0.3)) d.query.push(['dryRun', 'true']);
  return csv ? csvBody(d, rng, sample) : ndjsonBody(d, rng, sample);
}

function ndjsonBody(d: Draft, rng: Rng, sample: Sampler): string {
  d.contentType = rng.pick([
    'application/x-ndjson',
    'application/x-ndjson',
    'application/ndjson',
    'application/x-ndjson; charset=utf-8',
  ]);
  const n = rng.pick([1, 2, 5, 20, 100]);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const type = rng.pick(TYPES);
    lines.push(JSON.stringify({ type, ...sample(type) }));
  }
  const at = rng.int(lines.length);
  const kind = rng.weighted({
    line: 6,
    field: 6,
    many: 2,
    long: 1,
    endings: 2,
    bytes: 2,
    restore: 3,
  });
  let what: string;
  switch (kind) {
    case 'line': {
      const bad = rng.pick([
        '',
        ' ',
        '{',
        '}',
        '[]',
        '[{"type":"actor"}]',
        'null',
        '42',
        '"actor"',
        '{"type":"nope"}',
        '{"type":null}',
        '{"type":["actor"]}',
        '{}',
        '{"type":"actor"}',
        '{"type":"actor","name":"x","kind":"person"}{"type":"actor"}',
        '{"type":"actor","__proto__":{"isAdmin":true},"name":"x","kind":"person"}',
        '{"type":"actor","name":"x","kind":"person","name":"y"}',
        `{"type":"actor","name":${nestedArrays(rng.pick([40, 1000, 100_000]))},"kind":"person"}`,
        `{"type":"statement","citations":${nestedObjects(rng.pick([40, 5000]))}}`,
        '{"type":"actor","name":"\\ud800","kind":"person"}',
        '{"type":"actor","name":"a\\u0000b","kind":"person"}',
        '\u0000',
        '\ufeff{"type":"actor","name":"bom","kind":"person"}',
        '// comment',
        '{"type":"actor","name":"x","kind":"person"',
      ]);
      lines[at] = bad;
      what = `line ${at + 1} of ${n}: ${short(printable(bad), 60)}`;
      break;
    }
    case 'field': {
      const line = JSON.parse(lines[at]) as Record<string, unknown>;
      const keys = Object.keys(line).filter((k) => k !== 'type');
      const key = keys.length ? rng.pick(keys) : 'name';
      const raw = rng.chance(0.3);
      const value = raw
        ? rng.pick(RAW_NUMBERS)
        : rng.pick<unknown>([
            ...BAD_TEXT,
            ...BAD_DATES,
            ...BAD_IDS.slice(0, 10),
            longString(rng.pick([301, 5001, 200_000])),
            null,
            [],
            {},
            true,
            -1,
          ]);
      const text = JSON.stringify({ ...line, [key]: raw ? '\u0001RAW\u0001' : value }).replace(
        '"\\u0001RAW\\u0001"',
        String(value),
      );
      lines[at] = text;
      what = `line ${at + 1} of ${n}: ${key} = ${short(printable(raw ? String(value) : (JSON.stringify(value) ?? '')), 50)}`;
      break;
    }
    case 'many': {
      const count = rng.pick([1000, 10_000, 50_000]);
      const line = rng.pick(['{}', '{"type":"actor"}', '{"type":"actor","name":"","kind":"x"}', 'x']);
      lines.length = 0;
      for (let i = 0; i < count; i++) lines.push(line);
      what = `${count} lines of ${line}`;
      break;
    }
    case 'long':
      lines[at] = JSON.stringify({ type: 'actor', name: 'long', kind: 'person', description: longString(900_000) });
      what = `line ${at + 1} of ${n} is 900 kB`;
      break;
    case 'endings': {
      const sep = rng.pick(['\r\n', '\r', '\n\n\n', '\u2028', '\u0085', '\n\u0000\n']);
      d.rawBody = Buffer.from(lines.join(sep));
      return `${n} lines separated by ${printable(sep)}`;
    }
    case 'bytes':
      // Not UTF-8 at all: filled in as bytes by the caller's rawBody.
      d.rawBody = Buffer.concat([
        Buffer.from(lines.slice(0, at).join('\n') + (at ? '\n' : '')),
        Buffer.from('{"type":"actor","name":"'),
        rng.pick([Buffer.from([0xff]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0x80]), Buffer.from([0x00])]),
        Buffer.from('","kind":"person"}\n'),
        Buffer.from(lines.slice(at).join('\n')),
      ]);
      return `NDJSON with bytes that are not UTF-8 on line ${at + 1}`;
    case 'restore': {
      // The fields only a restore may carry: a kept id and kept times.
      const line = JSON.parse(lines[at]) as Record<string, unknown>;
      const field = rng.pick(['id', 'createdAt', 'updatedAt']);
      line[field] = field === 'id' ? rng.pick(BAD_IDS) : rng.pick<unknown>([...BAD_TIMES, ...BAD_DATES, 1e308, -1, null]);
      lines[at] = JSON.stringify(line);
      what = `line ${at + 1} of ${n}: ${field} = ${short(printable(JSON.stringify(line[field]) ?? ''), 50)}`;
      break;
    }
  }
  d.rawBody = Buffer.from(lines.join('\n') + (rng.chance(0.8) ? '\n' : ''));
  return what;
}

function csvBody(d: Draft, rng: Rng, sample: Sampler): string {
  d.contentType = rng.pick([
    'text/csv',
    'text/csv',
    'text/csv; charset=utf-8',
    'text/csv; header=present',
    'text/csv; charset=latin1',
  ]);
  const type = rng.pick<RecordType>(['actor', 'source', 'statement', 'figure']);
  if (rng.chance(0.9)) d.query.push(['type', type]);
  const row = sample(type);
  const columns = Object.keys(row).filter((k) => typeof row[k] !== 'object' || Array.isArray(row[k]));
  const cell = (v: unknown) => {
    const s = Array.isArray(v) ? v.join(' | ') : String(v ?? '');
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const rows = [
    columns.join(','),
    ...Array.from({ length: rng.pick([1, 3, 20]) }, () => columns.map((c) => cell(row[c])).join(',')),
  ];
  const kind = rng.weighted({ quote: 3, cell: 4, shape: 3, formula: 1, bytes: 2, many: 1 });
  let what: string;
  switch (kind) {
    case 'quote': {
      const bad = rng.pick(['"unterminated', 'a"b', '"a""', '""""', '"a"b"', '"\n', `"${longString(100_000)}`]);
      rows[1 + rng.int(rows.length - 1)] = `${bad},${rows[1]}`;
      what = `CSV cell ${short(printable(bad), 30)}`;
      break;
    }
    case 'cell': {
      const c = rng.int(Math.max(1, columns.length));
      const v = rng.pick<string>([
        ...BAD_TEXT,
        ...BAD_DATES,
        longString(300_000),
        ' | | | ',
        '|',
        '[',
        '{"a":1}',
        nestedArrays(1000),
      ]);
      const cells = rows[1].split(',');
      cells[c] = cell(v);
      rows[1] = cells.join(',');
      what = `CSV column ${columns[c] ?? c} = ${short(printable(v), 40)}`;
      break;
    }
    case 'shape': {
      const v = rng.pick([
        ['no header', () => rows.shift()],
        ['header only', () => rows.splice(1)],
        ['empty file', () => rows.splice(0)],
        ['unknown columns', () => (rows[0] = rows[0].replace(/^[^,]*/, 'nope'))],
        ['duplicate columns', () => (rows[0] = `${rows[0]},${rows[0]}`)],
        ['a short row', () => (rows[1] = rows[1].split(',')[0])],
        ['a long row', () => (rows[1] = `${rows[1]},${Array(5000).fill('x').join(',')}`)],
        ['10,000 columns', () => (rows[0] = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(','))],
        ['semicolons', () => rows.forEach((r, i) => (rows[i] = r.replaceAll(',', ';')))],
        ['a BOM', () => (rows[0] = `\ufeff${rows[0]}`)],
        ['CR line ends', () => rows.push('')],
      ] as const);
      v[1]();
      what = `CSV with ${v[0]}`;
      if (v[0] === 'CR line ends') {
        d.rawBody = Buffer.from(rows.join('\r'));
        return what;
      }
      break;
    }
    case 'formula': {
      const f = rng.pick(['=1+1', '+cmd|" /C calc"!A0', '-2+3', '@SUM(A1)', '\t=1', '\r=1']);
      rows[1] = `${cell(f)},${rows[1].split(',').slice(1).join(',')}`;
      what = `CSV formula cell ${printable(f)}`;
      break;
    }
    case 'bytes':
      d.rawBody = Buffer.concat([
        Buffer.from(`${rows[0]}\n`),
        rng.pick([Buffer.from([0xff, 0xfe]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0x00])]),
        Buffer.from(`${rows.slice(1).join('\n')}\n`),
      ]);
      return 'CSV with bytes that are not UTF-8';
    case 'many': {
      const n = rng.pick([5000, 30_000]);
      for (let i = 0; i < n; i++) rows.push(',,,');
      what = `CSV with ${n} empty rows`;
      break;
    }
  }
  d.rawBody = Buffer.from(`${rows.join('\n')}\n`);
  return `${what!} (type=${type})`;
}
