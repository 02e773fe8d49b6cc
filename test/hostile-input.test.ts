import { request as httpRequest } from 'node:http';
import { once } from 'node:events';
import { type AddressInfo, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { EXAMPLE_IDS } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { fieldsOf } from './helpers/problems.js';
import { DIAZ } from './helpers/seed.js';

/*
 * Input built to break the server: deep nesting, text that cannot be stored, crafted cursors and
 * URLs, strange request ids, stored HTML. Every answer is a 4xx problem, quickly, and nothing is
 * stored altered.
 */
const ctx = useApp({ seed: true });

function expectProblem(res: Response, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
  return res.body as { errors?: { in: string; field: string; message: string }[]; detail: string };
}

const json = (method: 'post' | 'patch', path: string, body: string, type = 'application/json') =>
  ctx.api[method](path).set('content-type', type).send(body);

const statement = (over: Record<string, unknown> = {}) => ({
  speaker: 'anadolu-agency',
  text: 'A statement written by the hostile-input tests.',
  language: 'en',
  kind: 'official_statement',
  saidOn: '2024-05-01',
  citations: [{ sourceId: EXAMPLE_IDS.source, excerpt: 'The passage.', role: 'secondary' }],
  ...over,
});

describe('deeply nested JSON', () => {
  it('refuses 6,000 nested arrays with a 400 naming the path, not a 500', async () => {
    const body = expectProblem(await json('post', '/actors', '['.repeat(6000) + ']'.repeat(6000)), 400, 'malformed-body');
    expect(fieldsOf(body)).toEqual([Array(32).fill('0').join('.')]);
  });

  it('names the field that is nested too deep, inside objects and arrays, for merge patches too', async () => {
    const deep = `${'['.repeat(40)}"x"${']'.repeat(40)}`;
    const res = await json('post', '/actors', `{"name": "Deep", "kind": "other", "aliases": ["a", ${deep}]}`);
    expect(fieldsOf(expectProblem(res, 400, 'malformed-body'))).toEqual([`aliases.1.${Array(30).fill('0').join('.')}`]);
    const patch = await json('patch', `/actors/${DIAZ}`, `{"handles": {"x\\"y": ${deep}}}`, 'application/merge-patch+json');
    expect(fieldsOf(expectProblem(patch, 400, 'malformed-body'))[0]).toMatch(/^handles\.x"y\.0\.0/);
  });

  it('lets 32 levels through to validation', async () => {
    const body = `${'['.repeat(32)}${']'.repeat(32)}`;
    expectProblem(await json('post', '/actors', body), 400, 'validation-failed');
  });

  it('answers a 1 MB nested body at once, and /health is not held meanwhile', async () => {
    const objects = '{"a":'.repeat(170_000) + '1' + '}'.repeat(170_000);
    const arrays = '['.repeat(520_000) + ']'.repeat(520_000);
    for (const text of [objects, arrays]) {
      expect(text.length).toBeGreaterThan(1_000_000);
      const started = Date.now();
      const [res, health] = await Promise.all([
        json('post', '/actors', text).then((r) => [r, Date.now() - started] as const),
        ctx.anon.get('/health').then((r) => [r, Date.now() - started] as const),
      ]);
      // The default body limit is 1 MiB; both are under it and parsed no further than 33 levels.
      expectProblem(res[0], 400, 'malformed-body');
      expect(res[1]).toBeLessThan(1000);
      expect(health[0].status).toBe(200);
      expect(health[1]).toBeLessThan(1000);
    }
  });
});

describe('text that cannot be stored unchanged', () => {
  const LONE = '\ud800';

  it.each([
    ['an alias', '/actors', { name: 'Lone Surrogate', kind: 'other', aliases: ['ok', `a${LONE}b`] }, 'aliases.1'],
    [
      'a handle',
      '/actors',
      { name: 'Lone Surrogate', kind: 'other', handles: [{ platform: 'x', handle: `h${LONE}` }] },
      'handles.0.handle',
    ],
    [
      'an external id',
      '/actors',
      { name: 'Lone Surrogate', kind: 'other', externalIds: { wikidata: `Q1${LONE}` } },
      'externalIds.wikidata',
    ],
    ['a name (low half)', '/actors', { name: 'Lone \udc00 Surrogate', kind: 'other' }, 'name'],
    ['an author', '/sources', { kind: 'other', title: 'Lone surrogate source', authors: [`A${LONE}`] }, 'authors.0'],
    ['a tag', '/statements', statement({ tags: ['fine', `t${LONE}`] }), 'tags.1'],
    ['a statement’s text', '/statements', statement({ text: `Said ${LONE} this.` }), 'text'],
    [
      'a citation’s excerpt',
      '/statements',
      statement({ citations: [{ sourceId: EXAMPLE_IDS.source, excerpt: `x${LONE}`, role: 'primary' }] }),
      'citations.0.excerpt',
    ],
  ])('refuses a lone surrogate in %s with a 400 naming the field, and stores nothing', async (_, path, payload, field) => {
    const res = await ctx.api.post(path).send(payload);
    const body = expectProblem(res, 400, 'validation-failed');
    expect(body.errors).toEqual([{ in: 'body', field, message: expect.stringContaining('lone surrogate') }]);
  });

  it('refuses lone surrogates and NUL in field names, in a PATCH too', async () => {
    const res = await ctx.api.patch(`/actors/${DIAZ}`).send({ [`role${LONE}`]: 'x', ['a\u0000b']: 'y' });
    const body = expectProblem(res, 400, 'validation-failed');
    expect(fieldsOf(body)).toEqual(['a\\u0000b', 'role\\ud800']);
    expect((await ctx.api.get(`/actors/${DIAZ}`).expect(200)).body.role).not.toBe('x');
  });

  it('keeps well-formed text beyond the BMP exactly as sent', async () => {
    const text = 'Emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 survive: ﷽';
    const created = await ctx.api.post('/statements').send(statement({ text })).expect(201);
    expect(created.body.text).toBe(text);
    expect((await ctx.api.get(`/statements/${created.body.id}`).expect(200)).body.text).toBe(text);
  });

  it('refuses NUL and broken percent-encoding in the query string, naming the parameter', async () => {
    for (const [url, field] of [
      ['/statements?q=%ED%A0%80', 'q'], // the UTF-8 bytes of a surrogate
      ['/statements?q=%FF', 'q'],
      ['/statements?q=%E0%A4%A', 'q'],
      ['/actors?q=50%', 'q'],
      ['/statements?q=a%00b', 'q'],
      ['/statements?%FF=1', '%FF'],
    ]) {
      const body = expectProblem(await ctx.anon.get(url), 400, 'validation-failed');
      expect(fieldsOf(body), url).toEqual([field]);
    }
    // Well-formed escapes, '%' itself included, are text like any other.
    expect((await ctx.anon.get('/actors?q=50%25').expect(200)).body.data).toEqual([]);
  });
});

const cursorOf = (...parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const ID = '00000000-0000-4000-8000-000000000000';

describe('error answers', () => {
  it('stays small when a body has thousands of unknown fields or invalid items', async () => {
    const manyKeys = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`unknown${i}`, i]));
    const keys = await ctx.api.post('/actors').send({ name: 'Somebody', kind: 'person', ...manyKeys });
    expect(keys.status).toBe(400);
    const body = keys.body;
    expect(keys.text.length).toBeLessThan(4_000);
    expect(body.errors[0].field).toMatch(/^unknown0, unknown1, .* … and 19980 more$/);

    const items = await ctx.api
      .post('/actors')
      .send({ name: 'Somebody', kind: 'person', aliases: Array.from({ length: 100 }, () => 7) });
    expect(items.status).toBe(400);
    const itemsBody = items.body;
    expect(items.text.length).toBeLessThan(8_000);
    expect(itemsBody.errors.at(-1)).toEqual({ in: 'body', field: '(more)', message: '80 more errors not listed' });
  });
});

