import Fastify, { type FastifyServerOptions } from 'fastify';
import { type ZodTypeProvider, validatorCompiler } from 'fastify-type-provider-zod';
import { actorRoutes } from './actors/routes.js';
import { actorQueryRefs } from './actors/query-refs.js';
import { sourceRoutes } from './sources/routes.js';
import { statementRoutes } from './statements/routes.js';
import { figureRoutes } from './figures/routes.js';
import { relationRoutes } from './relations/routes.js';
import { citationRoutes } from './citations/routes.js';
import type { Database } from './db/database.js';
import { databasePlugin } from './db/plugin.js';
import { replicaRouting, routedDatabase } from './db/replica.js';
import { startUpkeep } from './db/upkeep.js';
import { auth } from './keys/auth.js';
import { keyRoutes } from './keys/routes.js';
import { healthRoutes } from './health/routes.js';
import { historyRoutes } from './history/routes.js';
import { citable } from './http/citable.js';
import { caching } from './http/caching.js';
import { closing } from './http/closing.js';
import { compression } from './http/compression.js';
import { corsPolicy } from './http/cors.js';
import { type RateLimits, rateLimits } from './http/limits.js';
import { type RedisOptions, redisState } from './http/redis.js';
import { type ResponseCacheOptions, responseCache } from './http/response-cache.js';
import { type MetricsOptions, metrics } from './http/metrics.js';
import { type PressureLimits, pressure } from './http/pressure.js';
import { securityHeaders } from './http/security.js';
import { nulGuard } from './http/nul-guard.js';
import { clientErrorHandler, errorHandler, frameworkErrors } from './http/error-handler.js';
import { requestId } from './http/request-id.js';
import { fastSerializerCompiler } from './http/serializer.js';
import { openapi } from './http/openapi.js';
import { transferRoutes } from './transfer/routes.js';
import { onWriteEnd } from './writes/commits.js';

export interface AppOptions {
  database: Database;
  /** A read replica (DATABASE_REPLICA_URL), which the app closes: anonymous reads go there; omitted, all go to `database`. */
  replica?: Database;
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
  /** The bootstrap admin credential (ADMIN_KEY); without it, only stored keys can write. */
  adminKey?: string;
  /** Requests a minute per client address and per key (RATE_LIMIT_*); omitted, nothing is limited (tests, in-process benchmarks). */
  rateLimit?: RateLimits;
  /** Fastify's trustProxy (TRUST_PROXY): which proxies' X-Forwarded-For names the client address. */
  trustProxy?: boolean | number | string[];
  /** Origins whose pages may write through a browser (CORS_WRITE_ORIGINS); reads are open to every origin. */
  corsWriteOrigins?: readonly string[];
  /** Where clients reach the server (PUBLIC_URL), for absolute links; omitted, each request's scheme and host. */
  publicUrl?: string;
  /** Redis shared by the instances (REDIS_URL, REDIS_KEY_PREFIX); omitted, each instance keeps its state alone. */
  redis?: RedisOptions;
  /** Answers cached in memory (RESPONSE_CACHE, RESPONSE_CACHE_MB); omitted, none. */
  responseCache?: ResponseCacheOptions;
  /** Load-shedding limits (SHED_*); omitted, nothing is shed. */
  pressure?: PressureLimits;
  /** GET /metrics and the counts behind it (METRICS_KEY); omitted, neither. */
  metrics?: MetricsOptions;
}

/** Builds the application without listening: the server entry point listens, tests inject. */
export async function buildApp({
  database,
  replica,
  logger = false,
  bodyLimit = 1024 * 1024,
  adminKey,
  rateLimit,
  trustProxy = false,
  corsWriteOrigins = [],
  publicUrl,
  redis,
  responseCache: responseCacheOptions,
  pressure: pressureLimits,
  metrics: metricsOptions,
}: AppOptions) {
  const app = Fastify({
    logger,
    bodyLimit,
    // Fastify also takes a number of hops, which its types leave out.
    trustProxy: trustProxy as FastifyServerOptions['trustProxy'],
    // The caller's x-request-id only when short and safe (src/http/request-id.ts), else a fresh one.
    requestIdHeader: false,
    genReqId: requestId,
    // URLs the router cannot read, and requests Node's parser refuses, answer problem+json too.
    frameworkErrors,
    clientErrorHandler,
    // Node answers a missing Host with a bare 400; src/http/error-handler.ts answers it as a problem.
    http: { requireHostHeader: false },
    // A client that never finishes sending its request does not hold a connection forever.
    requestTimeout: 30_000,
    // Long enough that the schemas, not the router, judge an over-long id (a 400 naming it, not a bare 414).
    routerOptions: { maxParamLength: 1000 },
    // src/http/closing.ts answers requests that arrive during shutdown, as problem+json.
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('publicUrl', publicUrl);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(fastSerializerCompiler);
  // Only JSON bodies are accepted; anything else is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  // JSON and JSON merge patch (RFC 7396) bodies are parsed in src/http/nul-guard.ts, depth-checked first.
  // Callback-style hooks here and in src/http: a hook that returns a promise costs a few percent of a
  // small GET's CPU under load (bench/README.md).
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });

  await app.register(errorHandler);
  await app.register(closing);
  if (pressureLimits) await app.register(pressure, pressureLimits);
  await app.register(caching);
  await app.register(compression);
  await app.register(corsPolicy, { writeOrigins: corsWriteOrigins });
  await app.register(securityHeaders);
  await app.register(nulGuard);
  await app.register(databasePlugin, { database: replica ? routedDatabase(database, replica) : database });
  if (replica) await app.register(replicaRouting, { replica });
  if (database.kind === 'pglite') {
    // The embedded database has no autovacuum: src/db/upkeep.ts does its work.
    const upkeep = startUpkeep(database, app.log);
    onWriteEnd(database, () => upkeep.afterWrite());
    app.addHook('onClose', () => upkeep.stop());
  }
  if (metricsOptions) await app.register(metrics, metricsOptions);
  await app.register(auth, { adminKey });
  await app.register(redisState, redis ?? {});
  if (rateLimit) await app.register(rateLimits, rateLimit);
  // After the limiter, so that answers from memory count against the limits too.
  if (responseCacheOptions) await app.register(responseCache, responseCacheOptions);
  await app.register(openapi);
  await app.register(citable);
  await app.register(healthRoutes);
  await app.register(actorQueryRefs);
  await app.register(actorRoutes);
  await app.register(sourceRoutes);
  await app.register(statementRoutes);
  await app.register(figureRoutes);
  await app.register(citationRoutes);
  await app.register(relationRoutes);
  await app.register(historyRoutes);
  await app.register(transferRoutes);
  await app.register(keyRoutes);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** PUBLIC_URL without its trailing slash, when set. */
    publicUrl: string | undefined;
  }
}

export type App = Awaited<ReturnType<typeof buildApp>>;
