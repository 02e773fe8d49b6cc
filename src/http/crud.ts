import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  RouteHandlerMethod,
  RouteShorthandOptionsWithHandler,
} from 'fastify';
import { z } from 'zod';
import type { Database, Tx } from '../db/database.js';
import { formatParams, pageEnvelope, pageQuery } from '../core/pagination.js';
import { ProblemError } from '../core/problems.js';
import { orGone as orGoneIn, recordAsOf, recordAtRevision, recordHistory } from '../history/queries.js';
import type { AsRead } from '../history/citable.js';
import { HistoryEntry } from '../history/schemas.js';
import { write } from '../writes/door.js';
import type { Resource } from '../writes/records.js';
import { weakEtag } from './caching.js';
import { decorate } from './citable.js';
import { sendList } from './formats.js';
import { NoQuery, TimestampParam, errors } from './schemas.js';
import { compileSerializer } from './serializer.js';
import { ChangeHeaders, CreateHeaders, DeleteHeaders, assertIfMatch, writeContext } from './write-request.js';

type Page<T> = { data: T[]; nextCursor: string | null; total?: number };

export interface CrudSpec<Item extends z.ZodType, Create extends z.ZodType, Update extends z.ZodType, List extends z.ZodType> {
  resource: Resource;
  /** Where a created record can be read: Location is `${path}/${id}`. */
  path: string;
  tag: string;
  /** Schema of the `:id` path parameter. */
  params: z.ZodObject<{ id: z.ZodType<string> }>;
  /** `detail`: the shape of GET one when it carries more than list items; `get`: its query string. */
  schemas: { item: Item; create: Create; update: Update; list: List; get?: z.ZodObject; detail?: z.ZodType };
  describe?: { list?: string; create?: string; delete?: string };
  list(db: Database, query: z.output<List>): Promise<Page<AsRead<z.output<Item>>>>;
  /** `query` is the parsed `schemas.get` query string, when there is one. */
  get(db: Database, id: string, query?: unknown): Promise<AsRead<z.output<Item>>>;
  /** The record's id from what the URL names (an actor's slug, say); throws not-found. */
  resolve?(tx: Tx, ref: string): Promise<string>;
  create(tx: Tx, body: z.output<Create>): Promise<string>;
  update(tx: Tx, id: string, body: z.output<Update>): Promise<unknown>;
  remove(tx: Tx, id: string): Promise<void>;
}

/** The ETag a GET of a record with this schema carries: the same serializer over the same schema gives the same bytes. */
export function etagFor(schema: z.ZodType) {
  const serialize = compileSerializer(schema);
  return (record: unknown) => weakEtag(serialize(record));
}

type Operation = (operationId: string, summary: string) => RouteShorthandOptionsWithHandler;

const AS_OF = TimestampParam.optional().describe(
  'Read the record as it was at this time (RFC 3339). 404 if it did not exist yet, 410 if it had been deleted.',
);

const REVISION = z.coerce
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1)
  .optional()
  .describe(
    'Read the record as it was at this revision (1 for its creation; every one is listed by its history). A revision never changes, even after the record is deleted: this is what a permalink names. 404 naming `revision` when the record has no such revision; not with `asOf` or `include`.',
  );

/** A query parameter that cannot be combined with another one: 400 naming both. */
const notCombined = (a: string, b: string) =>
  new ProblemError('validation-failed', `${a} cannot be combined with ${b}`, {
    errors: [
      { in: 'query', field: a, message: `cannot be combined with ${b}` },
      { in: 'query', field: b, message: `cannot be combined with ${a}` },
    ],
  });

const HistoryQuery = z.strictObject({
  ...formatParams,
  limit: pageQuery.limit,
  cursor: z.string().max(20).optional().describe('`nextCursor` from the previous page.'),
});

/**
 * The operations every record kind has, as route options. Each resource's
 * routes.ts registers them under URLs spelled out in full, so a grep for a
 * path or an operationId finds its route. Every write goes through the write
 * door (src/writes/door.ts) with the caller's key and reason.
 */
