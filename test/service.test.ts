import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { useApp } from './helpers/app.js';

const ctx = useApp();

describe('service endpoints', () => {
  it('answers liveness and readiness, naming the database', async () => {
    await ctx.api.get('/health').expect(200, { status: 'ok' });
    const ready = await ctx.api.get('/ready').expect(200);
    expect(ready.body.status).toBe('ready');
    expect(ready.body.database).toBe(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
  });

  it('echoes a caller-supplied request id', async () => {
    const res = await ctx.api.get('/health').set('x-request-id', 'abc-123').expect(200);
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it('documents each problem type at its type URI', async () => {
    const problem = (await ctx.api.get('/actors/nobody').expect(404)).body;
    const type = await ctx.api.get(problem.type).expect(200);
    expect(type.body).toEqual({ code: 'not-found', status: 404, title: problem.title });
    await ctx.api.get('/problems/no-such-problem').expect(400);
  });
});

describe('configuration', () => {
  it('has defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DATA_DIR: './data', LOG_LEVEL: 'info', SEED_ON_EMPTY: true });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable in one message', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', SEED_ON_EMPTY: 'maybe' });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'SEED_ON_EMPTY']) expect(message).toContain(name);
  });

  it('reads a PostgreSQL URL and treats an empty one as unset', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://postgres@db:5432/attest' }).DATABASE_URL).toBe(
      'postgresql://postgres@db:5432/attest',
    );
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});

describe('cross-origin use and merge patches', () => {
  it('lets browser tools on other origins read, and see the pagination and caching headers', async () => {
    const res = await ctx.api.get('/actors?limit=1').set('origin', 'https://newsroom.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toMatch(/Link/);
    // Writing from a browser needs the origin in CORS_WRITE_ORIGINS (test/cors.test.ts).
    const preflight = await ctx.api
      .options('/actors')
      .set('origin', 'https://newsroom.example')
      .set('access-control-request-method', 'PATCH');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('accepts PATCH bodies sent as application/merge-patch+json', async () => {
    const created = (await ctx.api.post('/actors').send({ name: 'Merge Patch', kind: 'other', role: 'x' }).expect(201)).body;
    const res = await ctx.api
      .patch(`/actors/${created.id}`)
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ role: null }))
      .expect(200);
    expect(res.body.role).toBeNull();
  });
});

describe('characters the database cannot store', () => {
  it.each([
    ['POST', '/actors', { name: 'A\u0000B', kind: 'person' }, 'body', 'name'],
    ['GET', '/statements?q=%00', undefined, 'query', 'q'],
    ['GET', '/actors/%00', undefined, 'params', 'id'],
    ['POST', '/sources', { kind: 'other', title: 't', authors: ['ok', 'bad\u0000'] }, 'body', 'authors.1'],
  ])('refuses U+0000 in %s %s with a 400 naming the field', async (method, url, body, where, field) => {
    const req = method === 'GET' ? ctx.api.get(url) : ctx.api.post(url).send(body as object);
    const res = await req.expect(400);
    expect(res.body.code).toBe('validation-failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ in: where, field })]);
  });

  it('judges an over-long id by its schema (400 naming it), not by the router', async () => {
    const res = await ctx.api.get(`/statements/${'a'.repeat(300)}`).expect(400);
    expect(res.body.errors[0]).toMatchObject({ in: 'params', field: 'id' });
  });
});
