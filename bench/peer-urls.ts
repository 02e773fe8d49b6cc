// Translates the URL lists of endpoints (a) and (c) (bench/targets.ts: a.txt, c.txt) into the URL forms of
// the two off-the-shelf peers, so that wrk asks each the same questions in its own idiom:
//
//   a-postgrest.txt       PostgREST 12, speaker by id (slugs resolved to ids here, through the database)
//   a-postgrest-slug.txt  PostgREST 12, speaker by slug through an inner-join embedding (!inner)
//   c-postgrest.txt       PostgREST 12, one statement: /statements?select=…&id=eq.<id> (an array of one)
//   a-platformatic.txt    Platformatic DB 3 REST, speaker by id, statement rows only (no embedding in REST)
//   c-platformatic.txt    Platformatic DB 3 REST, /statements/<id>?fields=…
//
// Date range: Attest's `from`/`to` are partial dates and a record dated to a month or a year matches only if
// its whole period lies in the range. Periods are stored by their first day, so with `to` a month (every URL of
// a.txt) that is: said_on >= first day of `from`, said_on <= last day of `to`, and, for year-dated records,
// said_on <= the latest 1 January whose year ends by `to`. Both peers can say this with one OR filter
// (PostgREST `or=(said_precision.neq.year,said_on.lte.<Y>)`, Platformatic `where.or=(saidPrecision.neq=year|
// saidOn.lte=<Y>)`), so the pages are the same rows as Attest's. (A `to` given to the day would also need a
// condition for month-dated records; PostgREST gets it, Platformatic's where.or cannot nest an `and`, so there
// it would be approximate. a.txt has none.)
//
// Pages: Attest reads limit + 1 rows (21) to know whether there is a next page and answers 20; the peers are
// asked for 21 rows and answer them all.
//
// Usage: tsx bench/peer-urls.ts [urlsDir=bench/.out/urls]
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { formatDay, latestStart, parsePartialDate, periodEnd } from '../src/core/partial-date.js';
import { BENCH_DATABASE_URL } from './lib.js';

const dir = process.argv[2] ?? 'bench/.out/urls';
const lines = async (name: string) => (await readFile(join(dir, name), 'utf8')).split('\n').filter((l) => l.trim().length > 0);

// The columns of a statement that Attest answers with (not the three tsvector columns).
const COLUMNS = [
  'id',
  'text',
  'language',
  'original_text',
  'original_language',
  'kind',
  'said_on',
  'said_precision',
  'medium',
  'platform',
  'location',
  'occasion',
  'tags',
  'verification',
  'notes',
  'created_at',
  'updated_at',
];
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

// PostgREST: the statement, its speaker (the FK speaker_id: `actors` alone would be ambiguous with the
// many-to-many through statement_actors), the involved actors and the citations with their sources, ordered
// as Attest orders them (involved by actor name then id, citations by role, created_at, id).
const ACTOR = 'id,slug,name,kind';
const SOURCE = 'id,kind,title,publisher,url,published_on,published_precision';
const embed = (speaker: string) =>
  `select=${COLUMNS.join(',')},speaker:${speaker}(${ACTOR}),involved:statement_actors(role,actor:actors(${ACTOR})),` +
  `citations(id,role,excerpt,locator,source:sources(${SOURCE}))` +
  `&involved.order=actor(name),actor_id&citations.order=role,created_at,id`;
const PGRST_BY_ID = embed('actors!speaker_id');
const PGRST_BY_SLUG = embed('actors!speaker_id!inner');

// Platformatic: the same columns (its REST API names them in camelCase), plus speakerId since the speaker
// is not embedded.
const PLT_FIELDS = `fields=${['id', 'speaker_id', ...COLUMNS.slice(1)].map(camel).join(',')}`;

