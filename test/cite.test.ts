import { describe, expect, it } from 'vitest';
import { EXAMPLE_IDS } from '../src/seed/ids.js';
import { TEST_HOST, useApp } from './helpers/app.js';
import { fid, sid } from './helpers/seed.js';

const ctx = useApp({ seed: true });

type Cited = { id: string; revision: number; permalink: string; citeAs: string; text?: string };

// Permalinks are built on the address the client reached (there is no PUBLIC_URL here).
const base = () => `http://${TEST_HOST}`;

const PC_ARTICLE =
  'Reported by The Palestine Chronicle, “Cuba’s president calls on the international community to end the genocide in Gaza”, March 2024.';
const TEHRAN_ARTICLE =
  'Reported in “Raisi: Iran and Cuba share a stance on a coalition to support the Palestinian people”, 4 December 2023.';

// Records made here are Testland's, so they stay out of the seed's lists.
const statement = (over: Record<string, unknown> = {}) => ({
  speaker: 'ebrahim-raisi',
  text: 'A first wording.',
  language: 'en',
  kind: 'direct_quote',
  saidOn: '2024-05-02',
  medium: 'speech',
  location: 'Testland',
  citations: [{ sourceId: EXAMPLE_IDS.source, excerpt: 'The passage.', role: 'secondary' }],
  ...over,
});
const figure = (over: Record<string, unknown> = {}) => ({
  metric: 'test_cited',
  value: 100,
  area: 'Testland',
  asOf: '2024-05-01',
  citations: [{ sourceId: EXAMPLE_IDS.source, excerpt: 'The passage.', role: 'secondary' }],
  ...over,
});

describe('a statement answer', () => {
  it('carries its revision, a permalink to it, and a citation line', async () => {
    const id = EXAMPLE_IDS.statement;
    const s: Cited = (await ctx.api.get(`/statements/${id}`).expect(200)).body;
    const permalink = `${base()}/statements/${id}?revision=1`;
    expect(s).toMatchObject({ revision: 1, permalink });
    // Who, how, when, the words and the original, the outlet that reported it, where it was read in Attest.
    expect(s.citeAs).toBe(
      'Miguel Díaz-Canel, post on X, 30 March 2024: “As long as Palestinian land continues to be martyred, bled, destroyed to its foundations by the hatred of the Israeli occupier, we cannot tire of denouncing the crime and calling on the international community. Cuba demands that the genocide stop now.” ' +
        '(Spanish original: “Mientras la tierra #Palestina siga siendo martirizada, desangrada, destruida hasta en sus cimientos por el odio del ocupante israelí, no podemos cansarnos de denunciar el crimen y convocar a la ‘comunidad internacional’. #Cuba demanda que cese el genocidio ya.”) ' +
        `${PC_ARTICLE} Attest statement ${id}, revision 1, ${permalink}.`,
    );
  });

  it('sets a paraphrase apart from a quotation, and a fragment’s stop outside the quotation marks', async () => {
    const paraphrase: Cited = (await ctx.api.get(`/statements/${sid('raisi-common-stance')}`).expect(200)).body;
    expect(paraphrase.citeAs).toMatch(
      /^Ebrahim Raisi, meeting in Tehran, 4 December 2023, paraphrased: Iran and Cuba have a common stance .* allied countries\. Reported in “Raisi:/,
    );
    const fragment: Cited = (await ctx.api.get(`/statements/${sid('raisi-war-machine')}`).expect(200)).body;
    expect(fragment.citeAs).toContain(
      ': “war machine that the US has provided to the Zionist regime”. Reported in',
    );
    // A month-dated post, quotation marks within the quotation made single, and no second stop.
    const month: Cited = (await ctx.api.get(`/statements/${sid('x-post-rally-hurts-deeply')}`).expect(200)).body;
    expect(month.citeAs).toMatch(
      /^Miguel Díaz-Canel, post on X, March 2024: “Palestine ‘hurts deeply’ … ‘the impunity .* outrageous\.’” Reported by The Palestine Chronicle/,
    );
  });

  it('names an unnamed group or an anonymous source as the outlet did, with their organisation when known', async () => {
    const group: Cited = (await ctx.anon.get(`/statements/${sid('organizations-women-children-majority')}`).expect(200)).body;
    expect(group.citeAs).toBe(
      `Palestinian and international organizations, March 2024, paraphrased: The majority of those killed and wounded are women and children. ${PC_ARTICLE} Attest statement ${group.id}, revision 1, ${group.permalink}.`,
    );
    const anonymous: Cited = (
      await ctx.api
        .post('/statements')
        .send(statement({ speaker: 'israel', attribution: 'anonymous', attributedTo: 'a senior official', medium: null, location: null }))
        .expect(201)
    ).body;
    expect(anonymous.citeAs).toMatch(/^A senior official \(Israel\), 2 May 2024: “A first wording\.” Reported by/);
  });

  it('in lists, searches and an actor’s timeline, each statement has its own', async () => {
    for (const url of ['/statements?limit=100', '/statements?q=genocide&highlight=true', '/actors/ebrahim-raisi/statements']) {
      const { data } = (await ctx.api.get(url).expect(200)).body as { data: Cited[] };
      expect(data.length, url).toBeGreaterThan(0);
      for (const s of data) {
        expect(s.permalink, url).toBe(`${base()}/statements/${s.id}?revision=${s.revision}`);
        expect(s.citeAs.endsWith(`Attest statement ${s.id}, revision ${s.revision}, ${s.permalink}.`), url).toBe(true);
        expect(s.citeAs, url).not.toMatch(/[\n<>]/);
      }
    }
  });

  it('as CSV and NDJSON too', async () => {
    const id = sid('raisi-us-west');
    const json: Cited = (await ctx.api.get(`/statements/${id}`).expect(200)).body;
    const csv = (await ctx.api.get('/statements?format=csv&actor=ebrahim-raisi').expect(200)).text;
    const [header, ...rows] = csv.trim().split('\r\n');
    const columns = header.split(',');
    expect(columns).toEqual(expect.arrayContaining(['revision', 'permalink', 'citeAs']));
    const row = rows.find((r) => r.startsWith(id));
    expect(row).toContain(`,1,${json.permalink},`);
    expect(row).toContain(`"${json.citeAs.replaceAll('"', '""')}"`);
    const lines = (await ctx.api.get('/statements?format=ndjson&actor=ebrahim-raisi').expect(200)).text.trim().split('\n');
    expect(lines.map((l) => JSON.parse(l)).find((s: Cited) => s.id === id)).toMatchObject({
      revision: 1,
      permalink: json.permalink,
      citeAs: json.citeAs,
    });
  });
});

