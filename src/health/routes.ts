import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PROBLEMS, ProblemError, type ProblemCode } from '../core/problems.js';
import { errors } from '../http/schemas.js';

const tags = ['Service'];

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', {
    schema: {
      operationId: 'health',
      summary: 'Liveness: the process answers',
      tags,
      response: { 200: z.object({ status: z.literal('ok') }) },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/ready', {
    schema: {
      operationId: 'ready',
      summary: 'Readiness: the database answers',
      tags,
      response: { 200: z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']) }), ...errors(503) },
    },
    handler: async () => {
      try {
        await app.db.query('SELECT 1');
      } catch {
        throw new ProblemError('database-unavailable', 'The database does not answer.');
      }
      return { status: 'ready' as const, database: app.db.kind };
    },
  });

  app.get('/problems/:code', {
    schema: {
      operationId: 'getProblemType',
      summary: 'What a problem type means',
      tags,
      params: z.strictObject({ code: z.enum(Object.keys(PROBLEMS) as [ProblemCode]).meta({ example: 'not-found' }) }),
      response: { 200: z.object({ code: z.string(), status: z.number(), title: z.string() }), ...errors(400) },
    },
    handler: async (req) => ({ code: req.params.code, ...PROBLEMS[req.params.code] }),
  });
};
