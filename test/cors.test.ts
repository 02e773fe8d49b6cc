import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { TEST_ADMIN_KEY } from './helpers/app.js';
import { useAppWith } from './helpers/app-with.js';

const LISTED = 'https://desk.newsroom.example';
const OTHER = 'https://elsewhere.example';
const EXPOSED = [
  'ETag',
  'Link',
  'Location',
  'X-Request-Id',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
];
const WRITE_HEADERS = ['Authorization', 'Content-Type', 'Change-Reason', 'If-Match', 'Idempotency-Key'];

const ctx = useAppWith({ corsWriteOrigins: [LISTED, 'http://localhost:5173'] });

const preflight = (path: string, origin: string, method: string, headers = 'authorization, content-type') =>
  ctx.anon
    .options(path)
    .set('origin', origin)
    .set('access-control-request-method', method)
    .set('access-control-request-headers', headers);

const list = (header: string | undefined) => (header ?? '').split(',').map((s) => s.trim().toLowerCase());

describe('reads', () => {
  it('are open to every origin, which sees the paging, caching, request-id and limit headers', async () => {
    const res = await ctx.anon.get('/actors?limit=1').set('origin', OTHER).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(list(res.headers['access-control-expose-headers'])).toEqual(
      expect.arrayContaining(EXPOSED.map((h) => h.toLowerCase())),
    );
    // The same answer for every origin: nothing for caches to tell apart.
    expect(res.headers.vary ?? '').not.toMatch(/origin/i);
  });

  it('may be preflighted from any origin, with a key or a conditional header', async () => {
    const res = await preflight('/actors', OTHER, 'GET', 'authorization, if-none-match').expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(list(res.headers['access-control-allow-methods'])).toEqual(['get', 'head']);
    expect(list(res.headers['access-control-allow-headers'])).toEqual(expect.arrayContaining(['authorization', 'if-none-match']));
  });
});

describe('writes from a browser', () => {
  it.each(['POST', 'PATCH', 'DELETE'])(
    '%s: a preflight from an unlisted origin gets no Access-Control-Allow-Origin',
    async (method) => {
      const res = await preflight('/actors/miguel-diaz-canel', OTHER, method, 'authorization, change-reason, content-type');
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-methods']).toBeUndefined();
      expect(res.body).toMatchObject({ code: 'origin-not-allowed' });
      expect(res.body.detail).toContain('CORS_WRITE_ORIGINS');
    },
  );

  it.each(['POST', 'PATCH', 'DELETE'])(
    '%s: a preflight from a listed origin is allowed, with the headers writes need',
    async (method) => {
      const res = await preflight('/actors/miguel-diaz-canel', LISTED, method, WRITE_HEADERS.join(', ')).expect(204);
      expect(res.headers['access-control-allow-origin']).toBe(LISTED);
      expect(res.headers.vary).toMatch(/Origin/);
      expect(list(res.headers['access-control-allow-methods'])).toContain(method.toLowerCase());
      expect(list(res.headers['access-control-allow-headers'])).toEqual(
        expect.arrayContaining(WRITE_HEADERS.map((h) => h.toLowerCase())),
      );
      expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
    },
  );

  it('the answer to a write is readable by a listed origin only', async () => {
    const listed = await ctx.anon
      .post('/actors')
      .set('origin', LISTED)
      .set('authorization', `Bearer ${TEST_ADMIN_KEY}`)
      .send({ name: 'From The Desk', kind: 'other' })
      .expect(201);
    expect(listed.headers['access-control-allow-origin']).toBe(LISTED);
    expect(list(listed.headers['access-control-expose-headers'])).toEqual(expect.arrayContaining(['location', 'etag']));
    const other = await ctx.anon
      .post('/actors')
      .set('origin', OTHER)
      .set('authorization', `Bearer ${TEST_ADMIN_KEY}`)
      .send({ name: 'From Elsewhere', kind: 'other' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('an OPTIONS request that is not a preflight is a 404', async () => {
    await ctx.anon.options('/actors').expect(404);
  });
});

describe('by default', () => {
  const plain = useAppWith({});

  it('no origin may write from a browser', async () => {
    for (const origin of [LISTED, 'http://localhost:3000']) {
      const res = await plain.anon.options('/actors').set('origin', origin).set('access-control-request-method', 'DELETE');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('CORS_WRITE_ORIGINS is empty, and takes only origins', () => {
    expect(loadConfig({}).CORS_WRITE_ORIGINS).toEqual([]);
    expect(loadConfig({ CORS_WRITE_ORIGINS: 'https://a.example, http://localhost:5173' }).CORS_WRITE_ORIGINS).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
    for (const bad of ['*', 'https://a.example/', 'a.example', 'ftp://a.example']) {
      expect(() => loadConfig({ CORS_WRITE_ORIGINS: bad }), bad).toThrow(/CORS_WRITE_ORIGINS/);
    }
  });
});
