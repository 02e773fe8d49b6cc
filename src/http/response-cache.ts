import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { readFromPrimary } from '../db/replica.js';
import { onWriteEnd } from '../writes/commits.js';
import { knownEtags } from './caching.js';
import { chosenFormat } from './formats.js';
import { baseUrl } from './link.js';

export interface ResponseCacheOptions {
  /** RESPONSE_CACHE_MB in bytes: what the cached bodies may take in all; the least recently used go first. */
  maxBytes: number;
}

/**
 * Public reads whose answer depends on nothing but the committed record and the request's URL (and
 * host, for absolute links). Not here: /changes (what it shows also waits on transactions still open,
 * cluster-wide), /keys (authorised), /export, the probes, the documents.
 */
const CACHEABLE = new Set(
  ['actors', 'sources', 'statements', 'figures'].flatMap((r) => [`/${r}`, `/${r}/:id`, `/${r}/:id/history`]),
);
CACHEABLE.add('/citations/:id').add('/citations/:id/history');

/**
 * Names the state of the record: changed after every write, so an answer computed at one generation
 * is current exactly as long as the generation is. Read before the database is, so an answer is never
 * filed under a generation newer than what it saw.
 */
interface Generation {
  /** The current generation, or undefined when it cannot be known (then nothing is served from or filed in the cache). */
  read(cb: (generation: string | undefined) => void): void;
  /** Called after each write ends, before the writer hears back. */
  bump(): Promise<void>;
}

/** One process is the only writer (the embedded database, or RESPONSE_CACHE=on): a counter in memory. */
class LocalGeneration implements Generation {
  private n = 0;
  read(cb: (generation: string | undefined) => void) {
    cb(String(this.n));
  }
  async bump() {
    this.n++;
  }
}

/**
 * Shared by every instance through Redis: a random token rather than a counter, so a Redis that
 * restarts empty can never bring back a generation that old answers were filed under.
 */
class RedisGeneration implements Generation {
  private readonly key: string;
  /** A write ended whose new generation Redis did not take: this instance serves nothing cached until it has. */
  private unpublished = false;

  constructor(
    private readonly app: FastifyInstance,
    private readonly client: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}generation`;
    client.on('ready', () => {
      if (this.unpublished) void this.bump();
    });
  }

  read(cb: (generation: string | undefined) => void) {
    if (this.unpublished || this.client.status !== 'ready') return cb(undefined);
    this.client.get(this.key).then(
      (generation) => {
        if (generation !== null) return cb(generation);
        // A new (or restarted) Redis: start a generation; this request goes to the database.
        this.client.set(this.key, randomUUID(), 'NX').catch(() => {});
        cb(undefined);
      },
      () => cb(undefined),
    );
  }

  async bump() {
    try {
      await this.client.set(this.key, randomUUID());
      this.unpublished = false;
    } catch (err) {
      // The write stands. Other instances learn of it when Redis takes the next generation (retried on
      // reconnect); until then their cached answers may be older than it (README, Several instances).
      this.unpublished = true;
      this.app.log.error(
        { err: { message: (err as Error).message } },
        'a write ended but Redis did not take the new cache generation: retrying when Redis is back',
      );
    }
  }
}

interface Entry {
  generation: string;
  body: Buffer;
  contentType: string;
  etag: string;
  link: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What the response cache has done since start (for /metrics). */
    responseCache: { hits: number; misses: number; entries(): number; bytes(): number } | undefined;
  }
}

/**
 * A cache of whole JSON answers in memory (lru-cache, bounded in bytes). A GET of a cacheable route
 * whose generation (above) has not changed since its answer was filed is answered from memory: no
 * database, no validation, no serialisation. Every write ends by changing the generation, before the
 * writer's response is sent, so the next request to any instance after a write is acknowledged sees
 * it. Requests with credentials, and CSV and NDJSON (streamed, chosen by Accept or format=), are not cached.
 * `X-Cache: hit` or `miss` says which happened (absent: the request could not be cached).
 */
export const responseCache = fp<ResponseCacheOptions>(
  async (app: FastifyInstance, { maxBytes }) => {
    const generation: Generation = app.redis
      ? new RedisGeneration(app, app.redis.client, app.redis.prefix)
      : new LocalGeneration();
    const cache = new LRUCache<string, Entry>({
      maxSize: maxBytes,
      sizeCalculation: (e, key) => e.body.length + key.length + (e.link?.length ?? 0) + 200,
    });
    const stats = { hits: 0, misses: 0, entries: () => cache.size, bytes: () => cache.calculatedSize };
    app.decorate('responseCache', stats);
    onWriteEnd(app.db, () => generation.bump());

    const filing = new WeakMap<FastifyRequest, { key: string; generation: string }>();
    const keyOf = (req: FastifyRequest) => (app.publicUrl ? req.url : `${baseUrl(req)}${req.url}`);

    app.addHook('onRequest', (req, reply, done) => {
      if (
        req.method !== 'GET' ||
        !CACHEABLE.has(req.routeOptions.url ?? '') ||
        req.headers.authorization !== undefined ||
        chosenFormat(req) !== 'json'
      ) {
        return done();
      }
      generation.read((current) => {
        if (current === undefined) return done();
        const key = keyOf(req);
        const hit = cache.get(key);
        if (hit?.generation === current) {
          stats.hits++;
          return sendHit(reply, hit);
        }
        stats.misses++;
        reply.header('x-cache', 'miss');
        filing.set(req, { key, generation: current });
        // A replica may lag behind the write that made this generation: what is filed comes from the primary.
        readFromPrimary();
        done();
      });
    });

    // Runs after ./caching.ts's (registered earlier) has tagged the body, and before compression (a route hook).
    app.addHook('onSend', (req, reply, payload, done) => {
      const file = filing.get(req);
      if (file && reply.statusCode === 200 && Buffer.isBuffer(payload)) {
        const contentType = reply.getHeader('content-type');
        const etag = reply.getHeader('etag');
        if (typeof contentType === 'string' && contentType.startsWith('application/json') && typeof etag === 'string') {
          const link = reply.getHeader('link');
          cache.set(file.key, {
            generation: file.generation,
            body: payload,
            contentType,
            etag,
            link: typeof link === 'string' ? link : undefined,
          });
        }
      }
      done(null, payload);
    });
  },
  { name: 'attest-response-cache', dependencies: ['attest-redis'] },
);

function sendHit(reply: FastifyReply, hit: Entry) {
  knownEtags.set(reply, hit.etag);
  reply.code(200).header('content-type', hit.contentType).header('x-cache', 'hit');
  if (hit.link) reply.header('link', hit.link);
  reply.send(hit.body);
}

/** For processes that write beside running instances (npm run db:seed): a new generation for all of them. */
export async function announceChange(redisUrl: string, prefix: string) {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  try {
    await client.set(`${prefix}generation`, randomUUID());
  } finally {
    client.disconnect();
  }
}
