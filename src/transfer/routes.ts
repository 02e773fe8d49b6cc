import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { type FastifyPluginAsyncZod, validatorCompiler } from 'fastify-type-provider-zod';
import { ProblemError, invalidField, problemBody } from '../core/problems.js';
import { readSnapshot } from '../db/snapshot.js';
import { errors } from '../http/schemas.js';
import { writeContext } from '../http/write-request.js';
import type { WriteContext } from '../writes/door.js';
import { writeExport } from './export.js';
import { type ImportOptions, importProblem, runImport } from './import.js';
import { spool } from './lines.js';
import { ExportLine, ExportQuery, ImportHeaders, ImportLine, ImportQuery, ImportReport } from './schemas.js';

/** Largest body an import takes (it is spooled to a temporary file, not held in memory). */
const MAX_IMPORT_BYTES = 2 * 2 ** 30;

const MEDIA_TYPES = ['application/x-ndjson', 'application/ndjson', 'text/csv'];

/** The bodies of /import requests, handed over unread by the content-type parser. */
const bodies = new WeakMap<FastifyRequest, NodeJS.ReadableStream>();

/** The writer and reason of an import: no Idempotency-Key (an import is idempotent by itself), `import` as the default reason. */
function importContext(req: FastifyRequest): WriteContext {
  const headers = { ...req.headers };
  delete headers['idempotency-key'];
  const { writer, reason } = writeContext(Object.create(req, { headers: { value: headers } }) as FastifyRequest);
  return { writer, reason: reason ?? 'import' };
}

const problemLine = (req: FastifyRequest, err: unknown) => {
  const p =
    err instanceof ProblemError ? err : new ProblemError('internal', 'Something went wrong on our side; it has been logged.');
  if (!(err instanceof ProblemError)) req.log.error({ err }, 'import failed');
  return `${JSON.stringify({ problem: problemBody(p.code, p.detail, req.url, p.extras) })}\n`;
};

export const transferRoutes: FastifyPluginAsyncZod = async (app) => {
  // NDJSON and CSV bodies reach /import as streams: the handler spools them (see ./lines.ts).
  app.addContentTypeParser(MEDIA_TYPES, (req, payload, done) => {
    bodies.set(req, payload);
    done(null, undefined);
  });

  app.get('/export', {
    schema: {
      operationId: 'exportRecords',
      summary: 'The whole record as NDJSON, to keep or to restore',
      description:
        'Every actor, source, statement and figure, one per line with its `type`, in an order `POST /import` can replay (actors, sources, statements, figures; by id within each), from one consistent snapshot. Each line has the shape of the create body with `id`, `createdAt` and `updatedAt`; citations are inline with their ids. Importing an export into an empty database restores it, and exporting that gives the same lines. With `history=true`, every revision follows.',
      tags: ['Export and import'],
      querystring: ExportQuery,
      response: {
        200: { description: 'NDJSON, one record per line.', content: { 'application/x-ndjson': { schema: ExportLine } } },
        ...errors(400),
      },
    },
    handler: async (req, reply) => {
      const out = new PassThrough();
      const send = async (chunk: string) => {
        if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
        if (out.destroyed) throw new Error('client went away');
      };
      void readSnapshot(app.db, async (snapshot) => {
        await writeExport(snapshot, send, req.query.history);
        out.end();
      }).catch((err: unknown) => {
        req.log.error({ err }, 'export failed');
        out.destroy(err as Error);
      });
      const date = new Date().toISOString().slice(0, 10);
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="attest-export-${date}.ndjson"`)
        .send(out as never);
    },
  });

  app.post('/import', {
    schema: {
      operationId: 'importRecords',
      summary: 'Import records from NDJSON or CSV, idempotently',
      description: [
        'Send NDJSON (`Content-Type: application/x-ndjson`), one record per line shaped like its create body plus `type` (and optionally `id`, `createdAt`, `updatedAt`), or CSV (`text/csv`) of one type of record with `type=`. Lines of `GET /export` import as they are: an export imported into an empty database restores it.',
        'Each line is validated like its create request. A line matches an existing record by `id`, else by its natural key (actor: slug; source: URL, else kind, title and publisher; statement: speaker, saidOn and text; figure: metric, reporter, area, population, asOf, value and qualifier): identical, it is left unchanged; different, the fields it gives are updated (citations are added, never removed). So importing the same file twice creates nothing the second time.',
        'One transaction: by default nothing is written when any line fails (400, each error naming its line and field); `onError=skip` writes the valid lines. Every record written gets a revision with the `Change-Reason` (default `import`). With `Accept: application/x-ndjson` the answer streams a `{"progress": …}` line per batch, then `{"report": …}` or `{"problem": …}`, with status 200 whatever the outcome.',
      ].join('\n\n'),
      tags: ['Export and import'],
      security: [{ bearer: [] }],
      headers: ImportHeaders,
      querystring: ImportQuery,
      body: ImportLine,
      consumes: ['application/x-ndjson', 'text/csv'],
      response: { 200: ImportReport, ...errors(400, 401, 403, 413, 415) },
    },
    onRequest: app.requireScope('write'),
    // The body is a stream the handler reads; only the URL and headers are validated up front.
    validatorCompiler: (route) =>
      route.httpPart === 'body'
        ? () => ({ value: undefined })
        : validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]),
    handler: async (req, reply) => {
      const body = bodies.get(req);
      if (!body) {
        throw new ProblemError(
          'unsupported-media-type',
          'Send NDJSON (Content-Type: application/x-ndjson), or CSV (Content-Type: text/csv) with type=.',
        );
      }
      const format = /csv/i.test(req.headers['content-type'] ?? '') ? 'csv' : 'ndjson';
      const { type, dryRun, onError } = req.query;
      if (format === 'csv' && !type) throw invalidField('query', 'type', 'required with CSV: actor, source or statement');
      if (format === 'csv' && (type === 'figure' || type === 'relation'))
        throw invalidField('query', 'type', `${type}s are imported from NDJSON only`);
      const ctx = importContext(req);
      const file = await spool(body, MAX_IMPORT_BYTES);
      const options: ImportOptions = { format, type, dryRun, onError };

      if (!/\bapplication\/(x-)?ndjson\b/.test(req.headers.accept ?? '')) {
        try {
          const report = await runImport(app.db, ctx, file, options);
          if (!report.written && !dryRun) throw importProblem(report);
          return report;
        } finally {
          await file.dispose();
        }
      }

      // Progress as it goes, for the command-line tool: one line per batch, then the outcome.
      const out = new PassThrough();
      const line = (value: unknown) => out.write(`${JSON.stringify(value)}\n`);
      line({ progress: { line: 0, totalLines: file.lines, created: 0, updated: 0, unchanged: 0, failed: 0 } });
      void runImport(app.db, ctx, file, { ...options, onProgress: (progress) => line({ progress }) })
        .then((report) => {
          if (!report.written && !dryRun) out.end(problemLine(req, importProblem(report)));
          else out.end(`${JSON.stringify({ report })}\n`);
        })
        .catch((err: unknown) => out.end(problemLine(req, err)))
        .finally(() => file.dispose());
      // A stream bypasses serialization; typed as the report so the handler keeps its response type.
      return reply.type('application/x-ndjson; charset=utf-8').send(out as never);
    },
  });
};
