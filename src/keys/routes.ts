import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProblemError } from '../core/problems.js';
import { NoQuery, errors } from '../http/schemas.js';
import { createKey, listKeys, revokeKey } from './repository.js';
import { CreatedKey, KeyCreate, KeyList, KeyParams } from './schemas.js';

const tags = ['Keys'];
const security = [{ bearer: [] }];

/**
 * Keys over HTTP, for administrators (scope `admin`, or ADMIN_KEY). Keys are
 * not records: creating or revoking one leaves no revision and is not in
 * /changes. `npm run keys` does the same from a shell (scripts/keys.ts).
 */
export const keyRoutes: FastifyPluginAsyncZod = async (app) => {
  const admin = app.requireScope('admin');
  // Answers about keys are for the administrator who asked: no cache may keep them.
  const noStore = {
    onSend: (
      _req: unknown,
      reply: { header(k: string, v: string): unknown },
      payload: unknown,
      done: (err: null, p: unknown) => void,
    ) => {
      reply.header('cache-control', 'no-store');
      done(null, payload);
    },
  };

  app.post('/keys', {
    onRequest: admin,
    ...noStore,
    schema: {
      operationId: 'createKey',
      summary: 'Create an API key',
      description:
        'Returns the new key once, in `key`: store it now, it cannot be shown again (only its hash is kept). A name in use by an active key is refused (409): history tells writers apart by name.',
      tags,
      security,
      querystring: NoQuery,
      body: KeyCreate,
      response: { 201: CreatedKey, ...errors(400, 401, 403, 409, 413, 415) },
    },
    handler: async (req, reply) => {
      const created = await createKey(app.db, req.body);
      req.log.info({ keyId: created.id, name: created.name, scope: created.scope, by: req.writer?.name }, 'created an API key');
      return reply.code(201).send(created);
    },
  });

  app.get('/keys', {
    onRequest: admin,
    ...noStore,
    schema: {
      operationId: 'listKeys',
      summary: 'List API keys',
      description: 'Every key, revoked ones included, oldest first. Never a secret: those are shown once, on creation.',
      tags,
      security,
      querystring: NoQuery,
      response: { 200: KeyList, ...errors(400, 401, 403) },
    },
    handler: async () => ({ data: await listKeys(app.db) }),
  });

  app.delete('/keys/:id', {
    onRequest: admin,
    ...noStore,
    schema: {
      operationId: 'revokeKey',
      summary: 'Revoke an API key',
      description:
        'The key stops working at once, on every instance. Revoking a revoked key answers 204 again and keeps the first revocation time. The key stays listed, with `revokedAt`.',
      tags,
      security,
      params: KeyParams,
      querystring: NoQuery,
      response: { 204: z.undefined().describe('Revoked.'), ...errors(400, 401, 403, 404) },
    },
    handler: async (req, reply) => {
      const revoked = await revokeKey(app.db, req.params.id);
      if (!revoked) throw new ProblemError('not-found', `No API key with id '${req.params.id}'.`);
      app.keyMemory.forget(revoked.hash);
      req.log.info({ keyId: revoked.key.id, name: revoked.key.name, by: req.writer?.name }, 'revoked an API key');
      return reply.code(204).send();
    },
  });
};