describe('crafted cursors', () => {
  const lists: [path: string, key: string][] = [
    ['/statements?', '-saidOn'],
    ['/statements?sort=-createdAt&', '-createdAt'],
    ['/figures?', '-asOf'],
    ['/actors?', 'name'],
    ['/actors?sort=-createdAt&', '-createdAt'],
    ['/sources?sort=title&', 'title'],
  ];
  const dates = [
    '2024-02-30',
    '2023-02-29',
    '1',
    'March 7',
    '99999-01-01',
    '0000-01-01',
    '2024-13-01',
    '2024-01-01T24:00:00Z',
    '2024-01-01T10:00:00+99:00',
    '2024-01-01 10:00',
  ];

  it.each(lists)('%s answers 400 invalid-cursor for bad dates, NUL, lone surrogates and bad encodings', async (path, key) => {
    const isDate = !['name', 'title'].includes(key);
    const values = isDate ? dates : ['a\u0000b', 'x\ud800'];
    const cursors = [
      ...values.map((v) => cursorOf(key, v, ID)),
      cursorOf(key, isDate ? '2024-01-01' : 'a', 'not-a-uuid'),
      cursorOf(key, isDate ? '2024-01-01' : 'a', ID, 'extra'),
      Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]).toString('base64url'), // ["\xff\xfe"]: not UTF-8
      Buffer.from(`["${key}","2024-01-01","${ID}"]`).toString('base64'), // padded base64, '=' and maybe '+'
      '!!!!',
      encodeURIComponent('ÿÿÿ'),
      Buffer.from('[]').toString('base64url'),
      Buffer.from('[1, 2, 3]').toString('base64url'),
      Buffer.from('{"0": "x"}').toString('base64url'),
    ];
    for (const cursor of cursors) {
      const res = await ctx.anon.get(`${path}cursor=${encodeURIComponent(cursor)}`);
      if (res.status === 200) {
        // Standard base64 that happens to be base64url too decodes to the same valid cursor.
        expect(cursor).toMatch(/^[A-Za-z0-9]+$/);
        continue;
      }
      const body = expectProblem(res, 400, 'invalid-cursor');
      expect(fieldsOf(body), `${path} ${cursor}`).toEqual(['cursor']);
    }
  });

  it('accepts the dates a list issues, at the edges of the calendar', async () => {
    for (const v of ['2024-02-29', '0001-01-01', '9999-12-31', '2024-01-01T23:59:59.999999Z', '2024-06-01T00:00:00+05:30']) {
      await ctx.anon.get(`/statements?cursor=${cursorOf('-saidOn', v, ID)}`).expect(200);
      await ctx.anon.get(`/actors?sort=-createdAt&cursor=${cursorOf('-createdAt', v, ID)}`).expect(200);
    }
  });

  it('answers 400 for offsets out of range in relevance and latest-figure cursors', async () => {
    for (const offset of ['-1', '1e400', '99999999999999999999', '1.5', 'NaN', '']) {
      const search = await ctx.anon.get(`/statements?q=genocide&sort=relevance&cursor=${cursorOf('relevance', offset, ID)}`);
      expect(fieldsOf(expectProblem(search, 400, 'invalid-cursor'))).toEqual(['cursor']);
      const latest = await ctx.anon.get(`/figures/latest?cursor=${cursorOf('latest', offset, ID)}`);
      expect(fieldsOf(expectProblem(latest, 400, 'invalid-cursor'))).toEqual(['cursor']);
    }
  });
});

