// Small deterministic randomness and the catalogue of hostile values the fuzzer draws from.

/** mulberry32: a tiny PRNG, good enough to pick cases, and the same sequence for the same seed everywhere. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [k, w] of entries) if ((r -= w) < 0) return k;
    return entries[entries.length - 1][0];
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${'89ab'[this.int(4)]}${this.hex(3)}-${this.hex(12)}`;
  }
}

/** One generator per request index, so case N is the same whatever ran before it (`--case N` replays it). */
export function rngFor(seed: number, index: number): Rng {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return new Rng((h ^ (h >>> 16)) >>> 0);
}

/**
 * Percent-encodes text as UTF-8, except that a lone surrogate is encoded as the three bytes a careless
 * encoder would produce (`\ud800` → `%ED%A0%80`, which is not UTF-8): `encodeURIComponent` refuses it.
 */
export function pct(s: string, keep = /[A-Za-z0-9\-._~]/): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let bytes: number[];
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      bytes = [...Buffer.from(s.slice(i, i + 2), 'utf8')];
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      bytes = [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)];
    } else if (keep.test(s[i])) {
      out += s[i];
      continue;
    } else {
      bytes = [...Buffer.from(s[i], 'utf8')];
    }
    for (const b of bytes) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Text with a lone surrogate or a NUL somewhere in it. */
export const BAD_TEXT = [
  '\ud800',
  'a\ud800b',
  '\udfff',
  'x\udc00',
  '\ud83d', // half of an emoji
  '\u0000',
  'a\u0000b',
  '\u0000\u0000\u0000',
  'ok\u0000',
  '\ud800\u0000',
] as const;

/** Strings that are odd but well-formed: they must be stored or refused, never crash anything. */
export const ODD_STRINGS = [
  '',
  ' ',
  '\t\n\r',
  '\u00a0',
  '\u200b',
  '\u202e', // right-to-left override
  '\ufeff',
  '\uffff',
  '\ufffd',
  '😀',
  '𝕏',
  'é',
  'e\u0301',
  'ﷺ',
  'ع'.repeat(50),
  '\u001b[31m',
  '\u0001\u0002\u0007\u007f',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  "'; DROP TABLE actors; --",
  '" OR 1=1 --',
  '%',
  '%_',
  '\\',
  '\\u0000',
  '$1',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style lookup, sent as text
  '${jndi:ldap://x}',
  '{{7*7}}',
  '../../../../etc/passwd',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
] as const;

/** Full-text search input in every syntax a parser might choke on. */
export const SEARCH_STRINGS = [
  '"',
  '""',
  '"unterminated phrase',
  '-',
  '--',
  '-"x"',
  'OR',
  'OR OR OR',
  'a OR',
  'OR a',
  '!',
  '&',
  '|',
  '&|!():*<->',
  'a:*',
  'a <-> b',
  "'",
  "''",
  '(',
  ')',
  'the',
  'the and of',
  '-gaza',
  '- -',
  '"a" -"b" OR c',
  'a'.repeat(500),
  'x '.repeat(250),
  '\\',
  '*',
  '?',
  ':',
  'gaza & !',
  'Гaza',
  '加沙',
  'غزة',
  '\u0000',
] as const;

/** Dates in the API's partial-date format and beyond. */
export const BAD_DATES = [
  '2024-02-30',
  '2023-02-29',
  '2024-13-01',
  '2024-00-10',
  '2024-01-00',
  '2024-01-32',
  '0000',
  '0000-01-01',
  '-0001-01-01',
  '10000-01-01',
  '275760-09-13',
  '9999-12-31',
  '0001-01-01',
  '1900',
  '2024-1-1',
  '24-01-01',
  '2024/01/01',
  '2024-01-01T00:00:00Z',
  'infinity',
  '-infinity',
  'epoch',
  'today',
  'now',
  'allballs',
  '',
  ' 2024',
  '2024 ',
  '٢٠٢٤',
  '2024-01-01\u0000',
] as const;

/** RFC 3339 times and things that look like them. */
export const BAD_TIMES = [
  '2024-02-30T00:00:00Z',
  '2024-01-01T24:00:00Z',
  '2024-01-01T23:59:60Z',
  '2024-01-01T00:00:00+99:99',
  '2024-01-01T00:00:00+14:01',
  '2024-01-01T00:00:00-00:00',
  '2024-01-01T00:00:00.1234567890123Z',
  '0001-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999999Z',
  '9999-12-31T23:59:59-14:00',
  '275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2024-01-01',
  '2024-01-01 00:00:00',
  '2024-01-01t00:00:00z',
  'infinity',
  '-infinity',
  'epoch',
  'now',
  '1e309',
  '1711843200',
  '',
  '2024-01-01T00:00:00Z\u0000',
] as const;

/** Numbers as raw JSON tokens (some are not valid JSON). */
export const RAW_NUMBERS = [
  '1e309',
  '-1e309',
  '1e-400',
  '-0',
  '-0.0',
  '0e0',
  '123456789012345678901234567890',
  '9007199254740993',
  '1.7976931348623157e308',
  '5e-324',
  '-1',
  '0.5',
  '1E+2',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '010',
  '.5',
  '1.',
  '+1',
  '1_000',
] as const;

/** Numbers as query-string text. */
export const QUERY_NUMBERS = [
  '0',
  '-1',
  '-0',
  '101',
  '1e309',
  '1e2',
  '1.5',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '0b11',
  '1_0',
  ' 1',
  '1 ',
  '',
  '99999999999999999999',
  '9007199254740993',
  '+1',
  '١٠',
  'ten',
  'null',
  '[]',
  '1,2',
] as const;

/** Ids of the wrong length or shape. */
export const BAD_IDS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '{00000000-0000-4000-8000-000000000000}',
  '00000000000040008000000000000000',
  '00000000-0000-4000-8000-0000000000000',
  'x',
  '-',
  '.',
  '..',
  '0',
  '-1',
  '1e309',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'a'.repeat(199),
  'a'.repeat(200),
  'a'.repeat(201),
  'a'.repeat(1000),
  'a'.repeat(1001),
  'a'.repeat(5000),
] as const;

/** Path segments whose percent-encoding is broken or hides something. */
export const BAD_ESCAPES = [
  '%FF',
  '%E0%A4%A',
  '%E0%A4',
  '%',
  '%%',
  '%G0',
  '%0',
  '%ZZ',
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%ED%BF%BF',
  '%C0%AF',
  '%C0%80',
  '%F4%90%80%80',
  '%F8%88%80%80%80',
  '%FE%FF',
  '%EF%BB%BF',
  '%2F',
  '%2e%2e',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%5C',
  '%0D%0A',
  '%20',
  '%25',
  '%u0000',
  '%uD800',
] as const;

/** Large things that still fit the default 1 MB body limit (and some that do not). */
export const NEST_DEPTHS = [10, 33, 100, 1000, 5000, 100_000, 400_000] as const;

export const longString = (n: number, ch = 'a') => ch.repeat(n);
