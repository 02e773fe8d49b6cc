import { Prisma } from '../generated/prisma/client.js';
import { ProblemError } from '../core/problems.js';

// PostgreSQL SQLSTATE classes that mean "the server is not there / not usable": connection
// exceptions, insufficient resources, operator intervention (shutting down, cannot connect now).
const UNAVAILABLE_STATES = /^(08|53|57P0)/;
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
// Prisma: can't reach the server (P1001), it timed out (P1002, P1008), the database does not exist
// or refuses the credentials (P1003, P1010, P1000), TLS failed (P1011), the server closed the
// connection (P1017), no connection from the pool in time (P2024), a transaction could not start
// or outlived its time (P2028).
const PRISMA_UNAVAILABLE = new Set(['P1000', 'P1001', 'P1002', 'P1003', 'P1008', 'P1010', 'P1011', 'P1017', 'P2024', 'P2028']);
// What driver adapters report for the same troubles (the `kind` of a DriverAdapterError).
const ADAPTER_UNAVAILABLE = new Set([
  'DatabaseNotReachable',
  'DatabaseDoesNotExist',
  'DatabaseAccessDenied',
  'AuthenticationFailed',
  'SocketTimeout',
  'TooManyConnections',
  'ConnectionClosed',
  'TlsConnectionError',
]);
// node-postgres' own errors carry no code, only these messages: the connection or the wait for a
// pooled one timed out, the server went silent or away, the pool is closing.
const DRIVER_UNAVAILABLE =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Cannot use a pool after calling end|Client was closed|PGlite is closed)/;

/** Seconds a client is asked to wait before trying again after a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** The 503 for database trouble, with Retry-After. */
export const databaseUnavailable = (detail = 'The database could not be reached; try again shortly.') =>
  new ProblemError('database-unavailable', detail, {}, { 'retry-after': String(RETRY_AFTER_SECONDS) });

/**
 * Maps a database failure to a problem, or returns undefined when it is not
 * one we can explain (a bug: the caller answers 500). Handlers check
 * uniqueness and references first so users get precise messages; this is the
 * safety net for races between check and write. Database trouble (unreachable,
 * silent, overloaded, not migrated) is a 503 with Retry-After, never a 500.
 */
export function problemFromDatabaseError(err: unknown): ProblemError | undefined {
  const taken = actorKeyTaken(err);
  if (taken) return taken;
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (err.code === 'P2002') return new ProblemError('conflict', `A record with the same ${uniqueFields(err)} already exists.`);
    if (err.code === 'P2003') return new ProblemError('has-dependents', 'The change would break a reference between records.');
    if (err.code === 'P2025') return new ProblemError('not-found', 'The record does not exist (any more).');
    if (PRISMA_UNAVAILABLE.has(err.code)) return databaseUnavailable();
    const cause = (err.meta as { driverAdapterError?: { cause?: { kind?: string; code?: string; originalCode?: string } } })
      ?.driverAdapterError?.cause;
    if (cause?.kind && ADAPTER_UNAVAILABLE.has(cause.kind)) return databaseUnavailable();
    const state = cause?.originalCode ?? cause?.code;
    if (state) return fromState(state);
    return undefined;
  }
  if (err instanceof Prisma.PrismaClientInitializationError) return databaseUnavailable();
  // The error itself, or what it wraps (Prisma and adapters wrap driver errors in `cause`).
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string') {
      if (NETWORK_ERRORS.has(e.code)) return databaseUnavailable();
      const known = fromState(e.code);
      if (known) return known;
    }
    if (typeof e.message === 'string' && DRIVER_UNAVAILABLE.test(e.message)) return databaseUnavailable();
    e = typeof e.cause === 'object' && e.cause !== null ? (e.cause as typeof e) : undefined;
  }
  return undefined;
}

/** A PostgreSQL SQLSTATE we can explain. */
function fromState(code: string): ProblemError | undefined {
  if (UNAVAILABLE_STATES.test(code)) return databaseUnavailable();
  if (code === '57014') return databaseUnavailable('The query took too long and was cancelled; narrow it or try again.');
  // A table the code needs is missing: the schema has not been migrated (GET /ready says the same).
  if (code === '42P01') return databaseUnavailable('The database schema is not migrated; the server is not ready.');
  if (code === '23505') return new ProblemError('conflict', 'A record with the same unique value already exists.');
  if (code === '23503') return new ProblemError('has-dependents', 'The change would break a reference between records.');
  return undefined;
}

function uniqueFields(err: Prisma.PrismaClientKnownRequestError): string {
  const meta = err.meta as
    { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } } | undefined;
  const fields = meta?.driverAdapterError?.cause?.constraint?.fields ?? meta?.target;
  return Array.isArray(fields) ? fields.join(', ') : 'unique value';
}

// Raised by the trigger actors_keys_sync (migration 20261206100000_actor_keys), followed by JSON.
const ACTOR_KEY_TAKEN = 'attest-actor-key-taken ';

/**
 * A handle or external id that another actor holds: a 409 naming that actor and the field. The
 * database says so (rather than a check before the write) so that two concurrent writers of the
 * same key cannot both succeed: the second waits for the first to commit, then gets this.
 */
export function actorKeyTaken(err: unknown): ProblemError | undefined {
  const seen = new Set<unknown>();
  const stack: unknown[] = [err];
  while (stack.length) {
    const e = stack.pop() as
      | { message?: unknown; originalMessage?: unknown; cause?: unknown; meta?: unknown; driverAdapterError?: unknown }
      | undefined;
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    // Driver adapters keep the database's message as originalMessage; pg's own errors as message.
    const text = [e.originalMessage, e.message].find((m): m is string => typeof m === 'string' && m.includes(ACTOR_KEY_TAKEN));
    if (text) {
      const json = text.slice(text.indexOf(ACTOR_KEY_TAKEN) + ACTOR_KEY_TAKEN.length).match(/\{.*\}/s)?.[0];
      if (!json) return undefined;
      const t = JSON.parse(json) as { field: string; key: string; id: string; slug: string; name: string };
      const what = t.field.startsWith('handles') ? 'handle' : 'external id';
      const message = `the ${what} ${t.key} is already held by actor ${t.slug} (${t.id})`;
      return new ProblemError(
        'conflict',
        `${t.field}: ${message}. Use that actor, or merge the two with POST /actors/{id}/merge.`,
        { errors: [{ in: 'body', field: t.field, message }], actors: [{ id: t.id, slug: t.slug, name: t.name, field: t.field }] },
      );
    }
    stack.push(e.cause, e.meta, e.driverAdapterError);
  }
  return undefined;
}
