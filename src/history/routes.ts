import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatParams, pageQuery } from '../core/pagination.js';
import { chosenFormat, sendList } from '../http/formats.js';
import { errors } from '../http/schemas.js';
import { changeFeed } from './queries.js';
import { Change } from './schemas.js';

export const historyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/changes', {
    schema: {
      operationId: 'listChanges',
      summary: 'Every change to the record, for polling',
      description:
        'Creations, changes and deletions of every actor, source, statement, figure and citation, oldest first. Pass `nextCursor` back as `since` to get what changed after; a poller that does so never misses a change, even one whose transaction committed late. `since` also takes an RFC 3339 time.',
      tags: ['History'],
      querystring: z.strictObject({
        since: z.string().max(60).optional().describe('`nextCursor` of an earlier answer, or an RFC 3339 time.'),
        limit: pageQuery.limit,
        ...formatParams,
      }),
      response: {
        200: z.object({
          data: z.array(Change),
          nextCursor: z
            .string()
            .nullable()
            .describe('Pass as `since` to continue; present even on the last page, so polling can resume.'),
          more: z.boolean().describe('Whether more changes are ready now.'),
        }),
        ...errors(400),
      },
    },
    handler: async (req, reply) => {
      if (chosenFormat(req) !== 'json') {
        // A download of the feed: every change from `since` on, streamed like any list.
        return sendList(req, reply, app.db, {
          name: 'changes',
          item: Change,
          page: async (db, q: typeof req.query, limit, cursor) => {
            const page = await changeFeed(db, cursor ?? q.since, limit);
            return { data: page.data, nextCursor: page.more ? page.nextCursor : null, more: page.more };
          },
        });
      }
      const page = await changeFeed(app.db, req.query.since, req.query.limit);
      if (page.more && page.nextCursor)
        reply.header('link', `</changes?since=${page.nextCursor}&limit=${req.query.limit}>; rel="next"`);
      return page;
    },
  });
};
