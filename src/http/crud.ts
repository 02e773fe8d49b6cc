import type { FastifyInstance, FastifySchema, RouteHandlerMethod } from 'fastify';
import type { z } from 'zod';
import type { Database, Tx } from '../db/database.js';
import { pageEnvelope } from '../core/pagination.js';
import { withNextLink } from './link.js';
import { NoContent, NoQuery, errors } from './schemas.js';

type Page<T> = { data: T[]; nextCursor: string | null; total?: number };

export interface CrudSpec<Item extends z.ZodType, Create extends z.ZodType, Update extends z.ZodType, List extends z.ZodType> {
  path: string; // '/actors'
  tag: string;
  /** Singular noun for summaries and operation ids: 'actor'. */
  noun: string;
  /** Schema of the `:id` path parameter. */
  params: z.ZodObject<{ id: z.ZodType<string> }>;
  /** `detail`: the shape of GET one when it carries more than list items; `get`: its query string. */
  schemas: { item: Item; create: Create; update: Update; list: List; get?: z.ZodType; detail?: z.ZodType };
  describe?: { list?: string; create?: string; delete?: string };
  list(db: Database, query: z.output<List>): Promise<Page<z.output<Item>>>;
  /** `query` is the parsed `schemas.get` query string, when there is one. */
  get(db: Database, id: string, query?: unknown): Promise<z.output<Item>>;
  /** Writes run in a transaction and return the id; the answer is read back after commit. */
  create(tx: Tx, body: z.output<Create>): Promise<string>;
  update(tx: Tx, id: string, body: z.output<Update>): Promise<string>;
  remove(tx: Tx, id: string): Promise<void>;
}

const capital = (s: string) => s[0].toUpperCase() + s.slice(1);

/**
 * The five operations every resource has. Writes run in one transaction each,
 * so a failure half-way leaves nothing behind.
 */
export function registerCrud<I extends z.ZodType, C extends z.ZodType, U extends z.ZodType, L extends z.ZodType>(
  app: FastifyInstance,
  spec: CrudSpec<I, C, U, L>,
) {
  // Typed through the spec's functions: the zod provider's route types do not survive generics.
  const route = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, schema: FastifySchema, handler: RouteHandlerMethod) =>
    app.route({ method, url, schema, handler });
  const { db } = app;
  const { prisma } = db;
  const { item, create, update, list } = spec.schemas;
  const { params } = spec;
  const tags = [spec.tag];
  const Noun = capital(spec.noun);
  const plural = `${spec.noun}s`;
  const article = /^[aeiou]/.test(spec.noun) ? 'an' : 'a';

  route(
    'GET',
    spec.path,
    {
      operationId: `list${capital(plural)}`,
      summary: `List ${plural}`,
      description: spec.describe?.list,
      tags,
      querystring: list,
      response: { 200: pageEnvelope(item), ...errors(400) },
    },
    async (req, reply) => withNextLink(req, reply, await spec.list(db, req.query as z.output<L>)),
  );

  route(
    'POST',
    spec.path,
    {
      operationId: `create${Noun}`,
      summary: `Create ${article} ${spec.noun}`,
      description: spec.describe?.create,
      tags,
      body: create,
      response: { 201: item, ...errors(400, 409, 413, 415) },
    },
    async (req, reply) => {
      const id = await prisma.$transaction((tx) => spec.create(tx, req.body as z.output<C>));
      return reply
        .code(201)
        .header('location', `${spec.path}/${id}`)
        .send(await spec.get(db, id));
    },
  );

  route(
    'GET',
    `${spec.path}/:id`,
    {
      operationId: `get${Noun}`,
      summary: `Get one ${spec.noun}`,
      tags,
      params,
      querystring: spec.schemas.get ?? NoQuery,
      response: { 200: spec.schemas.detail ?? item, ...errors(400, 404) },
    },
    (req) => spec.get(db, (req.params as { id: string }).id, req.query),
  );

  route(
    'PATCH',
    `${spec.path}/:id`,
    {
      operationId: `update${Noun}`,
      summary: `Change some fields of ${article} ${spec.noun}`,
      description: 'Fields left out stay as they are; `null` clears an optional field.',
      tags,
      params,
      body: update,
      response: { 200: item, ...errors(400, 404, 409, 413, 415) },
    },
    async (req) => {
      const id = await prisma.$transaction((tx) => spec.update(tx, (req.params as { id: string }).id, req.body as z.output<U>));
      return spec.get(db, id);
    },
  );

  route(
    'DELETE',
    `${spec.path}/:id`,
    {
      operationId: `delete${Noun}`,
      summary: `Delete ${article} ${spec.noun}`,
      description: spec.describe?.delete,
      tags,
      params,
      response: { 204: NoContent, ...errors(400, 404, 409) },
    },
    async (req, reply) => {
      await prisma.$transaction((tx) => spec.remove(tx, (req.params as { id: string }).id));
      return reply.code(204).send();
    },
  );
}
