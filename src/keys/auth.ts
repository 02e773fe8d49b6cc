import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { ProblemError } from '../core/problems.js';
import { findActiveKey, touchKey } from './repository.js';
import { hashKey } from './secret.js';

export { hashKey };

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
    /** What this instance knows of presented keys, for the rate limiter (see KeyMemory). */
    keyMemory: KeyMemory;
  }
  interface FastifyRequest {
    writer: Writer | null;
  }
}

export const ADMIN_WRITER_NAME = 'admin';

export const HOW_TO_GET_A_KEY =
  'Writing needs an API key: send it as "Authorization: Bearer <key>". An administrator creates keys with POST /keys, or on the server with "npm run keys -- create --name NAME --scope write".';

const BEARER = /^Bearer[ ]+(\S{1,200})[ ]*$/i;

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const m = BEARER.exec(header);
  if (!m) throw new ProblemError('unauthorized', `The Authorization header is not "Bearer <key>". ${HOW_TO_GET_A_KEY}`);
  return m[1];
}

const hashes = new WeakMap<FastifyRequest, string | null>();
/**
 * The SHA-256 of the bearer key a request presents (null without a well-formed
 * one), computed once per request for the rate limiter and the scope check.
 */
export function presentedKeyHash(req: FastifyRequest): string | null {
  let hash = hashes.get(req);
  if (hash === undefined) {
    const header = req.headers.authorization;
    const m = header ? BEARER.exec(header) : null;
    hash = m ? hashKey(m[1]) : null;
    hashes.set(req, hash);
  }
  return hash;
}

const REMEMBER_VALID_MS = 5 * 60_000;
const REMEMBER_INVALID_MS = 60_000;
const TOUCH_EVERY_MS = 60_000;
const MAX_REMEMBERED = 10_000;

/**
 * What this instance learnt about presented keys: which hashes belong to a key
 * that authenticated recently. Only the rate limiter uses it, to count a known
 * key's requests against the key (and an unknown or made-up one's against the
 * client address, so inventing keys does not buy fresh limits). Authorisation
 * never uses it: every scope check reads the database, so a revoked key stops
 * working at once, on every instance.
 */
export class KeyMemory {
  private readonly seen = new Map<string, { valid: boolean; until: number }>();
  private readonly pending = new Set<string>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly adminHash: string | undefined,
  ) {}

  /** True when the hash belongs to ADMIN_KEY or to a key that authenticated in the last few minutes. */
  known(hash: string): boolean {
    if (hash === this.adminHash) return true;
    const entry = this.seen.get(hash);
    return entry !== undefined && entry.valid && entry.until > Date.now();
  }

  remember(hash: string, valid: boolean) {
    if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(hash, { valid, until: Date.now() + (valid ? REMEMBER_VALID_MS : REMEMBER_INVALID_MS) });
  }

  forget(hash: string) {
    this.seen.delete(hash);
  }

  /**
   * Looks a presented key up without holding the request that presented it
   * (the limiter calls this only for requests it let through, so made-up keys
   * cost at most one lookup per request the address may make anyway).
   */
  learn(hash: string) {
    if (hash === this.adminHash || this.pending.has(hash)) return;
    const entry = this.seen.get(hash);
    if (entry && entry.until > Date.now()) return;
    this.pending.add(hash);
    findActiveKey(this.app.db, hash)
      .then(async (row) => {
        this.remember(hash, !!row);
        if (row) await this.touch(row.id);
      })
      .catch(() => {})
      .finally(() => this.pending.delete(hash));
  }

  /** Records last_used_at, at most once a minute per key and instance, so it costs the hot path nothing. */
  async touch(keyId: string) {
    const now = Date.now();
    if (now - (this.touched.get(keyId) ?? 0) < TOUCH_EVERY_MS) return;
    if (this.touched.size >= MAX_REMEMBERED) this.touched.clear();
    this.touched.set(keyId, now);
    // A failure to record the time must not fail the request that used the key.
    await touchKey(this.app.db, keyId).catch(() => {});
  }
}

/**
 * Reads stay public; every write names its key. Keys are looked up on every
 * write (one indexed read), so a revoked key stops working at once, on every
 * instance.
 */
export const auth = fp<{ adminKey?: string }>(
  async (app: FastifyInstance, { adminKey }) => {
    const adminHash = adminKey ? hashKey(adminKey) : undefined;
    const adminBytes = adminHash ? Buffer.from(adminHash, 'hex') : undefined;
    const memory = new KeyMemory(app, adminHash);
    app.decorate('keyMemory', memory);
    app.decorateRequest('writer', null);

    async function identify(hash: string): Promise<Writer | undefined> {
      if (adminBytes && timingSafeEqual(adminBytes, Buffer.from(hash, 'hex'))) {
        return { keyId: null, name: ADMIN_WRITER_NAME, scope: 'admin' };
      }
      const row = await findActiveKey(app.db, hash);
      memory.remember(hash, !!row);
      if (!row) return undefined;
      await memory.touch(row.id);
      return { keyId: row.id, name: row.name, scope: row.scope };
    }

    app.decorate('requireScope', (scope: Scope): onRequestHookHandler => async (req) => {
      if (!bearer(req)) throw new ProblemError('unauthorized', HOW_TO_GET_A_KEY);
      const writer = await identify(presentedKeyHash(req)!);
      if (!writer) throw new ProblemError('unauthorized', `This key is unknown or has been revoked. ${HOW_TO_GET_A_KEY}`);
      if (scope === 'admin' && writer.scope !== 'admin') {
        throw new ProblemError(
          'forbidden',
          `The key '${writer.name}' has the scope '${writer.scope}'; this needs '${scope}'. Ask an administrator for a key with the scope '${scope}'.`,
        );
      }
      req.writer = writer;
    });
  },
  { name: 'attest-auth' },
);
