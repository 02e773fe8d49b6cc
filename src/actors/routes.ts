import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { orGone } from '../history/queries.js';
import { crudOperations, etagFor } from '../http/crud.js';
import { IdOrSlugParams, NoQuery, errors } from '../http/schemas.js';
import { DeleteHeaders, assertIfMatch, writeContext } from '../http/write-request.js';
import { write } from '../writes/door.js';
import { mergeActor, mergedInto } from './merge.js';
import { createActor, deleteActor, findActor, listActors, toActor, updateActor } from './repository.js';
import { Actor, ActorCreate, ActorListQuery, ActorMerge, ActorUpdate } from './schemas.js';

const actorEtag = etagFor(Actor);

export const actorRoutes: FastifyPluginAsync = async (app) => {
  const actors = crudOperations(app, {
    resource: 'actor',
    path: '/actors',
    tag: 'Actors',
    params: IdOrSlugParams,
    schemas: { item: Actor, create: ActorCreate, update: ActorUpdate, list: ActorListQuery },
    describe: {
      list: 'People, organisations, governments and outlets that speak or report figures.',
      create:
        'Refused with 409 when another actor already holds one of the handles (platform and handle, case-insensitive) or external ids; the answer names that actor (`actors`) and the field.',
      delete: 'Refused with 409 while statements or figures refer to the actor; the answer lists them.',
    },
    list: listActors,
    get: async (db, ref) => toActor(await findActor(db.prisma, ref)),
    resolve: async (tx, ref) => (await findActor(tx, ref)).id,
    create: async (tx, body) => (await createActor(tx, body)).id,
    update: updateActor,
    remove: deleteActor,
  });

  // The id or slug of an actor merged into another is a permanent redirect to the survivor, so
  // links and bookmarks keep working and clients learn the address to keep.
  const redirectMerged = async (req: FastifyRequest, reply: FastifyReply) => {
    // A revision names the merged actor's own record, kept under its old id: never the survivor's.
    if ((req.query as { revision?: number }).revision !== undefined) return;
    const survivor = await mergedInto(app.db.prisma, (req.params as { id: string }).id);
    if (!survivor) return;
    const query = req.url.indexOf('?');
    return reply.redirect(`/actors/${survivor}${query >= 0 ? req.url.slice(query) : ''}`, 308);
  };
  const get = actors.get('getActor', 'Get one actor');
  const getSchema = get.schema as { description?: string; response: Record<string, unknown> };
  getSchema.description =
    'An actor merged into another (`POST /actors/{id}/merge`) answers 308 with the survivor in `Location`.';
  getSchema.response[308] = z.undefined().describe('The actor was merged into another: `Location` is the survivor.');

  app.get('/actors', actors.list('listActors', 'List actors'));
  app.post('/actors', actors.create('createActor', 'Create an actor'));
  app.get('/actors/:id', { ...get, preHandler: redirectMerged });
  app.patch('/actors/:id', actors.update('updateActor', 'Change some fields of an actor'));
  app.delete('/actors/:id', actors.remove('deleteActor', 'Delete an actor'));
  app.get('/actors/:id/history', actors.history('actorHistory', 'Every revision of an actor'));

  app.withTypeProvider<ZodTypeProvider>().post('/actors/:id/merge', {
    schema: {
      operationId: 'mergeActor',
      summary: 'Fold a duplicate actor into another',
      description:
        'The actor in the path is the duplicate; `into` names the actor to keep. In one transaction, every reference to the duplicate moves to the survivor (statements it said, statements that involve it, figures it reported), the survivor gains its name (as an alias), aliases, handles and external ids (its own role, country and description win, the duplicate’s fill the gaps), and the duplicate is deleted. Its id and slug then redirect (`GET /actors/{old}` answers 308) and resolve to the survivor wherever an actor is named; its history stays at `/actors/{old id}/history`, ending with the deletion, whose reason names the survivor. Refused with 409 when both carry different ids in the same registry (two Wikidata items are two entities). `If-Match` is checked against the duplicate.',
      tags: ['Actors'],
      params: IdOrSlugParams,
      // A merge deletes the duplicate: its headers' example If-Match is stale, as DELETE's, so that
      // "Try it out" in Swagger UI answers 412 and leaves the seed data whole.
      headers: DeleteHeaders,
      querystring: NoQuery,
      body: ActorMerge,
      response: { 200: Actor.describe('The survivor, as it now reads.'), ...errors(400, 401, 403, 404, 409, 410, 412, 413, 415) },
      security: [{ bearer: [] }],
    },
    onRequest: app.requireScope('write'),
    handler: async (req, reply) => {
      const ctx = writeContext(req);
      const survivor = await orGone(app.db, 'actor', req.params.id, () =>
        write(app.db, ctx, async (w) => {
          const id = await mergeActor(w, req.params.id, req.body.into, ctx.reason ?? null, (from) =>
            assertIfMatch(req, actorEtag(toActor(from))),
          );
          return toActor(await findActor(w.tx, id));
        }),
      );
      return reply.header('etag', actorEtag(survivor)).send(survivor);
    },
  });
};