export function crudOperations<I extends z.ZodType, C extends z.ZodType, U extends z.ZodType, L extends z.ZodType>(
  app: FastifyInstance,
  spec: CrudSpec<I, C, U, L>,
) {
  const { db } = app;
  const { item, create, update, list } = spec.schemas;
  const { params, resource } = spec;
  const tags = [spec.tag];
  const readSchema = spec.schemas.detail ?? item;
  const getQuery = (spec.schemas.get ?? z.strictObject({})).extend({ asOf: AS_OF, revision: REVISION });
  const etagOf = etagFor(readSchema);
  const resolve = (tx: Tx, ref: string) => (spec.resolve ? spec.resolve(tx, ref) : Promise.resolve(ref));
  const writeScope = app.requireScope('write');

  const op =
    (schema: FastifySchema, handler: RouteHandlerMethod, writes = false): Operation =>
    (operationId, summary) => ({
      schema: { operationId, summary, tags, ...schema, ...(writes ? { security: [{ bearer: [] }] } : {}) },
      ...(writes ? { onRequest: writeScope } : {}),
      handler,
    });

  const orGone = <T>(ref: string, work: () => Promise<T>) => orGoneIn(db, resource, ref, work);
  /** The record's id, also when the record was deleted (its history stays under its id). */
  const resolveOrId = (ref: string) =>
    resolve(db.prisma, ref).catch((err) => (ref.length === 36 ? ref : Promise.reject(err)));

  /** Locks the record, checks If-Match against it, and returns its id. */
  const lockForChange = async (
    req: FastifyRequest,
    w: { tx: Tx; db: Database; lock(r: Resource, id: string): Promise<unknown> },
  ) => {
    const id = await resolve(w.tx, (req.params as { id: string }).id);
    await w.lock(resource, id);
    assertIfMatch(req, etagOf(decorate(req, readSchema, await spec.get(w.db, id))));
    return id;
  };

  return {
    list: op(
      { description: spec.describe?.list, querystring: list, response: { 200: pageEnvelope(item), ...errors(400) } },
      (req, reply) =>
        sendList(req, reply, db, {
          name: spec.path.slice(1),
          item,
          page: (d, q, limit, cursor) => spec.list(d, { ...(q as object), limit, cursor } as z.output<L>),
        }),
    ),

    create: op(
      {
        description: spec.describe?.create,
        headers: CreateHeaders,
        querystring: NoQuery,
        body: create,
        response: { 201: item, ...errors(400, 401, 403, 409, 413, 415, 422) },
      },
      async (req, reply) => {
        const created = await write(db, writeContext(req), async (w) => {
          const id = await spec.create(w.tx, req.body as z.output<C>);
          return { id, record: await spec.get(w.db, id) };
        });
        decorate(req, item, created.record);
        return reply
          .code(201)
          .header('location', `${spec.path}/${created.id}`)
          .header('etag', etagOf(created.record))
          .send(created.record);
      },
      true,
    ),

    get: op({ params, querystring: getQuery, response: { 200: readSchema, ...errors(400, 404, 410) } }, async (req) => {
      const { id } = req.params as { id: string };
      const { asOf, revision, ...query } = req.query as { asOf?: string; revision?: number; include?: string[] };
      if (revision !== undefined) {
        if (asOf !== undefined) throw notCombined('revision', 'asOf');
        if (query.include?.length) throw notCombined('revision', 'include');
        // A deleted record's revisions stay readable by its id (410 for the deletion itself).
        return recordAtRevision(db, resource, await resolveOrId(id), revision);
      }
      if (asOf !== undefined) {
        if (query.include?.length)
          throw new ProblemError('validation-failed', 'include cannot be combined with asOf', {
            errors: [{ in: 'query', field: 'include', message: 'cannot be combined with asOf' }],
          });
        return orGone(id, async () => recordAsOf(db, resource, await resolve(db.prisma, id), asOf));
      }
      return orGone(id, () => spec.get(db, id, query));
    }),

    update: op(
      {
        description:
          'Fields left out stay as they are; `null` clears an optional field. Send `If-Match` to be sure no one changed the record since you read it.',
        params,
        headers: ChangeHeaders,
        querystring: NoQuery,
        body: update,
        response: { 200: readSchema, ...errors(400, 401, 403, 404, 409, 410, 412, 413, 415) },
      },
      async (req, reply) => {
        const record = await orGone((req.params as { id: string }).id, () =>
          write(db, writeContext(req), async (w) => {
            const id = await lockForChange(req, w);
            await spec.update(w.tx, id, req.body as z.output<U>);
            return spec.get(w.db, id);
          }),
        );
        return reply.header('etag', etagOf(decorate(req, readSchema, record))).send(record);
      },
      true,
    ),

    remove: op(
      {
        description:
          `${spec.describe?.delete ?? ''} The record's history stays readable, and its id then answers 410 Gone.`.trim(),
        params,
        headers: DeleteHeaders,
        querystring: NoQuery,
        response: { 204: z.undefined().describe('Deleted.'), ...errors(400, 401, 403, 404, 409, 410, 412) },
      },
      async (req, reply: FastifyReply) => {
        await orGone((req.params as { id: string }).id, () =>
          write(db, writeContext(req), async (w) => spec.remove(w.tx, await lockForChange(req, w))),
        );
        return reply.code(204).send();
      },
      true,
    ),

    history: op(
      {
        description:
          'Every revision of the record, newest first: when, by which key, why, what changed (field: before → after), and the record as it stood after the change.',
        params,
        querystring: HistoryQuery,
        response: { 200: pageEnvelope(HistoryEntry), ...errors(400, 404) },
      },
      async (req, reply) => {
        // A deleted record's history stays readable by its id; a slug only names a record that exists.
        const id = await resolveOrId((req.params as { id: string }).id);
        return sendList(req, reply, db, {
          name: `${resource}-${id}-history`,
          item: HistoryEntry,
          page: (d, _q, limit, cursor) => recordHistory(d, resource, id, limit, cursor),
        });
      },
    ),
  };
}
