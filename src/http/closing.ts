import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { problemBody } from '../core/problems.js';

/**
 * While the server closes (src/server.ts), requests already in flight finish; a new request that arrives
 * on a kept-alive connection is answered 503 problem+json with Retry-After (in place of Fastify's own
 * bare JSON, switched off with `return503OnClosing: false` in src/app.ts), and every answer from then on
 * closes its connection, so the client's next request goes to the listener (another instance) instead.
 */
export const closing = fp(
  async (app: FastifyInstance) => {
    let closing = false;
    app.addHook('preClose', (done) => {
      closing = true;
      done();
    });
    app.addHook('onRequest', (req, reply, done) => {
      if (!closing) return done();
      // Sent here, not thrown: the error handler would log each one as a server error.
      reply
        .code(503)
        .type('application/problem+json')
        .header('retry-after', '1')
        .header('connection', 'close')
        .send(problemBody('shutting-down', 'This instance is shutting down; retry, and another will answer.', req.url));
    });
    app.addHook('onSend', (_req, reply, payload, done) => {
      if (closing) reply.header('connection', 'close');
      done(null, payload);
    });
  },
  { name: 'attest-closing' },
);
