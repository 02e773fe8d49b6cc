import { describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { EXAMPLE_IDS } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { fieldsOf } from './helpers/problems.js';

const BODY_LIMIT = 2048;
const ctx = useApp({ seed: true, bodyLimit: BODY_LIMIT });

/** Every operation that takes a JSON body. */
const WRITES: [method: 'post' | 'patch', path: string][] = [
  ['post', '/actors'],
  ['patch', '/actors/miguel-diaz-canel'],
  ['post', '/sources'],
  ['patch', `/sources/${EXAMPLE_IDS.source}`],
  ['post', '/statements'],
  ['patch', `/statements/${EXAMPLE_IDS.statement}`],
  ['post', '/figures'],
  ['patch', `/figures/${EXAMPLE_IDS.figure}`],
  ['patch', `/citations/${EXAMPLE_IDS.citation}`],
  ['post', `/statements/${EXAMPLE_IDS.statement}/citations`],
  ['post', `/figures/${EXAMPLE_IDS.figure}/citations`],
];

const send = (method: 'post' | 'patch', path: string, contentType: string, body: string) =>
  ctx.api[method](path).set('content-type', contentType).send(body);

/** The parts of an RFC 9457 answer every error shares; returns the body. */
function expectProblem(res: Response, status: number, code: string, instance: string) {
  expect(res.status, `${instance}: ${JSON.stringify(res.body)}`).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['x-request-id']).toBeTruthy();
  expect(res.body).toMatchObject({ type: `/problems/${code}`, status, code, instance });
  expect(res.body.title).toEqual(expect.any(String));
  expect(res.body.detail).toEqual(expect.any(String));
  return res.body;
}

describe.each(WRITES)('%s %s', (method, path) => {
  it('answers 413 payload-too-large for a body over the limit', async () => {
    const body = JSON.stringify({ notes: 'x'.repeat(2 * BODY_LIMIT) });
    expect(Buffer.byteLength(body)).toBeGreaterThan(4000);
    expectProblem(await send(method, path, 'application/json', body), 413, 'payload-too-large', path);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded'])('answers 415 for %s', async (type) => {
    expectProblem(await send(method, path, type, 'name=x'), 415, 'unsupported-media-type', path);
  });

  it.each(['{"name": ', '{name: 1}', '', '{"a": 1}}'])('answers 400 malformed-body for JSON %j', async (text) => {
    expectProblem(await send(method, path, 'application/json', text), 400, 'malformed-body', path);
  });

  it.each(['[]', '[{"excerpt": "x"}]', '"a string"', '42', 'null'])('answers 400 validation-failed for %s', async (text) => {
    const body = expectProblem(await send(method, path, 'application/json', text), 400, 'validation-failed', path);
    expect(body.errors.length).toBeGreaterThan(0);
    expect(body.errors.every((e: { in: string }) => e.in === 'body')).toBe(true);
  });

  it('answers 400 naming an unknown field', async () => {
    const res = await ctx.api[method](path).send({ colour: 'red' });
    const body = expectProblem(res, 400, 'validation-failed', path);
    expect(fieldsOf(body)).toContain('colour');
    if (method === 'patch') expect(fieldsOf(body)).toEqual(['colour']);
  });
});

describe('every error', () => {
  it('answers 404 route-not-found for unknown routes', async () => {
    const unknown: [method: 'get' | 'post', path: string][] = [
      ['get', '/nothing-here'],
      ['post', '/actors/miguel-diaz-canel/citations'],
      ['get', '/citations?limit=1'],
    ];
    for (const [method, path] of unknown) {
      const body = expectProblem(await ctx.api[method](path), 404, 'route-not-found', path);
      expect(body.errors).toBeUndefined();
    }
  });

  it('answers 405 method-not-allowed, with Allow, for a known route and another method', async () => {
    const wrong: [method: 'put' | 'delete', path: string, allow: string][] = [
      ['put', `/sources/${EXAMPLE_IDS.source}`, 'DELETE, GET, HEAD, PATCH'],
      ['delete', '/statements', 'GET, HEAD, POST'],
    ];
    for (const [method, path, allow] of wrong) {
      const res = await ctx.api[method](path);
      expectProblem(res, 405, 'method-not-allowed', path);
      expect(res.headers.allow).toBe(allow);
    }
  });

  it('carries the caller’s x-request-id, or a fresh one', async () => {
    const given = await ctx.api.get('/nothing-here').set('x-request-id', 'trace-abc-123').expect(404);
    expect(given.headers['x-request-id']).toBe('trace-abc-123');
    const a = await ctx.api.get(`/statements/${EXAMPLE_IDS.figure}`).expect(404);
    const b = await ctx.api.get(`/statements/${EXAMPLE_IDS.figure}`).expect(404);
    expect(a.headers['x-request-id']).toBeTruthy();
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    expectProblem(a, 404, 'not-found', `/statements/${EXAMPLE_IDS.figure}`);
  });

  it('points its type at a document describing the problem', async () => {
    const problem = expectProblem(await ctx.api.post('/actors').send([]), 400, 'validation-failed', '/actors');
    const doc = await ctx.api.get(problem.type).expect(200);
    expect(doc.body).toEqual({ code: 'validation-failed', status: 400, title: problem.title });
  });

  it('leaves the record alone after a refused write', async () => {
    const before = (await ctx.api.get(`/figures/${EXAMPLE_IDS.figure}`).expect(200)).body;
    await send('patch', `/figures/${EXAMPLE_IDS.figure}`, 'application/json', JSON.stringify({ caveats: 'y'.repeat(4096) }));
    await send('patch', `/figures/${EXAMPLE_IDS.figure}`, 'application/json', '{"value": 1, "colour": "red"}');
    expect((await ctx.api.get(`/figures/${EXAMPLE_IDS.figure}`).expect(200)).body).toEqual(before);
  });
});
