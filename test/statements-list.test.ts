import { describe, expect, it } from 'vitest';
import { statements as seedStatements } from '../src/seed/data.js';
import { EXAMPLE_IDS, seedId } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { fieldsOf } from './helpers/problems.js';
import { DIAZ, periodStart, RAISI, seededStatements } from './helpers/seed.js';

const ctx = useApp({ seed: true });

type Stmt = { id: string; saidOn: string };

/** Ids of the statements a query lists, sorted; one page of up to 100 holds them all. */
const listIds = async (query: string) =>
  ((await ctx.api.get(`/statements?limit=100&${query}`).expect(200)).body.data as Stmt[]).map((s) => s.id).sort();

describe('listing statements', () => {
  it('lists newest saidOn first, in a stable order that sort=saidOn exactly reverses', async () => {
    const desc = (await ctx.api.get('/statements?limit=100').expect(200)).body.data as Stmt[];
    expect(desc.length).toBe(seedStatements.length);
    for (let i = 1; i < desc.length; i++) expect(periodStart(desc[i - 1].saidOn) >= periodStart(desc[i].saidOn)).toBe(true);
    const diaz = (await ctx.api.get(`/statements?actor=${DIAZ}`).expect(200)).body.data as Stmt[];
    expect(diaz.map((s) => s.saidOn)).toEqual([
      '2024-03-30',
      '2024-03',
      '2024-03',
      '2024-03',
      '2023-12-04',
      '2023-12-04',
      '2023-12-04',
    ]);
    expect(diaz[0].id).toBe(EXAMPLE_IDS.statement);
    const asc = (await ctx.api.get('/statements?limit=100&sort=saidOn').expect(200)).body.data as Stmt[];
    expect(asc.map((s) => s.id)).toEqual(desc.map((s) => s.id).reverse());
    const again = (await ctx.api.get('/statements?limit=100').expect(200)).body.data as Stmt[];
    expect(again.map((s) => s.id)).toEqual(desc.map((s) => s.id));
  });

  it('filters by speaker slug or id, several as repeated parameters or a comma list', async () => {
    const diaz = seededStatements((s) => s.speaker === DIAZ);
    const both = seededStatements((s) => s.speaker === DIAZ || s.speaker === RAISI);
    expect(diaz.length).toBeGreaterThan(2);
    expect(await listIds(`actor=${DIAZ}`)).toEqual(diaz);
    expect(await listIds(`actor=${seedId(`actor:${DIAZ}`)}`)).toEqual(diaz);
    expect(await listIds(`actor=${DIAZ}&actor=${seedId(`actor:${RAISI}`)}`)).toEqual(both);
    expect(await listIds(`actor=${DIAZ},${RAISI}`)).toEqual(both);
    expect(await listIds('actor=anadolu-agency')).toEqual([]);
  });

  it('filters by date with partial-date semantics', async () => {
    const march = seededStatements((s) => s.speaker === DIAZ && s.saidOn.startsWith('2024-03'));
    const december = seededStatements((s) => s.speaker === DIAZ && s.saidOn === '2023-12-04');
    expect(march.length).toBe(4);
    expect(await listIds(`actor=${DIAZ}&from=2024-03&to=2024-03`)).toEqual(march);
    expect(await listIds(`actor=${DIAZ}&to=2024-03-31`)).toEqual([...march, ...december].sort());
    // Known only to March 2024, a statement may have been said on the 31st, or before the 15th.
    expect(await listIds(`actor=${DIAZ}&to=2024-03-30`)).toEqual([EXAMPLE_IDS.statement, ...december].sort());
    expect(await listIds(`actor=${DIAZ}&from=2024-03-15`)).toEqual([EXAMPLE_IDS.statement]);
    expect(await listIds(`actor=${DIAZ}&from=2024&to=2024`)).toEqual(march);
    expect(await listIds(`actor=${RAISI}&from=2023-12-04&to=2023-12-04`)).toEqual(seededStatements((s) => s.speaker === RAISI));
    expect(await listIds(`actor=${RAISI}&from=2023-12-05`)).toEqual([]);
  });

  it('treats a statement known only to a year as lying anywhere in that year', async () => {
    const body = {
      speaker: 'anadolu-agency',
      text: 'Said some time in 2022.',
      language: 'en',
      kind: 'paraphrase',
      saidOn: '2022',
      citations: [{ sourceId: EXAMPLE_IDS.source, excerpt: 'x', role: 'secondary' }],
    };
    const { id } = (await ctx.api.post('/statements').send(body).expect(201)).body;
    const q = 'actor=anadolu-agency';
    expect(await listIds(`${q}&from=2022&to=2022`)).toEqual([id]);
    expect(await listIds(`${q}&from=2022-01-01&to=2022-12-31`)).toEqual([id]);
    expect(await listIds(`${q}&to=2022-12-30`)).toEqual([]);
    expect(await listIds(`${q}&from=2022-02`)).toEqual([]);
    await ctx.api.delete(`/statements/${id}`).expect(204);
  });

  it('filters by kind, medium, language (also the original) and tag (case-insensitive, # optional)', async () => {
    const raisiQuotes = seededStatements((s) => s.speaker === RAISI && s.kind === 'direct_quote');
    expect(raisiQuotes.length).toBeGreaterThan(0);
    expect(await listIds(`actor=${RAISI}&kind=direct_quote`)).toEqual(raisiQuotes);
    expect(await listIds('medium=rally')).toEqual(seededStatements((s) => s.medium === 'rally'));
    expect(await listIds(`medium=social_media&actor=${DIAZ}`)).toEqual(seededStatements((s) => s.medium === 'social_media'));
    expect(await listIds('language=es')).toEqual([EXAMPLE_IDS.statement]);
    expect(await listIds('language=ES')).toEqual([EXAMPLE_IDS.statement]);
    const hasTag = (...t: string[]) => seededStatements((s) => (s.tags ?? []).some((x) => t.includes(x.toLowerCase())));
    expect(hasTag('genocide').length).toBeGreaterThan(1);
    expect(await listIds('tag=GENOCIDE')).toEqual(hasTag('genocide'));
    expect(await listIds('tag=%23genocide,Ceasefire')).toEqual(hasTag('genocide', 'ceasefire'));
    expect(await listIds('tag=genocide&tag=ceasefire')).toEqual(hasTag('genocide', 'ceasefire'));
  });

  it('pages with limit=2 through all statements of a speaker without repeats or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: Stmt[]; nextCursor: string | null } } = await ctx.api
        .get('/statements')
        .query({ actor: DIAZ, limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((s) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const all = (await ctx.api.get(`/statements?actor=${DIAZ}&limit=100`).expect(200)).body.data.map((s: Stmt) => s.id);
    expect(seen).toEqual(all);
    expect([...seen].sort()).toEqual(seededStatements((s) => s.speaker === DIAZ));
  });

  it('rejects a cursor of another sort and malformed dates with 400', async () => {
    const page = await ctx.api.get('/statements?limit=1').expect(200);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const res = await ctx.api.get('/statements').query({ sort: '-createdAt', cursor: page.body.nextCursor }).expect(400);
    expect(res.body).toMatchObject({ code: 'invalid-cursor', errors: [{ in: 'query', field: 'cursor' }] });
    const dates = await ctx.api.get('/statements?from=2024-13&to=2024-02-30').expect(400);
    expect(dates.body.code).toBe('validation-failed');
    expect(fieldsOf(dates.body)).toEqual(['from', 'to']);
    const other = await ctx.api.get('/statements?kind=rumour&medium=tv&sort=loudest').expect(400);
    expect(fieldsOf(other.body)).toEqual(['kind', 'medium', 'sort']);
  });
});
