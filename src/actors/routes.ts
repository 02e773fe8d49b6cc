import type { FastifyPluginAsync } from 'fastify';
import { crudOperations } from '../http/crud.js';
import { IdOrSlugParams } from '../http/schemas.js';
import { createActor, deleteActor, findActor, listActors, toActor, updateActor } from './repository.js';
import { Actor, ActorCreate, ActorListQuery, ActorUpdate } from './schemas.js';

export const actorRoutes: FastifyPluginAsync = async (app) => {
  const actors = crudOperations(app, {
    resource: 'actor',
    path: '/actors',
    tag: 'Actors',
    params: IdOrSlugParams,
    schemas: { item: Actor, create: ActorCreate, update: ActorUpdate, list: ActorListQuery },
    describe: {
      list: 'People, organisations, governments and outlets that speak or report figures.',
      delete: 'Refused with 409 while statements or figures refer to the actor; the answer lists them.',
    },
    list: listActors,
    get: async (db, ref) => toActor(await findActor(db.prisma, ref)),
    resolve: async (tx, ref) => (await findActor(tx, ref)).id,
    create: async (tx, body) => (await createActor(tx, body)).id,
    update: updateActor,
    remove: deleteActor,
  });
  app.get('/actors', actors.list('listActors', 'List actors'));
  app.post('/actors', actors.create('createActor', 'Create an actor'));
  app.get('/actors/:id', actors.get('getActor', 'Get one actor'));
  app.patch('/actors/:id', actors.update('updateActor', 'Change some fields of an actor'));
  app.delete('/actors/:id', actors.remove('deleteActor', 'Delete an actor'));
  app.get('/actors/:id/history', actors.history('actorHistory', 'Every revision of an actor'));
};
