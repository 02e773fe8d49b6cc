import { describe, expect, it } from 'vitest';
import { LOOKUP_SQL } from '../src/actors/refs.js';
import { seedId } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { DIAZ, RAISI, TEHRAN, seededStatements } from './helpers/seed.js';

/** One actor per person: every reference form, one holder per handle and external id, fuzzy names, merges. */

const ctx = useApp({ seed: true });

const RAISI_ID = seedId(`actor:${RAISI}`);
const ids = (body: { data: { id: string }[] }) => body.data.map((s) => s.id).sort();
const diazStatements = seededStatements((s) => s.speaker === DIAZ);

async function actor(name: string, extra: Record<string, unknown> = {}) {
  const res = await ctx.api.post('/actors').send({ name, kind: 'person', ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; slug: string };
}

describe('actor references', () => {
  it.each([
    ['the slug', DIAZ],
    ['an alias, in another case and without accents', 'DIAZ-CANEL'],
    ['the name, folded', 'miguel diaz-canel bermudez'],
    ['a handle on any platform', '@DiazCanelB'],
    ['a handle on one platform', 'x:diazcanelb'],
  ])('actor= takes %s', async (_, ref) => {
    const res = await ctx.anon.get('/statements').query({ actor: ref, limit: 100 }).expect(200);
    expect(ids(res.body)).toEqual(diazStatements);
    const timeline = await ctx.anon.get(`/actors/${encodeURIComponent(ref)}/statements`).query({ limit: 100 }).expect(200);
    expect(ids(timeline.body)).toEqual(diazStatements);
  });

  it('an external id names its actor, in a filter and in a body', async () => {
    const icj = await actor('International Court of Justice', {
      kind: 'organization',
      aliases: ['ICJ'],
      externalIds: { wikidata: 'Q7801' },
    });
    const created = await ctx.api
      .post('/statements')
      .send({
        speaker: 'wikidata:q7801',
        text: 'The Court orders provisional measures.',
        language: 'en',
        saidOn: '2024-01-26',
        kind: 'official_statement',
        involved: [{ actor: '@DiazCanelB', role: 'mentioned' }],
        citations: [{ source: { url: 'https://www.icj-cij.org/case/192', kind: 'press_release', title: 'Order of 26 January 2024' }, excerpt: 'provisional measures', role: 'primary' }],
      });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.speaker.id).toBe(icj.id);
    const listed = await ctx.anon.get('/statements').query({ actor: 'wikidata:Q7801' }).expect(200);
    expect(ids(listed.body)).toEqual([created.body.id]);
  });

  it('an alias two actors share is refused, naming both, in a filter and in a body', async () => {
    const a = await actor('Ahmed Hassan', { aliases: ['A. Hassan'] });
    const b = await actor('Ali Hassan', { aliases: ['a hassan'] });
    const res = await ctx.anon.get('/statements').query({ actor: 'A. Hassán' }).expect(400);
    expect(res.body.errors[0]).toMatchObject({ in: 'query', field: 'actor' });
    expect(res.body.actors.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.id].sort());
    const body = await ctx.api.post('/figures').send({
      metric: 'killed',
      value: 1,
      asOf: '2024-01-01',
      reporter: 'a hassan',
      citations: [{ sourceId: TEHRAN, excerpt: 'one', role: 'primary' }],
    });
    expect(body.status, JSON.stringify(body.body)).toBe(400);
    expect(body.body.errors[0]).toMatchObject({ in: 'body', field: 'reporter' });
    expect(body.body.actors).toHaveLength(2);
    // Each one's slug still names it alone.
    await ctx.anon.get('/statements').query({ actor: a.slug }).expect(200);
  });

  it('an unknown reference is a 400 naming the parameter', async () => {
    const res = await ctx.anon.get('/figures').query({ reporter: '@nobody-at-all' }).expect(400);
    expect(res.body.errors[0]).toMatchObject({ in: 'query', field: 'reporter' });
    expect(res.body.errors[0].message).toContain('@nobody-at-all');
  });
});

