// The "plain Fastify + Prisma 7 findMany" peer: Attest's generated Prisma client on @prisma/adapter-pg
// (one pg Pool, max 10), the obvious findMany with include, no validation, no response schema.
//
//   GET /statements?actor=<slug>&from=YYYY[-MM[-DD]]&to=...&limit=20   (endpoint (a))
//   GET /statements/:id                                               (endpoint (c))
//
// The answer is what findMany returns ({ data, nextCursor }): the speaker and involved actors and the
// cited sources come as whole records (that is what `include` gives), so bodies are larger than
// Attest's summaries. The date filter is the plain saidOn range, without Attest's extra condition on
// month/year-precision dates (which changes a handful of rows at most).
//
// Env: BENCH_DATABASE_URL, PORT (3102), HOST (127.0.0.1).
import { PrismaPg } from '@prisma/adapter-pg';
import Fastify from 'fastify';
import pg from 'pg';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { BENCH_DATABASE_URL } from './lib.js';

const PORT = Number(process.env.PORT ?? 3102);
const HOST = process.env.HOST ?? '127.0.0.1';

const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 10 });
pool.on('error', () => {});
const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });

const include = {
  speaker: true,
  involved: { include: { actor: true } },
  citations: {
    include: { source: true },
    orderBy: [{ role: 'asc' as const }, { createdAt: 'asc' as const }, { id: 'asc' as const }],
  },
};

function bounds(d: string): [Date, Date] {
  const [y, m, day] = d.split('-').map(Number);
  if (day) return [new Date(`${d}T00:00:00Z`), new Date(`${d}T00:00:00Z`)];
  if (m) return [new Date(Date.UTC(y, m - 1, 1)), new Date(Date.UTC(y, m, 0))];
  return [new Date(Date.UTC(y, 0, 1)), new Date(Date.UTC(y, 11, 31))];
}

const app = Fastify({ logger: false });

app.get('/statements', async (req, reply) => {
  const q = req.query as Record<string, string | undefined>;
  if (!q.actor) return reply.code(400).send({ error: 'actor is required here' });
  const limit = Math.min(100, Math.max(1, Number(q.limit ?? 20) || 20));
  const rows = await prisma.statement.findMany({
    where: {
      speaker: { slug: q.actor },
      saidOn: { ...(q.from ? { gte: bounds(q.from)[0] } : {}), ...(q.to ? { lte: bounds(q.to)[1] } : {}) },
    },
    include,
    orderBy: [{ saidOn: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  const last = data.at(-1);
  const nextCursor =
    more && last
      ? Buffer.from(JSON.stringify(['-saidOn', last.saidOn.toISOString().slice(0, 10), last.id])).toString('base64url')
      : null;
  return { data, nextCursor };
});

app.get('/statements/:id', async (req, reply) => {
  const row = await prisma.statement.findUnique({ where: { id: (req.params as { id: string }).id }, include });
  if (!row) return reply.code(404).send({ error: 'not found' });
  return row;
});

const close = async () => {
  await app.close();
  await prisma.$disconnect();
  await pool.end();
  process.exit(0);
};
process.on('SIGINT', close);
process.on('SIGTERM', close);

await app.listen({ port: PORT, host: HOST });
console.log(`prisma-server on http://${HOST}:${PORT}`);
