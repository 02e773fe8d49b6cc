import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

export interface RedisOptions {
  /** REDIS_URL. */
  url: string;
  /** REDIS_KEY_PREFIX: every key this instance uses starts with it, so several deployments can share one Redis. */
  prefix: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The state instances share (rate limits, the response cache's generation); undefined without REDIS_URL. */
    redis: { client: Redis; prefix: string } | undefined;
  }
}

/** How long a start waits for Redis before serving without it (it keeps reconnecting meanwhile). */
const START_WAIT_MS = 3000;
/** A command Redis does not answer in this long fails, and its caller goes on without Redis. */
const COMMAND_TIMEOUT_MS = 500;

/**
 * One Redis connection per instance (ioredis), shared by the rate limiter and the response cache.
 * Redis holds nothing the record depends on: while it is unreachable, commands fail at once instead
 * of queueing (so no request waits on it), rate limits are not enforced and the response cache is
 * bypassed; each change of state is logged once.
 */
export const redisState = fp<Partial<RedisOptions>>(
  async (app: FastifyInstance, { url, prefix = 'attest:' }) => {
    if (!url) {
      app.decorate('redis', undefined);
      return;
    }
    const client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 2000,
      // Concurrent requests' commands go out in one write and come back in one read.
      enableAutoPipelining: true,
      // Reconnect forever, backing off to one attempt a second.
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    let down = false;
    client.on('error', (err: Error) => {
      if (down) return;
      down = true;
      app.log.warn(
        { err: { message: err.message } },
        'Redis is unreachable: rate limits are not enforced and the response cache is bypassed until it is back',
      );
    });
    client.on('ready', () => {
      if (!down) return;
      down = false;
      app.log.info('Redis is reachable again: rate limits and the response cache are shared again');
    });
    app.decorate('redis', { client, prefix });
    app.addHook('onClose', async () => {
      client.disconnect();
    });

    const ready = await Promise.race([
      new Promise<boolean>((resolve) => client.once('ready', () => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(resolve, START_WAIT_MS, false).unref()),
    ]);
    if (!ready) app.log.warn({ url: safeUrl(url) }, `Redis did not answer within ${START_WAIT_MS / 1000} s: starting without it`);
  },
  { name: 'attest-redis' },
);

function safeUrl(url: string) {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}
