import { describe, expect, it } from 'vitest';
import { EXAMPLE_IDS } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';

// Real concurrent requests. On PostgreSQL they run on separate connections and interleave; on the
// embedded database they are serialised, and the same rules must hold.
const ctx = useApp({ seed: true });
const TRIALS = 30;

const citations = [{ sourceId: EXAMPLE_IDS.source, excerpt: 'The passage.', role: 'secondary' }];
const createFigure = async (over: Record<string, unknown>) =>
  (
    await ctx.api
      .post('/figures')
      .send({ metric: 'test_race', value: 100, area: 'Testland', asOf: '2024-05-01', citations, ...over })
      .expect(201)
  ).body;
const patchBoth = (path: string, a: object, b: object) => Promise.all([ctx.api.patch(path).send(a), ctx.api.patch(path).send(b)]);

describe('rules that span fields hold under concurrent PATCHes', () => {
  it(`never stores a lower bound above the upper bound (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const f = await createFigure({ qualifier: 'about' });
      const answers = await patchBoth(`/figures/${f.id}`, { lowerBound: 900 }, { upperBound: 10 });
      // Either alone is valid; together they are not: exactly one is applied.
      expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
      const stored = (await ctx.api.get(`/figures/${f.id}`).expect(200)).body;
      expect(stored.lowerBound === null || stored.upperBound === null || stored.lowerBound <= stored.upperBound).toBe(true);
    }
  });

  it(`never stores bounds that do not follow the qualifier and value (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const f = await createFigure({ qualifier: 'exact' });
      const answers = await patchBoth(`/figures/${f.id}`, { value: 50 }, { qualifier: 'at_least' });
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const stored = (await ctx.api.get(`/figures/${f.id}`).expect(200)).body;
      expect(stored).toMatchObject({ value: 50, qualifier: 'at_least', lowerBound: 50, upperBound: null });
    }
  });

  it(`never stores a translation without the language of its original (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const s = (
        await ctx.api
          .post('/statements')
          .send({
            speaker: 'ebrahim-raisi',
            text: `A race ${i}.`,
            language: 'en',
            originalLanguage: 'fa',
            kind: 'paraphrase',
            saidOn: '2024-05-01',
            citations,
          })
          .expect(201)
      ).body;
      const answers = await patchBoth(`/statements/${s.id}`, { originalText: 'متن' }, { originalLanguage: null });
      expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
      const stored = (await ctx.api.get(`/statements/${s.id}`).expect(200)).body;
      expect(stored.originalText !== null && stored.originalLanguage === null).toBe(false);
    }
  });
});

describe('If-Match keeps concurrent read-modify-write cycles from losing updates', () => {
  it('20 clients each append one alias; every alias is kept', async () => {
    const actor = (
      await ctx.api
        .post('/actors')
        .send({ name: `Alias Race ${Date.now()}`, kind: 'person' })
        .expect(201)
    ).body;
    const appendAlias = async (alias: string) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const read = await ctx.api.get(`/actors/${actor.id}`).expect(200);
        const res = await ctx.api
          .patch(`/actors/${actor.id}`)
          .set('if-match', read.headers.etag)
          .send({ aliases: [...read.body.aliases, alias] });
        if (res.status === 200) return attempt;
        expect(res.status).toBe(412);
      }
      throw new Error(`gave up appending ${alias}`);
    };
    const aliases = Array.from({ length: 20 }, (_, i) => `Alias ${i}`);
    await Promise.all(aliases.map(appendAlias));
    const stored = (await ctx.api.get(`/actors/${actor.id}`).expect(200)).body;
    expect([...stored.aliases].sort()).toEqual([...aliases].sort());
    // One revision for the creation and one per alias: none was lost or doubled.
    const history = (await ctx.api.get(`/actors/${actor.id}/history?limit=100`).expect(200)).body.data;
    expect(history).toHaveLength(21);
  });
});

describe('concurrent writes to one record number its revisions one after the other', () => {
  it('10 concurrent citations added to one statement give 10 distinct statement revisions', async () => {
    const s = (
      await ctx.api
        .post('/statements')
        .send({
          speaker: 'ebrahim-raisi',
          text: 'Cited many times.',
          language: 'en',
          kind: 'paraphrase',
          saidOn: '2024-05-01',
          citations,
        })
        .expect(201)
    ).body;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ctx.api
          .post(`/statements/${s.id}/citations`)
          .send({ sourceId: EXAMPLE_IDS.source, excerpt: `Passage ${i}.`, role: 'secondary' }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    const history = (await ctx.api.get(`/statements/${s.id}/history?limit=100`).expect(200)).body.data;
    expect(history.map((h: { revision: number }) => h.revision)).toEqual(Array.from({ length: 11 }, (_, i) => 11 - i));
    expect(history[0].record.citations).toHaveLength(11);
  });
});
