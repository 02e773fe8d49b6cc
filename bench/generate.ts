// Fills the bench database (attest_bench by default) with a deterministic, realistic dataset:
// actors, sources, statements (with involved actors and citations) and figures (with citations).
//
//   npm run bench:generate                      # 200,000 statements (about 2 minutes here)
//   STATEMENTS=20000 npm run bench:generate     # smaller; actors, sources and figures scale with it
//
// Env: STATEMENTS (200000), ACTORS (STATEMENTS/100), SOURCES (STATEMENTS/10), FIGURES (STATEMENTS/4),
// SEED (1), BENCH_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/attest_bench; the name must start
// with attest_bench). The database is dropped and re-created, then migrated with Attest's own migrations
// (src/db/migrations.ts), loaded with multi-row INSERT ... SELECT FROM unnest($1::type[], ...) batches,
// and finally VACUUM ANALYZEd. Rows go in through SQL, not through the API.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { applyMigrations } from '../src/db/migrations.js';
import { Medium } from '../src/statements/schemas.js';
import { BENCH_DATABASE_URL, Rng, Sampler, benchDatabaseName, ms, pgTextArray, slugify, withDatabase } from './lib.js';
import * as V from './vocab.js';

const STATEMENTS = Number(process.env.STATEMENTS ?? 200_000);
const ACTORS = Number(process.env.ACTORS ?? Math.max(100, Math.round(STATEMENTS / 100)));
const SOURCES = Number(process.env.SOURCES ?? Math.max(100, Math.round(STATEMENTS / 10)));
const FIGURES = Number(process.env.FIGURES ?? Math.round(STATEMENTS / 4));
const SEED = Number(process.env.SEED ?? 1);
// Every medium but social_media, which goes with social_media_post statements.
const SPOKEN_MEDIA = Medium.options.filter((m) => m !== 'social_media');
const BATCH = 2_000;

const rng = new Rng(SEED);
const started = process.hrtime.bigint();
const log = (msg: string) => console.log(`[${(ms(started) / 1000).toFixed(1).padStart(6)} s] ${msg}`);

