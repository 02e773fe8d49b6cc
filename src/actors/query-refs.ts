import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { resolveActorIds } from './refs.js';

/** Query parameters that name actors, on any route: statements' speaker, figures' reporter, sources' outlet. */
const ACTOR_PARAMS = ['actor', 'reporter', 'outlet'] as const;

/**
 * Every `actor=`/`reporter=` filter takes what any actor reference takes (alias, `@handle`,
 * `wikidata:Q…`, a merged actor's old id or slug), because it is resolved here, once, by the
 * one resolver, before the route's query runs with the ids. Unknown and ambiguous references
 * are a 400 naming the parameter, so no route can match an alias two actors share by picking one.
 */
export const actorQueryRefs: FastifyPluginAsync = fp(async (app) => {
  app.addHook('preHandler', async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return;
    const query = req.query as Record<string, unknown> | null | undefined;
    if (!query || typeof query !== 'object') return;
    for (const param of ACTOR_PARAMS) {
      const value = query[param];
      if (typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) continue;
      const refs = typeof value === 'string' ? [value] : (value as string[]);
      if (!refs.length) continue;
      const ids = await resolveActorIds(app.db.prisma, refs, param, 'query');
      query[param] = typeof value === 'string' ? ids[0] : ids;
    }
  });
});
