import { describe, expect, it } from 'vitest';
import {
  actors as seedActors,
  figures as seedFigures,
  relations as seedRelations,
  sources as seedSources,
  statements as seedStatements,
} from '../src/seed/data.js';
import { EXAMPLE_IDS } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { fieldsOf } from './helpers/problems.js';
import { DIAZ, RAISI, TEHRAN } from './helpers/seed.js';

const ctx = useApp({ seed: true });

type Line = Record<string, unknown> & { type: string; id: string };
const ndjson = (text: string): Line[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
const toNdjson = (lines: object[]) => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;

const exportLines = async (query = '') => ndjson((await ctx.anon.get(`/export${query}`).expect(200)).text);
const importNdjson = (body: string, query = '') =>
  ctx.api.post(`/import${query}`).set('content-type', 'application/x-ndjson').send(body);
const importCsv = (body: string, query: string) => ctx.api.post(`/import${query}`).set('content-type', 'text/csv').send(body);
// Counted in the table: the change feed shows a change only once every older transaction in the
// cluster has ended, so other test files' writes could appear in it between two reads.
const revisions = async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM revisions'))[0].n;

// Lines a journalist would write: create bodies, speakers by slug, sources inline by URL.
let n = 0;
const statementLine = (over: Record<string, unknown> = {}) => ({
  type: 'statement',
  speaker: DIAZ,
  text: `Words said for the import tests (${++n}).`,
  language: 'en',
  kind: 'paraphrase',
  saidOn: '2025-01',
  citations: [
    {
      source: { kind: 'news_article', title: 'Import test article', url: 'https://import.example/article?utm_source=x' },
      excerpt: 'The passage that carries it.',
      role: 'secondary',
    },
  ],
  ...over,
});

describe('GET /export', () => {
  it('streams every record as NDJSON, actors, sources, statements, figures then relations, each type by id', async () => {
    const res = await ctx.anon.get('/export').expect(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="attest-export-\d{4}-\d{2}-\d{2}\.ndjson"$/);
    const lines = ndjson(res.text);
    const types = lines.map((l) => l.type);
    expect(types).toEqual([
      ...seedActors.map(() => 'actor'),
      ...seedSources.map(() => 'source'),
      ...seedStatements.map(() => 'statement'),
      ...seedFigures.map(() => 'figure'),
      ...seedRelations.map(() => 'relation'),
    ]);
    for (const type of ['actor', 'source', 'statement', 'figure', 'relation']) {
      const ids = lines.filter((l) => l.type === type).map((l) => l.id);
      expect(ids).toEqual([...ids].sort());
    }
  });

  it('gives each record the shape of its create body, references by id, citations inline with ids and sourceId', async () => {
    const lines = await exportLines();
    const statement = lines.find((l) => l.id === EXAMPLE_IDS.statement)!;
    const api = (await ctx.anon.get(`/statements/${EXAMPLE_IDS.statement}`).expect(200)).body;
    expect(Object.keys(statement)).toEqual([
      'type',
      'id',
      'speaker',
      'attribution',
      'attributedTo',
      'text',
      'language',
      'originalText',
      'originalLanguage',
      'kind',
      'saidOn',
      'medium',
      'platform',
      'location',
      'occasion',
      'tags',
      'verification',
      'notes',
      'involved',
      'citations',
      'createdAt',
      'updatedAt',
    ]);
    expect(statement).toMatchObject({ speaker: api.speaker.id, text: api.text, saidOn: api.saidOn, createdAt: api.createdAt });
    expect(statement.citations).toEqual(
      [...api.citations]
        .sort((a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1))
        .map(
          (c: {
            id: string;
            source: { id: string };
            excerpt: string;
            locator: string | null;
            role: string;
            relays: string | null;
          }) => ({
            id: c.id,
            sourceId: c.source.id,
            excerpt: c.excerpt,
            locator: c.locator,
            role: c.role,
            relays: c.relays,
            createdAt: expect.any(String),
            updatedAt: expect.any(String),
          }),
        ),
    );
    const withInvolved = lines.find((l) => l.type === 'statement' && (l.involved as unknown[]).length)!;
    expect((withInvolved.involved as { actor: string }[])[0].actor).toMatch(/^[0-9a-f-]{36}$/);
    const figure = lines.find((l) => l.id === EXAMPLE_IDS.figure)!;
    expect(figure.reporter).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('adds every revision after the records with history=true', async () => {
    const lines = await exportLines('?history=true');
    const records = lines.filter((l) => l.type !== 'revision');
    const revisions = lines.filter((l) => l.type === 'revision');
    expect(lines.slice(0, records.length)).toEqual(records);
    expect(revisions.length).toBeGreaterThanOrEqual(records.length);
    const rev = revisions.find((r) => r.id === EXAMPLE_IDS.statement)!;
    expect(rev).toMatchObject({ resource: 'statement', revision: 1, action: 'create', by: 'seed' });
    expect((rev.record as { id: string }).id).toBe(EXAMPLE_IDS.statement);
    // Imported back, the records are unchanged and the revisions are counted, not restored.
    const res = await importNdjson(toNdjson(lines)).expect(200);
    expect(res.body).toMatchObject({ created: 0, unchanged: records.length, revisionsSkipped: revisions.length });
  });

  it('answers 400 for unknown query parameters, on export and on import', async () => {
    const res = await ctx.anon.get('/export?format=csv').expect(400);
    expect(fieldsOf(res.body)).toEqual(['format']);
    const imp = await importNdjson(toNdjson([statementLine()]), '?dryrun=true').expect(400);
    expect(fieldsOf(imp.body)).toEqual(['dryrun']);
  });
});

describe('POST /import', () => {
  it('needs a write key, and NDJSON or CSV', async () => {
    await ctx.anon
      .post('/import')
      .set('content-type', 'application/x-ndjson')
      .send(toNdjson([statementLine()]))
      .expect(401);
    const json = await ctx.api.post('/import').send({ type: 'actor', name: 'X', kind: 'person' }).expect(415);
    expect(json.body.detail).toMatch(/application\/x-ndjson/);
    const csv = await importCsv('name,kind\nX,person\n', '').expect(400);
    expect(fieldsOf(csv.body)).toEqual(['type']);
  });

  it('imports create bodies (speakers by slug, sources inline by URL), each record with a revision giving the reason', async () => {
    const lines = [
      { type: 'actor', name: 'Import Test Ministry', kind: 'government', country: 'PS' },
      statementLine({ speaker: 'import-test-ministry', involved: [{ actor: RAISI, role: 'mentioned' }] }),
      statementLine(),
      {
        type: 'figure',
        metric: 'displaced',
        value: 1200,
        qualifier: 'about',
        area: 'Import Test Area',
        asOf: '2025-01-15',
        reporter: 'import-test-ministry',
        citations: [{ sourceId: TEHRAN, excerpt: 'about 1,200 people displaced', role: 'secondary' }],
      },
    ];
    const res = await importNdjson(toNdjson(lines)).set('change-reason', 'Loaded from the ministry file').expect(200);
    expect(res.body).toMatchObject({
      dryRun: false,
      written: true,
      lines: 4,
      created: 5,
      updated: 0,
      unchanged: 0,
      failed: 0,
      failures: [],
      types: {
        actor: { created: 1 },
        source: { created: 1 },
        statement: { created: 2 },
        figure: { created: 1 },
      },
    });
    const ministry = (await ctx.anon.get('/actors/import-test-ministry').expect(200)).body;
    const said = (await ctx.anon.get('/actors/import-test-ministry/statements').expect(200)).body.data;
    expect(said).toHaveLength(1);
    expect(said[0].involved[0].actor.slug).toBe(RAISI);
    expect(said[0].citations[0].source.url).toBe('https://import.example/article');
    const history = (await ctx.anon.get(`/statements/${said[0].id}/history`).expect(200)).body.data;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ revision: 1, action: 'create', by: 'admin', reason: 'Loaded from the ministry file' });
    expect(history[0].record.citations).toHaveLength(1);
    const actorHistory = (await ctx.anon.get(`/actors/${ministry.id}/history`).expect(200)).body.data;
    expect(actorHistory[0]).toMatchObject({ revision: 1, reason: 'Loaded from the ministry file' });

    // The same file again creates nothing.
    const again = await importNdjson(toNdjson(lines)).expect(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 4, failed: 0 });
    expect((await ctx.anon.get('/actors/import-test-ministry/statements').expect(200)).body.data).toHaveLength(1);
  });

  it('uses "import" as the reason when Change-Reason is not given', async () => {
    const res = await ctx.api
      .post('/import')
      .unset('change-reason')
      .set('content-type', 'application/x-ndjson')
      .send(toNdjson([{ type: 'actor', name: 'Reasonless Importer', kind: 'other' }]))
      .expect(200);
    expect(res.body.created).toBe(1);
    const actor = (await ctx.anon.get('/actors/reasonless-importer').expect(200)).body;
    const history = (await ctx.anon.get(`/actors/${actor.id}/history`).expect(200)).body.data;
    expect(history[0].reason).toBe('import');
  });

  it('with dryRun=true reports what would happen and changes nothing', async () => {
    const beforeExport = (await ctx.anon.get('/export').expect(200)).text;
    const beforeRevisions = await revisions();
    const lines = [statementLine(), statementLine({ speaker: RAISI }), { type: 'actor', name: 'Dry Run Person', kind: 'person' }];
    const res = await importNdjson(toNdjson(lines), '?dryRun=true').expect(200);
    expect(res.body).toMatchObject({ dryRun: true, written: false, lines: 3, created: 3, failed: 0 });
    expect((await ctx.anon.get('/export').expect(200)).text).toBe(beforeExport);
    expect(await revisions()).toBe(beforeRevisions);
    await ctx.anon.get('/actors/dry-run-person').expect(404);
  });

  it('writes nothing when a line fails, answering 400 with the line and field of each error', async () => {
    const beforeExport = (await ctx.anon.get('/export').expect(200)).text;
    const beforeRevisions = await revisions();
    const lines = [
      statementLine(),
      statementLine(),
      statementLine(),
      statementLine(),
      statementLine({ citations: [{ sourceId: TEHRAN, role: 'secondary' }] }),
    ];
    const body = `${toNdjson(lines)}{"type":"actor","name":"Bad kind","kind":"planet"}\nnot json\n`;
    const res = await importNdjson(body).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('validation-failed');
    expect(res.body.detail).toMatch(/^Nothing was imported: line 5, citations\.0\.excerpt/);
    expect(res.body.errors).toEqual([
      { in: 'line 5', field: 'citations.0.excerpt', message: expect.any(String) },
      { in: 'line 6', field: 'kind', message: expect.any(String) },
      { in: 'line 7', field: '(line)', message: expect.stringMatching(/^is not JSON/) },
    ]);
    expect((await ctx.anon.get('/export').expect(200)).text).toBe(beforeExport);
    expect(await revisions()).toBe(beforeRevisions);

    // The dry run of the same file names the same lines, with 200 and the counts.
    const dry = await importNdjson(body, '?dryRun=true').expect(200);
    expect(dry.body).toMatchObject({ written: false, lines: 7, created: 4, failed: 3 });
    expect(dry.body.failures.map((f: { line: number }) => f.line)).toEqual([5, 6, 7]);
  });

  it('with onError=skip writes the valid lines and reports the others', async () => {
    const good = statementLine();
    const lines = [good, statementLine({ speaker: 'nobody-at-all' }), { type: 'source', kind: 'report', title: 'Bad kind' }];
    const res = await importNdjson(toNdjson(lines), '?onError=skip').expect(200);
    expect(res.body).toMatchObject({ written: true, lines: 3, created: 1, failed: 2 });
    expect(res.body.types.statement).toMatchObject({ created: 1, failed: 1 });
    expect(res.body.failures).toEqual([
      { line: 2, type: 'statement', field: 'speaker', message: "no actor with this id, slug, name, alias, handle (@name or platform:name) or external id (e.g. wikidata:Q…): 'nobody-at-all'" },
      { line: 3, type: 'source', field: 'kind', message: expect.any(String) },
    ]);
    const found = (await ctx.anon.get(`/actors/${DIAZ}/statements?limit=100`).expect(200)).body.data;
    expect(found.some((s: { text: string }) => s.text === good.text)).toBe(true);
  });

  it('updates only the fields a line gives, adds new citations and keeps the others', async () => {
    const first = statementLine({ tags: ['one'], notes: 'first notes' });
    await importNdjson(toNdjson([first])).expect(200);
    const changed = {
      ...first,
      tags: ['one', 'two'],
      notes: undefined,
      citations: [{ sourceId: TEHRAN, excerpt: 'A second outlet carries it.', role: 'secondary' }],
    };
    const res = await importNdjson(toNdjson([changed])).expect(200);
    expect(res.body).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const [s] = (await ctx.anon.get(`/actors/${DIAZ}/statements?limit=100`).expect(200)).body.data.filter(
      (x: { text: string }) => x.text === first.text,
    );
    expect(s.tags).toEqual(['one', 'two']);
    expect(s.notes).toBe('first notes');
    expect(s.citations).toHaveLength(2);
    const history = (await ctx.anon.get(`/statements/${s.id}/history`).expect(200)).body.data;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['update', 'create']);
    // A line repeating an earlier line of the same file differently is refused; identically, it is unchanged.
    const twice = await importNdjson(
      toNdjson([statementLine({ text: 'Twice.' }), statementLine({ text: 'Twice.', tags: ['x'] })]),
      '?onError=skip',
    ).expect(200);
    expect(twice.body).toMatchObject({ created: 1, failed: 1 });
    expect(twice.body.failures[0]).toMatchObject({
      line: 2,
      field: '(line)',
      message: expect.stringMatching(/same statement as line 1/),
    });
  });

  it('refuses ids of deleted records and URLs of other sources, naming the field', async () => {
    const created = (await ctx.api.post('/actors').send({ name: 'Soon Deleted', kind: 'person' }).expect(201)).body;
    await ctx.api.delete(`/actors/${created.id}`).expect(204);
    const res = await importNdjson(
      toNdjson([
        { type: 'actor', id: created.id, name: 'Soon Deleted', kind: 'person' },
        {
          type: 'source',
          id: '0190ffff-0000-7000-8000-000000000001',
          kind: 'news_article',
          title: 'Taken',
          url: 'https://import.example/article',
        },
      ]),
      '?onError=skip',
    ).expect(200);
    expect(res.body.failures).toEqual([
      { line: 1, type: 'actor', field: 'id', message: expect.stringMatching(/since deleted/) },
      { line: 2, type: 'source', field: 'url', message: expect.stringMatching(/^already used by source /) },
    ]);
  });
});