describe('URLs the router cannot read', () => {
  it.each(['/actors/%FF', '/statements/%E0%A4%A', '/actors/%ED%A0%80', `/figures/%`])(
    '%s answers 400 problem+json',
    async (url) => {
      const body = expectProblem(await ctx.anon.get(url), 400, 'validation-failed');
      expect(fieldsOf(body)).toEqual(['(path)']);
    },
  );

  it('answers over-long ids with 400 problem+json, at any length', async () => {
    for (const n of [201, 999, 1001, 5000]) {
      const res = await ctx.anon.get(`/actors/${'a'.repeat(n)}`);
      expectProblem(res, 400, 'validation-failed');
      expect(res.headers['x-request-id']).toBeTruthy();
    }
    expect(fieldsOf(expectProblem(await ctx.anon.get(`/statements/${'1'.repeat(300)}`), 400, 'validation-failed'))).toEqual([
      'id',
    ]);
  });

  it('answers unknown routes 404 and wrong methods 405 with Allow, as problem+json', async () => {
    expectProblem(await ctx.anon.get('/nothing/here'), 404, 'route-not-found');
    const put = await ctx.api.put(`/statements/${EXAMPLE_IDS.statement}`).send({});
    expectProblem(put, 405, 'method-not-allowed');
    expect(put.headers.allow).toBe('DELETE, GET, HEAD, PATCH');
    const del = await ctx.anon.delete('/statements');
    expectProblem(del, 405, 'method-not-allowed');
    expect(del.headers.allow).toBe('GET, HEAD, POST');
  });

  it('answers request headers over 16 KB with 431 problem+json', async () => {
    if (!ctx.app.server.listening) await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = ctx.app.server.address() as AddressInfo;
    const res = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/health', headers: { 'x-padding': 'x'.repeat(20_000) } }, (r) => {
        let body = '';
        r.on('data', (d) => (body += d));
        r.on('end', () => resolve({ status: r.statusCode!, type: String(r.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(431);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 431, code: 'headers-too-large' });
  });
});

/** Sends `text` as it is on a new connection and reads the whole answer. */
async function raw(text: string) {
  if (!ctx.app.server.listening) await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = ctx.app.server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  socket.write(text);
  let answer = '';
  socket.on('data', (d) => (answer += d));
  await Promise.race([once(socket, 'end'), once(socket, 'close'), new Promise((r) => setTimeout(r, 3000))]);
  socket.destroy();
  const [head, body] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), head: head.toLowerCase(), body: JSON.parse(body) };
}