describe('a change', () => {
  it('makes a new revision; the old permalink still answers the old text, the new one the new', async () => {
    const created = await ctx.api.post('/statements').send(statement()).expect(201);
    const first: Cited = created.body;
    const permalink1 = `${base()}/statements/${first.id}?revision=1`;
    expect(first).toMatchObject({ revision: 1, permalink: permalink1 });
    expect(first.citeAs).toBe(
      `Ebrahim Raisi, speech in Testland, 2 May 2024: “A first wording.” ${PC_ARTICLE} Attest statement ${first.id}, revision 1, ${permalink1}.`,
    );

    // The answer to a write is the answer a read gives: the same body, so the same ETag, and If-Match holds.
    const read = await ctx.api.get(`/statements/${first.id}`).expect(200);
    expect(read.body).toEqual(first);
    expect(read.headers.etag).toBe(created.headers.etag);
    const changed = await ctx.api
      .patch(`/statements/${first.id}`)
      .set('if-match', read.headers.etag)
      .send({ text: 'A corrected wording.', saidOn: '2024-05' })
      .expect(200);
    const second: Cited = changed.body;
    const permalink2 = `${base()}/statements/${first.id}?revision=2`;
    expect(second).toMatchObject({ revision: 2, permalink: permalink2, text: 'A corrected wording.' });
    expect(second.citeAs).toBe(
      `Ebrahim Raisi, speech in Testland, May 2024: “A corrected wording.” ${PC_ARTICLE} Attest statement ${first.id}, revision 2, ${permalink2}.`,
    );
    expect((await ctx.api.get(`/statements/${first.id}`).expect(200)).body).toEqual(second);

    // Each permalink answers its revision: the same words, the same line, for good.
    const old = await ctx.anon.get(new URL(permalink1).pathname + new URL(permalink1).search).expect(200);
    expect(old.body).toMatchObject({ revision: 1, text: 'A first wording.', permalink: permalink1, citeAs: first.citeAs });
    const now = await ctx.anon.get(`/statements/${first.id}?revision=2`).expect(200);
    expect(now.body).toMatchObject({ revision: 2, text: 'A corrected wording.', citeAs: second.citeAs });

    // A citation added is a change of the statement: revision 3.
    await ctx.api
      .post(`/statements/${first.id}/citations`)
      .send({ sourceId: EXAMPLE_IDS.source, excerpt: 'Another passage.', role: 'secondary' })
      .expect(201);
    expect((await ctx.api.get(`/statements/${first.id}`).expect(200)).body.revision).toBe(3);
    expect((await ctx.api.get(`/statements/${first.id}?revision=2`).expect(200)).body.citations).toHaveLength(1);

    // History keeps the record as it was, without what the answer adds.
    const { data } = (await ctx.api.get(`/statements/${first.id}/history`).expect(200)).body;
    expect(data.map((e: { revision: number }) => e.revision)).toEqual([3, 2, 1]);
    for (const e of data) expect(Object.keys(e.record)).not.toEqual(expect.arrayContaining(['permalink']));
    expect(data[0].record).not.toHaveProperty('citeAs');
    expect(data[0].record).not.toHaveProperty('revision');
  });

  it('leaves a deleted record’s permalink answering what was cited', async () => {
    const { id } = (await ctx.api.post('/statements').send(statement({ text: 'Soon withdrawn.' })).expect(201)).body;
    const cited: Cited = (await ctx.anon.get(`/statements/${id}`).expect(200)).body;
    await ctx.api.delete(`/statements/${id}`).expect(204);
    await ctx.anon.get(`/statements/${id}`).expect(410);
    expect((await ctx.anon.get(`/statements/${id}?revision=1`).expect(200)).body).toEqual(cited);
  });
});

