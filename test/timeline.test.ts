import { describe, expect, it } from 'vitest';
import { actors as seedActors } from '../src/seed/data.js';
import { EXAMPLE_IDS, seedId } from '../src/seed/ids.js';
import { TEST_HOST, useApp } from './helpers/app.js';
import { UNKNOWN_UUID, fieldsOf } from './helpers/problems.js';
import { DIAZ, periodStart, seededStatements, SeedStatement } from './helpers/seed.js';

const ctx = useApp({ seed: true });

type Stmt = {
  id: string;
  saidOn: string;
  speaker: Record<string, unknown> & { slug: string };
  citations: { source: Record<string, unknown> & { id: string } }[];
};
type Page = { data: Stmt[]; nextCursor: string | null; total?: number };
const actorOf = (slug: string) => seedActors.find((a) => a.slug === slug)!;
const cites = (s: SeedStatement, sourceKey: string) => s.citations.some((c) => c.sourceKey === sourceKey);
const DIAZ_ID = seedId(`actor:${DIAZ}`);

const get = async (url: string) => (await ctx.api.get(url).expect(200)).body as Page;
const ids = (page: Page) => page.data.map((s) => s.id);
const sorted = (page: Page) => ids(page).sort();

describe("an actor's timeline", () => {
  it('lists only that actor’s statements, newest first, by slug or by id alike', async () => {
    const bySlug = await get(`/actors/${DIAZ}/statements?limit=100`);
    expect(sorted(bySlug)).toEqual(seededStatements((s) => s.speaker === DIAZ));
    expect(bySlug.data.every((s) => s.speaker.slug === DIAZ)).toBe(true);
    for (let i = 1; i < bySlug.data.length; i++) {
      expect(periodStart(bySlug.data[i - 1].saidOn) >= periodStart(bySlug.data[i].saidOn)).toBe(true);
    }
    expect(ids(await get(`/actors/${DIAZ_ID}/statements?limit=100`))).toEqual(ids(bySlug));
    expect(ids(await get(`/actors/${DIAZ_ID.toUpperCase()}/statements?limit=100`))).toEqual(ids(bySlug));
    expect(ids(await get(`/statements?actor=${DIAZ}&limit=100`))).toEqual(ids(bySlug));
  });

  it.each([
    ['from/to', 'from=2024-03&to=2024-03', (s: SeedStatement) => s.saidOn.startsWith('2024-03')],
    ['to a day', 'to=2024-03-30', (s: SeedStatement) => s.saidOn === '2024-03-30' || s.saidOn === '2023-12-04'],
    ['q', 'q=genocide', (s: SeedStatement) => /\bgenocide\b/i.test(s.text)],
    ['tag', 'tag=RALLY', (s: SeedStatement) => (s.tags ?? []).some((t) => t.toLowerCase() === 'rally')],
    ['kind', 'kind=paraphrase', (s: SeedStatement) => s.kind === 'paraphrase'],
  ])('filters by %s as /statements does', async (_what, query, keep) => {
    const expected = seededStatements((s) => s.speaker === DIAZ && keep(s));
    expect(expected.length).toBeGreaterThan(0);
    const timeline = await get(`/actors/${DIAZ}/statements?limit=100&${query}`);
    expect(sorted(timeline)).toEqual(expected);
    expect(ids(timeline)).toEqual(ids(await get(`/statements?limit=100&actor=${DIAZ}&${query}`)));
  });

  it('answers 404 for an unknown actor and 400 for parameters it does not take', async () => {
    const unknown = await ctx.api.get('/actors/no-such-actor/statements').expect(404);
    expect(unknown.body.code).toBe('not-found');
    await ctx.api.get(`/actors/${UNKNOWN_UUID}/statements`).expect(404);
    const actor = await ctx.api.get(`/actors/${DIAZ}/statements?actor=ebrahim-raisi`).expect(400);
    expect(actor.body.code).toBe('validation-failed');
    expect(fieldsOf(actor.body)).toEqual(['actor']);
    expect(fieldsOf((await ctx.api.get(`/actors/${DIAZ}/statements?country=IR`).expect(400)).body)).toEqual(['country']);
  });
});

