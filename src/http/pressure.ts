import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problemBody } from '../core/problems.js';

export interface PressureLimits {
  /** Requests being answered at once past which new ones are shed (SHED_MAX_IN_FLIGHT); 0: never. */
  maxInFlight: number;
  /** Mean event-loop delay over a sample past which requests are shed (SHED_EVENT_LOOP_DELAY_MS); 0: never. */
  maxEventLoopDelayMs: number;
  /** JavaScript heap in use past which requests are shed (SHED_HEAP_USED_MB); 0: never. */
  maxHeapUsedBytes: number;
  /** Resident memory past which requests are shed (SHED_RSS_MB); 0: never. */
  maxRssBytes: number;
  /** Retry-After on a shed request, in seconds (SHED_RETRY_AFTER_S). */
  retryAfterSeconds: number;
}

/** Probes and scrapes answer however busy the server is: a load balancer must tell busy from dead. */
const EXEMPT = new Set(['/health', '/metrics']);

/** How often the event loop and memory are sampled: the server starts and stops shedding within this time. */
const SAMPLE_MS = 250;

const LIMIT_NAMES: Record<string, string> = {
  inFlight: 'concurrent requests',
  eventLoopDelay: 'event-loop delay',
  heapUsedBytes: 'heap memory',
  rssBytes: 'resident memory',
};

/**
 * Load shedding: past a limit, a request is answered 503 problem+json with Retry-After before any
 * other work (no database, no rate-limit bookkeeping), instead of joining a queue that makes every
 * answer late. Registered first so that its checks are the first hooks to run.
 *
 * Two kinds of limit. The number of requests in flight bounds the queue itself: on PostgreSQL the
 * wait is in the connection pool, where the event loop stays punctual however long the queue grows
 * (bench/README.md, Under pressure). Event-loop delay and memory (@fastify/under-pressure, sampled)
 * catch what that count does not: a loop held by CPU work (the embedded database runs on it) and
 * memory running out.
 */
export const pressure = fp<PressureLimits>(
  async (app: FastifyInstance, limits) => {
    const retryAfter = String(limits.retryAfterSeconds);
    // The first sample after start-up spans migrations and the seed, which block the loop: that is not
    // load, and a server that refused its first requests would fail its first probes.
    let readyAt = Number.POSITIVE_INFINITY;
    app.addHook('onReady', (done) => {
      readyAt = performance.now();
      done();
    });

    // Answered here rather than thrown: the error handler logs every 5xx with its stack, work not
    // worth adding to each request shed.
    const refuse = (req: FastifyRequest, reply: FastifyReply, type: string) => {
      const detail = `The server is over its ${LIMIT_NAMES[type] ?? type} limit and sheds requests; retry in ${retryAfter} s.`;
      reply.code(503).type('application/problem+json').header('retry-after', retryAfter);
      return problemBody('overloaded', detail, req.url);
    };

    if (limits.maxInFlight > 0) {
      let inFlight = 0;
      app.addHook('onRequest', (req, reply, done) => {
        if (EXEMPT.has(req.routeOptions.url ?? '')) return done();
        if (inFlight >= limits.maxInFlight) return reply.send(refuse(req, reply, 'inFlight'));
        inFlight++;
        // 'close' comes once however the exchange ends: answered, failed, or abandoned by the client.
        reply.raw.once('close', () => inFlight--);
        done();
      });
    }

    // What this returns, under-pressure sends (its types say void).
    const shed = (req: FastifyRequest, reply: FastifyReply, type: string) => {
      if (EXEMPT.has(req.routeOptions.url ?? '') || performance.now() - readyAt < 2 * SAMPLE_MS) return undefined;
      return refuse(req, reply, type);
    };
    await app.register(underPressure, {
      sampleInterval: SAMPLE_MS,
      maxEventLoopDelay: limits.maxEventLoopDelayMs,
      maxHeapUsedBytes: limits.maxHeapUsedBytes,
      maxRssBytes: limits.maxRssBytes,
      retryAfter: limits.retryAfterSeconds,
      pressureHandler: shed as FastifyUnderPressureOptions['pressureHandler'],
    });
  },
  { name: 'attest-pressure' },
);
