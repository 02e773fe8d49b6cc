import type { FastifyPluginAsync } from 'fastify';
import { registerCrud } from '../http/crud.js';
import { idParams } from '../http/schemas.js';
import { EXAMPLE_IDS } from '../seed/ids.js';
import { getStatement, listStatements } from './queries.js';
import { createStatement, deleteStatement, updateStatement } from './repository.js';
import { Statement, StatementCreate, StatementListQuery, StatementUpdate } from './schemas.js';

export const statementRoutes: FastifyPluginAsync = async (app) => {
  registerCrud(app, {
    path: '/statements',
    tag: 'Statements',
    noun: 'statement',
    params: idParams(EXAMPLE_IDS.statement),
    schemas: { item: Statement, create: StatementCreate, update: StatementUpdate, list: StatementListQuery },
    describe: {
      list: 'Newest first by default. Each statement comes with its speaker, the actors involved and its citations.',
      create:
        'Created together with its citations (at least one). A citation names an existing source by `sourceId`, or gives a `source`: the source with the same URL is reused, otherwise it is created.',
      delete: 'Its citations go with it. Refused with 409 while figures refer to the statement.',
    },
    list: listStatements,
    get: getStatement,
    create: createStatement,
    update: updateStatement,
    remove: deleteStatement,
  });
};
