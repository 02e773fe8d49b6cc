import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { TEST_ADMIN_KEY } from './helpers/app.js';
import { useAppWith } from './helpers/app-with.js';

const behindProxy = useAppWith({ publicUrl: 'https://attest.example.org/api' });
const direct = useAppWith({});

async function twoActors(ctx: typeof direct) {
  for (const name of ['First Actor', 'Second Actor']) {
    await ctx.anon
      .post('/actors')
      .set('authorization', `Bearer ${TEST_ADMIN_KEY}`)
      .send({ name, kind: 'person' })
      .expect(201);
  }
}

describe('the next page link', () => {
  it('is built on PUBLIC_URL when it is set, whatever Host the request named', async () => {
    await twoActors(behindProxy);
    const res = await behindProxy.anon.get('/actors?limit=1&sort=name').set('host', 'internal:3000').expect(200);
    expect(res.headers.link).toBe(
      `<https://attest.example.org/api/actors?limit=1&sort=name&cursor=${encodeURIComponent(res.body.nextCursor)}>; rel="next"`,
    );
  });

  it('is built on the request scheme and host without it', async () => {
    await twoActors(direct);
    const res = await direct.anon.get('/actors?limit=1').set('host', 'attest.local:8080').expect(200);
    expect(res.headers.link).toMatch(/^<http:\/\/attest\.local:8080\/actors\?limit=1&cursor=[^>]+>; rel="next"$/);
  });

  it('PUBLIC_URL takes an http(s) URL and drops its trailing slash', () => {
    expect(loadConfig({}).PUBLIC_URL).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: 'https://attest.example.org/' }).PUBLIC_URL).toBe('https://attest.example.org');
    for (const bad of ['attest.example.org', 'ftp://attest.example.org', 'https://a.example/?x=1']) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
  });
});

describe("the OpenAPI document's server", () => {
  // Client generators take the server URL as their base URL: a relative one leaves generated clients
  // without a host, so the document names the address the client can reach.
  it('is PUBLIC_URL when it is set, for /openapi.json and for Swagger UI', async () => {
    for (const url of ['/openapi.json', '/docs/json']) {
      const res = await behindProxy.anon.get(url).set('host', 'internal:3000').expect(200);
      expect(res.body.servers, url).toEqual([expect.objectContaining({ url: 'https://attest.example.org/api' })]);
    }
  });

  it('is the request scheme and host without it', async () => {
    for (const url of ['/openapi.json', '/docs/json']) {
      const res = await direct.anon.get(url).set('host', 'attest.local:8080').expect(200);
      expect(res.body.servers, url).toEqual([expect.objectContaining({ url: 'http://attest.local:8080' })]);
    }
  });
});

describe('a statement’s permalink and citation line', () => {
  const cite = async (ctx: typeof direct, host: string) => {
    const write = (req: ReturnType<typeof ctx.anon.post>) => req.set('authorization', `Bearer ${TEST_ADMIN_KEY}`).set('host', host);
    await write(ctx.anon.post('/actors')).send({ name: 'Cited Speaker', kind: 'person' }).expect(201);
    const created = await write(ctx.anon.post('/statements'))
      .send({
        speaker: 'cited-speaker',
        text: 'Words worth citing.',
        language: 'en',
        kind: 'direct_quote',
        saidOn: '2024-05',
        citations: [{ source: { kind: 'news_article', title: 'A report', url: 'https://example.org/report' }, excerpt: 'Words.', role: 'secondary' }],
      })
      .expect(201);
    const read = await ctx.anon.get(`/statements/${created.body.id}`).set('host', host).expect(200);
    expect(read.body).toEqual(created.body);
    return read.body as { id: string; permalink: string; citeAs: string };
  };

  it('is built on PUBLIC_URL when it is set, whatever Host the request named', async () => {
    const s = await cite(behindProxy, 'internal:3000');
    expect(s.permalink).toBe(`https://attest.example.org/api/statements/${s.id}?revision=1`);
    expect(s.citeAs).toBe(
      `Cited Speaker, May 2024: “Words worth citing.” Reported in “A report”, https://example.org/report. Attest statement ${s.id}, revision 1, ${s.permalink}.`,
    );
  });

  it('is built on the request scheme and host without it', async () => {
    const s = await cite(direct, 'attest.local:8080');
    expect(s.permalink).toBe(`http://attest.local:8080/statements/${s.id}?revision=1`);
  });
});
