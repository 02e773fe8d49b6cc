import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Answers over 1 KB are compressed, brotli or gzip as the client's Accept-Encoding allows
 * (@fastify/compress). Registered before the routes: it adds its hook to each route as the route
 * is declared, and a route's own hooks run after the application's, so the ETag in ./caching.ts is
 * computed on the uncompressed body (a weak tag names the representation whatever its encoding) and
 * a 304 has no body to compress. Streamed CSV, NDJSON and exports are piped through the compressor
 * and keep streaming.
 */
export const compression = fp(async (app: FastifyInstance) => {
  await app.register(fastifyCompress, {
    threshold: 1024,
    // Brotli at the plugin's quality 4 is both smaller and cheaper than gzip at its default level 6.
    encodings: ['br', 'gzip'],
    // Request bodies are taken as sent, as before: a compressed write is a new way in that no client asked for.
    globalDecompression: false,
  });
});