describe('text that cannot be stored as sent', () => {
  it('refuses a body that is not UTF-8 (a Latin-1 CSV), naming the line, and a NUL in a field', async () => {
    const latin1 = Buffer.concat([Buffer.from('name,kind\nJos'), Buffer.from([0xe9]), Buffer.from(' Person,person\n')]);
    const res = await ctx.api.post('/import?type=actor').set('content-type', 'text/csv').send(latin1).expect(400);
    expect(res.body.errors).toEqual([{ in: 'line 2', field: '(line)', message: 'is not UTF-8 text' }]);
    expect(res.body.detail).toMatch(/Save the file as UTF-8/);
    const nul = await importNdjson('{"type":"actor","name":"A\\u0000B","kind":"person"}\n').expect(400);
    expect(nul.body.errors).toEqual([{ in: 'line 1', field: 'name', message: expect.stringMatching(/NUL/) }]);
  });
});

describe('POST /import of CSV', () => {
  it('imports actors from the columns of GET /actors?format=csv, and the list downloaded as CSV imports back unchanged', async () => {
    const body =
      'name,kind,aliases,country,handles.platform,handles.handle\r\nCsv Person,person,C. Person | CP,CU,x | telegram,cperson | cp\r\n';
    const res = await importCsv(body, '?type=actor').expect(200);
    expect(res.body).toMatchObject({ lines: 1, created: 1 });
    const actor = (await ctx.anon.get('/actors/csv-person').expect(200)).body;
    expect(actor).toMatchObject({
      aliases: ['C. Person', 'CP'],
      country: 'CU',
      handles: [
        { platform: 'x', handle: 'cperson' },
        { platform: 'telegram', handle: 'cp' },
      ],
    });
    const list = (await ctx.anon.get('/actors?format=csv').expect(200)).text;
    const again = await importCsv(list, '?type=actor').expect(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect(again.body.unchanged).toBe(again.body.lines);
  });

  it('imports sources, and statements with one citation per row', async () => {
    const sources =
      'kind,title,url,publisher,authors,publishedOn\nnews_article,CSV source,https://csv.example/a,CSV Daily,A. Writer | B. Writer,2024-03\n';
    expect((await importCsv(sources, '?type=source').expect(200)).body).toMatchObject({ created: 1 });
    const statements = [
      'speaker,text,language,kind,saidOn,tags,sourceUrl,excerpt,role',
      `${DIAZ},"Said in a CSV, with a comma.",en,paraphrase,2024-03-02,csv | test,https://csv.example/a,"The ""passage"".",secondary`,
      `${RAISI},Another CSV statement.,en,paraphrase,2024,,https://csv.example/new,Passage.,primary`,
    ].join('\n');
    const res = await importCsv(statements, '?type=statement').expect(400);
    // The second row's URL names no source: to create one, the row must describe it. Named by its column.
    expect(res.body.errors).toEqual([
      { in: 'line 3', field: 'sourceUrl', message: expect.stringMatching(/^no source has this URL/) },
    ]);
    const fixed = statements
      .replace('sourceUrl,excerpt,role', 'sourceUrl,excerpt,role,sourceKind,sourceTitle')
      .replace('secondary', 'secondary,,')
      .replace('Passage.,primary', 'Passage.,primary,news_article,New CSV source');
    const ok = await importCsv(fixed, '?type=statement').expect(200);
    expect(ok.body).toMatchObject({ created: 3, types: { statement: { created: 2 }, source: { created: 1 } } });
    const s = (await ctx.anon.get(`/actors/${DIAZ}/statements?limit=100`).expect(200)).body.data.find(
      (x: { text: string }) => x.text === 'Said in a CSV, with a comma.',
    );
    expect(s).toMatchObject({
      tags: ['csv', 'test'],
      citations: [{ excerpt: 'The "passage".', source: { title: 'CSV source' } }],
    });
    expect((await importCsv(fixed, '?type=statement').expect(200)).body).toMatchObject({ created: 0, unchanged: 2 });
  });

  it('answers 400 naming the columns a type does not take', async () => {
    const res = await importCsv('name,kind,colour\nX,person,red\n', '?type=actor').expect(400);
    expect(res.body.errors).toEqual([{ in: 'line 1', field: 'colour', message: 'is not a column of type=actor' }]);
    await importCsv('metric\nkilled\n', '?type=figure').expect(400);
  });
});

describe('large imports', () => {
  it('streams 2,000 lines through in batches, with progress lines when asked for NDJSON', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      statementLine({
        speaker: i % 2 ? DIAZ : RAISI,
        text: `Bulk statement number ${i}.`,
        saidOn: '2025-06-01',
        citations: [{ sourceId: TEHRAN, excerpt: `Passage ${i}.`, role: 'secondary' }],
      }),
    );
    const res = await importNdjson(toNdjson(lines)).set('accept', 'application/x-ndjson').expect(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const events = ndjson(res.text) as unknown as {
      progress?: { line: number; totalLines: number };
      report?: { created: number };
    }[];
    const progress = events.filter((e) => e.progress).map((e) => e.progress!);
    expect(progress[0]).toMatchObject({ line: 0, totalLines: 2000 });
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)!.line).toBe(2000);
    expect(events.at(-1)!.report).toMatchObject({ created: 2000, failed: 0 });
    const total = (await ctx.anon.get('/statements?from=2025-06-01&to=2025-06-01&total=true&limit=1').expect(200)).body.total;
    expect(total).toBe(2000);
    const one = (await ctx.anon.get('/statements?from=2025-06-01&to=2025-06-01&limit=1').expect(200)).body.data[0];
    const history = (await ctx.anon.get(`/statements/${one.id}/history`).expect(200)).body.data;
    expect(history).toHaveLength(1);
    expect(history[0].record).toMatchObject({ id: one.id, citations: [{ excerpt: one.citations[0].excerpt }] });
  });
});

describe('the same quote twice', () => {
  it('is one statement: a second POST answers 409 naming it and how to add a citation', async () => {
    const body = {
      speaker: DIAZ,
      text: 'Said once, reported twice.',
      language: 'en',
      kind: 'direct_quote',
      saidOn: '2024-04-02',
      citations: [{ sourceId: TEHRAN, excerpt: 'first outlet', role: 'secondary' }],
    };
    const first = (await ctx.api.post('/statements').send(body).expect(201)).body;
    const again = await ctx.api
      .post('/statements')
      .send({ ...body, citations: [{ sourceId: EXAMPLE_IDS.source, excerpt: 'second outlet', role: 'secondary' }] })
      .expect(409);
    expect(again.body.code).toBe('conflict');
    expect(again.body.detail).toContain(first.id);
    expect(again.body.detail).toContain(`POST the citation to /statements/${first.id}/citations`);
    expect(again.body.errors).toEqual([{ in: 'body', field: 'text', message: expect.stringContaining(first.id) }]);
    expect(again.headers.link).toBe(`</statements/${first.id}>; rel="duplicate"`);
    // Another date, or other words, is another statement.
    await ctx.api
      .post('/statements')
      .send({ ...body, saidOn: '2024-04' })
      .expect(201);
  });
});
