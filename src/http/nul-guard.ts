import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type FieldError, ProblemError } from '../core/problems.js';

/** Paths of every string under `value` that contains U+0000. */
function nulPaths(value: unknown, path: string[] = [], found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path.join('.') || '(root)');
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) nulPaths(v, [...path, k], found);
  }
  return found;
}

/**
 * PostgreSQL cannot store U+0000 in text, in any column. Rather than teach
 * every schema that, input carrying it anywhere is refused before validation,
 * with the field named, instead of failing in the database.
 */
export const nulGuard = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', (req: FastifyRequest, _reply, done) => {
    // Params and query come from the URL, where U+0000 can only arrive percent-encoded.
    if (req.body === undefined && !req.url.includes('%00')) return done();
    const errors: FieldError[] = [];
    for (const [where, value] of [
      ['params', req.params],
      ['query', req.query],
      ['body', req.body],
    ] as const) {
      for (const field of nulPaths(value))
        errors.push({ in: where, field, message: 'contains a NUL character (U+0000), which cannot be stored' });
    }
    if (!errors.length) return done();
    done(new ProblemError('validation-failed', errors.map((e) => `${e.in}.${e.field}: ${e.message}`).join('; '), { errors }));
  });
});
