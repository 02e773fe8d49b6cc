import { describe, expect, it } from 'vitest';
import { useApp } from './helpers/app.js';
import { fieldsOf } from './helpers/problems.js';
import { DIAZ, seededStatements, SeedStatement, sid } from './helpers/seed.js';

const ctx = useApp({ seed: true });

type Stmt = {
  id: string;
  text: string;
  originalText: string | null;
  saidOn: string;
  rank?: number;
  highlight?: { text: string; originalText: string | null };
};
const X_POST = sid('x-post-genocide-stop-now');
/** Both renderings of a seed statement, for deciding what a word search should find. */
const words = (s: SeedStatement) => `${s.text} ${s.originalText ?? ''}`;
const saysGenocide = (s: SeedStatement) => /\bgenocide\b/i.test(s.text);

const search = async (query: Record<string, string | number>) =>
  (
    await ctx.api
      .get('/statements')
      .query({ limit: 100, ...query })
      .expect(200)
  ).body.data as Stmt[];
/** Ids of the statements a search finds, sorted. */
const found = async (q: string, more: Record<string, string> = {}) => (await search({ q, ...more })).map((s) => s.id).sort();

describe('full-text search of statements', () => {
  it('stems English words: "genocides" finds every statement saying "genocide"', async () => {
    const expected = seededStatements(saysGenocide);
    expect(expected.length).toBeGreaterThan(2);
    expect(await found('genocides')).toEqual(expected);
    expect(await found('GENOCIDE')).toEqual(expected);
    expect(await found('martyred')).toEqual(seededStatements((s) => /\bmartyr/i.test(s.text)));
  });

  it('searches the Spanish original with Spanish stemming, and only the original', async () => {
    const genocidios = await found('genocidios');
    expect(genocidios).toContain(X_POST);
    // English-only statements saying "genocide" do not answer to the Spanish word.
    const englishOnly = seededStatements((s) => saysGenocide(s) && !s.originalText);
    expect(englishOnly.length).toBeGreaterThan(1);
    for (const id of englishOnly) expect(genocidios).not.toContain(id);

    expect(await found('martirizadas')).toEqual([X_POST]);
    expect(await found('desangrada')).toEqual([X_POST]);
    // "The Zionist regime martyrs…" is English only: the Spanish form does not reach it.
    expect(await found('martirizadas')).not.toContain(sid('raisi-martyrs'));
  });

  it('supports "phrases", OR and AND', async () => {
    expect(await found('"deafening silence"')).toEqual([sid('raisi-silence')]);
    expect(await found('"silence deafening"')).toEqual([]);
    expect(await found('deafening OR coalition')).toEqual(seededStatements((s) => /deafening|coalition/i.test(s.text)));
    expect(await found('deafening coalition')).toEqual([]);
  });

  it('drops statements with an -excluded word', async () => {
    const expected = seededStatements((s) => saysGenocide(s) && !/zionist/i.test(s.text));
    expect(expected).not.toContain(sid('raisi-martyrs'));
    expect(await found('genocide -Zionist')).toEqual(expected);
    expect(await found('genocide -zionist')).toEqual(expected);
  });

  it('does not let the other rendering bypass an exclusion', async () => {
    // The English text of the X post says "genocide" and its Spanish original "genocidio" and "cese".
    const withoutGenocidio = await found('genocide -genocidio');
    expect(withoutGenocidio).toEqual(seededStatements((s) => saysGenocide(s) && !/genocidio/i.test(words(s))));
    expect(withoutGenocidio).not.toContain(X_POST);
    expect(await found('cuba -cese')).not.toContain(X_POST);
    expect(await found('genocidio -genocide')).not.toContain(X_POST);
  });

  it('reads a hyphen inside a "quoted phrase" as part of the phrase, not as an exclusion', async () => {
    expect(await found('"deafening -silence"')).toEqual([sid('raisi-silence')]);
  });

  it('keeps every statement an OR with an exclusion allows, not only those with the other word', async () => {
    const withoutZionist = seededStatements((s) => !/zionist/i.test(words(s)));
    expect(withoutZionist.length).toBeGreaterThan(5);
    expect(await found('deafening OR -zionist')).toEqual(withoutZionist);
    // "the" is an English stopword: what is left of the query is the exclusion.
    expect(await found('the -zionist')).toEqual(withoutZionist);
  });

  it('sorts by relevance, rank descending, and pages through it by cursor without repeats', async () => {
    const q = 'cuba OR genocide OR palestinian';
    const all = await search({ q, sort: 'relevance' });
    expect(all.length).toBeGreaterThan(5);
    for (const s of all) expect(s.rank).toBeGreaterThan(0);
    for (let i = 1; i < all.length; i++) expect(all[i - 1].rank!).toBeGreaterThanOrEqual(all[i].rank!);
    expect(new Set(all.map((s) => s.rank)).size).toBeGreaterThan(1);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Stmt[]; nextCursor: string | null } = (
        await ctx.api
          .get('/statements')
          .query({ q, sort: 'relevance', limit: 3, ...(cursor ? { cursor } : {}) })
          .expect(200)
      ).body;
      expect(page.data.length).toBeLessThanOrEqual(3);
      paged.push(...page.data.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.map((s) => s.id));
    expect(new Set(paged).size).toBe(paged.length);
  });

  it('keeps the newest-first order by default when searching, with a rank on each', async () => {
    const list = await search({ q: 'genocide' });
    const start = (d: string) => (d.length === 7 ? `${d}-01` : d);
    for (let i = 1; i < list.length; i++) expect(start(list[i - 1].saidOn) >= start(list[i].saidOn)).toBe(true);
    for (const s of list) expect(s.rank).toEqual(expect.any(Number));
    expect(list.every((s) => s.highlight === undefined)).toBe(true);
  });

  it('marks matches in both renderings with highlight=true', async () => {
    const list = await search({ q: 'genocide OR genocidio', highlight: 'true', actor: DIAZ });
    const post = list.find((s) => s.id === X_POST)!;
    expect(post.highlight!.text).toContain('<mark>genocide</mark>');
    expect(post.highlight!.originalText).toContain('<mark>genocidio</mark>');
    // Highlights are HTML: the text escaped, the matches marked.
    const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
    const unmark = (t: string) => t.replace(/<\/?mark>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e]);
    expect(unmark(post.highlight!.text)).toBe(post.text);
    expect(unmark(post.highlight!.originalText!)).toBe(post.originalText);
    const englishOnly = list.find((s) => s.id === sid('diaz-canel-condemn-genocide'))!;
    expect(englishOnly.highlight).toEqual({ text: expect.stringContaining('<mark>genocide</mark>'), originalText: null });
  });

  it('answers 400 naming sort when relevance is asked of exclusions alone, which rank nothing', async () => {
    const res = await ctx.api.get('/statements').query({ q: '-genocide -"deafening silence"', sort: 'relevance' }).expect(400);
    expect(fieldsOf(res.body)).toEqual(['sort']);
    // The same query sorted by date is a fine question: everything but those.
    const rest = await found('-genocide -"deafening silence"');
    expect(rest).toEqual(seededStatements((s) => !/\bgenocid(e|es|al)\b|deafening silence/i.test(words(s))));
  });

  it('applies every one of many exclusions (checked together, as one query)', async () => {
    const many = Array.from({ length: 80 }, (_, i) => `-zz${i}`).join(' ');
    expect(await found(`genocide ${many} -zionist`)).toEqual(
      seededStatements((s) => saysGenocide(s) && !/zionist/i.test(words(s))),
    );
  });

  it('answers 400 naming sort or highlight when they come without q', async () => {
    const sort = await ctx.api.get('/statements?sort=relevance').expect(400);
    expect(sort.body.code).toBe('validation-failed');
    expect(fieldsOf(sort.body)).toEqual(['sort']);
    const highlight = await ctx.api.get('/statements?highlight=true').expect(400);
    expect(fieldsOf(highlight.body)).toEqual(['highlight']);
    expect(fieldsOf((await ctx.api.get('/statements?q=%20%20').expect(400)).body)).toEqual(['q']);
    await ctx.api.get('/statements?highlight=false').expect(200);
  });

  it('combines q with the actor and date filters', async () => {
    const diazGenocide = seededStatements((s) => saysGenocide(s) && s.speaker === DIAZ);
    expect(diazGenocide.length).toBeGreaterThan(1);
    expect(await found('genocide', { actor: DIAZ })).toEqual(diazGenocide);
    expect(await found('genocide', { from: '2023-12', to: '2023-12' })).toEqual(
      seededStatements((s) => saysGenocide(s) && s.saidOn.startsWith('2023-12')),
    );
    expect(await found('genocide', { actor: DIAZ, from: '2024-03-01' })).toEqual([X_POST]);
    expect(await found('genocide', { actor: 'ebrahim-raisi', from: '2024' })).toEqual([]);
  });

  it('answers 200 with no data for a word that occurs nowhere', async () => {
    const res = await ctx.api.get('/statements?q=xylophonist&total=true').expect(200);
    expect(res.body).toMatchObject({ data: [], nextCursor: null, total: 0 });
    expect(res.headers.link).toBeUndefined();
  });
});

describe('searching actors', () => {
  const slugs = async (q: string) =>
    ((await ctx.api.get('/actors').query({ q }).expect(200)).body.data as { slug: string }[]).map((a) => a.slug);

  it.each([['diaz canel'], ['DÍAZ-CANEL'], ['Bermúdez'], ['díaz']])(
    'finds Díaz-Canel by %s, ignoring case, accents and punctuation',
    async (q) => {
      expect(await slugs(q)).toEqual([DIAZ]);
    },
  );

  it('needs every word to match, in name, slug or alias', async () => {
    expect(await slugs('ministry health')).toEqual(['gaza-ministry-of-health']);
    expect(await slugs('health ministry gaza')).toEqual(['gaza-ministry-of-health']);
    expect(await slugs('palestine chronicle')).toEqual(['the-palestine-chronicle']);
    expect(await slugs('ministry cuba')).toEqual([]);
  });

  it('returns no actors for a nonsense query', async () => {
    const res = await ctx.api.get('/actors?q=qzxqzxqzx').expect(200);
    expect(res.body).toEqual({ data: [], nextCursor: null });
  });
});
