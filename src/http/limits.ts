import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ProblemError } from '../core/problems.js';
import { presentedKeyHash } from '../keys/auth.js';

export interface RateLimits {
  /** Requests a minute from one client address without a (known) key: RATE_LIMIT_PER_MINUTE. */
  perMinute: number;
  /** Requests a minute with one key, from any address: RATE_LIMIT_KEYED_PER_MINUTE. */
  keyedPerMinute: number;
}

/** Liveness and readiness probes, and the metrics scrape, answer however busy a client is. */
const EXEMPT = new Set(['/health', '/ready', '/metrics']);

/**
 * Rate limits (@fastify/rate-limit; counted in Redis with REDIS_URL, so every
 * instance counts against the same limits, else in this process's memory): a request that
 * carries a key this instance has seen authenticate counts against that key
 * (keyed on the hash of the secret, no database read); any other request counts
 * against its client address (right behind a proxy only with TRUST_PROXY).
 * A key never seen before counts against the address until a background lookup
 * confirms it, so made-up keys buy no fresh limits. Every answer carries
 * RateLimit-Limit, -Remaining and -Reset; over the limit, a 429 problem with
 * Retry-After.
 */
export const rateLimits = fp<RateLimits>(
  async (app: FastifyInstance, { perMinute, keyedPerMinute }) => {
    const keyed = (req: FastifyRequest) => {
      const hash = presentedKeyHash(req);
      return hash !== null && app.keyMemory.known(hash) ? hash : null;
    };
    await app.register(rateLimit, {
      // Applied below as one application-wide hook, so it runs before any route's key check.
      global: false,
      enableDraftSpec: true,
      timeWindow: 60_000,
      cache: 20_000,
      ...(app.redis && {
        redis: app.redis.client,
        nameSpace: `${app.redis.prefix}rate:`,
        // Redis unreachable: let requests through (src/http/redis.ts logs it) rather than refuse or hold them.
        skipOnError: true,
      }),
      keyGenerator: (req) => {
        const hash = keyed(req);
        // IPv6 clients are counted by /64, as one host usually holds the whole prefix.
        return hash ? `key:${hash}` : `ip:${normalizeIP(req.ip)}`;
      },
      max: (_req, key) => (key.startsWith('key:') ? keyedPerMinute : perMinute),
      errorResponseBuilder: (req, { max, after }) =>
        new ProblemError(
          'rate-limited',
          keyed(req)
            ? `This key may make ${max} requests a minute; retry in ${after}. Ask for a higher limit if your work needs it.`
            : `This address may make ${max} requests a minute without an API key; retry in ${after}. Requests with a key have their own, higher limit.`,
        ),
    });

    const limit = app.rateLimit();
    app.addHook('onRequest', (req, reply, done) => {
      if (EXEMPT.has(req.routeOptions.url!)) return done();
      limit.call(app, req, reply).then(() => {
        // Let through: if it carries a key this instance has not seen, learn whether it is one.
        const hash = presentedKeyHash(req);
        if (hash !== null && !app.keyMemory.known(hash)) app.keyMemory.learn(hash);
        done();
      }, done);
    });
  },
  { name: 'attest-rate-limits', dependencies: ['attest-auth', 'attest-redis'] },
);
