import type { FastifyPluginAsync } from 'fastify';
import { registerCrud } from '../http/crud.js';
import { idParams } from '../http/schemas.js';
import { EXAMPLE_IDS } from '../seed/ids.js';
import { createSource, deleteSource, listSources, sourceDetail, updateSource } from './repository.js';
import { Source, SourceCreate, SourceDetail, SourceListQuery, SourceUpdate } from './schemas.js';

export const sourceRoutes: FastifyPluginAsync = async (app) => {
  registerCrud(app, {
    path: '/sources',
    tag: 'Sources',
    noun: 'source',
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
    update: async (tx, id, body) => (await updateSource(tx, id, body)).id,
    remove: deleteSource,
  });
};