describe('filtering statements by who and where from', () => {
  it('answers 400 naming actor for an actor that does not exist', async () => {
    const res = await ctx.api.get('/statements?actor=no-such-actor').expect(400);
    expect(res.body.code).toBe('validation-failed');
    expect(fieldsOf(res.body)).toEqual(['actor']);
    expect(fieldsOf((await ctx.api.get(`/statements?actor=${UNKNOWN_UUID}`).expect(400)).body)).toEqual(['actor']);
  });

  it('filters by the kind and country of the speaker', async () => {
    const byActor = (keep: (a: (typeof seedActors)[number]) => boolean) =>
      seededStatements((s) => !!s.speaker && keep(actorOf(s.speaker)));
    const persons = byActor((a) => a.kind === 'person');
    expect(sorted(await get('/statements?limit=100&actorKind=person'))).toEqual(persons);
    const iran = byActor((a) => a.country === 'IR');
    expect(iran.length).toBeGreaterThan(0);
    expect(sorted(await get('/statements?limit=100&country=IR'))).toEqual(iran);
    expect(sorted(await get('/statements?limit=100&actorKind=person&country=CU'))).toEqual(byActor((a) => a.country === 'CU'));
    expect(sorted(await get('/statements?limit=100&actorKind=media_outlet'))).toEqual([]);

    const made = await ctx.api
      .post('/statements')
      .send({
        speaker: 'israel',
        text: 'A statement by a government, made by the tests.',
        language: 'en',
        kind: 'official_statement',
        saidOn: '2024-05-01',
        citations: [{ sourceId: EXAMPLE_IDS.source, excerpt: 'The passage.', role: 'secondary' }],
      })
      .expect(201);
    const governments = [...byActor((a) => a.kind === 'government'), made.body.id].sort();
    expect(sorted(await get('/statements?limit=100&actorKind=government'))).toEqual(governments);
    expect(sorted(await get('/statements?limit=100&country=IL'))).toEqual([...byActor((a) => a.country === 'IL'), made.body.id].sort());
    await ctx.api.delete(`/statements/${made.body.id}`).expect(204);
  });

  it('filters by citing source and by publisher, case-insensitively', async () => {
    const pc = seededStatements((s) => cites(s, 'pc-article'));
    expect(pc.length).toBeGreaterThan(1);
    expect(sorted(await get(`/statements?limit=100&source=${EXAMPLE_IDS.source}`))).toEqual(pc);
    expect(sorted(await get('/statements?limit=100&publisher=the%20palestine%20chronicle'))).toEqual(pc);
    expect(sorted(await get('/statements?limit=100&publisher=THE%20PALESTINE%20CHRONICLE'))).toEqual(pc);
    expect(sorted(await get('/statements?limit=100&publisher=x'))).toEqual(
      seededStatements((s) => cites(s, 'x-post-2024-03-30')),
    );
    const tehran = seedId('source:tehran-meeting-article');
    expect(sorted(await get(`/statements?limit=100&source=${tehran}`))).toEqual(
      seededStatements((s) => cites(s, 'tehran-meeting-article')),
    );
    expect(sorted(await get(`/statements?limit=100&source=${UNKNOWN_UUID}`))).toEqual([]);
    expect(sorted(await get('/statements?limit=100&publisher=Palestine%20Chronicle'))).toEqual([]);
  });
});

