import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The record is public: browser-based tools on any origin may read and write
 * it, and see the headers that carry pagination, caching and request ids.
 */
export const corsPolicy = fp(async (app: FastifyInstance) => {
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    exposedHeaders: ['Link', 'ETag', 'Location', 'X-Request-Id'],
    maxAge: 600,
  });
});