describe('a figure answer', () => {
  it('gives the reporter, the words as printed, what they count, the as-of date and the outlet', async () => {
    const f: Cited = (await ctx.anon.get(`/figures/${EXAMPLE_IDS.figure}`).expect(200)).body;
    expect(f.citeAs).toBe(
      `Gaza Ministry of Health, as of March 2024: “32,705 Palestinians have been killed” (32,705 killed; Palestinians; Gaza Strip; since 7 October 2023). ${PC_ARTICLE} Attest figure ${f.id}, revision 1, ${base()}/figures/${f.id}?revision=1.`,
    );
    const share: Cited = (await ctx.anon.get(`/figures/${fid('women-children-share-killed-2024-03')}`).expect(200)).body;
    expect(share.citeAs).toContain(
      `Unattributed, as of March 2024: “the majority of those killed and wounded are women and children” (the majority killed; women and children; Gaza Strip; since 7 October 2023; a share of figure ${EXAMPLE_IDS.figure}). ${PC_ARTICLE}`,
    );
    const thousands: Cited = (await ctx.anon.get(`/figures/${fid('diaz-canel-thousands-killed')}`).expect(200)).body;
    expect(thousands.citeAs).toContain(
      `Miguel Díaz-Canel, as of 4 December 2023: “thousands of Palestinian people” (thousands killed; Palestinians). ${TEHRAN_ARTICLE}`,
    );
  });

  it('of "dozens", without a number, words as printed or reporter, still reads as a citation', async () => {
    const created = await ctx.api
      .post('/figures')
      .send(figure({ value: null, qualifier: 'dozens', population: 'soldiers', cumulative: false, periodStart: '2024-04-30', periodEnd: '2024-04-30' }))
      .expect(201);
    const f: Cited = created.body;
    expect(f).toMatchObject({ value: null, revision: 1 });
    expect(f.citeAs).toBe(
      `Unattributed, as of 1 May 2024: dozens test cited (soldiers; Testland; on 30 April 2024). ${PC_ARTICLE} Attest figure ${f.id}, revision 1, ${base()}/figures/${f.id}?revision=1.`,
    );
    const estimated: Cited = (
      await ctx.api
        .post('/figures')
        .send(figure({ value: 52.5, unit: 'percent', qualifier: 'about', method: 'estimated', reporter: 'israel', asOf: '2024' }))
        .expect(201)
    ).body;
    expect(estimated.citeAs).toMatch(/^Israel, as of 2024: about 52\.5% test cited \(Testland; estimated\)\. Reported by/);
  });

  it('in the series, the latest figures and the discrepancies, each figure has its own', async () => {
    const series = (await ctx.anon.get('/figures/series?metric=killed&area=Gaza%20Strip&population=Palestinians').expect(200)).body;
    const latest = (await ctx.anon.get('/figures/latest').expect(200)).body;
    // Two reporters' counts for the same day that cannot both be true.
    for (const [reporter, value] of [['israel', 100], ['gaza-ministry-of-health', 300]] as const)
      await ctx.api.post('/figures').send(figure({ metric: 'test_cited_pair', reporter, value })).expect(201);
    const pairs = (await ctx.anon.get('/figures/discrepancies?metric=test_cited_pair').expect(200)).body;
    const figures: Cited[] = [...series.points, ...latest.data, ...pairs.data.flatMap((d: { figures: Cited[] }) => d.figures)];
    expect(series.points.length).toBeGreaterThan(0);
    expect(pairs.data.length).toBeGreaterThan(0);
    for (const f of figures) {
      expect(f.permalink).toBe(`${base()}/figures/${f.id}?revision=${f.revision}`);
      expect(f.citeAs.endsWith(`${f.permalink}.`)).toBe(true);
    }
    const csv = (await ctx.anon.get('/figures/discrepancies?metric=test_cited_pair&format=csv').expect(200)).text;
    expect(csv.split('\r\n')[0].split(',')).toEqual(expect.arrayContaining(['figures.0.citeAs', 'figures.1.permalink']));
  });

  it('PATCH makes a new revision, and the old permalink keeps the old figure', async () => {
    const { id } = (await ctx.api.post('/figures').send(figure({ value: 1000, qualifier: 'at_least' })).expect(201)).body;
    const changed: Cited = (await ctx.api.patch(`/figures/${id}`).send({ value: 1200 }).expect(200)).body;
    expect(changed.revision).toBe(2);
    expect(changed.citeAs).toContain(': at least 1,200 test cited (Testland).');
    const old: Cited = (await ctx.anon.get(`/figures/${id}?revision=1`).expect(200)).body;
    expect(old.citeAs).toContain(': at least 1,000 test cited (Testland).');
    expect(old.citeAs).toContain(`revision 1, ${base()}/figures/${id}?revision=1.`);
  });
});
