import { readdirSync } from 'node:fs';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PROBLEMS, type ProblemCode, ProblemError } from '../core/problems.js';
import type { Database } from '../db/database.js';
import { databaseUnavailable, problemFromDatabaseError } from '../http/db-errors.js';
import { errors } from '../http/schemas.js';

/** The newest migration in prisma/migrations: a ready database has it recorded as applied. */
function latestMigration(): string | undefined {
  try {
    const dir = new URL('../../prisma/migrations/', import.meta.url);
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
      .at(-1);
  } catch {
    return undefined;
  }
}

/** How long /ready waits for the database before it answers 503. */
const READY_TIMEOUT_MS = 4000;

/** Throws a 503 problem unless the database answers within the time and has every migration applied. */
async function checkReady(db: Database, latest: string | undefined) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(databaseUnavailable(`The database did not answer within ${READY_TIMEOUT_MS / 1000} s.`)),
      READY_TIMEOUT_MS,
    );
  });
  try {
    const [row] = await Promise.race([
      db.query<{ applied: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM _prisma_migrations
          WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL) AS applied`,
        [latest ?? ''],
      ),
      late,
    ]);
    if (latest && !row.applied) {
      throw databaseUnavailable(
        `The database schema is not migrated: ${latest} has not been applied. The server migrates on start; restart it, or run npm run db:migrate.`,
      );
    }
  } catch (err) {
    if (err instanceof ProblemError) throw err;
    const problem = problemFromDatabaseError(err);
    throw problem?.status === 503 ? problem : databaseUnavailable('The database does not answer.');
  } finally {
    clearTimeout(timer);
  }
}

const tags = ['Service'];

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const latest = latestMigration();
  app.get('/health', {
    schema: {
      operationId: 'health',
      summary: 'Liveness: the process answers',
      tags,
      response: { 200: z.object({ status: z.literal('ok') }) },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/ready', {
    schema: {
      operationId: 'ready',
      summary: 'Readiness: the database answers and its schema is migrated',
      description: `503 with Retry-After when the database cannot be reached, does not answer within ${READY_TIMEOUT_MS / 1000} s, or lacks the newest migration.`,
      tags,
      response: { 200: z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']) }), ...errors(503) },
    },
    handler: async () => {
      await checkReady(app.db, latest);
      return { status: 'ready' as const, database: app.db.kind };
    },
  });

  app.get('/problems/:code', {
    schema: {
      operationId: 'getProblemType',
      summary: 'What a problem type means',
      tags,
      params: z.strictObject({
        code: z
          .enum(Object.keys(PROBLEMS) as [ProblemCode])
          .describe('The `code` of a problem document (the last segment of its `type`).')
          .meta({ example: 'not-found' }),
      }),
      response: { 200: z.object({ code: z.string(), status: z.number(), title: z.string() }), ...errors(400) },
    },
    handler: async (req) => ({ code: req.params.code, ...PROBLEMS[req.params.code] }),
  });
};
