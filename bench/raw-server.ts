// The "raw Fastify + pg" peer: one pg Pool (max 10), hand-written SQL, no validation, no response
// schema (Fastify's default JSON.stringify), no hooks or plugins.
//
//   GET /statements?actor=<slug>&from=YYYY[-MM[-DD]]&to=...&limit=20   (endpoint (a))
//   GET /statements/:id                                               (endpoint (c))
//
// The SQL text is Attest's own (src/statements/sql.ts `selectStatements` and the filters of
// src/statements/queries.ts, as they render for these parameters), copied here so the comparison is
// like for like: same rows, same JSON built by PostgreSQL, same response shape ({ data, nextCursor }).
// Two switches show what the changes proposed for src/ in bench/README.md gain on their own:
// RAW_SQL=tuned swaps the actor filter for a scalar subquery on the slug (the index then yields rows in
// order, so LIMIT stops after 21), and RAW_PREPARED=1 sends named prepared statements, so PostgreSQL
// parses and plans each query text once per connection instead of on every request.
//
// Env: BENCH_DATABASE_URL, PORT (3101), HOST (127.0.0.1), RAW_SQL (attest | tuned), RAW_PREPARED (0 | 1).
import Fastify from 'fastify';
import pg from 'pg';
import { BENCH_DATABASE_URL } from './lib.js';

const PORT = Number(process.env.PORT ?? 3101);
const HOST = process.env.HOST ?? '127.0.0.1';
const TUNED = process.env.RAW_SQL === 'tuned';
const PREPARED = process.env.RAW_PREPARED === '1';

const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 10 });
pool.on('error', () => {});

// ---- copied from src/statements/sql.ts selectStatements({ fullActor: false, fullSources: false }) ----
const SELECT = `
SELECT s.id, s.text, s.language, s.original_text, s.original_language, s.kind,
       to_char(s.said_on, 'YYYY-MM-DD') AS said_on, s.said_precision, s.medium, s.platform, s.location, s.occasion,
       s.tags, s.verification, s.notes,
       to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at,
       json_build_object('id', a.id, 'slug', a.slug, 'name', a.name, 'kind', a.kind) AS speaker,
       COALESCE((SELECT json_agg(json_build_object('actor', json_build_object('id', ia.id, 'slug', ia.slug, 'name', ia.name, 'kind', ia.kind), 'role', sa.role) ORDER BY ia.name, ia.id)
                 FROM statement_actors sa JOIN actors ia ON ia.id = sa.actor_id
                 WHERE sa.statement_id = s.id), '[]'::json) AS involved,
       COALESCE((
    SELECT json_agg(json_build_object(
      'id', c.id, 'role', c.role, 'excerpt', c.excerpt, 'locator', c.locator,
      'source', json_build_object('id', src.id, 'kind', src.kind, 'title', src.title, 'publisher', src.publisher,
                                  'url', src.url, 'publishedOn', to_char(src.published_on, CASE src.published_precision WHEN 'year' THEN 'YYYY' WHEN 'month' THEN 'YYYY-MM' ELSE 'YYYY-MM-DD' END))
    ) ORDER BY c.role, c.created_at, c.id)
    FROM citations c JOIN sources src ON src.id = c.source_id
    WHERE c.statement_id = s.id), '[]'::json) AS citations
FROM statements s JOIN actors a ON a.id = s.speaker_id`;

// ---- copied from src/statements/queries.ts filters() + src/db/sql.ts periodWithin() and keyset() ----
const ACTOR_ATTEST = `s.speaker_id IN (SELECT id FROM actors WHERE id::text = ANY($1) OR slug = ANY($1))`;
const ACTOR_TUNED = `s.speaker_id = (SELECT id FROM actors WHERE slug = $1)`;
const LIST = `${SELECT} WHERE ${TUNED ? ACTOR_TUNED : ACTOR_ATTEST} AND s.said_on >= $2::date AND s.said_on <= $3::date AND (CASE s.said_precision WHEN 'day' THEN s.said_on
  WHEN 'month' THEN (date_trunc('month', s.said_on) + interval '1 month - 1 day')::date
  ELSE (date_trunc('year', s.said_on) + interval '1 year - 1 day')::date END) <= $3::date ORDER BY s.said_on DESC, s.id DESC LIMIT $4`;
const ONE = `${SELECT} WHERE s.id = $1`;

const query = <T extends object>(name: string, text: string, values: unknown[]) =>
  pool.query<T>(PREPARED ? { name, text, values } : { text, values });

interface Row {
  id: string;
  text: string;
  language: string;
  original_text: string | null;
  original_language: string | null;
  kind: string;
  said_on: string;
  said_precision: 'day' | 'month' | 'year';
  medium: string | null;
  platform: string | null;
  location: string | null;
  occasion: string | null;
  tags: string[];
  verification: string;
  notes: string | null;
  created_at: string;
  updated_at: string;
  speaker: unknown;
  involved: unknown;
  citations: unknown;
}

// Same output as Attest's toStatement, written directly.
const toStatement = (r: Row) => ({
  id: r.id,
  speaker: r.speaker,
  text: r.text,
  language: r.language,
  originalText: r.original_text,
  originalLanguage: r.original_language,
  kind: r.kind,
  saidOn: r.said_precision === 'year' ? r.said_on.slice(0, 4) : r.said_precision === 'month' ? r.said_on.slice(0, 7) : r.said_on,
  saidPrecision: r.said_precision,
  medium: r.medium,
  platform: r.platform,
  location: r.location,
  occasion: r.occasion,
  tags: r.tags,
  verification: r.verification,
  notes: r.notes,
  involved: r.involved,
  citations: r.citations,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** First and last day of a partial date (YYYY, YYYY-MM, YYYY-MM-DD). */
function bounds(d: string): [string, string] {
  const [y, m, day] = d.split('-').map(Number);
  if (day) return [d, d];
  if (m) return [`${d}-01`, new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)];
  return [`${y}-01-01`, `${y}-12-31`];
}

const app = Fastify({ logger: false });

app.get('/statements', async (req, reply) => {
  const q = req.query as Record<string, string | undefined>;
  if (!q.actor) return reply.code(400).send({ error: 'actor is required here' });
  const limit = Math.min(100, Math.max(1, Number(q.limit ?? 20) || 20));
  const from = q.from ? bounds(q.from)[0] : '0001-01-01';
  const to = q.to ? bounds(q.to)[1] : '9999-12-31';
  const { rows } = await query<Row>('list', LIST, [TUNED ? q.actor : [q.actor], from, to, limit + 1]);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  const nextCursor = more && last ? Buffer.from(JSON.stringify(['-saidOn', last.said_on, last.id])).toString('base64url') : null;
  return { data: page.map(toStatement), nextCursor };
});

app.get('/statements/:id', async (req, reply) => {
  const { rows } = await query<Row>('one', ONE, [(req.params as { id: string }).id]);
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
console.log(`raw-server (${TUNED ? 'tuned' : 'attest'} SQL${PREPARED ? ', prepared' : ''}) on http://${HOST}:${PORT}`);
