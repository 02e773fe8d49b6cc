import type { FastifyPluginAsync } from 'fastify';
import { registerCrud } from '../http/crud.js';
import { idParams } from '../http/schemas.js';
import { EXAMPLE_IDS } from '../seed/ids.js';
import { createSource, deleteSource, findSource, listSources, toSource, updateSource } from './repository.js';
import { Source, SourceCreate, SourceListQuery, SourceUpdate } from './schemas.js';

export const sourceRoutes: FastifyPluginAsync = async (app) => {
  registerCrud(app, {
    path: '/sources',
    tag: 'Sources',
    noun: 'source',
    params: idParams(EXAMPLE_IDS.source),
    schemas: { item: Source, create: SourceCreate, update: SourceUpdate, list: SourceListQuery },
    describe: {
      list: 'Articles, posts and reports. Filter by `url` to find the source of a given address.',
      create: 'Answers 409, naming the existing source, when one with the same normalised URL exists.',
      delete: 'Refused with 409 while citations refer to the source; the answer lists them.',
    },
    list: (db, q) => listSources(db.prisma, q),
    get: async (db, id) => toSource(await findSource(db.prisma, id)),
    create: async (tx, body) => (await createSource(tx, body)).id,
    update: async (tx, id, body) => (await updateSource(tx, id, body)).id,
    remove: deleteSource,
  });
};
