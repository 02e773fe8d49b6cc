import { describe, expect, it } from 'vitest';
import { EXAMPLE_IDS } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { DIAZ } from './helpers/seed.js';

/*
 * The SQL the API sends for its hot queries must be answerable from the indexes the
 * migrations create. The seed data is far too small for the planner to prefer an index
 * on its own (bench/README.md shows the plans on 200,000 statements), so each captured
 * query is planned with sequential scans off, and for the searches with plain index
 * scans off too: what is left is a bitmap scan, which needs a condition the index can
 * answer. A condition rewritten so that its index no longer serves it fails here.
 */

const sent: { sql: string; params: unknown[] }[] = [];
const ctx = useApp({
  seed: true,
  wrap: (db) => ({
    ...db,
    query: (sql, params = [], options) => {
      sent.push({ sql, params });
      return db.query(sql, params, options);
    },
  }),
});

/** The indexes PostgreSQL would use for the first query the request sends. */
async function indexesFor(url: string, settings: string[]): Promise<string[]> {
  sent.length = 0;
  await ctx.api.get(url).expect(200);
  const [{ sql, params }] = sent;
  const [row] = await ctx.db.prisma.$transaction(async (tx) => {
    for (const s of settings) await tx.$executeRawUnsafe(`SET LOCAL ${s} = off`);
    return tx.$queryRawUnsafe<{ 'QUERY PLAN': unknown }[]>(`EXPLAIN (FORMAT JSON) ${sql}`, ...params);
  });
  const plan = typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'];
  return [...JSON.stringify(plan).matchAll(/"Index Name":"(\w+)"/g)].map((m) => m[1]);
}

const NO_SCANS = ['enable_seqscan', 'enable_indexscan', 'enable_indexonlyscan'];

describe('the hot queries can be served by their indexes', () => {
  it.each([
    ['a word', 'genocide'],
    ['a Spanish word found only in an original', 'genocidio'],
    ['a phrase', '"deafening silence"'],
    ['words with an exclusion', 'genocide -zionist'],
    ['an OR', 'deafening OR coalition'],
  ])('full-text search for %s: statements_search_all_idx', async (_, q) => {
    const url = `/statements?q=${encodeURIComponent(q)}`;
    expect(await indexesFor(url, NO_SCANS)).toContain('statements_search_all_idx');
    expect(await indexesFor(`${url}&sort=relevance`, NO_SCANS)).toContain('statements_search_all_idx');
  });

  it('a leader’s statements: statements_speaker_id_said_on_id_idx', async () => {
    // Without a date range the actor is the only condition an index could answer.
    expect(await indexesFor(`/statements?actor=${DIAZ}`, NO_SCANS)).toContain('statements_speaker_id_said_on_id_idx');
    expect(await indexesFor(`/actors/${DIAZ}/statements`, NO_SCANS)).toContain('statements_speaker_id_said_on_id_idx');
  });

  it('statements in a period, newest first: statements_said_on_id_idx', async () => {
    expect(await indexesFor('/statements?from=2023-12&to=2023-12', ['enable_seqscan'])).toContain('statements_said_on_id_idx');
  });

  it.each([
    ['/statements?sort=-createdAt', 'statements_created_at_id_idx'],
    ['/figures?sort=createdAt', 'figures_created_at_id_idx'],
    ['/figures/latest', 'figures_latest_idx'],
    ['/figures/discrepancies?window=30', 'figures_discrepancy_idx'],
  ])('%s: %s', async (url, index) => {
    expect(await indexesFor(url, ['enable_seqscan'])).toContain(index);
  });

  it.each([
    ['/statements?tag=GenocidioEnGaza', ['statements_tags_lower_idx']],
    ['/statements?language=ES', ['statements_language_lower_idx', 'statements_original_language_lower_idx']],
    // A BCP 47 prefix (pt finds pt-BR) is a range on the same indexes.
    ['/statements?language=pt', ['statements_language_lower_idx', 'statements_original_language_lower_idx']],
    // A name search, exact words or a spelling variant: the trigram index.
    ['/actors?q=ibrahim%20raisi', ['actors_search_key_trgm_idx']],
    ['/figures?area=gaza%20strip', ['figures_area_lower_idx']],
    ['/figures?population=palestinians', ['figures_population_lower_idx']],
  ])('case-insensitive filter %s: %s', async (url, expected) => {
    // The date-ordered walk is ruled out too, so only the filter's own index is left.
    const used = await indexesFor(url, NO_SCANS);
    for (const index of expected) expect(used).toContain(index);
  });

  it('figures of one metric: figures_metric_as_of_id_idx', async () => {
    expect(await indexesFor('/figures?metric=killed', ['enable_seqscan'])).toContain('figures_metric_as_of_id_idx');
  });

  it.each([
    [`/statements/${EXAMPLE_IDS.statement}`],
    ['/statements?limit=5'],
    [`/figures/${EXAMPLE_IDS.figure}`],
    ['/figures?limit=5'],
  ])('the revision an answer shows (%s): revisions_resource_record_id_revision_key', async (url) => {
    expect(await indexesFor(url, ['enable_seqscan'])).toContain('revisions_resource_record_id_revision_key');
  });
});
