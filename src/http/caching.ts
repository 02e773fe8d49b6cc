import etag from '@fastify/etag';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Conditional GETs: every answer carries an ETag (a hash of its body) and an
 * unchanged one is answered 304 to If-None-Match. The record is public, but
 * corrections must reach readers quickly, so caches keep answers briefly and
 * revalidate; errors and writes are not cached.
 */
export const caching = fp(async (app: FastifyInstance) => {
  await app.register(etag, { weak: true });
  app.addHook('onSend', async (req, reply) => {
    const cacheable = (req.method === 'GET' || req.method === 'HEAD') && reply.statusCode < 400;
    reply.header('cache-control', cacheable ? 'public, max-age=30, stale-while-revalidate=60' : 'no-store');
  });
});
