import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { statements as seedStatements } from '../src/seed/data.js';
import { EXAMPLE_IDS } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { fieldsOf } from './helpers/problems.js';
import { DIAZ } from './helpers/seed.js';

const ctx = useApp({ seed: true });

const csv = (text: string) => parse(text, { columns: true, bom: true }) as Record<string, string>[];
const ndjson = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

/** Every statement a JSON client gets, following the cursor. */
async function allStatementsAsJson(query = '') {
  const out: { id: string }[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { data: { id: string }[]; nextCursor: string | null } } = await ctx.api
      .get(`/statements?limit=100${query}${cursor ? `&cursor=${cursor}` : ''}`)
      .expect(200);
    out.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

describe('CSV and NDJSON from list URLs', () => {
  it('streams every statement as CSV that a CSV parser reads, with dates, lists and counts as documented', async () => {
    // More than one default page: the stream must not stop at 20.
    for (let i = 0; i < 25; i++) {
      await ctx.api
        .post('/statements')
        .send({
          speaker: 'ebrahim-raisi',
          text:
            i === 0 ? '=HYPERLINK("http://evil.example","click"), he said, "quoted"\nand on a new line' : `Test statement ${i}.`,
          language: 'en',
          kind: 'paraphrase',
          saidOn: '2025-02',
          tags: ['test', 'formats'],
          citations: [{ sourceId: EXAMPLE_IDS.source, excerpt: 'The passage.', role: 'secondary' }],
        })
        .expect(201);
    }
    const res = await ctx.api.get('/statements?format=csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="statements-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = csv(res.text);
    const json = await allStatementsAsJson();
    expect(rows).toHaveLength(seedStatements.length + 25);
    expect(rows.map((r) => r.id)).toEqual(json.map((s) => s.id));

    const month = rows.find((r) => r.text === 'Test statement 3.')!;
    expect(month).toMatchObject({
      saidOn: '2025-02',
      saidPrecision: 'month',
      saidOnFirstDay: '2025-02-01',
      saidOnLastDay: '2025-02-28',
      'speaker.slug': 'ebrahim-raisi',
      tags: 'test | formats',
      'tags.count': '2',
      'citations.count': '1',
      'citations.source.id': EXAMPLE_IDS.source,
      originalText: '',
    });
    // Quotes, commas and newlines survive; the value is exact unless a spreadsheet is asked for.
    const tricky = rows.find((r) => r.text.startsWith('=HYPERLINK'))!;
    expect(tricky.text).toBe('=HYPERLINK("http://evil.example","click"), he said, "quoted"\nand on a new line');
    const safe = csv((await ctx.api.get('/statements?format=csv&spreadsheet=true').expect(200)).text);
    expect(safe.find((r) => r.id === tricky.id)!.text).toBe(`'${tricky.text}`);
    expect(safe.find((r) => r.id === month.id)!.text).toBe('Test statement 3.');
  });

  it('keeps the same columns whatever the rows hold', async () => {
    const header = (text: string) => text.split('\r\n')[0];
    const all = await ctx.api.get('/statements?format=csv').expect(200);
    const none = await ctx.api.get('/statements?format=csv&q=nothingmatchesthisword').expect(200);
    const withInclude = await ctx.api.get(`/statements?format=csv&actor=${DIAZ}`).expect(200);
    expect(header(none.text)).toBe(header(all.text));
    expect(header(withInclude.text)).toBe(header(all.text));
    expect(none.text).toBe(`${header(all.text)}\r\n`);
  });

  it('answers NDJSON, one JSON record per line, the same records as the JSON pages', async () => {
    const res = await ctx.api.get(`/actors/${DIAZ}/statements`).set('accept', 'application/x-ndjson').expect(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = ndjson(res.text);
    const json = await allStatementsAsJson(`&actor=${DIAZ}`);
    expect(lines).toEqual(json);
    // Every list: a line is exactly the record a JSON page shows, no more fields (a column used only
    // for search once leaked into the actors' lines).
    for (const path of ['/actors', '/sources', '/figures', '/figures/latest']) {
      const page = (await ctx.api.get(`${path}?limit=100`).expect(200)).body.data;
      expect(ndjson((await ctx.api.get(`${path}?limit=100&format=ndjson`).expect(200)).text), path).toEqual(page);
    }
  });

  it('chooses by Accept, lets format= win over it, and gives one page when limit is given', async () => {
    const byAccept = await ctx.api.get('/actors').set('accept', 'text/csv').expect(200);
    expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
    const paramWins = await ctx.api.get('/actors?format=json').set('accept', 'text/csv').expect(200);
    expect(paramWins.body.data.length).toBeGreaterThan(0);
    const two = csv((await ctx.api.get('/figures?format=csv&limit=2').expect(200)).text);
    expect(two).toHaveLength(2);
    const bad = await ctx.api.get('/figures?format=xml').expect(400);
    expect(fieldsOf(bad.body)).toEqual(['format']);
  });

  it('exports sources, latest figures, a record history and the change feed', async () => {
    const sources = csv((await ctx.api.get('/sources?format=csv').expect(200)).text);
    expect(sources.some((s) => s.id === EXAMPLE_IDS.source)).toBe(true);
    expect(Object.keys(sources[0])).toContain('publishedOnLastDay');
    const latest = csv((await ctx.api.get('/figures/latest?format=csv&metric=killed').expect(200)).text);
    expect(latest.every((f) => f.metric === 'killed')).toBe(true);
    const history = csv((await ctx.api.get(`/figures/${EXAMPLE_IDS.figure}/history?format=csv`).expect(200)).text);
    expect(history[0]).toMatchObject({ revision: '1', action: 'create', by: 'seed' });
    const changes = ndjson((await ctx.api.get('/changes?format=ndjson').expect(200)).text);
    expect(changes.length).toBeGreaterThan(seedStatements.length);
    expect(changes[0]).toMatchObject({ action: 'create', revision: 1 });
  });

  it('gives a series its points, one figure a row, and discrepancies a row a pair, both figures side by side', async () => {
    const query = 'metric=killed&reporter=gaza-ministry-of-health';
    const series = (await ctx.api.get(`/figures/series?${query}`).expect(200)).body;
    const points = csv((await ctx.api.get(`/figures/series?${query}&format=csv`).expect(200)).text);
    expect(points.map((p) => p.id)).toEqual(series.points.map((p: { id: string }) => p.id));
    expect(points.map((p) => Number(p.value))).toEqual(series.points.map((p: { value: number }) => p.value));
    const streamed = ndjson(
      (await ctx.api.get(`/figures/series?${query}`).set('accept', 'application/x-ndjson').expect(200)).text,
    );
    expect(streamed).toEqual(series.points);

    // The seed's counts only grow; two reporters who cannot both be right:
    for (const [value, reporter] of [
      [100, 'israel'],
      [300, 'gaza-ministry-of-health'],
    ] as const) {
      await ctx.api
        .post('/figures')
        .send({
          metric: 'test_formats',
          value,
          reporter,
          asOf: '2024-05-01',
          citations: [{ sourceId: EXAMPLE_IDS.source, excerpt: 'x', role: 'secondary' }],
        })
        .expect(201);
    }
    const pairs = (await ctx.api.get('/figures/discrepancies?window=120').expect(200)).body.data;
    expect(pairs.length).toBeGreaterThan(0);
    const res = await ctx.api.get('/figures/discrepancies?window=120&format=csv').expect(200);
    expect(res.headers['content-disposition']).toMatch(/filename="figure-discrepancies-/);
    const rows = csv(res.text);
    expect(rows).toHaveLength(pairs.length);
    rows.forEach((row, i) => {
      expect(row).toMatchObject({
        metric: pairs[i].metric,
        difference: String(pairs[i].difference),
        boundsOverlap: String(pairs[i].boundsOverlap),
        'figures.0.id': pairs[i].figures[0].id,
        'figures.1.id': pairs[i].figures[1].id,
        'figures.1.value': String(pairs[i].figures[1].value),
        'figures.0.reporter.slug': pairs[i].figures[0].reporter?.slug ?? '',
        kind: pairs[i].kind,
        explanation: pairs[i].explanation,
      });
    });
    expect(ndjson((await ctx.api.get('/figures/discrepancies?window=120&format=ndjson').expect(200)).text)).toEqual(pairs);
  });
});

describe('the OpenAPI document', () => {
  it('declares CSV and NDJSON on every list that takes format=, NDJSON lines as the list records', async () => {
    const doc = (await ctx.api.get('/openapi.json').expect(200)).body;
    const lists: string[] = [];
    for (const [path, item] of Object.entries<
      Record<
        string,
        { parameters?: { name: string }[]; responses: Record<string, { content: Record<string, { schema: { $ref?: string } }> }> }
      >
    >(doc.paths)) {
      const op = item.get;
      if (!op?.parameters?.some((p) => p.name === 'format')) continue;
      lists.push(path);
      const content = op.responses['200'].content;
      expect(Object.keys(content).sort(), path).toEqual(['application/json', 'application/x-ndjson', 'text/csv']);
      expect(content['application/x-ndjson'].schema.$ref, path).toMatch(/^#\/components\/schemas\//);
    }
    expect(lists).toEqual(expect.arrayContaining(['/statements', '/figures/series', '/figures/discrepancies', '/changes']));
  });
});

describe('refusals before a stream starts', () => {
  it('answers a bad cursor or filter in CSV and NDJSON with a 400 problem, not a 200 cut short', async () => {
    for (const url of [
      '/statements?format=csv&cursor=bm9wZQ',
      '/figures?format=ndjson&from=2024-13',
      '/statements?format=csv&sort=relevance',
    ]) {
      const res = await ctx.api.get(url).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('counts a search that mixes OR and an exclusion', async () => {
    const res = await ctx.api.get(`/statements?total=true&q=${encodeURIComponent('"gaza" -"zionist" OR genocide')}`).expect(200);
    expect(res.body.total).toBe(res.body.data.length);
  });

  it('refuses impossible times in since and asOf', async () => {
    for (const since of ['2024-02-30T00:00:00Z', '0000-01-01T00:00:00Z']) {
      const res = await ctx.api.get(`/changes?since=${since}`).expect(400);
      expect(fieldsOf(res.body)).toEqual(['since']);
    }
    const asOf = await ctx.api.get(`/figures/${EXAMPLE_IDS.figure}?asOf=0000-01-01T00:00:00Z`).expect(400);
    expect(fieldsOf(asOf.body)).toEqual(['asOf']);
  });
});
