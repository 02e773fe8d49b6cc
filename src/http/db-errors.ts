import { Prisma } from '../generated/prisma/client.js';
import { ProblemError } from '../core/problems.js';

// PostgreSQL SQLSTATE classes that mean "the server is not there / not usable".
const UNAVAILABLE_STATES = /^(08|53|57P0)/;
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE']);

/**
 * Maps a database failure to a problem, or returns undefined when it is not
 * one we can explain (a bug: the caller answers 500). Handlers check
 * uniqueness and references first so users get precise messages; this is the
 * safety net for races between check and write.
 */
export function problemFromDatabaseError(err: unknown): ProblemError | undefined {
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (err.code === 'P2002') return new ProblemError('conflict', `A record with the same ${uniqueFields(err)} already exists.`);
    if (err.code === 'P2003') return new ProblemError('has-dependents', 'The change would break a reference between records.');
    if (err.code === 'P2025') return new ProblemError('not-found', 'The record does not exist (any more).');
  }
  if (err instanceof Prisma.PrismaClientInitializationError) {
    return new ProblemError('database-unavailable', 'The database could not be reached; try again shortly.');
  }
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  if (code === undefined) return undefined;
  if (NETWORK_ERRORS.has(code) || UNAVAILABLE_STATES.test(code)) {
    return new ProblemError('database-unavailable', 'The database could not be reached; try again shortly.');
  }
  if (code === '57014')
    return new ProblemError('database-unavailable', 'The query took too long and was cancelled; narrow it or try again.');
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