interface ListQuery {
  actor: string;
  from?: string;
  to?: string;
  limit: number;
}
const parseList = (path: string): ListQuery => {
  const q = new URL(path, 'http://x').searchParams;
  return {
    actor: q.get('actor')!,
    from: q.get('from') ?? undefined,
    to: q.get('to') ?? undefined,
    limit: Number(q.get('limit') ?? 20),
  };
};

/** The bounds of Attest's "period lies within [from, to]" (see above). */
function bounds(from?: string, to?: string) {
  const start = from ? formatDay(parsePartialDate(from)!.date) : undefined;
  const end = to ? formatDay(periodEnd(parsePartialDate(to)!)) : undefined;
  const lastYear = to ? formatDay(latestStart(to, 'year')) : undefined;
  const lastMonth = to ? formatDay(latestStart(to, 'month')) : undefined;
  const dayPrecisionTo = to ? parsePartialDate(to)!.precision === 'day' : false;
  return { start, end, lastYear, lastMonth, dayPrecisionTo };
}

function postgrestList(q: ListQuery, speaker: { id?: string; slug?: string }): string {
  const b = bounds(q.from, q.to);
  const filters = [speaker.id ? `speaker_id=eq.${speaker.id}` : `speaker.slug=eq.${speaker.slug}`];
  if (b.start) filters.push(`said_on=gte.${b.start}`);
  if (b.end) {
    filters.push(`said_on=lte.${b.end}`);
    filters.push(
      b.dayPrecisionTo
        ? `or=(said_precision.eq.day,and(said_precision.eq.month,said_on.lte.${b.lastMonth}),said_on.lte.${b.lastYear})`
        : `or=(said_precision.neq.year,said_on.lte.${b.lastYear})`,
    );
  }
  const base = speaker.id ? PGRST_BY_ID : PGRST_BY_SLUG;
  return `/statements?${base}&${filters.join('&')}&order=said_on.desc,id.desc&limit=${q.limit + 1}`;
}

function platformaticList(q: ListQuery, speakerId: string): string {
  const b = bounds(q.from, q.to);
  const where = [`where.speakerId.eq=${speakerId}`];
  if (b.start) where.push(`where.saidOn.gte=${b.start}`);
  if (b.end) {
    where.push(`where.saidOn.lte=${b.end}`);
    where.push(`where.or=${encodeURIComponent(`(saidPrecision.neq=year|saidOn.lte=${b.lastYear})`)}`);
  }
  return `/statements?${PLT_FIELDS}&${where.join('&')}&orderby.saidOn=desc&orderby.id=desc&limit=${q.limit + 1}`;
}

const a = (await lines('a.txt')).map(parseList);
const c = (await lines('c.txt')).map((p) => p.split('/').at(-1)!);

const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
await client.connect();
const slugs = [...new Set(a.map((q) => q.actor))];
const { rows } = await client.query<{ slug: string; id: string }>('SELECT slug, id FROM actors WHERE slug = ANY($1)', [slugs]);
await client.end();
const idOf = new Map(rows.map((r) => [r.slug, r.id]));
const missing = slugs.filter((s) => !idOf.has(s));
if (missing.length) throw new Error(`actors not in the database: ${missing.join(', ')}`);

const out: Record<string, string[]> = {
  'a-postgrest': a.map((q) => postgrestList(q, { id: idOf.get(q.actor)! })),
  'a-postgrest-slug': a.map((q) => postgrestList(q, { slug: q.actor })),
  'c-postgrest': c.map((id) => `/statements?${PGRST_BY_ID}&id=eq.${id}`),
  'a-platformatic': a.map((q) => platformaticList(q, idOf.get(q.actor)!)),
  'c-platformatic': c.map((id) => `/statements/${id}?${PLT_FIELDS}`),
};
for (const [name, urls] of Object.entries(out)) await writeFile(join(dir, `${name}.txt`), `${urls.join('\n')}\n`);
console.log(`wrote ${dir}/{${Object.keys(out).join(',')}}.txt: ${a.length} (a) and ${c.length} (c) URLs each`);
