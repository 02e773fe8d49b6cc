import type { FastifyPluginAsync } from 'fastify';
import { registerCrud } from '../http/crud.js';
import { IdOrSlugParams } from '../http/schemas.js';
import { createActor, deleteActor, findActor, listActors, toActor, updateActor } from './repository.js';
import { Actor, ActorCreate, ActorListQuery, ActorUpdate } from './schemas.js';

export const actorRoutes: FastifyPluginAsync = async (app) => {
  registerCrud(app, {
    path: '/actors',
    tag: 'Actors',
    noun: 'actor',
    params: IdOrSlugParams,
    schemas: { item: Actor, create: ActorCreate, update: ActorUpdate, list: ActorListQuery },
    describe: {
      list: 'People, organisations, governments and outlets that speak or report figures.',
      delete: 'Refused with 409 while statements or figures refer to the actor; the answer lists them.',
    },
    list: (db, q) => listActors(db.prisma, q),
    get: async (db, ref) => toActor(await findActor(db.prisma, ref)),
    create: async (tx, body) => (await createActor(tx, body)).id,
    update: async (tx, ref, body) => (await updateActor(tx, ref, body)).id,
    remove: deleteActor,
  });
};
