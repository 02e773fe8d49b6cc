import type { FastifyPluginAsync } from 'fastify';
import { crudOperations } from '../http/crud.js';
import { idParams } from '../http/schemas.js';
import { EXAMPLE_IDS } from '../seed/ids.js';
import { createSource, deleteSource, listSources, sourceDetail, updateSource } from './repository.js';
import { Source, SourceCreate, SourceDetail, SourceListQuery, SourceUpdate } from './schemas.js';

export const sourceRoutes: FastifyPluginAsync = async (app) => {
  const sources = crudOperations(app, {
    resource: 'source',
    path: '/sources',
    tag: 'Sources',
    params: idParams(EXAMPLE_IDS.source),
    schemas: { item: Source, detail: SourceDetail, create: SourceCreate, update: SourceUpdate, list: SourceListQuery },
    describe: {
      list: 'Articles, posts and reports. Filter by `url` to find the source of a given address.',
      create: 'Answers 409, naming the existing source, when one with the same normalised URL exists.',
      delete: 'Refused with 409 while citations refer to the source; the answer lists them.',
    },
    list: (db, q) => listSources(db.prisma, q),
    get: (db, id) => sourceDetail(db.prisma, id),
    create: async (tx, body) => (await createSource(tx, body)).id,
    update: updateSource,
    remove: deleteSource,
  });
  app.get('/sources', sources.list('listSources', 'List sources'));
  app.post('/sources', sources.create('createSource', 'Create a source'));
  app.get('/sources/:id', sources.get('getSource', 'Get one source, with what it supports'));
  app.patch('/sources/:id', sources.update('updateSource', 'Change some fields of a source'));
  app.delete('/sources/:id', sources.remove('deleteSource', 'Delete a source'));
  app.get('/sources/:id/history', sources.history('sourceHistory', 'Every revision of a source'));
};
