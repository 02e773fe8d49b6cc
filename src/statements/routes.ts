import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { resolveActor } from '../actors/repository.js';
import { crudOperations } from '../http/crud.js';
import { pageEnvelope } from '../core/pagination.js';
import { sendList } from '../http/formats.js';
import { ActorRefParams, errors, idParams } from '../http/schemas.js';
import { EXAMPLE_IDS } from '../seed/ids.js';
import { getStatement, listStatements, shapeOf } from './queries.js';
import { createStatement, deleteStatement, updateStatement } from './repository.js';
import type { z } from 'zod';
import {
  ActorStatementsQuery,
  Statement,
  StatementCreate,
  StatementGetQuery,
  StatementListQuery,
  StatementUpdate,
} from './schemas.js';

export const statementRoutes: FastifyPluginAsync = async (app) => {
  app.withTypeProvider<ZodTypeProvider>().get('/actors/:id/statements', {
    schema: {
      operationId: 'listActorStatements',
      summary: 'An actor’s statements (timeline)',
      description: 'What one actor said, newest first by default, with every filter of `GET /statements`.',
      tags: ['Statements', 'Actors'],
      params: ActorRefParams,
      querystring: ActorStatementsQuery,
      response: { 200: pageEnvelope(Statement), ...errors(400, 404) },
    },
    handler: async (req, reply) => {
      const actor = await resolveActor(app.db.prisma, req.params.id, 'id', 'params');
      return sendList(req, reply, app.db, {
        name: `${actor.slug}-statements`,
        item: Statement,
        page: (db, q: typeof req.query, limit, cursor) => listStatements(db, { ...q, limit, cursor, actor: [actor.id] }),
      });
    },
  });

  const statements = crudOperations(app, {
    resource: 'statement',
    path: '/statements',
    tag: 'Statements',
    params: idParams(EXAMPLE_IDS.statement),
    schemas: {
      item: Statement,
      create: StatementCreate,
      update: StatementUpdate,
      list: StatementListQuery,
      get: StatementGetQuery,
    },
    describe: {
      list: 'Newest first by default. Each statement comes with its speaker, the actors involved and its citations.',
      create:
        'Created together with its citations (at least one). A citation names an existing source by `sourceId`, or gives a `source`: the source with the same URL is reused, otherwise it is created.',
      delete: 'Its citations go with it. Refused with 409 while figures refer to the statement.',
    },
    list: listStatements,
    // Without a query (reading back after a write) the default shape applies.
    get: (db, id, query) => getStatement(db, id, query ? shapeOf(query as z.output<typeof StatementGetQuery>) : undefined),
    create: createStatement,
    update: updateStatement,
    remove: deleteStatement,
  });
  app.get('/statements', statements.list('listStatements', 'List, filter and search statements'));
  app.post('/statements', statements.create('createStatement', 'Create a statement with its citations'));
  app.get('/statements/:id', statements.get('getStatement', 'Get one statement'));
  app.patch('/statements/:id', statements.update('updateStatement', 'Change some fields of a statement'));
  app.delete('/statements/:id', statements.remove('deleteStatement', 'Delete a statement'));
  app.get('/statements/:id/history', statements.history('statementHistory', 'Every revision of a statement'));
};
