import { type IncomingMessage, STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problemFromDatabaseError } from './db-errors.js';
import { requestId } from './request-id.js';
import { type FieldError, PROBLEMS, type ProblemCode, ProblemError, problemBody } from '../core/problems.js';

const CONTEXT_NAMES: Record<string, string> = { querystring: 'query', params: 'params', body: 'body', headers: 'headers' };

const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed-body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-body',
};

// A hostile body can carry 50,000 unknown keys or invalid items: the answer names enough of them to
// act on, and stays small.
const MAX_FIELD_ERRORS = 20;
const MAX_NAMED_KEYS = 20;
const MAX_NAME = 100;
const clip = (name: string) => (name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}…` : name);
const andMore = (shown: number, all: number) => (all > shown ? ` … and ${all - shown} more` : '');

function fieldErrors(err: FastifyError): FieldError[] {
  const where = CONTEXT_NAMES[err.validationContext ?? ''] ?? err.validationContext ?? 'request';
  const all = err.validation ?? [];
  const errors = all.slice(0, MAX_FIELD_ERRORS).map((v) => {
    const field = clip(v.instancePath.replace(/^\//, '').replaceAll('/', '.'));
    const keys = (v.params as { keys?: string[] } | undefined)?.keys;
    // zod reports unknown keys on the parent object; name each key instead.
    if (v.keyword === 'unrecognized_keys' && keys?.length) {
      const named = keys.slice(0, MAX_NAMED_KEYS).map((k) => clip(field ? `${field}.${k}` : k));
      return { in: where, field: named.join(', ') + andMore(named.length, keys.length), message: 'unknown field' };
    }
    return { in: where, field: field || '(root)', message: v.message ?? 'invalid' };
  });
  if (all.length > errors.length) {
    errors.push({ in: where, field: '(more)', message: `${all.length - errors.length} more errors not listed` });
  }
  return errors;
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

/**
 * Fastify's own answers for URLs its router cannot read (`/actors/%FF`, a path parameter longer
 * than the router takes): problem+json like every other error. Passed as the `frameworkErrors`
 * server option.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0];
  const problem =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new ProblemError('validation-failed', `A path parameter of ${path.slice(0, 200)} is too long.`, {
          errors: [{ in: 'params', field: '(path)', message: 'a path parameter is too long' }],
        })
      : err.code === 'FST_ERR_BAD_URL'
        ? new ProblemError('validation-failed', 'The path is not valid percent-encoded UTF-8.', {
            errors: [{ in: 'params', field: '(path)', message: 'is not valid percent-encoded UTF-8' }],
          })
        : new ProblemError('malformed-body', 'The request could not be routed.');
  reply.header('x-request-id', request.id);
  return sendProblem(reply, request, problem);
}

const CLIENT_ERRORS: Record<string, ProblemCode> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'request-timeout',
  HPE_HEADER_OVERFLOW: 'headers-too-large',
};

/**
 * What Node's HTTP parser refuses before Fastify sees a request (headers over 16 KB, a request
 * not sent in time, bytes that are not HTTP) is answered as problem+json too, then the connection
 * is closed. Passed as the `clientErrorHandler` server option.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const code: ProblemCode = CLIENT_ERRORS[err.code ?? ''] ?? 'malformed-body';
    const detail =
      code === 'request-timeout'
        ? 'The request was not sent in time.'
        : code === 'headers-too-large'
          ? 'The request line and headers are larger than 16 KB.'
          : 'The request is not valid HTTP.';
    const body = JSON.stringify(problemBody(code, detail, '/'));
    const status = PROBLEMS[code].status;
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** Methods each route pattern takes, to tell a wrong method (405) from an unknown path (404). */
class RouteTable {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = [];
  private readonly byUrl = new Map<string, Set<string>>();

  add(url: string, method: string | string[]) {
    // The catch-all routes (CORS preflight, Swagger UI's files) say nothing about a path.
    if (url === '*' || url === '/*') return;
    let methods = this.byUrl.get(url);
    if (!methods) {
      methods = new Set();
      this.byUrl.set(url, methods);
      const source = url
        .split('/')
        .map((segment) =>
          segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('/');
      this.routes.push({ pattern: new RegExp(`^${source}$`), methods });
    }
    for (const m of Array.isArray(method) ? method : [method]) methods.add(m.toUpperCase());
  }

  /** The methods some route takes at `path`, sorted; empty when no route has that path. */
  allowed(path: string): string[] {
    const found = new Set<string>();
    for (const { pattern, methods } of this.routes) if (pattern.test(path)) for (const m of methods) found.add(m);
    return [...found].sort();
  }
}

/** One error format everywhere: RFC 9457 problem+json. */
export const errorHandler = fp(async (app: FastifyInstance) => {
  const routes = new RouteTable();
  app.addHook('onRoute', (route) => routes.add(route.url, route.method));

  // HTTP/1.1 requires Host (Node's own check, switched off in src/app.ts, answers a bare 400).
  app.addHook('onRequest', (req, _reply, done) => {
    const raw = req.raw;
    if (raw.headers.host !== undefined || raw.httpVersionMajor !== 1 || raw.httpVersionMinor !== 1) return done();
    done(
      new ProblemError('validation-failed', 'headers.host: is required in HTTP/1.1', {
        errors: [{ in: 'headers', field: 'host', message: 'is required in HTTP/1.1' }],
      }),
    );
  });

  // An Expect header other than 100-continue: Node answers a bare 417 unless someone listens.
  app.server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify(
      problemBody('expectation-failed', 'Only "Expect: 100-continue" is supported.', (req.url ?? '/').split('?')[0]),
    );
    res.writeHead(417, {
      'content-type': 'application/problem+json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-request-id': requestId(req),
      connection: 'close',
    });
    res.end(body);
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const problem = toProblem(err);
    if (problem) {
      if (problem.status >= 500) request.log.error({ err }, problem.detail);
      return sendProblem(reply, request, problem);
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, request, new ProblemError('internal', 'Something went wrong on our side; it has been logged.'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = routes.allowed(path);
    if (allowed.length && !allowed.includes(request.method)) {
      const problem = new ProblemError(
        'method-not-allowed',
        `${path} takes ${allowed.join(', ')}, not ${request.method}.`,
        {},
        { allow: allowed.join(', ') },
      );
      return sendProblem(reply, request, problem);
    }
    return sendProblem(reply, request, new ProblemError('route-not-found', `No route ${request.method} ${path}.`));
  });
});
