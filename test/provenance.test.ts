import { describe, expect, it } from 'vitest';
import { EXAMPLE_IDS, seedId } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { fieldsOf } from './helpers/problems.js';
import { MOH, fid } from './helpers/seed.js';

const ctx = useApp({ seed: true });

type Link = { source: { id: string; title: string }; citation: { id: string } | null };
const titles = (chains: Link[][]) => chains.map((c) => c.map((l) => l.source.title));

async function source(title: string, publishedOn: string, kind = 'news_article') {
  return (await ctx.api.post('/sources').send({ kind, title, publishedOn }).expect(201)).body.id as string;
}

describe('provenance', () => {
  it('follows the seed’s "(PC, Anadolu)" credit: the Ministry’s count reached The Palestine Chronicle through Anadolu', async () => {
    const res = await ctx.api.get(`/figures/${fid('moh-killed-2024-03')}/provenance`).expect(200);
    expect(res.body.issuer).toMatchObject({ slug: MOH });
    expect(res.body.origins.map((s: { id: string }) => s.id)).toEqual([seedId('source:anadolu-report')]);
    expect(res.body.chains).toHaveLength(1);
    const [chain] = res.body.chains as Link[][];
    expect(chain.map((l) => l.source.id)).toEqual([seedId('source:anadolu-report'), EXAMPLE_IDS.source]);
    // The agency is known only through the credit: it cites nothing itself.
    expect(chain[0].citation).toBeNull();
    expect(chain[1].citation).toMatchObject({ role: 'secondary' });
    expect(res.body.firstReported.id).toBe(EXAMPLE_IDS.source);
  });

  it('runs from a ministry bulletin through a UN update and a wire service to each outlet, saying who reported it first', async () => {
    const bulletin = await source('Ministry bulletin 412', '2024-03-01', 'official_report');
    const flash = await source('UN flash update 140', '2024-03-02', 'official_report');
    const wire = await source('Wire story', '2024-03-03');
    const outletA = await source('Outlet A article', '2024-03-05');
    const outletB = await source('Outlet B article', '2024-03-04');
    const cite = (sourceId: string, relays?: string) => ({
      sourceId,
      relays,
      excerpt: 'killed',
      role: relays ? 'secondary' : 'primary',
    });
    const figure = (
      await ctx.api
        .post('/figures')
        .send({
          metric: 'test_provenance',
          value: 10,
          asOf: '2024-03-01',
          reporter: MOH,
          citations: [cite(outletA, wire), cite(wire, flash), cite(bulletin), cite(flash, bulletin), cite(outletB, wire)],
        })
        .expect(201)
    ).body;
    const res = await ctx.api.get(`/figures/${figure.id}/provenance`).expect(200);
    expect(res.body.origins.map((s: { title: string }) => s.title)).toEqual(['Ministry bulletin 412']);
    expect(titles(res.body.chains).sort()).toEqual([
      ['Ministry bulletin 412', 'UN flash update 140', 'Wire story', 'Outlet A article'],
      ['Ministry bulletin 412', 'UN flash update 140', 'Wire story', 'Outlet B article'],
    ]);
    expect(res.body.firstReported.title).toBe('Ministry bulletin 412');

    // Chains never close into a circle, whichever way a citation is added or changed.
    const circle = await ctx.api.post(`/figures/${figure.id}/citations`).send(cite(bulletin, outletA)).expect(400);
    expect(fieldsOf(circle.body)).toEqual(['relays']);
    const bulletinCitation = figure.citations.find((c: { source: { id: string } }) => c.source.id === bulletin);
    const patched = await ctx.api.patch(`/citations/${bulletinCitation.id}`).send({ relays: outletB }).expect(400);
    expect(fieldsOf(patched.body)).toEqual(['relays']);
    expect((await ctx.api.get(`/figures/${figure.id}/provenance`).expect(200)).body.origins[0].title).toBe(
      'Ministry bulletin 412',
    );

    // A source others relay from cannot be deleted from under their chains.
    const gone = await ctx.api.delete(`/sources/${flash}`).expect(409);
    expect(Object.keys(gone.body.dependents).sort()).toEqual(['citations', 'citations relaying it']);
  });

  it('refuses a source relaying itself or an unknown source, naming the citation', async () => {
    const outlet = await source('An outlet', '2024-03-05');
    const post = (citations: object[]) =>
      ctx.api.post('/figures').send({ metric: 'test_provenance', value: 1, asOf: '2024-03-01', citations });
    const self = await post([{ sourceId: outlet, relays: outlet, excerpt: 'x', role: 'secondary' }]).expect(400);
    expect(fieldsOf(self.body)).toEqual(['citations.0.relays']);
    const unknown = await post([
      { sourceId: outlet, relays: '01900000-0000-7000-8000-000000000000', excerpt: 'x', role: 'secondary' },
    ]).expect(400);
    expect(fieldsOf(unknown.body)).toEqual(['citations.0.relays']);
  });

  it('answers for statements too, and 404 for an unknown record', async () => {
    const res = await ctx.api.get(`/statements/${EXAMPLE_IDS.statement}/provenance`).expect(200);
    expect(res.body.issuer).toMatchObject({ slug: 'miguel-diaz-canel' });
    expect(res.body.chains.length).toBeGreaterThan(0);
    await ctx.api.get('/figures/01900000-0000-7000-8000-000000000000/provenance').expect(404);
    expect(fieldsOf((await ctx.api.get('/figures/not-a-uuid/provenance').expect(400)).body)).toEqual(['id']);
    expect(fieldsOf((await ctx.api.get(`/statements/${EXAMPLE_IDS.statement}/provenance?depth=2`).expect(400)).body)).toEqual([
      'depth',
    ]);
  });
});
