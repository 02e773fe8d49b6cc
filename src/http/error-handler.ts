import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problemFromDatabaseError } from './db-errors.js';
import { type FieldError, type ProblemCode, ProblemError, problemBody } from '../core/problems.js';

const CONTEXT_NAMES: Record<string, string> = { querystring: 'query', params: 'params', body: 'body', headers: 'headers' };

const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed-body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-body',
};

function fieldErrors(err: FastifyError): FieldError[] {
  const where = CONTEXT_NAMES[err.validationContext ?? ''] ?? err.validationContext ?? 'request';
  return (err.validation ?? []).map((v) => {
    const field = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const keys = (v.params as { keys?: string[] } | undefined)?.keys;
    // zod reports unknown keys on the parent object; name each key instead.
    if (v.keyword === 'unrecognized_keys' && keys?.length) {
      return { in: where, field: keys.map((k) => (field ? `${field}.${k}` : k)).join(', '), message: 'unknown field' };
    }
    return { in: where, field: field || '(root)', message: v.message ?? 'invalid' };
  });
}

function toProblem(err: FastifyError): ProblemError | undefined {
  if (err instanceof ProblemError) return err;
  if (err.validation) {
    const errors = fieldErrors(err);
    return new ProblemError('validation-failed', errors.map((e) => `${e.in}.${e.field}: ${e.message}`).join('; '), { errors });
  }
  const known = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (known) return new ProblemError(known, err.message);
  const fromDb = problemFromDatabaseError(err);
  if (fromDb) return fromDb;
  // Fastify's own 4xx (bad JSON, bad headers): the message is safe and useful.
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new ProblemError('malformed-body', err.message);
  return undefined;
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: ProblemError) {
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="attest"');
  reply.headers(problem.headers);
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send(problemBody(problem.code, problem.detail, request.url, problem.extras));
}

/** One error format everywhere: RFC 9457 problem+json. */
export const errorHandler = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const problem = toProblem(err);
    if (problem) {
      if (problem.status >= 500) request.log.error({ err }, problem.detail);
      return sendProblem(reply, request, problem);
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, request, new ProblemError('internal', 'Something went wrong on our side; it has been logged.'));
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, new ProblemError('route-not-found', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
});
