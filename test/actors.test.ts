import { describe, expect, it } from 'vitest';
import { useApp } from './helpers/app.js';

const ctx = useApp();

// A handle or an external id names one actor (test/actor-identity.test.ts): each other person gets its own.
let n = 0;
const person = (over: Record<string, unknown> = {}) => ({
  name: 'Miguel Díaz-Canel',
  kind: 'person',
  aliases: ['Diaz-Canel', 'Miguel Díaz-Canel Bermúdez'],
  role: 'President of Cuba',
  country: 'CU',
  handles: [{ platform: 'X', handle: n ? `Person${n}` : 'DiazCanelB' }],
  externalIds: { wikidata: `Q${1234 + n++}` },
  ...over,
});

describe('actors', () => {
  it('creates an actor, generating an accent-free slug, and answers with Location', async () => {
    const res = await ctx.api.post('/actors').send(person()).expect(201);
    expect(res.headers.location).toBe(`/actors/${res.body.id}`);
    expect(res.body).toMatchObject({
      slug: 'miguel-diaz-canel',
      name: 'Miguel Díaz-Canel',
      aliases: ['Diaz-Canel', 'Miguel Díaz-Canel Bermúdez'],
      handles: [{ platform: 'x', handle: 'DiazCanelB' }],
      externalIds: { wikidata: 'Q1234' },
      description: null,
    });
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
  });

  it('reads an actor by id and by slug', async () => {
    const created = (
      await ctx.api
        .post('/actors')
        .send(person({ name: 'Ebrahim Raisi', country: 'IR' }))
        .expect(201)
    ).body;
    const byId = await ctx.api.get(`/actors/${created.id}`).expect(200);
    const bySlug = await ctx.api.get('/actors/ebrahim-raisi').expect(200);
    expect(bySlug.body).toEqual(byId.body);
  });

  it('refuses a duplicate slug with 409 naming the field', async () => {
    await ctx.api
      .post('/actors')
      .send(person({ name: 'Dup', slug: 'dup-actor' }))
      .expect(201);
    const res = await ctx.api
      .post('/actors')
      .send(person({ name: 'Other', slug: 'dup-actor' }))
      .expect(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, code: 'conflict', errors: [{ field: 'slug' }] });
  });

  it('names every offending field of a bad body in one 400', async () => {
    const res = await ctx.api.post('/actors').send({ kind: 'alien', country: 'cuba', aliases: 'x', nickname: 'y' }).expect(400);
    expect(res.body.code).toBe('validation-failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['aliases', 'country', 'kind', 'name', 'nickname'].sort());
    expect(res.body.errors.every((e: { in: string }) => e.in === 'body')).toBe(true);
  });

  it('answers 415 for a body that is not JSON and 400 for broken JSON', async () => {
    const wrongType = await ctx.api.post('/actors').set('content-type', 'text/plain').send('name=x').expect(415);
    expect(wrongType.body.code).toBe('unsupported-media-type');
    const broken = await ctx.api.post('/actors').set('content-type', 'application/json').send('{"name": ').expect(400);
    expect(broken.body.code).toBe('malformed-body');
  });

  it('patches fields, null clears an optional one, and the slug stays unique', async () => {
    const a = (
      await ctx.api
        .post('/actors')
        .send(person({ name: 'Patch Me' }))
        .expect(201)
    ).body;
    const patched = await ctx.api
      .patch(`/actors/${a.id}`)
      .send({ role: null, aliases: ['PM'] })
      .expect(200);
    expect(patched.body).toMatchObject({ role: null, aliases: ['PM'], name: 'Patch Me' });
    expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(a.updatedAt));
    await ctx.api.patch(`/actors/${a.id}`).send({ slug: 'miguel-diaz-canel' }).expect(409);
    await ctx.api.patch('/actors/no-such-actor').send({ role: 'x' }).expect(404);
  });

  it('deletes an actor, then answers 410 Gone for its id and 404 for its slug', async () => {
    const a = (
      await ctx.api
        .post('/actors')
        .send(person({ name: 'Short Lived' }))
        .expect(201)
    ).body;
    await ctx.api.delete(`/actors/${a.slug}`).expect(204);
    const res = await ctx.api.get(`/actors/${a.id}`).expect(410);
    expect(res.body).toMatchObject({ code: 'gone', instance: `/actors/${a.id}`, deleted: { by: 'admin', reason: 'test' } });
    await ctx.api.get(`/actors/${a.slug}`).expect(404);
  });

  it('pages through actors with a cursor, in a stable order, without repeats', async () => {
    for (const n of ['Pager A', 'Pager B', 'Pager C', 'Pager D', 'Pager E']) {
      await ctx.api
        .post('/actors')
        .send(person({ name: n, kind: 'organization' }))
        .expect(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { name: string }[]; nextCursor: string | null } } = await ctx.api
        .get('/actors')
        .query({ kind: 'organization', limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.data.map((a) => a.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Pager A', 'Pager B', 'Pager C', 'Pager D', 'Pager E']);
  });

  it('rejects bad list parameters with 400 naming them', async () => {
    const res = await ctx.api.get('/actors').query({ limit: 1000, kind: 'x', colour: 'red' }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'kind', 'limit']);
    const cursor = await ctx.api.get('/actors').query({ cursor: 'not-a-cursor' }).expect(400);
    expect(cursor.body).toMatchObject({ code: 'invalid-cursor', errors: [{ field: 'cursor' }] });
    const page = await ctx.api.get('/actors').query({ limit: 1 }).expect(200);
    await ctx.api.get('/actors').query({ sort: '-createdAt', cursor: page.body.nextCursor }).expect(400);
  });
});
