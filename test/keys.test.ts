import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { TEST_ADMIN_KEY, useApp } from './helpers/app.js';
import { sid } from './helpers/seed.js';

const ctx = useApp({ seed: true });

const SECRET = /^attest_[A-Za-z0-9_-]{43}$/;
const STATEMENT = sid('raisi-common-stance'); // any seed statement

async function newKey(name: string, scope: 'write' | 'admin' = 'write') {
  const res = await ctx.api.post('/keys').send({ name, scope }).expect(201);
  return res.body as { id: string; name: string; scope: string; key: string; createdAt: string };
}

const as = (key: string) => ({ authorization: `Bearer ${key}`, 'change-reason': 'test' });

describe('writing without a key', () => {
  it('is 401 problem+json that says how to get a key', async () => {
    const res = await ctx.anon.post('/actors').send({ name: 'No Key', kind: 'other' }).expect(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.code).toBe('unauthorized');
    expect(res.body.detail).toContain('Authorization: Bearer <key>');
    expect(res.body.detail).toContain('POST /keys');
    expect(res.body.detail).toContain('npm run keys -- create');
  });

  it('is 401 with an Authorization header that is not a bearer key, or an unknown key', async () => {
    const basic = await ctx.anon.post('/actors').set('authorization', 'Basic dXNlcjpwYXNz').send({ name: 'x', kind: 'other' });
    expect(basic.status).toBe(401);
    expect(basic.body.detail).toContain('not "Bearer <key>"');
    const unknown = await ctx.anon
      .post('/actors')
      .set('authorization', 'Bearer attest_made-up-key-0000000000000000000000000000000')
      .send({ name: 'x', kind: 'other' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toContain('unknown or has been revoked');
  });

  it('leaves the record as it was: anonymous PATCH and DELETE on every example id of the OpenAPI document answer 401', async () => {
    // What Swagger UI's "Try it out" sends with the pre-filled examples.
    const doc = (await ctx.anon.get('/openapi.json').expect(200)).body;
    const victim = await newKey('victim'); // keys have no example id: try a real one
    const writes: { method: string; url: string; read: string }[] = [];
    for (const [path, item] of Object.entries<
      Record<string, { parameters?: { in: string; name: string; schema?: { example?: string } }[] }>
    >(doc.paths)) {
      for (const method of ['patch', 'delete'] as const) {
        const op = item[method];
        if (!op) continue;
        let url = path;
        for (const p of op.parameters ?? []) {
          if (p.in === 'path')
            url = url.replace(`{${p.name}}`, path.startsWith('/keys/') ? victim.id : String(p.schema?.example));
        }
        expect(url, `${method} ${path} has an example for every path parameter`).not.toMatch(/\{|undefined/);
        writes.push({ method, url, read: url });
      }
    }
    expect(writes.length).toBeGreaterThanOrEqual(6);
    const readable = writes.filter((w) => !w.url.startsWith('/keys'));
    const before = await Promise.all(readable.map(async (w) => (await ctx.anon.get(w.read)).body));
    for (const w of writes) {
      const res = await ctx.anon[w.method as 'patch' | 'delete'](w.url)
        .set('change-reason', 'try it out')
        .set('content-type', 'application/json')
        .send(w.method === 'patch' ? { name: 'Vandalised' } : undefined);
      expect(res.status, `${w.method.toUpperCase()} ${w.url}`).toBe(401);
    }
    const after = await Promise.all(readable.map(async (w) => (await ctx.anon.get(w.read)).body));
    expect(after).toEqual(before);
    expect(before.every((b) => b.id)).toBe(true);
    const keys = (await ctx.api.get('/keys')).body.data;
    expect(keys.find((k: { id: string }) => k.id === victim.id).revokedAt).toBeNull();
  });
});

describe('keys over HTTP', () => {
  it('creates a key once: the secret is in the answer, and nowhere after', async () => {
    const created = await newKey('newsroom-importer');
    expect(created.key).toMatch(SECRET);
    expect(created.scope).toBe('write');
    const listed = await ctx.api.get('/keys').expect(200);
    expect(listed.headers['cache-control']).toBe('no-store');
    const raw = JSON.stringify(listed.body);
    expect(raw).not.toContain(created.key);
    expect(raw).not.toContain(created.key.slice('attest_'.length));
    const entry = listed.body.data.find((k: { id: string }) => k.id === created.id);
    expect(Object.keys(entry).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'scope']);
    expect(entry).toMatchObject({ name: 'newsroom-importer', scope: 'write', lastUsedAt: null, revokedAt: null });
    // Only the hash is stored.
    const rows = await ctx.db.query<{ hash: string }>('SELECT hash FROM api_keys WHERE id = $1', [created.id]);
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].hash).not.toContain(created.key);
  });

  it('lets a write key write; its name is in the history of what it changed, and its last use is recorded', async () => {
    const { key, id } = await newKey('desk-editor');
    await ctx.anon.patch(`/statements/${STATEMENT}`).set(as(key)).send({ notes: 'Edited by a desk editor' }).expect(200);
    const history = await ctx.anon.get(`/statements/${STATEMENT}/history`).expect(200);
    expect(history.body.data[0]).toMatchObject({ by: 'desk-editor', reason: 'test', action: 'update' });
    const created = await ctx.anon.post('/actors').set(as(key)).send({ name: 'Created By Desk', kind: 'other' }).expect(201);
    const actorHistory = await ctx.anon.get(`/actors/${created.body.id}/history`).expect(200);
    expect(actorHistory.body.data[0].by).toBe('desk-editor');
    const listed = (await ctx.api.get('/keys').expect(200)).body.data.find((k: { id: string }) => k.id === id);
    expect(Date.parse(listed.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses a write key on /keys with 403, and an anonymous client with 401', async () => {
    const { key, id } = await newKey('no-admin');
    for (const res of [
      await ctx.anon.get('/keys').set(as(key)),
      await ctx.anon.post('/keys').set(as(key)).send({ name: 'escalated', scope: 'admin' }),
      await ctx.anon.delete(`/keys/${id}`).set(as(key)),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
      expect(res.body.detail).toContain("scope 'write'");
    }
    for (const res of [await ctx.anon.get('/keys'), await ctx.anon.post('/keys').send({ name: 'x', scope: 'write' })]) {
      expect(res.status).toBe(401);
    }
    expect((await ctx.api.get('/keys')).body.data.map((k: { name: string }) => k.name)).not.toContain('escalated');
  });

  it('lets an admin key manage keys', async () => {
    const admin = await newKey('second-admin', 'admin');
    const made = await ctx.anon
      .post('/keys')
      .set(as(admin.key))
      .send({ name: 'made-by-second-admin', scope: 'write' })
      .expect(201);
    await ctx.anon.delete(`/keys/${made.body.id}`).set(as(admin.key)).expect(204);
  });

  it('revokes at once: the next request with the key is a 401; revoking again is a 204 that keeps the first time', async () => {
    const { key, id } = await newKey('short-lived');
    await ctx.anon.post('/actors').set(as(key)).send({ name: 'Before Revocation', kind: 'other' }).expect(201);
    await ctx.api.delete(`/keys/${id}`).expect(204);
    const refused = await ctx.anon.post('/actors').set(as(key)).send({ name: 'After Revocation', kind: 'other' }).expect(401);
    expect(refused.body.detail).toContain('revoked');
    const first = (await ctx.api.get('/keys')).body.data.find((k: { id: string }) => k.id === id).revokedAt;
    expect(first).not.toBeNull();
    await ctx.api.delete(`/keys/${id}`).expect(204);
    expect((await ctx.api.get('/keys')).body.data.find((k: { id: string }) => k.id === id).revokedAt).toBe(first);
    // Its name is free again.
    await newKey('short-lived');
  });

  it('answers 404 for an unknown key and 400 for an id that is not one', async () => {
    const missing = await ctx.api.delete('/keys/00000000-0000-4000-8000-000000000000').expect(404);
    expect(missing.body.code).toBe('not-found');
    const bad = await ctx.api.delete('/keys/not-a-uuid').expect(400);
    expect(bad.body.errors[0]).toMatchObject({ in: 'params', field: 'id' });
  });

  it('refuses bad names and scopes, reserved names, and a name an active key already has', async () => {
    for (const body of [
      { name: '', scope: 'write' },
      { name: 'x', scope: 'root' },
      { name: 'x' },
      { name: 'a\u0007b', scope: 'write' },
      { name: 'x'.repeat(101), scope: 'write' },
      { name: 'x', scope: 'write', key: 'attest_chosen' },
    ]) {
      const res = await ctx.api.post('/keys').send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    for (const name of ['admin', 'Seed']) {
      const res = await ctx.api.post('/keys').send({ name, scope: 'write' }).expect(400);
      expect(res.body.detail).toContain('reserved');
    }
    await newKey('taken');
    const dup = await ctx.api.post('/keys').send({ name: 'TAKEN', scope: 'admin' }).expect(409);
    expect(dup.body.detail).toContain('in use');
  });

  it('leaves no revision and nothing in /changes', async () => {
    const before = (await ctx.anon.get('/changes').expect(200)).body.data.length;
    const [{ count }] = await ctx.db.query<{ count: string }>('SELECT count(*)::text AS count FROM revisions');
    await newKey('not-a-record');
    const [{ count: after }] = await ctx.db.query<{ count: string }>('SELECT count(*)::text AS count FROM revisions');
    expect(after).toBe(count);
    expect((await ctx.anon.get('/changes').expect(200)).body.data.length).toBe(before);
  });

  it('names ADMIN_KEY "admin" in history', async () => {
    await ctx.anon.patch(`/statements/${STATEMENT}`).set(as(TEST_ADMIN_KEY)).send({ notes: 'By the admin' }).expect(200);
    expect((await ctx.anon.get(`/statements/${STATEMENT}/history`)).body.data[0].by).toBe('admin');
  });
});

describe('the OpenAPI document', () => {
  it('declares the bearer scheme, 401, 403 and 429 on every write, and documents /keys', async () => {
    const doc = (await ctx.anon.get('/openapi.json').expect(200)).body;
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    let writes = 0;
    for (const [path, item] of Object.entries<Record<string, { security?: unknown; responses: Record<string, unknown> }>>(
      doc.paths,
    )) {
      for (const [method, op] of Object.entries(item)) {
        if (!['post', 'patch', 'delete'].includes(method)) continue;
        writes++;
        expect(op.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
        for (const status of ['401', '403', '429']) expect(op.responses[status], `${method} ${path} ${status}`).toBeDefined();
      }
    }
    expect(writes).toBeGreaterThan(10);
    for (const [path, method, operationId] of [
      ['/keys', 'post', 'createKey'],
      ['/keys', 'get', 'listKeys'],
      ['/keys/{id}', 'delete', 'revokeKey'],
    ]) {
      const op = doc.paths[path][method];
      expect(op).toMatchObject({ operationId, tags: ['Keys'], security: [{ bearer: [] }] });
      expect(op.summary).toBeTruthy();
      for (const status of ['401', '403']) expect(op.responses[status]).toBeDefined();
    }
  });
});

describe('ADMIN_KEY', () => {
  it('is optional, and when set must be at least 32 characters', () => {
    expect(loadConfig({}).ADMIN_KEY).toBeUndefined();
    expect(loadConfig({ ADMIN_KEY: '' }).ADMIN_KEY).toBeUndefined();
    expect(loadConfig({ ADMIN_KEY: TEST_ADMIN_KEY }).ADMIN_KEY).toBe(TEST_ADMIN_KEY);
    expect(() => loadConfig({ ADMIN_KEY: 'x'.repeat(31) })).toThrow(/ADMIN_KEY: must be at least 32 characters/);
  });

  it('too short, stops the server at start-up with a message naming it', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, ADMIN_KEY: 'hunter2', PORT: '0', DATABASE_URL: '', DATA_DIR: 'memory://' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('ADMIN_KEY');
  });
});