describe('one holder per handle and external id', () => {
  it('a second actor with a held handle or external id is a 409 naming the holder and the field', async () => {
    const res = await ctx.api
      .post('/actors')
      .send({ name: 'M. Díaz-Canel B.', kind: 'person', handles: [{ platform: 'X', handle: 'diazcanelb' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'handles.0' })]);
    expect(res.body.actors).toEqual([expect.objectContaining({ slug: DIAZ, field: 'handles.0' })]);

    await actor('Ebrahim Raisi (2)', { slug: 'raisi-2', externalIds: { wikidata: 'Q5833467' } });
    const again = await ctx.api.post('/actors').send({ name: 'Raisi again', kind: 'person', externalIds: { wikidata: 'q5833467' } });
    expect(again.status).toBe(409);
    expect(again.body.actors[0]).toMatchObject({ slug: 'raisi-2', field: 'externalIds.wikidata' });
    // Nothing of the refused actor was written.
    const listed = await ctx.anon.get('/actors').query({ q: 'raisi again' }).expect(200);
    expect(listed.body.data.find((x: { name: string }) => x.name === 'Raisi again')).toBeUndefined();
  });

  it('an update that takes another actor’s handle is a 409; keeping one’s own is not', async () => {
    const res = await ctx.api.patch(`/actors/${RAISI}`).send({ handles: [{ platform: 'x', handle: 'DiazCanelB' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.actors[0].slug).toBe(DIAZ);
    await ctx.api
      .patch(`/actors/${DIAZ}`)
      .send({ handles: [{ platform: 'x', handle: 'DiazCanelB' }, { platform: 'telegram', handle: 'diazcanelb' }] })
      .expect(200);
    // The same handle on two platforms is one actor's: @ finds it without ambiguity.
    await ctx.anon.get('/statements').query({ actor: '@diazcanelb' }).expect(200);
  });
});

describe('imports resolve actors as the API does', () => {
  it('speakers and reporters by handle or alias; a held handle fails its line naming the holder', async () => {
    const citations = [{ sourceId: TEHRAN, excerpt: 'the passage', role: 'secondary' }];
    const lines = [
      { type: 'actor', name: 'Handle Thief', kind: 'person', handles: [{ platform: 'x', handle: 'DIAZCANELB' }] },
      { type: 'statement', speaker: '@DiazCanelB', text: 'Imported by handle.', language: 'en', kind: 'paraphrase', saidOn: '2025-02', citations },
      { type: 'figure', metric: 'displaced', value: 10, asOf: '2025-02-01', reporter: 'raisi', citations },
      { type: 'statement', speaker: 'nobody-by-this-name', text: 'Lost.', language: 'en', kind: 'paraphrase', saidOn: '2025-02', citations },
    ];
    const res = await ctx.api
      .post('/import?onError=skip')
      .set('content-type', 'application/x-ndjson')
      .send(`${lines.map((l) => JSON.stringify(l)).join('\n')}\n`)
      .expect(200);
    expect(res.body.types).toMatchObject({ actor: { created: 0, failed: 1 }, statement: { created: 1, failed: 1 }, figure: { created: 1 } });
    expect(res.body.failures).toEqual([
      { line: 1, type: 'actor', field: 'handles.0', message: expect.stringContaining(DIAZ) },
      { line: 4, type: 'statement', field: 'speaker', message: expect.stringContaining("'nobody-by-this-name'") },
    ]);
    const byHandle = await ctx.anon.get('/statements').query({ actor: DIAZ, q: 'imported handle' }).expect(200);
    expect(byHandle.body.data).toHaveLength(1);
    const figures = await ctx.anon.get('/figures').query({ reporter: RAISI, metric: 'displaced' }).expect(200);
    expect(figures.body.data).toHaveLength(1);
  });
});

describe('name search tolerates spelling variants', () => {
  const names = async (q: string, extra: Record<string, string> = {}) =>
    (await ctx.anon.get('/actors').query({ q, ...extra }).expect(200)).body.data.map((a: { slug: string }) => a.slug);

  it.each([
    ['ibrahim raisi', RAISI],
    ['raissi', RAISI],
    ['Ebrahim Raïsi', RAISI],
    ['diaz canel', DIAZ],
    ['miguel dias-canel', DIAZ],
  ])('"%s" finds %s first', async (q, slug) => {
    expect((await names(q))[0]).toBe(slug);
  });

  it('ranks an exact name above a variant, and keeps unrelated names out', async () => {
    await actor('Ibrahim Rais', { slug: 'ibrahim-rais' });
    const found = await names('ebrahim raisi');
    expect(found[0]).toBe(RAISI);
    expect(found).toContain('ibrahim-rais');
    // Every exact match (Raisi, and the duplicate made above) before the variant.
    expect(found.at(-1)).toBe('ibrahim-rais');
    expect(found).not.toContain(DIAZ);
    expect(await names('zzyzx qwv')).toEqual([]);
  });

  it('pages by relevance, and sorts by name when asked', async () => {
    const all = await names('raisi');
    const first = await ctx.anon.get('/actors').query({ q: 'raisi', limit: 1 }).expect(200);
    expect(first.body.data.map((a: { slug: string }) => a.slug)).toEqual(all.slice(0, 1));
    if (all.length > 1) {
      const next = await ctx.anon.get('/actors').query({ q: 'raisi', limit: 1, cursor: first.body.nextCursor }).expect(200);
      expect(next.body.data[0].slug).toBe(all[1]);
    }
    const byName = (await ctx.anon.get('/actors').query({ q: 'raisi', sort: 'name' }).expect(200)).body.data;
    expect(byName.map((a: { slug: string }) => a.slug).sort()).toEqual([...all].sort());
    const shown = byName.map((a: { name: string }) => a.name);
    expect(shown).toEqual([...shown].sort((a, b) => a.localeCompare(b)));
    await ctx.anon.get('/actors').query({ sort: 'relevance' }).expect(400);
  });
});

describe('language filters match BCP 47 prefixes', () => {
  const tags = ['pt-BR', 'pt', 'PT-pt', 'pta'];
  const made = new Map<string, { statement: string; source: string }>();

  it('pt finds pt, pt-BR and pt-PT but not pta; pt-BR finds only pt-BR', async () => {
    for (const [i, tag] of tags.entries()) {
      const res = await ctx.api.post('/statements').send({
        speaker: RAISI,
        text: `Language prefix test ${i}.`,
        language: i % 2 ? tag : 'en',
        originalText: i % 2 ? undefined : `Texto ${i}.`,
        originalLanguage: i % 2 ? undefined : tag,
        kind: 'paraphrase',
        saidOn: '2025-03-01',
        citations: [
          {
            source: { kind: 'news_article', title: `Prefix ${i}`, url: `https://prefix.example/${i}`, language: tag },
            excerpt: 'the passage',
            role: 'secondary',
          },
        ],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      made.set(tag, { statement: res.body.id, source: res.body.citations[0].source.id });
    }
    const find = async (path: string, language: string) =>
      ids((await ctx.anon.get(path).query({ language, limit: 100, q: path === '/statements' ? 'prefix test' : undefined }).expect(200)).body);
    const want = (picked: string[], key: 'statement' | 'source') => picked.map((t) => made.get(t)![key]).sort();
    for (const [language, picked] of [
      ['pt', ['pt-BR', 'pt', 'PT-pt']],
      ['PT', ['pt-BR', 'pt', 'PT-pt']],
      ['pt-br', ['pt-BR']],
      ['pta', ['pta']],
      ['p', []],
    ] as const) {
      if (language.length < 2) {
        await ctx.anon.get('/statements').query({ language }).expect(400);
        continue;
      }
      expect(await find('/statements', language), language).toEqual(want([...picked], 'statement'));
      expect(await find('/sources', language), language).toEqual(want([...picked], 'source'));
    }
  });

  it('both filters are answered from their indexes', async () => {
    const plan = async (sql: string, params: unknown[]) => {
      const [row] = await ctx.db.prisma.$transaction(async (tx) => {
        for (const s of ['enable_seqscan', 'enable_indexscan']) await tx.$executeRawUnsafe(`SET LOCAL ${s} = off`);
        return tx.$queryRawUnsafe<{ 'QUERY PLAN': unknown }[]>(`EXPLAIN (FORMAT JSON) ${sql}`, ...params);
      });
      return JSON.stringify(row['QUERY PLAN']);
    };
    const range = (c: string) =>
      `(lower(${c}) COLLATE "C") = $1 OR ((lower(${c}) COLLATE "C") >= $2 AND (lower(${c}) COLLATE "C") < $3)`;
    const statements = await plan(`SELECT id FROM statements s WHERE ${range('s.language')} OR ${range('s.original_language')}`, [
      'pt',
      'pt-',
      'pt.',
    ]);
    expect(statements).toContain('statements_language_lower_idx');
    expect(statements).toContain('statements_original_language_lower_idx');
    expect(await plan(`SELECT DISTINCT language FROM sources WHERE ${range('language')}`, ['pt', 'pt-', 'pt.'])).toContain(
      'sources_language_lower_idx',
    );
    expect(await plan(`SELECT id FROM actors a WHERE $1 <% a.search_key`, ['ibrahim raisi'])).toContain('actors_search_key_trgm_idx');
    // The resolver's own statement: every branch from an index (names, keys, slugs, ids), none from a scan.
    const lookup = await plan(LOOKUP_SQL, [[RAISI_ID], ['wikidata:q1'], ['diazcanelb'], ['Raisi', DIAZ]]);
    for (const index of ['actors_names_idx', 'actor_keys_pkey', 'actor_keys_bare_idx', 'actors_slug_key', 'actors_pkey'])
      expect(lookup, index).toContain(index);
    expect(lookup).not.toContain('Seq Scan');
  });
});

describe('merging a duplicate into another actor', () => {
  const citations = [{ sourceId: TEHRAN, excerpt: 'the passage', role: 'secondary' }];
  const say = async (speaker: string, text: string, involved: { actor: string; role: string }[] = []) => {
    const res = await ctx.api
      .post('/statements')
      .send({ speaker, text, language: 'en', kind: 'paraphrase', saidOn: '2024-05-01', involved, citations });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };

  it('moves every reference, merges names and ids, redirects the old id and slug, and keeps both histories', async () => {
    const raisi = (await ctx.anon.get(`/actors/${RAISI}`).expect(200)).body;
    const dup = await actor('Seyyed Ebrahim Raisolsadati', {
      slug: 'raisolsadati',
      aliases: ['Raisi', 'Ebrahim Raisolsadati'],
      handles: [{ platform: 'telegram', handle: 'raisi_ir' }],
      externalIds: { viaf: '123456' },
    });
    const saidByDup = await say(dup.slug, 'A duplicate speaks.', [{ actor: RAISI, role: 'mentioned' }]);
    const involvesBoth = await say(DIAZ, 'Both are named.', [
      { actor: RAISI, role: 'addressee' },
      { actor: dup.id, role: 'mentioned' },
    ]);
    const involvesDup = await say(DIAZ, 'Only the duplicate is named.', [{ actor: dup.id, role: 'counterpart' }]);
    const figure = await ctx.api
      .post('/figures')
      .send({ metric: 'merge_test', value: 7, asOf: '2024-05-01', reporter: dup.id, citations })
      .expect(201);

    await ctx.api.post(`/actors/${dup.slug}/merge`).unset('change-reason').send({ into: RAISI }).expect(400);
    await ctx.anon.post(`/actors/${dup.slug}/merge`).set('change-reason', 'x').send({ into: RAISI }).expect(401);
    await ctx.api.post(`/actors/${dup.slug}/merge`).send({ into: dup.id }).expect(400);

    const res = await ctx.api
      .post(`/actors/${dup.slug}/merge`)
      .set('change-reason', 'Same person: Raisolsadati is the family name')
      .send({ into: RAISI });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: raisi.id, slug: RAISI, name: raisi.name });
    expect(res.body.aliases).toEqual(expect.arrayContaining(['Seyyed Ebrahim Raisolsadati', 'Ebrahim Raisolsadati']));
    expect(res.body.aliases.filter((a: string) => a === 'Raisi')).toHaveLength(1);
    expect(res.body.handles).toEqual(expect.arrayContaining([{ platform: 'telegram', handle: 'raisi_ir' }]));
    expect(res.body.externalIds).toMatchObject({ viaf: '123456' });

    // References moved.
    const s1 = (await ctx.anon.get(`/statements/${saidByDup}`).expect(200)).body;
    expect(s1.speaker.id).toBe(raisi.id);
    const both = (await ctx.anon.get(`/statements/${involvesBoth}`).expect(200)).body;
    expect(both.involved.map((v: { actor: { id: string }; role: string }) => [v.actor.id, v.role])).toEqual([[raisi.id, 'addressee']]);
    const one = (await ctx.anon.get(`/statements/${involvesDup}`).expect(200)).body;
    expect(one.involved.map((v: { actor: { id: string } }) => v.actor.id)).toEqual([raisi.id]);
    expect((await ctx.anon.get(`/figures/${figure.body.id}`).expect(200)).body.reporter.id).toBe(raisi.id);

    // The old id and slug redirect, and still name the survivor wherever an actor is named.
    for (const old of [dup.id, dup.slug]) {
      const moved = await ctx.anon.get(`/actors/${old}`).query({ asOf: new Date().toISOString() }).expect(308);
      expect(moved.headers.location).toMatch(new RegExp(`^/actors/${raisi.id}\\?asOf=`));
      const listed = await ctx.anon.get('/statements').query({ actor: old, limit: 100 }).expect(200);
      expect(listed.body.data.map((s: { id: string }) => s.id)).toContain(saidByDup);
    }
    await ctx.anon.get('/statements').query({ actor: '@raisi_ir' }).expect(200);
    // Its slug is not free for another actor: old links would change meaning.
    await ctx.api.post('/actors').send({ name: 'Someone Else', kind: 'person', slug: dup.slug }).expect(409);
    const imported = await ctx.api
      .post('/import?onError=skip')
      .set('content-type', 'application/x-ndjson')
      .send(`${JSON.stringify({ type: 'actor', name: 'Someone Else', kind: 'person', slug: dup.slug })}\n`)
      .expect(200);
    expect(imported.body.failures).toEqual([
      { line: 1, type: 'actor', field: 'slug', message: expect.stringContaining(`merged into actor ${raisi.id}`) },
    ]);

    // History: the duplicate's ends with its deletion, pointing at the survivor; the survivor's update says why.
    const dupHistory = (await ctx.anon.get(`/actors/${dup.id}/history`).expect(200)).body.data;
    expect(dupHistory[0]).toMatchObject({ action: 'delete' });
    expect(dupHistory[0].reason).toContain('Same person');
    expect(dupHistory[0].reason).toContain(`into ${RAISI} (${raisi.id})`);
    const survivorHistory = (await ctx.anon.get(`/actors/${raisi.id}/history`).expect(200)).body.data;
    expect(survivorHistory[0].reason).toContain(`merged actor ${dup.slug}`);
    const statementHistory = (await ctx.anon.get(`/statements/${saidByDup}/history`).expect(200)).body.data;
    expect(statementHistory[0].reason).toContain(`merged actor ${dup.slug}`);
    // A revision names the duplicate's own record, still under its old id (not redirected to the survivor),
    // and a statement it said reads, at the revision a citation named, as it did then.
    const own = await ctx.anon.get(`/actors/${dup.id}?revision=1`).expect(200);
    expect(own.body).toMatchObject({ id: dup.id, slug: dup.slug, name: 'Seyyed Ebrahim Raisolsadati' });
    const cited = (await ctx.anon.get(`/statements/${saidByDup}?revision=1`).expect(200)).body;
    expect(cited.speaker.id).toBe(dup.id);
    expect(cited.citeAs).toMatch(/^Seyyed Ebrahim Raisolsadati, 1 May 2024, paraphrased: A duplicate speaks\. /);
    expect((await ctx.anon.get(`/statements/${saidByDup}`).expect(200)).body.citeAs).toMatch(/^Ebrahim Raisi, /);
    // Writing to the merged actor: 410, saying where it went.
    const gone = await ctx.api.patch(`/actors/${dup.id}`).send({ role: 'x' }).expect(410);
    expect(gone.body.deleted.reason).toContain(raisi.id);
  });

  it('refuses two different ids of one registry, and changes nothing', async () => {
    const a = await actor('Registry One', { externalIds: { wikidata: 'Q900001' } });
    const b = await actor('Registry Two', { externalIds: { wikidata: 'Q900002' } });
    const said = await say(a.slug, 'Said before a refused merge.');
    const res = await ctx.api.post(`/actors/${a.id}/merge`).send({ into: b.slug }).expect(409);
    expect(res.body.errors[0].field).toBe('externalIds.wikidata');
    expect(res.body.actors.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect((await ctx.anon.get(`/statements/${said}`).expect(200)).body.speaker.id).toBe(a.id);
    await ctx.anon.get(`/actors/${a.slug}`).expect(200);
  });

  it('answers 404 for an unknown duplicate and 400 naming `into` for an unknown survivor', async () => {
    await ctx.api.post('/actors/no-such-actor/merge').send({ into: RAISI }).expect(404);
    const res = await ctx.api.post(`/actors/${DIAZ}/merge`).send({ into: 'no-such-actor' }).expect(400);
    expect(res.body.errors[0]).toMatchObject({ in: 'body', field: 'into' });
    await ctx.api.post(`/actors/${DIAZ}/merge`).send({ into: RAISI, extra: 1 }).expect(400);
  });
});

// Real concurrent requests: on PostgreSQL they run on separate connections and interleave; on the
// embedded database they are serialised, and the same rule must hold.
describe('one holder per key under concurrent writes', () => {
  const TRIALS = 25;
  const WRITERS = 4;

  it(`of ${WRITERS} concurrent creates with one external id, exactly one succeeds (${TRIALS} trials)`, async () => {
    for (let t = 0; t < TRIALS; t++) {
      const answers = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          ctx.api.post('/actors').send({ name: `Race ${t} writer ${i}`, kind: 'person', externalIds: { wikidata: `Q77${t}` } }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([201, ...Array(WRITERS - 1).fill(409)]);
      const winner = answers.find((a) => a.status === 201)!.body;
      for (const lost of answers.filter((a) => a.status === 409)) {
        expect(lost.body.actors).toEqual([expect.objectContaining({ id: winner.id, field: 'externalIds.wikidata' })]);
      }
    }
  });

  it(`of two actors taking one handle at once, exactly one gets it (${TRIALS} trials)`, async () => {
    for (let t = 0; t < TRIALS; t++) {
      const [a, b] = [await actor(`Handle race ${t} a`), await actor(`Handle race ${t} b`)];
      const handles = [{ platform: 'x', handle: `race_${t}` }];
      const answers = await Promise.all([
        ctx.api.patch(`/actors/${a.id}`).send({ handles }),
        ctx.api.patch(`/actors/${b.id}`).send({ handles: [{ platform: 'X', handle: `RACE_${t}` }] }),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const held = await ctx.anon.get('/statements').query({ actor: `x:race_${t}` });
      expect(held.status).toBe(200);
    }
  });
});
