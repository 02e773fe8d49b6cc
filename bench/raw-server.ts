// The "raw Fastify + pg" peer: one pg Pool (max 10), hand-written SQL, no validation, no response
// schema (Fastify's default JSON.stringify), no hooks or plugins.
//
//   GET /statements?actor=<slug>&from=YYYY[-MM[-DD]]&to=...&limit=20   (endpoint (a))
//   GET /statements/:id                                               (endpoint (c))
//
// The SQL is Attest's own, built by the same pure functions Attest uses (src/statements/sql.ts
// `selectStatements`, src/db/sql.ts `actorRefs` and `periodWithin`: string building, no Fastify, no zod
// at request time), so the comparison stays like for like while src/ changes: same rows, same JSON built
// by PostgreSQL, same response shape ({ data, nextCursor }). Everything around the query is raw: no
// validation, no hooks, Fastify's default JSON.stringify. Two switches show what SQL changes gain:
//   RAW_SQL=in-subquery  the actor filter Attest had until 2026-11-22 ~16:30 UTC, `speaker_id IN (SELECT id
//                        FROM actors WHERE id::text = ANY($1) OR slug = ANY($1))`: PostgreSQL then reads and
//                        sorts every row of the actor in the period instead of stopping after a page.
//   RAW_PREPARED=1       named prepared statements: PostgreSQL parses and plans each query text once per
//                        connection instead of on every request.
//
// Env: BENCH_DATABASE_URL, PORT (3101), HOST (127.0.0.1), RAW_SQL (attest | in-subquery), RAW_PREPARED (0 | 1).
import Fastify from 'fastify';
import pg from 'pg';
import { Params, actorRefs, periodWithin } from '../src/db/sql.js';
import { type StatementRow, toStatement } from '../src/statements/queries.js';
import { selectStatements } from '../src/statements/sql.js';
import { BENCH_DATABASE_URL } from './lib.js';

const PORT = Number(process.env.PORT ?? 3101);
const HOST = process.env.HOST ?? '127.0.0.1';
const IN_SUBQUERY = process.env.RAW_SQL === 'in-subquery';
const PREPARED = process.env.RAW_PREPARED === '1';

const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 10 });
pool.on('error', () => {});

const SELECT = selectStatements({ fullActor: false, fullSources: false });
const ONE = `${SELECT} WHERE s.id = $1`;

/** The WHERE ... ORDER BY ... LIMIT of GET /statements?actor=&from=&to=&limit= as Attest writes it. */
function listSql(actor: string, from: string | undefined, to: string | undefined, limit: number) {
  const p = new Params();
  const where = [
    IN_SUBQUERY
      ? `s.speaker_id IN (SELECT id FROM actors WHERE id::text = ANY(${p.add([actor])}) OR slug = ANY($1))`
      : actorRefs(p, 's.speaker_id', [actor]),
    ...periodWithin(p, 's.said_on', 's.said_precision', from, to),
  ];
  return {
    text: `${SELECT} WHERE ${where.join(' AND ')} ORDER BY s.said_on DESC, s.id DESC LIMIT ${p.add(limit + 1)}`,
    values: p.values,
  };
}

const query = <T extends object>(name: string, text: string, values: unknown[]) =>
  pool.query<T>(PREPARED ? { name, text, values } : { text, values });

const app = Fastify({ logger: false });

app.get('/statements', async (req, reply) => {
  const q = req.query as Record<string, string | undefined>;
  if (!q.actor) return reply.code(400).send({ error: 'actor is required here' });
  const limit = Math.min(100, Math.max(1, Number(q.limit ?? 20) || 20));
  const { text, values } = listSql(q.actor, q.from, q.to, limit);
  const { rows } = await query<StatementRow>('list', text, values);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  const nextCursor = more && last ? Buffer.from(JSON.stringify(['-saidOn', last.said_on, last.id])).toString('base64url') : null;
  return { data: page.map(toStatement), nextCursor };
});

app.get('/statements/:id', async (req, reply) => {
  const { rows } = await query<StatementRow>('one', ONE, [(req.params as { id: string }).id]);
  if (!rows[0]) return reply.code(404).send({ error: 'not found' });
  return toStatement(rows[0]);
});

const close = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGINT', close);
process.on('SIGTERM', close);

await app.listen({ port: PORT, host: HOST });
console.log(
  `raw-server (${IN_SUBQUERY ? 'in-subquery' : 'attest'} SQL${PREPARED ? ', prepared' : ''}) on http://${HOST}:${PORT}`,
);
