import { randomUUID } from 'node:crypto';
import { Readable, Transform, pipeline } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
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
  /**
   * The body as compression (./compression.ts) encoded it, by the request's Accept-Encoding as sent (clients
   * send few distinct values), so that a hit is not compressed again.
   */
  encoded: Map<string, { encoding: string; body: Buffer }>;
}

/** Encoded copies kept per answer: browsers, curl, Python and the like send a handful of Accept-Encoding values. */
const MAX_ENCODED = 4;

declare module 'fastify' {
  interface FastifyInstance {
    /** What the response cache has done since start (for /metrics). */
    responseCache:
      | {
          hits: number;
          /** Hits answered with a copy compression made earlier. */
          encodedHits: number;
          misses: number;
          entries(): number;
          bytes(): number;
        }
      | undefined;
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
      sizeCalculation: (e, key) => {
        let size = e.body.length + key.length + (e.link?.length ?? 0) + 200;
        for (const [accept, v] of e.encoded) size += accept.length + v.body.length + 50;
        return size;
      },
    });
    const stats = { hits: 0, encodedHits: 0, misses: 0, entries: () => cache.size, bytes: () => cache.calculatedSize };
    app.decorate('responseCache', stats);
    onWriteEnd(app.db, () => generation.bump());

    const filing = new WeakMap<FastifyRequest, { key: string; generation: string }>();
    const encoding = new WeakMap<FastifyRequest, { key: string; generation: string }>();
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
        const accept = acceptEncoding(req);
        if (hit?.generation === current) {
          stats.hits++;
          const encoded = accept ? hit.encoded.get(accept) : undefined;
          if (encoded) stats.encodedHits++;
          else if (accept) encoding.set(req, { key, generation: current });
          return sendHit(reply, hit, encoded);
        }
        stats.misses++;
        reply.header('x-cache', 'miss');
        filing.set(req, { key, generation: current });
        if (accept) encoding.set(req, { key, generation: current });
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
            encoded: new Map(),
          });
        }
      }
      done(null, payload);
    });

    // After compression's hook, which is a route hook added as each route is declared (its plugin is
    // registered before this one): the body as it encoded it joins the filed answer.
    const fileEncoded: onSendHookHandler = (req, reply, payload, done) => {
      const file = encoding.get(req);
      const contentEncoding = reply.getHeader('content-encoding');
      const accept = acceptEncoding(req);
      if (!file || !accept || reply.statusCode !== 200 || typeof contentEncoding !== 'string') return done(null, payload);
      const keep = (body: Buffer) => {
        const entry = cache.peek(file.key);
        if (entry?.generation === file.generation && !entry.encoded.has(accept) && entry.encoded.size < MAX_ENCODED) {
          // A new entry rather than a changed one, so that the cache counts its size again.
          const encoded = new Map(entry.encoded).set(accept, { encoding: contentEncoding, body });
          cache.set(file.key, { ...entry, encoded });
        }
      };
      if (Buffer.isBuffer(payload)) {
        keep(payload);
        return done(null, payload);
      }
      // A stream of compression's own stream library, not node:stream's: recognised by its pipe().
      if (typeof (payload as Readable | null)?.pipe !== 'function') return done(null, payload);
      // Compressed as a stream (a body over compression's synchronous threshold): kept as it passes, if it ends well.
      const chunks: Buffer[] = [];
      const tee = new Transform({
        transform(chunk: Buffer, _encoding, cb) {
          chunks.push(chunk);
          cb(null, chunk);
        },
        flush(cb) {
          keep(Buffer.concat(chunks));
          cb();
        },
      });
      pipeline(payload as Readable, tee, () => {});
      done(null, tee);
    };
    app.addHook('onRoute', (route) => {
      if (![route.method].flat().includes('GET') || !CACHEABLE.has(route.url)) return;
      route.onSend = [...(route.onSend ? [route.onSend].flat() : []), fileEncoded];
    });
  },
  { name: 'attest-response-cache', dependencies: ['attest-redis'] },
);

/** What the encoded copies are filed by; none for a client that asked for no compression (@fastify/compress's header). */
const acceptEncoding = (req: FastifyRequest) =>
  req.headers['x-no-compression'] === undefined ? req.headers['accept-encoding'] : undefined;

function sendHit(reply: FastifyReply, hit: Entry, encoded: { encoding: string; body: Buffer } | undefined) {
  knownEtags.set(reply, hit.etag);
  reply.code(200).header('content-type', hit.contentType).header('x-cache', 'hit');
  if (hit.link) reply.header('link', hit.link);
  // Compression leaves a body that already has a Content-Encoding as it is.
  if (encoded) reply.header('content-encoding', encoded.encoding).header('vary', 'accept-encoding');
  reply.send(encoded ? encoded.body : hit.body);
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
