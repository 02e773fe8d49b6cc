import { isUtf8 } from 'node:buffer';
import { createHash, randomFillSync } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { ProblemError } from '../core/problems.js';

export interface Line {
  /** 1-based line number in the file. */
  number: number;
  text: string;
  /** The line was longer than allowed; its text is dropped. */
  tooLong?: boolean;
}

/**
 * Splits a byte stream into lines (LF or CRLF), numbered from 1, holding at
 * most one line in memory; a line longer than `maxChars` is reported as too
 * long rather than buffered. A UTF-8 byte order mark on the first line is dropped.
 */
export async function* splitLines(stream: AsyncIterable<Buffer | string>, maxChars: number): AsyncGenerator<Line> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let number = 0;
  let overflow = false;
  const finish = (text: string): Line => {
    number++;
    if (overflow) {
      overflow = false;
      return { number, text: '', tooLong: true };
    }
    let t = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (number === 1 && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    return { number, text: t };
  };
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl !== -1) {
      yield finish(rest + text.slice(0, nl));
      rest = '';
      start = nl + 1;
      while ((nl = text.indexOf('\n', start)) !== -1) {
        yield finish(text.slice(start, nl));
        start = nl + 1;
      }
    }
    if (!overflow) {
      rest += text.slice(start);
      if (rest.length > maxChars) {
        overflow = true;
        rest = '';
      }
    }
  }
  rest += decoder.end();
  if (rest.length || overflow) yield finish(rest);
}

/**
 * A request body saved to a temporary file as fast as it arrives, with its
 * number of lines. An import is read from there, not from the socket: Node
 * cuts off a request whose body takes longer than the server's requestTimeout
 * (30 s) to arrive, and a body read at the pace of the database would. The
 * file keeps memory flat whatever the size; it is removed by `dispose`.
 */
export interface Spooled {
  path: string;
  bytes: number;
  lines: number;
  dispose(): Promise<void>;
}

export async function spool(body: NodeJS.ReadableStream, maxBytes: number): Promise<Spooled> {
  const dir = await mkdtemp(join(tmpdir(), 'attest-import-'));
  const path = join(dir, 'body');
  let bytes = 0;
  let newlines = 0;
  let last = 0x0a;
  // Bytes of a character cut by the end of the previous chunk, checked with the next one.
  let carry = Buffer.alloc(0);
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        done(
          new ProblemError('payload-too-large', `An import takes at most ${Math.round(maxBytes / 2 ** 20)} MiB; split the file.`),
        );
        return;
      }
      const text = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const cut = incompleteTail(text);
      const whole = text.subarray(0, text.length - cut);
      if (!isUtf8(whole)) {
        done(notUtf8(newlines + 1 + lineOfInvalid(whole)));
        return;
      }
      carry = Buffer.from(text.subarray(text.length - cut));
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) newlines++;
      if (chunk.length) last = chunk[chunk.length - 1];
      done(null, chunk);
    },
    flush(done) {
      done(carry.length ? notUtf8(newlines + 1) : null);
    },
  });
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(body, count, createWriteStream(path));
  } catch (err) {
    await dispose();
    throw err;
  }
  return { path, bytes, lines: newlines + (last === 0x0a ? 0 : 1), dispose };
}

/**
 * Text is refused, never stored altered: a body that is not UTF-8 (a CSV saved as Latin-1 or
 * Windows-1252, say) would otherwise have its letters replaced by U+FFFD.
 */
const notUtf8 = (line: number) =>
  new ProblemError(
    'validation-failed',
    `Line ${line} is not UTF-8 text. Save the file as UTF-8 (in a spreadsheet, "CSV UTF-8") and send it again.`,
    { errors: [{ in: `line ${line}`, field: '(line)', message: 'is not UTF-8 text' }] },
  );

/** How many bytes at the end of `b` start a character that continues past it (0 to 3). */
function incompleteTail(b: Buffer): number {
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const byte = b[b.length - k];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/** The index (0-based) among the lines of `b` of the first line that is not UTF-8. */
function lineOfInvalid(b: Buffer): number {
  let line = 0;
  let start = 0;
  for (;;) {
    const nl = b.indexOf(0x0a, start);
    const end = nl === -1 ? b.length : nl;
    if (!isUtf8(b.subarray(start, end)) || nl === -1) return line;
    line++;
    start = nl + 1;
  }
}

const pool = Buffer.alloc(16 * 256);
let poolAt = pool.length;

/** A version 7 UUID (time-ordered, as Prisma's uuid(7) default), for records an import creates. */
export function uuid7(): string {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const b = pool.subarray(poolAt, poolAt + 16);
  poolAt += 16;
  const ms = Date.now();
  b[0] = Math.floor(ms / 2 ** 40) & 0xff;
  b[1] = Math.floor(ms / 2 ** 32) & 0xff;
  b[2] = (ms >>> 24) & 0xff;
  b[3] = (ms >>> 16) & 0xff;
  b[4] = (ms >>> 8) & 0xff;
  b[5] = ms & 0xff;
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A short digest for keys that may hold long text (a statement's words). */
export const digest = (text: string) => createHash('sha1').update(text).digest('base64url');
