import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ProblemError } from '../core/problems.js';

export interface MetricsOptions {
  /** METRICS_KEY: when set, GET /metrics needs `Authorization: Bearer <key>`; otherwise it is public. */
  key?: string;
}

/** Routes that would only measure the measuring. */
const UNCOUNTED = new Set(['/metrics']);

// Seconds; from a cached page (~1 ms) to the database's 5 s limit (src/db/database.ts).
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * GET /metrics in Prometheus' text format (prom-client): requests by route and status with their
 * latency, the database pool, response-cache lookups, and the process (event-loop delay, memory, GC,
 * from prom-client's default collectors). One registry per application, so that several in one
 * process (the tests) do not share counts. Left out of the OpenAPI document: it is for operators,
 * not clients, and its series are Prometheus', not a JSON contract.
 */
export const metrics = fp<MetricsOptions>(
  async (app: FastifyInstance, { key }) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

    const requests = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from the request to the last byte of its answer, by route pattern, method and status.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    // Read from the response cache's own counts at each scrape (src/http/response-cache.ts, when on).
    new Counter({
      name: 'attest_response_cache_lookups_total',
      help: 'Response-cache lookups by result: hit (answered from memory) or miss.',
      labelNames: ['result'],
      registers: [registry],
      collect() {
        const stats = app.responseCache;
        if (!stats) return;
        this.reset();
        this.inc({ result: 'hit' }, stats.hits);
        this.inc({ result: 'miss' }, stats.misses);
      },
    });
    new Gauge({
      name: 'attest_response_cache_bytes',
      help: 'Bytes of answers held by the response cache.',
      registers: [registry],
      collect() {
        if (app.responseCache) this.set(app.responseCache.bytes());
      },
    });
    const stats = app.db.poolStats?.bind(app.db);
    if (stats) {
      new Gauge({
        name: 'attest_db_pool_connections',
        help: 'PostgreSQL pool connections: open, idle, in use, and the pool ceiling.',
        labelNames: ['state'],
        registers: [registry],
        collect() {
          const s = stats();
          this.set({ state: 'open' }, s.total);
          this.set({ state: 'idle' }, s.idle);
          this.set({ state: 'in_use' }, s.total - s.idle);
          this.set({ state: 'max' }, s.max);
        },
      });
      new Gauge({
        name: 'attest_db_pool_waiting_queries',
        help: 'Queries waiting for a free PostgreSQL pool connection.',
        registers: [registry],
        collect() {
          this.set(stats().waiting);
        },
      });
    }

    app.addHook('onResponse', (req, reply, done) => {
      const route = req.routeOptions.url;
      if (route === undefined || !UNCOUNTED.has(route)) {
        // Unmatched URLs share one label: a label per made-up path would grow without bound.
        requests.observe(
          { method: req.method, route: route ?? '(no route)', status_code: reply.statusCode },
          reply.elapsedTime / 1000,
        );
      }
      done();
    });

    const expected = key ? digest(key) : undefined;
    app.get('/metrics', {
      schema: { hide: true },
      // Never shed (src/http/pressure.ts) or rate-limited (src/http/limits.ts): an overloaded server is
      // when the operator needs the numbers.
      handler: async (req, reply) => {
        if (expected) {
          const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
          if (!given || !timingSafeEqual(digest(given), expected)) {
            throw new ProblemError('unauthorized', 'GET /metrics needs Authorization: Bearer <METRICS_KEY>.');
          }
        }
        reply.header('cache-control', 'no-store').type(registry.contentType);
        return registry.metrics();
      },
    });
  },
  { name: 'attest-metrics' },
);

const digest = (s: string) => createHash('sha256').update(s).digest();
