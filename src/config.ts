import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Requests in flight, and mean event-loop delay (ms), past which requests are shed: see bench/README.md, Production. */
const SHED_IN_FLIGHT_DEFAULT = 25;
// High enough that one heavy query on the embedded database (which runs on the event loop) does not shed
// the next request of a lone client; the in-flight limit is what sheds under load.
const SHED_DELAY_DEFAULT = 1000;

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SEED_ON_EMPTY: booleanFlag.default(true),
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  /** The bootstrap admin credential; without it, only keys created with `npm run keys` can write. */
  ADMIN_KEY: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)')
    .max(200, 'must be at most 200 characters')
    .regex(/^\S+$/, 'must not contain spaces')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * The address clients reach Attest at (https://attest.example.org, or with a path prefix behind a
   * proxy). Absolute links (`Link`) and the OpenAPI document's server use it; without it
   * they use the request's own scheme and host.
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .refine((v) => !/[?#]/.test(v), 'must not have a query or fragment')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Load shedding (src/http/pressure.ts): past any of these, requests get 503 at once; 0 turns a limit off. */
  SHED_MAX_IN_FLIGHT: z.coerce.number().int().min(0).max(1_000_000).default(SHED_IN_FLIGHT_DEFAULT),
  SHED_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(SHED_DELAY_DEFAULT),
  SHED_HEAP_USED_MB: z.coerce.number().int().min(0).max(1_000_000).default(0),
  SHED_RSS_MB: z.coerce.number().int().min(0).max(1_000_000).default(0),
  SHED_RETRY_AFTER_S: z.coerce.number().int().min(1).max(3600).default(5),
  /** How long a shutdown may take: requests in flight first, then the database; past it the process exits 1. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_KEY>`; unset, it is public. */
  METRICS_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .regex(/^\S+$/, 'must not contain spaces')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
  RATE_LIMIT_KEYED_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (parsed === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be true, false, a number of proxies, or a comma-separated list of addresses/CIDRs',
        });
        return z.NEVER;
      }
      return parsed;
    }),
  CORS_WRITE_ORIGINS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const origins = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const origin of origins) {
        if (!isOrigin(origin)) {
          ctx.addIssue({
            code: 'custom',
            message: `'${origin}' is not an origin like https://newsroom.example (scheme, host, optional port; no path)`,
          });
          return z.NEVER;
        }
      }
      return origins;
    }),
  /** Shared by every instance: rate limits and the response cache's generation (src/http/redis.ts). Empty: each instance alone. */
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  REDIS_KEY_PREFIX: z.string().min(1).max(100).regex(/^\S+$/, 'must not contain spaces').default('attest:'),
  /**
   * auto: on with REDIS_URL or the embedded database; off on PostgreSQL without Redis, where another
   * instance or process could write unseen. on: this instance is PostgreSQL's only writer. off: never.
   */
  RESPONSE_CACHE: z.enum(['auto', 'on', 'off']).default('auto'),
  RESPONSE_CACHE_MB: z.coerce.number().int().min(1).max(100_000).default(64),
  /** A read replica of DATABASE_URL (src/db/replica.ts): anonymous reads go there. */
  DATABASE_REPLICA_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

/** Fastify's trustProxy: false, true (trust every hop), a number of hops, or addresses/CIDRs of the proxies. */
export type TrustProxy = boolean | number | string[];

function parseTrustProxy(v: string): TrustProxy | undefined {
  if (['', 'false', '0'].includes(v)) return false;
  if (v === 'true') return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length && list.every((s) => /^[0-9A-Fa-f.:]+(\/\d{1,3})?$|^(loopback|linklocal|uniquelocal)$/.test(s))
    ? list
    : undefined;
}

function isOrigin(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s;
  } catch {
    return false;
  }
}

export type Config = z.output<typeof configSchema>;

/** Whether answers are cached (RESPONSE_CACHE), given where the record is kept and whether Redis is shared. */
export const responseCacheOn = (config: Pick<Config, 'RESPONSE_CACHE' | 'REDIS_URL' | 'DATABASE_URL'>) =>
  config.RESPONSE_CACHE === 'on' || (config.RESPONSE_CACHE === 'auto' && (!!config.REDIS_URL || !config.DATABASE_URL));

export class ConfigError extends Error {}

/** Reads the environment once; every bad variable is named in one message. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success && result.data.DATABASE_REPLICA_URL && !result.data.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_REPLICA_URL: needs DATABASE_URL (a replica of the embedded database cannot exist)');
  }
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
