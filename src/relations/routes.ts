import type { FastifyPluginAsync } from 'fastify';
import { crudOperations } from '../http/crud.js';
import { idParams } from '../http/schemas.js';
import { EXAMPLE_IDS } from '../seed/ids.js';
import { getRelation, listRelations } from './queries.js';
import { createRelation, deleteRelation, updateRelation } from './repository.js';
import { Relation, RelationCreate, RelationListQuery, RelationUpdate } from './schemas.js';

export const relationRoutes: FastifyPluginAsync = async (app) => {
  const relations = crudOperations(app, {
    resource: 'relation',
    path: '/relations',
    tag: 'Relations',
    params: idParams(EXAMPLE_IDS.relation),
    schemas: { item: Relation, create: RelationCreate, update: RelationUpdate, list: RelationListQuery },
    describe: {
      list: 'Who responded to, disputed, denied, confirmed or corrected what. From either end: `target=` (everything about a statement or figure), `statement=` (what one statement is about), `involving=` (both). Each relation shows both ends: who said what, when.',
      create:
        'Records that a statement responds to, disputes, denies, confirms or corrects another statement or a figure. Linking changes neither record: the relation has its own history.',
    },
    list: listRelations,
    get: (db, id) => getRelation(db, id),
    create: createRelation,
    update: updateRelation,
    remove: deleteRelation,
  });
  app.get('/relations', relations.list('listRelations', 'List relations between statements and figures'));
  app.post('/relations', relations.create('createRelation', 'Record that a statement responds to, disputes… another'));
  app.get('/relations/:id', relations.get('getRelation', 'Get one relation'));
  app.patch('/relations/:id', relations.update('updateRelation', 'Change the kind or notes of a relation'));
  app.delete('/relations/:id', relations.remove('deleteRelation', 'Delete a relation'));
  app.get('/relations/:id/history', relations.history('relationHistory', 'Every revision of a relation'));
};
