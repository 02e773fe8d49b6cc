import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { ProblemError } from '../core/problems.js';

export type Scope = 'write' | 'admin';

/** Who is writing: the key's name is what history records beside each change. */
export interface Writer {
  /** Null for the bootstrap ADMIN_KEY, which is configuration rather than a stored key. */
  keyId: string | null;
  name: string;
  scope: Scope;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** An onRequest hook (before the body is read or validated) that lets the request through only with a key of `scope` (admin covers write). */
    requireScope(scope: Scope): onRequestHookHandler;
  }
  interface FastifyRequest {
    writer: Writer | null;
  }
}

export const ADMIN_WRITER_NAME = 'admin';

export const hashKey = (secret: string) => createHash('sha256').update(secret).digest('hex');

const HOW_TO_GET_A_KEY =
  'Writing needs an API key: send it as "Authorization: Bearer <key>". An administrator creates keys with POST /keys, or on the server with "npm run keys -- create --name NAME --scope write".';

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const m = /^Bearer[ ]+(\S{1,200})[ ]*$/i.exec(header);
  if (!m) throw new ProblemError('unauthorized', `The Authorization header is not "Bearer <key>". ${HOW_TO_GET_A_KEY}`);
  return m[1];
}

/**
 * Reads stay public; every write names its key. Keys are looked up on every
 * write (one indexed read), so a revoked key stops working at once, on every
 * instance.
 */
export const auth = fp<{ adminKey?: string }>(async (app: FastifyInstance, { adminKey }) => {
  const adminHash = adminKey ? Buffer.from(hashKey(adminKey), 'hex') : undefined;
  app.decorateRequest('writer', null);

  async function identify(secret: string): Promise<Writer | undefined> {
    const hash = hashKey(secret);
    if (adminHash && timingSafeEqual(adminHash, Buffer.from(hash, 'hex'))) {
      return { keyId: null, name: ADMIN_WRITER_NAME, scope: 'admin' };
    }
    const [row] = await app.db.query<{ id: string; name: string; scope: Scope }>(
      'SELECT id, name, scope FROM api_keys WHERE hash = $1 AND revoked_at IS NULL',
      [hash],
    );
    return row ? { keyId: row.id, name: row.name, scope: row.scope } : undefined;
  }

  app.decorate('requireScope', (scope: Scope): onRequestHookHandler => async (req) => {
    const secret = bearer(req);
    if (!secret) throw new ProblemError('unauthorized', HOW_TO_GET_A_KEY);
    const writer = await identify(secret);
    if (!writer) throw new ProblemError('unauthorized', `This key is unknown or has been revoked. ${HOW_TO_GET_A_KEY}`);
    if (scope === 'admin' && writer.scope !== 'admin') {
      throw new ProblemError('forbidden', `The key '${writer.name}' has the scope '${writer.scope}'; this needs '${scope}'.`);
    }
    req.writer = writer;
  });
});
