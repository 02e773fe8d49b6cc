import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ProblemError } from '../core/problems.js';
import { sendProblem } from './error-handler.js';

export interface CorsOptions {
  /** Origins (scheme://host[:port]) whose pages may write through a browser: CORS_WRITE_ORIGINS. */
  writeOrigins?: readonly string[];
}

const READ_METHODS = 'GET, HEAD';
const ALL_METHODS = 'GET, HEAD, POST, PATCH, DELETE';
/** Headers a page may read from answers: paging, caching, where a record was created, limits. */
const EXPOSED = [
  'ETag',
  'Link',
  'Location',
  'X-Request-Id',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
].join(', ');
/** A key is welcome on reads too: it puts them under the key's own limit. */
const READ_REQUEST_HEADERS = 'Authorization, If-None-Match, X-Request-Id';
const WRITE_REQUEST_HEADERS =
  'Authorization, Content-Type, Change-Reason, If-Match, Idempotency-Key, If-None-Match, X-Request-Id';
const MAX_AGE = '600';

const READ_HEADERS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED };

/**
 * Cross-origin use from browsers. Reads are public: any origin may GET, and see
 * the headers that carry paging, caching, request ids and limits. Writes only
 * from the origins in CORS_WRITE_ORIGINS (none by default): a page elsewhere
 * gets no Access-Control-Allow-Origin for POST, PATCH or DELETE, so the browser
 * never sends them. (Writes also need an Authorization header, which browsers
 * never add on their own; this keeps a key pasted into some other site's page
 * from being used there.) Written here rather than with @fastify/cors, whose
 * per-request options would add `Vary: Origin` to every read.
 */
export const corsPolicy = fp<CorsOptions>(
  async (app: FastifyInstance, { writeOrigins = [] }) => {
    const writers = new Set(writeOrigins);

    app.addHook('onRequest', (req, reply, done) => {
      const method = req.method;
      if (method === 'GET' || method === 'HEAD') {
        reply.headers(READ_HEADERS);
      } else if (method !== 'OPTIONS') {
        // An answer to a write is for its origin only (writes are never cached: see caching.ts).
        const origin = req.headers.origin;
        if (origin !== undefined && writers.has(origin)) {
          reply.headers({ 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED, vary: 'Origin' });
        }
      }
      done();
    });

    // Preflights: browsers ask before any write, and before reads that send a key or a
    // conditional header. Answered here, before any key check (browsers send no key with them).
    app.options('*', { schema: { hide: true } }, (req, reply) => preflight(req, reply, writers));
  },
  { name: 'attest-cors' },
);

function preflight(req: FastifyRequest, reply: FastifyReply, writers: Set<string>) {
  const origin = req.headers.origin;
  const asked = req.headers['access-control-request-method']?.toUpperCase();
  if (origin === undefined || asked === undefined) {
    return sendProblem(
      reply,
      req,
      new ProblemError('route-not-found', `No route OPTIONS ${req.url.split('?')[0]}; only CORS preflights are answered.`),
    );
  }
  reply.header('vary', 'Origin, Access-Control-Request-Method');
  if (asked === 'GET' || asked === 'HEAD') {
    return reply
      .code(204)
      .headers({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': READ_METHODS,
        'access-control-allow-headers': READ_REQUEST_HEADERS,
        'access-control-max-age': MAX_AGE,
      })
      .send();
  }
  if (writers.has(origin)) {
    return reply
      .code(204)
      .headers({
        'access-control-allow-origin': origin,
        'access-control-allow-methods': ALL_METHODS,
        'access-control-allow-headers': WRITE_REQUEST_HEADERS,
        'access-control-max-age': MAX_AGE,
      })
      .send();
  }
  return sendProblem(
    reply,
    req,
    new ProblemError(
      'origin-not-allowed',
      `Pages on ${origin} may read from this API but not ${asked} to it from a browser. The operator lists the origins that may write in CORS_WRITE_ORIGINS.`,
    ),
  );
}