describe('embedding more with include', () => {
  it('adds role, country and aliases to the speaker with include=actor', async () => {
    const plain = await get(`/statements?actor=${DIAZ}&limit=1`);
    expect(Object.keys(plain.data[0].speaker).sort()).toEqual(['id', 'kind', 'name', 'slug']);
    const full = await get(`/statements?actor=${DIAZ}&limit=1&include=actor`);
    const { role, country, aliases } = actorOf(DIAZ);
    expect(full.data[0].speaker).toEqual({ ...plain.data[0].speaker, role, country, aliases });
  });

  it('adds notes and authors to each cited source with include=sources', async () => {
    const plain = await get(`/statements?source=${EXAMPLE_IDS.source}&limit=100`);
    expect(plain.data[0].citations[0].source).not.toHaveProperty('notes');
    const full = await get(`/statements?source=${EXAMPLE_IDS.source}&limit=100&include=sources`);
    for (const s of full.data) {
      for (const c of s.citations) {
        expect(c.source).toHaveProperty('notes');
        expect(c.source.authors).toEqual(expect.any(Array));
      }
    }
    const pc = full.data.flatMap((s) => s.citations).find((c) => c.source.id === EXAMPLE_IDS.source)!;
    expect(pc.source).toMatchObject({ authors: ['Palestine Chronicle Staff'], notes: expect.stringContaining('Credit line') });
    const both = await get(`/statements?actor=${DIAZ}&limit=1&include=actor,sources`);
    expect(both.data[0].speaker).toHaveProperty('aliases');
    expect(both.data[0].citations[0].source).toHaveProperty('authors');
  });

  it('answers 400 naming include for an unknown value', async () => {
    const res = await ctx.api.get('/statements?include=bogus').expect(400);
    expect([...new Set(fieldsOf(res.body).map((f) => f.split('.')[0]))]).toEqual(['include']);
  });

  it('embeds on a single statement too, and refuses unknown parameters there', async () => {
    const one = await ctx.api.get(`/statements/${EXAMPLE_IDS.statement}?include=actor`).expect(200);
    expect(one.body.speaker).toMatchObject({ slug: DIAZ, role: actorOf(DIAZ).role, country: 'CU' });
    const plain = await ctx.api.get(`/statements/${EXAMPLE_IDS.statement}`).expect(200);
    expect(plain.body.speaker).not.toHaveProperty('role');
    for (const bad of ['foo=1', 'q=genocide']) {
      const res = await ctx.api.get(`/statements/${EXAMPLE_IDS.statement}?${bad}`).expect(400);
      expect(fieldsOf(res.body)).toEqual([bad.split('=')[0]]);
    }
  });
});

describe('totals and Link headers', () => {
  /** Follows Link rel="next" from `first`, checking it against nextCursor on every page. */
  async function follow(first: string) {
    const pages: Page[] = [];
    let url: string | undefined = first;
    while (url) {
      const res = await ctx.api.get(url).expect(200);
      const page = res.body as Page;
      pages.push(page);
      const link = res.headers.link as string | undefined;
      if (page.nextCursor === null) {
        expect(link).toBeUndefined();
        url = undefined;
      } else {
        const m = /^<([^>]+)>; rel="next"$/.exec(link ?? '');
        expect(m).not.toBeNull();
        // Absolute, so a script can follow it as it is.
        const next = new URL(m![1]);
        expect(next.origin).toBe(`http://${TEST_HOST}`);
        expect(next.searchParams.get('cursor')).toBe(page.nextCursor);
        url = next.pathname + next.search;
      }
    }
    return pages;
  }

  it.each([
    ['/statements', `/statements?actor=${DIAZ}&limit=2&total=true`],
    ['a timeline', `/actors/${DIAZ}/statements?limit=3&total=true&include=actor`],
    ['a search', '/statements?q=palestinian&sort=relevance&limit=2&total=true'],
  ])('on %s: total counts what the pages hold, and Link leads to each next page', async (_what, first) => {
    const pages = await follow(first);
    expect(pages.length).toBeGreaterThan(1);
    const all = pages.flatMap(ids);
    expect(new Set(all).size).toBe(all.length);
    for (const page of pages) expect(page.total).toBe(all.length);
    const limit = Number(new URL(first, 'http://x').searchParams.get('limit'));
    expect(pages.slice(0, -1).every((p) => p.data.length === limit)).toBe(true);
    const once = await get(`${first.replace(/limit=\d+/, 'limit=100')}`);
    expect(all).toEqual(ids(once));
  });

  it('leaves total out unless asked, and sends no Link on a last page', async () => {
    const res = await ctx.api.get(`/statements?actor=${DIAZ}&limit=100`).expect(200);
    expect(res.body).not.toHaveProperty('total');
    expect(res.body.nextCursor).toBeNull();
    expect(res.headers.link).toBeUndefined();
    expect((await get(`/statements?actor=${DIAZ}&total=false`)).total).toBeUndefined();
  });
});
