import { describe, expect, it } from 'vitest';
import { EXAMPLE_IDS } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { fieldsOf } from './helpers/problems.js';
import { MOH, fid } from './helpers/seed.js';

const ctx = useApp({ seed: true });

const cite = [{ sourceId: EXAMPLE_IDS.source, excerpt: 'The passage.', role: 'secondary' }];
const body = (over: Record<string, unknown>) => ({ metric: 'test_quantity', asOf: '2024-05-01', citations: cite, ...over });
const post = (over: Record<string, unknown>) => ctx.api.post('/figures').send(body(over));
const refused = async (over: Record<string, unknown>) => {
  const res = await post(over).expect(400);
  return fieldsOf(res.body);
};

describe('quantities printed without a number', () => {
  it('stores "dozens" without a value, with the bounds of the documented convention', async () => {
    const res = await post({ qualifier: 'dozens', phrase: 'dozens of people' }).expect(201);
    expect(res.body).toMatchObject({
      value: null,
      qualifier: 'dozens',
      lowerBound: 24,
      upperBound: 143,
      unit: 'count',
      method: 'reported',
    });
    for (const [qualifier, bounds] of [
      ['several', [3, 9]],
      ['hundreds', [200, 999]],
      ['thousands', [2000, 9999]],
      ['tens_of_thousands', [20000, 99999]],
    ] as const) {
      const f = (await post({ qualifier }).expect(201)).body;
      expect([f.lowerBound, f.upperBound], qualifier).toEqual(bounds);
    }
  });

  it('still needs a value where the words give one', async () => {
    expect(await refused({ qualifier: 'at_least' })).toEqual(['value']);
    expect(await refused({})).toEqual(['value']);
  });

  it('records "the majority of those killed" as a share of the killed count, and refuses a share of nothing', async () => {
    const share = { qualifier: 'majority', unit: 'share', shareOf: fid('moh-killed-2024-03'), population: 'women and children' };
    const res = await post(share).expect(201);
    expect(res.body).toMatchObject({
      value: null,
      unit: 'share',
      shareOf: fid('moh-killed-2024-03'),
      lowerBound: 50,
      upperBound: 100,
    });
    expect(await refused({ qualifier: 'majority' })).toEqual(['unit']);
    expect(await refused({ qualifier: 'majority', unit: 'share' })).toEqual(['shareOf']);
    expect(await refused({ value: 10, shareOf: fid('moh-killed-2024-03') })).toEqual(['shareOf']);
    expect(await refused({ ...share, shareOf: '01900000-0000-7000-8000-000000000000' })).toEqual(['shareOf']);
    expect(await refused({ value: 120, unit: 'percent' })).toEqual(['value']);
    const percent = (await post({ value: 70, qualifier: 'at_least', unit: 'percent' }).expect(201)).body;
    expect([percent.lowerBound, percent.upperBound]).toEqual([70, 100]);
    // The figure a share is of cannot be deleted from under it.
    const gone = await ctx.api.delete(`/figures/${fid('moh-killed-2024-03')}`).expect(409);
    expect(gone.body.code).toBe('has-dependents');
    expect(gone.body.dependents['figures that are a share of it'].ids).toContain(res.body.id);
  });

  it('changing the unit or qualifier checks the figure as it will be stored', async () => {
    const f = (await post({ value: 40, unit: 'percent' }).expect(201)).body;
    const patch = (over: Record<string, unknown>) => ctx.api.patch(`/figures/${f.id}`).send(over);
    expect(fieldsOf((await patch({ unit: 'share' }).expect(400)).body)).toEqual(['shareOf']);
    expect(fieldsOf((await patch({ value: null }).expect(400)).body)).toEqual(['value']);
    const changed = (await patch({ qualifier: 'minority', value: null }).expect(200)).body;
    expect(changed).toMatchObject({ value: null, qualifier: 'minority', lowerBound: 0, upperBound: 50 });
  });
});

describe('how a figure was come by', () => {
  it('links a derived figure to the figures it was computed from, and keeps those from being deleted', async () => {
    const sources = [fid('moh-killed-2024-03'), fid('moh-injured-2024-03')];
    const derived = (
      await post({ metric: 'casualties', value: 107895, method: 'derived', derivedFrom: sources, reporter: MOH }).expect(201)
    ).body;
    expect(derived).toMatchObject({ method: 'derived', derivedFrom: sources });
    expect((await ctx.api.get(`/figures/${derived.id}`).expect(200)).body.derivedFrom).toEqual(sources);
    expect(await refused({ value: 1, method: 'derived' })).toEqual(['derivedFrom']);
    expect(await refused({ value: 1, derivedFrom: sources })).toEqual(['derivedFrom']);
    expect(await refused({ value: 1, method: 'estimated', derivedFrom: ['01900000-0000-7000-8000-000000000000'] })).toEqual([
      'derivedFrom.0',
    ]);
    const gone = await ctx.api.delete(`/figures/${fid('moh-injured-2024-03')}`).expect(409);
    expect(gone.body.dependents['figures derived from it'].ids).toEqual([derived.id]);
    await ctx.api.delete(`/figures/${derived.id}`).expect(204);
  });

  it('accepts estimated and extrapolated figures with or without their basis', async () => {
    const estimated = (await post({ value: 7000, qualifier: 'at_least', method: 'estimated' }).expect(201)).body;
    expect(estimated).toMatchObject({ method: 'estimated', derivedFrom: [] });
    const extrapolated = (await post({ value: 9000, method: 'extrapolated', derivedFrom: [estimated.id] }).expect(201)).body;
    expect(extrapolated.derivedFrom).toEqual([estimated.id]);
  });
});

describe('vague quantities in comparisons', () => {
  it('sets "dozens" against a count of 300 for the same date as a conflict, and against "about 100" as compatible', async () => {
    const metric = 'test_vague';
    const dozens = (await post({ metric, qualifier: 'dozens', reporter: 'israel' }).expect(201)).body;
    await post({ metric, value: 100, qualifier: 'about', reporter: MOH }).expect(201);
    expect((await ctx.api.get(`/figures/discrepancies?metric=${metric}`).expect(200)).body.data).toEqual([]);
    const many = (await post({ metric, value: 300, reporter: MOH }).expect(201)).body;
    const pairs = (await ctx.api.get(`/figures/discrepancies?metric=${metric}`).expect(200)).body.data;
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ kind: 'conflict', difference: null });
    expect(pairs[0].figures.map((f: { id: string }) => f.id).sort()).toEqual([dozens.id, many.id].sort());
    expect(pairs[0].explanation).toContain('dozens');
  });
});