// ---------------------------------------------------------------- database
const dbName = benchDatabaseName();
{
  const admin = new pg.Client({ connectionString: withDatabase(BENCH_DATABASE_URL, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
}
{
  const t = process.hrtime.bigint();
  const applied = await applyMigrations(new PrismaPg({ connectionString: BENCH_DATABASE_URL }));
  log(`created ${dbName}, applied ${applied.length} migrations (${ms(t).toFixed(0)} ms)`);
}
const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
await client.connect();
await client.query('SET synchronous_commit = off');
// Rows go in beside the API's write door, so the revision trigger is told who writes; the revisions it
// records are numbered at the end without snapshots, like records that predate history.
await client.query(`SET attest.writer = 'bench-generator'`);

// ---------------------------------------------------------------- bulk insert through unnest
type Col = [name: string, arrayType: string, cast?: string];

class Loader {
  private rows: unknown[][] = [];
  count = 0;
  elapsed = 0;
  private readonly sql: string;
  constructor(
    readonly table: string,
    private readonly cols: Col[],
  ) {
    const names = cols.map(([n]) => `"${n}"`).join(', ');
    const params = cols.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
    const select = cols.map(([n, , cast]) => (cast ? `u."${n}"::${cast}` : `u."${n}"`)).join(', ');
    this.sql = `INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${params}) AS u(${names})`;
  }
  push(row: unknown[]) {
    this.rows.push(row);
  }
  async flush() {
    if (!this.rows.length) return;
    const columns = this.cols.map((_, i) => this.rows.map((r) => r[i]));
    const t = process.hrtime.bigint();
    await client.query(this.sql, columns);
    this.elapsed += ms(t);
    this.count += this.rows.length;
    this.rows = [];
  }
  async maybeFlush() {
    if (this.rows.length >= BATCH) await this.flush();
  }
  report() {
    log(`${this.table}: ${this.count.toLocaleString('en')} rows in ${(this.elapsed / 1000).toFixed(1)} s of INSERT`);
  }
}

// ---------------------------------------------------------------- helpers
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();
const day = (t: number) => iso(t).slice(0, 10);
const fill = (s: string) =>
  s
    .replaceAll('{place}', () => rng.pick(V.PLACES))
    .replaceAll('{n}', () =>
      String(
        rng.weighted([
          [rng.range(2, 99), 3],
          [rng.range(100, 999), 3],
          [rng.range(1000, 40000), 2],
        ]),
      ),
    )
    .replaceAll('{month}', () => rng.pick(['January', 'March', 'May', 'July', 'October', 'last week', 'the start of the war']));
const zipf = (n: number, s: number) => new Sampler(Array.from({ length: n }, (_, i) => (i + 1) ** -s));
const objectSampler = zipf(V.OBJECTS.length, 1.1);
const esSampler = zipf(V.ES_OBJECTS.length, 0.9);
const frSampler = zipf(V.FR_OBJECTS.length, 0.9);

function englishSentence() {
  const [subject, plural] = rng.pick(V.SUBJECTS);
  const verb = rng.pick(V.VERBS)[plural ? 0 : 1];
  return fill(`${subject} ${verb} ${V.OBJECTS[objectSampler.sample(rng)]}${rng.pick(V.TAILS)}.`);
}
function englishText(long: boolean) {
  const parts = [englishSentence()];
  const extra = long
    ? rng.range(15, 30)
    : rng.weighted([
        [0, 3],
        [1, 4],
        [2, 2],
        [3, 1],
      ]);
  for (let i = 0; i < extra; i++) parts.push(rng.chance(0.5) ? englishSentence() : fill(rng.pick(V.EXTRA_SENTENCES)));
  return parts.join(' ');
}
function spanishText() {
  const n = rng.range(1, 3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++)
    parts.push(
      fill(`${rng.pick(V.ES_SUBJECTS)} ${rng.pick(V.ES_VERBS)} ${V.ES_OBJECTS[esSampler.sample(rng)]}${rng.pick(V.ES_TAILS)}.`),
    );
  return (rng.chance(0.4) ? `#${rng.pick(['Cuba', 'Gaza', 'Venezuela', 'Palestina'])} ` : '') + parts.join(' ');
}
function frenchText() {
  const n = rng.range(1, 3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++)
    parts.push(
      fill(`${rng.pick(V.FR_SUBJECTS)} ${rng.pick(V.FR_VERBS)} ${V.FR_OBJECTS[frSampler.sample(rng)]}${rng.pick(V.FR_TAILS)}.`),
    );
  return parts.join(' ');
}
/** A date between 2019-01-01 and 2025-12-31, busier in 2023-2024, and how precisely it is known. */
const YEARS: [number, number][] = [
  [2019, 0.8],
  [2020, 0.9],
  [2021, 1],
  [2022, 1.3],
  [2023, 1.6],
  [2024, 1.8],
  [2025, 1.2],
];
function partialDate(): { date: string; precision: 'day' | 'month' | 'year' } {
  const y = rng.weighted(YEARS);
  const start = Date.UTC(y, 0, 1);
  const t = start + rng.int(Math.round((Date.UTC(y + 1, 0, 1) - start) / DAY)) * DAY;
  const d = new Date(t);
  const precision = rng.weighted([
    ['day', 85],
    ['month', 12],
    ['year', 3],
  ] as const);
  if (precision === 'month') return { date: day(Date.UTC(y, d.getUTCMonth(), 1)), precision };
  if (precision === 'year') return { date: `${y}-01-01`, precision };
  return { date: day(t), precision };
}

// ---------------------------------------------------------------- actors
interface ActorGen {
  id: string;
  name: string;
  kind: string;
}
const actors: ActorGen[] = [];
{
  const loader = new Loader('actors', [
    ['id', 'uuid'],
    ['slug', 'text'],
    ['name', 'text'],
    ['kind', 'text', 'actor_kind'],
    ['aliases', 'text', 'text[]'],
    ['role', 'text'],
    ['country', 'text'],
    ['handles', 'text', 'jsonb'],
    ['external_ids', 'text', 'jsonb'],
    ['description', 'text'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
  ]);
  const slugs = new Set<string>();
  const names = new Set<string>();
  // A handle (per platform) or an external id names one actor (the actor_keys table refuses a second):
  // slugs cut to a handle's 15 characters can meet, and so can random Wikidata numbers.
  const keys = new Set<string>();
  const uniqueKey = (registry: string, make: (attempt: number) => string) => {
    let value = make(0);
    for (let n = 1; keys.has(`${registry}:${value.toLowerCase()}`); n++) value = make(n);
    keys.add(`${registry}:${value.toLowerCase()}`);
    return value;
  };
  const uniqueHandle = (platform: string, slug: string) => {
    const plain = slug.replace(/-/g, '');
    return { platform, handle: uniqueKey(platform, (n) => (n ? `${plain.slice(0, 13)}${n}` : plain.slice(0, 15))) };
  };
  const outlets = [...V.OUTLETS];
  const international = [...V.INTERNATIONAL];
  // The first 60 are the prolific speakers: mostly people, some governments and international bodies.
  const kindOf = (i: number) =>
    i < 60
      ? i % 6 === 4
        ? 'government'
        : i % 6 === 5
          ? 'organization'
          : 'person'
      : rng.weighted([
          ['person', 55],
          ['organization', 15],
          ['government', 12],
          ['armed_group', 5],
          ['media_outlet', 10],
          ['other', 3],
        ] as const);
  const t0 = Date.UTC(2024, 0, 2);
  for (let i = 0; i < ACTORS; i++) {
    let kind: string = kindOf(i);
    let name = '';
    const country = rng.chance(0.85) ? rng.pick(V.COUNTRIES) : null;
    for (let attempt = 0; !name || names.has(name); attempt++) {
      if (kind === 'person') name = `${rng.pick(V.FIRST_NAMES)} ${rng.pick(V.LAST_NAMES)}`;
      else if (kind === 'media_outlet' && outlets.length) name = outlets.shift()![0];
      else if (kind === 'media_outlet')
        name = `${rng.pick(V.PLACES)} ${rng.pick(['Daily', 'Post', 'Radio', 'TV', 'Times', 'Observer'])}`;
      else if (kind === 'organization' && international.length && rng.chance(0.5)) name = international.shift()!;
      else if (kind === 'armed_group')
        name = `${rng.pick(['Brigades', 'Front', 'Movement', 'Forces', 'Army'])} of ${rng.pick(V.PLACES)}`;
      else name = rng.pick(V.ORG_PATTERNS).replace('{place}', rng.pick(V.PLACES));
      if (attempt > 20) name = `${name} ${attempt}`;
    }
    names.add(name);
    let slug = slugify(name);
    for (let n = 2; slugs.has(slug); n++) slug = `${slugify(name)}-${n}`;
    slugs.add(slug);
    if (kind === 'other' && rng.chance(0.5)) kind = 'organization';
    const person = kind === 'person';
    const last = name.split(' ').at(-1)!;
    const plain = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    const aliases = person
      ? rng.chance(0.6)
        ? [last, ...(plain === name ? [] : [plain])]
        : []
      : rng.chance(0.3)
        ? [
            name
              .split(' ')
              .map((w) => w[0])
              .join(''),
          ]
        : [];
    const handles = rng.chance(person ? 0.5 : 0.7) ? [uniqueHandle(rng.pick(['x', 'telegram', 'facebook']), slug)] : [];
    const created = t0 + i * 60_000;
    const id = rng.uuid7(created);
    actors.push({ id, name, kind });
    loader.push([
      id,
      slug,
      name,
      kind,
      pgTextArray(aliases),
      person ? `${rng.pick(V.ROLES)}${country ? ` (${country})` : ''}` : null,
      country,
      JSON.stringify(handles),
      JSON.stringify(rng.chance(0.4) ? { wikidata: uniqueKey('wikidata', () => `Q${rng.range(1000, 99_999_999)}`) } : {}),
      rng.chance(0.3) ? `${name}, ${person ? 'public figure' : kind.replace('_', ' ')} quoted in the record.` : null,
      iso(created),
      iso(created),
    ]);
    await loader.maybeFlush();
  }
  await loader.flush();
  loader.report();
}

// Speakers: the first 60 actors share 55% of statements (about 1,000 to 8,000 each at 200k), the rest
// follow a long tail; media outlets rarely speak.
const speakerWeights = actors.map((a, i) =>
  i < 60 ? (0.55 * (i + 1) ** -0.5) / 14.1 : ((0.45 * (i - 59) ** -1) / 8.2) * (a.kind === 'media_outlet' ? 0.1 : 1),
);
const speakers = new Sampler(speakerWeights);
const reporters = new Sampler(
  actors.map((a) => ({ government: 8, organization: 6, media_outlet: 3, armed_group: 1, person: 0.3, other: 0.5 })[a.kind] ?? 1),
);

// ---------------------------------------------------------------- sources
const sourceIds: string[] = [];
{
  const loader = new Loader('sources', [
    ['id', 'uuid'],
    ['kind', 'text', 'source_kind'],
    ['title', 'text'],
    ['url', 'text'],
    ['publisher', 'text'],
    ['authors', 'text', 'text[]'],
    ['published_on', 'date'],
    ['published_precision', 'text', 'date_precision'],
    ['language', 'text'],
    ['retrieved_at', 'timestamptz'],
    ['archive_url', 'text'],
    ['notes', 'text'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
  ]);
  const outletSampler = zipf(V.OUTLETS.length, 0.8);
  const t0 = Date.UTC(2024, 0, 10);
  for (let i = 0; i < SOURCES; i++) {
    const kind = rng.weighted([
      ['news_article', 55],
      ['social_media_post', 15],
      ['official_report', 10],
      ['press_release', 10],
      ['transcript', 7],
      ['other', 3],
    ] as const);
    const [publisher, domain] = V.OUTLETS[outletSampler.sample(rng)];
    const published = partialDate();
    const title = `${rng.pick(V.PLACES)}: ${englishSentence().replace(/\.$/, '')}`;
    const url = rng.chance(0.97)
      ? `https://www.${domain}/${published.date.slice(0, 4)}/${published.date.slice(5, 7)}/${slugify(title).slice(0, 60)}-${i}`
      : null;
    const language = rng.weighted([
      ['en', 75],
      ['es', 12],
      ['fr', 8],
      ['ar', 5],
    ] as const);
    const created = t0 + i * 1_500_000;
    const id = rng.uuid7(created);
    sourceIds.push(id);
    loader.push([
      id,
      kind,
      title,
      url,
      kind === 'social_media_post' ? null : publisher,
      pgTextArray(rng.chance(0.5) ? [`${rng.pick(V.FIRST_NAMES)} ${rng.pick(V.LAST_NAMES)}`] : []),
      published.date,
      rng.chance(0.95) ? published.precision : null,
      language,
      rng.chance(0.6) ? iso(created) : null,
      url && rng.chance(0.2) ? `https://web.archive.org/web/2024/${url}` : null,
      rng.chance(0.05) ? 'Headline not given in the article; title paraphrased.' : null,
      iso(created),
      iso(created),
    ]);
    await loader.maybeFlush();
  }
  await loader.flush();
  loader.report();
}
const sourceSampler = zipf(sourceIds.length, 0.6);

// ---------------------------------------------------------------- statements, involved actors, citations
const citationCols: Col[] = [
  ['id', 'uuid'],
  ['source_id', 'uuid'],
  ['statement_id', 'uuid'],
  ['figure_id', 'uuid'],
  ['excerpt', 'text'],
  ['locator', 'text'],
  ['role', 'text', 'citation_role'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
];
const statementIds: string[] = [];
{
  const statements = new Loader('statements', [
    ['id', 'uuid'],
    ['speaker_id', 'uuid'],
    ['text', 'text'],
    ['language', 'text'],
    ['original_text', 'text'],
    ['original_language', 'text'],
    ['kind', 'text', 'statement_kind'],
    ['said_on', 'date'],
    ['said_precision', 'text', 'date_precision'],
    ['medium', 'text', 'medium'],
    ['platform', 'text'],
    ['location', 'text'],
    ['occasion', 'text'],
    ['tags', 'text', 'text[]'],
    ['verification', 'text', 'verification'],
    ['notes', 'text'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
  ]);
  const involved = new Loader('statement_actors', [
    ['statement_id', 'uuid'],
    ['actor_id', 'uuid'],
    ['role', 'text', 'involvement_role'],
  ]);
  const citations = new Loader('citations', citationCols);
  const t0 = Date.UTC(2024, 1, 1);
  const step = Math.floor((365 * DAY) / STATEMENTS);
  for (let i = 0; i < STATEMENTS; i++) {
    const speakerIndex = speakers.sample(rng);
    const speaker = actors[speakerIndex];
    const kind = rng.weighted([
      ['direct_quote', 35],
      ['social_media_post', 30],
      ['paraphrase', 20],
      ['official_statement', 15],
    ] as const);
    const medium = kind === 'social_media_post' ? 'social_media' : rng.chance(0.15) ? null : rng.pick(SPOKEN_MEDIA);
    const lang = rng.weighted([
      ['en', 70],
      ['en<es', 18],
      ['en<fr', 8],
      ['es', 4],
    ] as const);
    const long = rng.chance(0.02);
    let text: string;
    let original: string | null = null;
    if (lang === 'es') text = spanishText();
    else {
      text = englishText(long);
      if (lang === 'en<es') original = spanishText();
      if (lang === 'en<fr') original = frenchText();
    }
    const language = lang === 'es' ? 'es' : 'en';
    const originalLanguage = original ? lang.slice(3) : null;
    const said = partialDate();
    const created = t0 + i * step;
    const id = rng.uuid7(created);
    statementIds.push(id);
    const tags = rng.chance(0.5) ? Array.from(new Set(Array.from({ length: rng.range(1, 3) }, () => rng.pick(V.TAGS)))) : [];
    const platform =
      medium === 'social_media'
        ? rng.weighted([
            ['X', 6],
            ['Telegram', 2],
            ['Facebook', 1],
            ['Instagram', 1],
          ] as const)
        : null;
    statements.push([
      id,
      speaker.id,
      text,
      language,
      original,
      originalLanguage,
      kind,
      said.date,
      said.precision,
      medium,
      platform,
      rng.chance(0.3) ? rng.pick(V.PLACES) : null,
      medium && medium !== 'social_media' && rng.chance(0.4) ? rng.pick(V.OCCASIONS) : null,
      pgTextArray(tags),
      rng.weighted([
        ['original', 30],
        ['secondary', 50],
        ['unverified', 20],
      ] as const),
      rng.chance(0.03) ? 'Date given only as "earlier this month" by the outlet.' : null,
      iso(created),
      iso(created),
    ]);
    if (rng.chance(0.25)) {
      const n = rng.chance(0.75) ? 1 : 2;
      const seen = new Set([speaker.id]);
      for (let k = 0; k < n; k++) {
        const other = actors[speakers.sample(rng)];
        if (seen.has(other.id)) continue;
        seen.add(other.id);
        involved.push([
          id,
          other.id,
          rng.weighted([
            ['counterpart', 4],
            ['addressee', 3],
            ['mentioned', 4],
            ['co_speaker', 1],
          ] as const),
        ]);
      }
    }
    const nCitations = rng.weighted([
      [1, 50],
      [2, 35],
      [3, 15],
    ] as const);
    const firstSentence = text.split('. ')[0].replace(/\.$/, '');
    for (let k = 0; k < nCitations; k++) {
      const cited = created + 1 + k;
      citations.push([
        rng.uuid7(cited),
        sourceIds[sourceSampler.sample(rng)],
        id,
        null,
        k === 0 && rng.chance(0.7)
          ? `“${firstSentence}.”`
          : `${speaker.name} ${rng.pick(['said', 'wrote', 'told reporters', 'declared'])}${platform ? ` on ${platform}` : ''} that “${firstSentence.slice(0, 120)}”.`,
        rng.chance(0.3)
          ? rng.pick([
              'paragraph ' + rng.range(1, 12),
              `at ${rng.range(0, 59)}:${String(rng.range(0, 59)).padStart(2, '0')}`,
              'page ' + rng.range(1, 40),
            ])
          : null,
        k === 0 && rng.chance(0.4) ? 'primary' : 'secondary',
        iso(cited),
        iso(cited),
      ]);
    }
    if (i % BATCH === BATCH - 1) {
      await statements.flush();
      await involved.flush();
      await citations.flush();
    }
    if (i % 50_000 === 49_999) log(`statements: ${(i + 1).toLocaleString('en')} generated`);
  }
  await statements.flush();
  await involved.flush();
  await citations.flush();
  statements.report();
  involved.report();
  citations.report();
}

// ---------------------------------------------------------------- figures and their citations
{
  const figures = new Loader('figures', [
    ['id', 'uuid'],
    ['metric', 'text'],
    ['value', 'float8'],
    ['qualifier', 'text', 'qualifier'],
    ['lower_bound', 'float8'],
    ['upper_bound', 'float8'],
    ['phrase', 'text'],
    ['population', 'text'],
    ['area', 'text'],
    ['cumulative', 'bool'],
    ['period_start', 'date'],
    ['period_end', 'date'],
    ['as_of', 'date'],
    ['as_of_precision', 'text', 'date_precision'],
    ['reporter_id', 'uuid'],
    ['statement_id', 'uuid'],
    ['caveats', 'text'],
    ['notes', 'text'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
  ]);
  const citations = new Loader('citations', citationCols);
  const t0 = Date.UTC(2024, 2, 1);
  const step = Math.floor((300 * DAY) / Math.max(1, FIGURES));
  for (let i = 0; i < FIGURES; i++) {
    const metric = rng.weighted(V.METRICS);
    const value = Math.round(Math.exp(rng.next() * Math.log(2_000_000)));
    const qualifier = rng.weighted([
      ['exact', 40],
      ['at_least', 25],
      ['more_than', 12],
      ['about', 12],
      ['nearly', 5],
      ['up_to', 4],
      ['less_than', 2],
    ] as const);
    const lower = ['at_least', 'more_than'].includes(qualifier) ? value : qualifier === 'exact' ? value : null;
    const upper = ['up_to', 'less_than', 'nearly'].includes(qualifier) ? value : qualifier === 'exact' ? value : null;
    const asOf = partialDate();
    const cumulative = rng.chance(0.7);
    const periodStart = cumulative && rng.chance(0.6) ? day(Date.parse(asOf.date) - rng.range(30, 900) * DAY) : null;
    const created = t0 + i * step;
    const id = rng.uuid7(created);
    figures.push([
      id,
      metric,
      value,
      qualifier,
      lower,
      upper,
      rng.chance(0.5) ? `${qualifier.replace('_', ' ')} ${value.toLocaleString('en')} people ${metric.replace('_', ' ')}` : null,
      rng.pick(V.POPULATIONS),
      rng.pick(V.AREAS),
      cumulative,
      periodStart,
      cumulative ? null : asOf.date,
      asOf.date,
      asOf.precision,
      rng.chance(0.85) ? actors[reporters.sample(rng)].id : null,
      rng.chance(0.08) ? statementIds[rng.int(statementIds.length)] : null,
      rng.chance(0.15) ? rng.pick(V.CAVEATS) : null,
      null,
      iso(created),
      iso(created),
    ]);
    const n = rng.weighted([
      [1, 60],
      [2, 40],
    ] as const);
    for (let k = 0; k < n; k++) {
      const cited = created + 1 + k;
      citations.push([
        rng.uuid7(cited),
        sourceIds[sourceSampler.sample(rng)],
        null,
        id,
        `${rng.pick(['According to', 'Figures released by', 'Data from'])} the authorities, ${value.toLocaleString('en')} people were ${metric.replace('_', ' ')}.`,
        rng.chance(0.3) ? 'paragraph ' + rng.range(1, 12) : null,
        k === 0 && rng.chance(0.5) ? 'primary' : 'secondary',
        iso(cited),
        iso(cited),
      ]);
    }
    if (i % BATCH === BATCH - 1) {
      await figures.flush();
      await citations.flush();
    }
  }
  await figures.flush();
  await citations.flush();
  figures.report();
  citations.report();
}

{
  const t = process.hrtime.bigint();
  // A statement's citations go in by later transactions, each touching it again: number each record's
  // revisions in order, not all of them 1 (which the unique (resource, record, revision) refused).
  await client.query(`UPDATE revisions r SET revision = n.rn, at = clock_timestamp()
    FROM (SELECT seq, row_number() OVER (PARTITION BY resource, record_id ORDER BY seq)::int AS rn
          FROM revisions WHERE revision IS NULL) n
    WHERE r.seq = n.seq`);
  await client.query('VACUUM (ANALYZE)');
  log(`VACUUM ANALYZE (${(ms(t) / 1000).toFixed(1)} s)`);
  for (const table of ['actors', 'sources', 'statements', 'statement_actors', 'citations', 'figures']) {
    const { rows } = await client.query<{ n: number; size: string }>(
      `SELECT count(*)::int AS n, pg_size_pretty(pg_total_relation_size('${table}')) AS size FROM ${table}`,
    );
    log(`  ${table.padEnd(18)} ${rows[0].n.toLocaleString('en').padStart(9)} rows  ${rows[0].size}`);
  }
  const top = await client.query<{ slug: string; n: number }>(
    `SELECT a.slug, count(*)::int AS n FROM statements s JOIN actors a ON a.id = s.speaker_id GROUP BY a.slug ORDER BY n DESC LIMIT 60`,
  );
  const counts = top.rows.map((r) => r.n);
  log(`top speakers: ${counts[0]} … ${counts[49] ?? '-'} statements (1st … 50th); ${top.rows[0]?.slug} leads`);
}
await client.end();
log(
  `done: ${STATEMENTS.toLocaleString('en')} statements, ${ACTORS} actors, ${SOURCES} sources, ${FIGURES} figures (seed ${SEED})`,
);