describe('requests Node itself would refuse bare', () => {
  it('answers a missing Host (HTTP/1.1) with 400 problem+json naming it', async () => {
    const res = await raw('GET /health HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(400);
    expect(res.head).toContain('content-type: application/problem+json');
    expect(res.body).toMatchObject({ code: 'validation-failed', errors: [{ in: 'headers', field: 'host' }] });
    // HTTP/1.0 has no Host requirement.
    expect((await raw('GET /health HTTP/1.0\r\n\r\n')).status).toBe(200);
  });

  it('answers an unknown Expect with 417 problem+json', async () => {
    const res = await raw('GET /health HTTP/1.1\r\nHost: x\r\nExpect: the-unexpected\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(417);
    expect(res.head).toContain('content-type: application/problem+json');
    expect(res.body).toMatchObject({ code: 'expectation-failed', status: 417 });
  });

  it('answers bytes that are not HTTP with 400 problem+json', async () => {
    const res = await raw('GET GET /health HTTP/1.1\r\n\r\n');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'malformed-body' });
  });
});

describe('x-request-id', () => {
  it('is echoed when short and safe, replaced otherwise', async () => {
    for (const id of ['trace-abc-123', 'a.b:c_d-e', 'x'.repeat(64)]) {
      expect((await ctx.anon.get('/health').set('x-request-id', id)).headers['x-request-id']).toBe(id);
    }
    for (const id of ['x'.repeat(65), '<script>alert(1)</script>', 'a b', 'ünïcode', '"quoted"', 'a/b']) {
      const echoed = (await ctx.anon.get('/health').set('x-request-id', id)).headers['x-request-id'];
      expect(echoed).not.toBe(id);
      expect(echoed).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    }
  });
});

describe('search highlights', () => {
  it('escape the stored text: the only markup is <mark>', async () => {
    const text = `Quarantined <img src=x onerror="alert('xss')"> & <script>alert(1)</script> quarantined`;
    const created = await ctx.api.post('/statements').send(statement({ text })).expect(201);
    const res = await ctx.anon.get('/statements?q=quarantined&highlight=true').expect(200);
    const found = res.body.data.find((s: { id: string }) => s.id === created.body.id);
    expect(found.text).toBe(text);
    expect(found.highlight.text).toBe(
      '<mark>Quarantined</mark> &lt;img src=x onerror=&quot;alert(&#39;xss&#39;)&quot;&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt; <mark>quarantined</mark>',
    );
    // A long text comes back as fragments, escaped the same way.
    const long = `${'filler words here '.repeat(80)}<b onmouseover=x>quarantined</b> ${'more filler '.repeat(80)}`;
    const big = await ctx.api
      .post('/statements')
      .send(statement({ text: long }))
      .expect(201);
    const again = await ctx.anon.get('/statements?q=quarantined&highlight=true').expect(200);
    const fragment: string = again.body.data.find((s: { id: string }) => s.id === big.body.id).highlight.text;
    expect(fragment).toContain('&lt;b onmouseover=x&gt;<mark>quarantined</mark>&lt;/b&gt;');
    expect(fragment.replaceAll('<mark>', '').replaceAll('</mark>', '')).not.toMatch(/[<>"']/);
  });
});
