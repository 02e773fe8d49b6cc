import zlib from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Answers over 1 KB are compressed, gzip or brotli as the client's Accept-Encoding allows
 * (@fastify/compress). Registered before the routes: it adds its hook to each route as the route
 * is declared, and a route's own hooks run after the application's, so the ETag in ./caching.ts is
 * computed on the uncompressed body (a weak tag names the representation whatever its encoding) and
 * a 304 has no body to compress. Streamed CSV, NDJSON and exports are piped through the compressor
 * and keep streaming.
 */
export const compression = fp(async (app: FastifyInstance) => {
  await app.register(fastifyCompress, {
    threshold: 1024,
    // gzip first when a client takes both: the same size as brotli on a list page (a quarter), for less CPU.
    encodings: ['gzip', 'br'],
    // A page (up to 64 kB) is compressed in one synchronous call: on a 2-core machine shared with
    // PostgreSQL the thread pool adds no parallelism, only a stream per answer (brotli's measured 0.3x
    // of the uncompressed rate that way; bench/README.md, Compression).
    syncThreshold: 64 * 1024,
    // Quality 4 (the plugin's) with a 256 kB window instead of 4 MB: the encoder's state is allocated per
    // answer, and a page is a few tens of kB, far inside the smaller window.
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } },
    // Request bodies are taken as sent, as before: a compressed write is a new way in that no client asked for.
    globalDecompression: false,
  });
});
