import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type Column, columnsOf } from '../core/flatten.js';
import type { Database } from '../db/database.js';
import { readSnapshot } from '../db/snapshot.js';
import type { Cited } from '../history/citable.js';
import { decoratorFor } from './citable.js';
import { baseUrl, withNextLink } from './link.js';

type Format = 'json' | 'csv' | 'ndjson';

export function chosenFormat(req: FastifyRequest): Format {
  const given = (req.query as { format?: Format } | undefined)?.format;
  if (given) return given;
  const accept = req.headers.accept ?? '';
  if (/\btext\/csv\b/.test(accept)) return 'csv';
  if (/\bapplication\/(x-)?ndjson\b/.test(accept)) return 'ndjson';
  return 'json';
}

type Page = { data: unknown[]; nextCursor: string | null };

export interface ListSource<Q, P extends Page> {
  /** Name of the downloaded file, without extension. */
  name: string;
  /** The record schema: CSV columns are derived from it. */
  item: z.ZodType;
  page(db: Database, query: Q, limit: number, cursor: string | undefined): Promise<P>;
}

// Pages read while streaming: large enough that a row costs little, small enough to keep memory flat.
const STREAM_PAGE = 500;

const columnCache = new WeakMap<z.ZodType, Column[]>();
function columns(item: z.ZodType) {
  let c = columnCache.get(item);
  if (!c) columnCache.set(item, (c = columnsOf(item)));
  return c;
}

const FORMULA = /^[=+\-@\t\r]/;
function csvCell(value: string | number | boolean | null, spreadsheet: boolean): string {
  if (value === null) return '';
  let text = String(value);
  if (spreadsheet && typeof value === 'string' && FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Answers a list request in the format asked for. JSON is one page with its
 * cursor and Link; CSV and NDJSON stream every page from one consistent
 * snapshot of the database, with constant memory (the socket's backpressure
 * paces the reads).
 */
export async function sendList<Q extends { limit: number; cursor?: string }, P extends Page>(
  req: FastifyRequest,
  reply: FastifyReply,
  db: Database,
  source: ListSource<Q, P>,
): Promise<Cited<P>> {
  const query = req.query as Q & { spreadsheet?: 'true' | 'false' };
  const format = chosenFormat(req);
  // Statements and figures get their permalinks and citation lines as they are serialised (./citable.ts).
  if (format === 'json') return withNextLink(req, reply, await source.page(db, query, query.limit, query.cursor)) as Cited<P>;

  // A `limit` the client gave means one page; without it, everything.
  const onePage = /(?:^|[?&])limit=/.test(req.url);
  const spreadsheet = query.spreadsheet === 'true';
  const cols = columns(source.item);
  const cite = decoratorFor(source.item);
  const base = baseUrl(req);
  const out = new PassThrough();
  const send = async (chunk: string) => {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
    if (out.destroyed) throw new Error('client went away');
  };
  // The first page is read before anything is sent, so that a refused cursor or filter is still a
  // 400 problem rather than a 200 cut short.
  let begun = false;
  let started!: () => void;
  let refused!: (err: unknown) => void;
  const firstPage = new Promise<void>((resolve, reject) => {
    started = resolve;
    refused = reject;
  });
  void readSnapshot(db, async (snapshot) => {
    let cursor = query.cursor;
    let page = await source.page(snapshot, query, onePage ? query.limit : STREAM_PAGE, cursor);
    begun = true;
    started();
    if (format === 'csv') await send(`${cols.map((c) => csvCell(c.name, false)).join(',')}\r\n`);
    for (;;) {
      let chunk = '';
      for (const record of page.data) {
        cite?.(record, base);
        chunk +=
          format === 'csv'
            ? `${cols.map((c) => csvCell(c.get(record), spreadsheet)).join(',')}\r\n`
            : `${JSON.stringify(record)}\n`;
      }
      await send(chunk);
      cursor = page.nextCursor ?? undefined;
      if (!cursor || onePage) break;
      page = await source.page(snapshot, query, STREAM_PAGE, cursor);
    }
    out.end();
  }).catch((err: unknown) => {
    if (!begun) return refused(err);
    req.log.error({ err }, 'streaming a list failed');
    out.destroy(err as Error);
  });
  await firstPage;

  const date = new Date().toISOString().slice(0, 10);
  const [type, ext] = format === 'csv' ? ['text/csv; charset=utf-8', 'csv'] : ['application/x-ndjson; charset=utf-8', 'ndjson'];
  // Typed as the JSON page so that handlers keep their response types; a stream bypasses serialization.
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename="${source.name}-${date}.${ext}"`)
    .send(out) as unknown as Cited<P>;
}
