import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { TEST_ADMIN_KEY } from './helpers/app.js';
import { useAppWith } from './helpers/app-with.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('an address without a key', () => {
  const ctx = useAppWith({ rateLimit: { perMinute: 3, keyedPerMinute: 5 } });

  it('gets RateLimit headers on every answer, then a 429 problem with Retry-After', async () => {
    for (const remaining of ['2', '1', '0']) {
      const res = await ctx.anon.get('/actors').expect(200);
      expect(res.headers['ratelimit-limit']).toBe('3');
      expect(res.headers['ratelimit-remaining']).toBe(remaining);
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
    }
    const res = await ctx.anon.get('/actors').set('origin', 'https://reader.example').expect(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 429, code: 'rate-limited', type: '/problems/rate-limited' });
    expect(res.body.detail).toContain('3 requests a minute without an API key');
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.headers['ratelimit-limit']).toBe('3');
    expect(res.headers['ratelimit-remaining']).toBe('0');
    expect(res.headers['ratelimit-reset']).toBe(String(retryAfter));
    expect(res.headers['cache-control']).toBe('no-store');
    // A page on another origin can read why, and when to retry.
    expect(res.headers['access-control-allow-origin']).toBe('*');
    for (const h of ['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']) {
      expect(res.headers['access-control-expose-headers']).toContain(h);
    }
    // Writes, unknown routes and preflights count too.
    expect((await ctx.anon.post('/actors').send({ name: 'x', kind: 'other' })).status).toBe(429);
    expect((await ctx.anon.get('/no-such-route')).status).toBe(429);
  });

  it('keeps the probes out of it', async () => {
    await ctx.anon.get('/health').expect(200);
    const ready = await ctx.anon.get('/ready').expect(200);
    expect(ready.headers['ratelimit-limit']).toBeUndefined();
  });

  it('does not get fresh limits by inventing keys', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await ctx.anon.get('/actors').set(bearer(`attest_invented-${i}-${'x'.repeat(30)}`));
      expect(res.status).toBe(429);
    }
  });

  it('does not hold back a known key, which has its own limit', async () => {
    for (let i = 4; i >= 0; i--) {
      const res = await ctx.anon.get('/actors').set(bearer(TEST_ADMIN_KEY)).expect(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      expect(res.headers['ratelimit-remaining']).toBe(String(i));
    }
    const res = await ctx.anon.get('/actors').set(bearer(TEST_ADMIN_KEY)).expect(429);
    expect(res.body.detail).toContain('This key may make 5 requests a minute');
  });
});

describe('a key', () => {
  const ctx = useAppWith({ rateLimit: { perMinute: 5, keyedPerMinute: 50 } });

  it('is counted on its own once this instance has seen it authenticate, on reads and writes', async () => {
    const created = await ctx.anon
      .post('/keys')
      .set(bearer(TEST_ADMIN_KEY))
      .send({ name: 'counted', scope: 'write' })
      .expect(201);
    const key = created.body.key as string;
    // A write authenticates the key: from then on its requests count against it.
    const write = await ctx.anon.post('/actors').set(bearer(key)).send({ name: 'Counted', kind: 'other' }).expect(201);
    expect(write.headers['ratelimit-limit']).toBe('5'); // not known yet when this request was counted
    for (let i = 0; i < 5; i++) {
      const res = await ctx.anon.get('/actors').set(bearer(key)).expect(200);
      expect(res.headers['ratelimit-limit']).toBe('50');
    }
  });

  it('used only for reads is learnt in the background, without slowing the request that brought it', async () => {
    const created = await ctx.anon.post('/keys').set(bearer(TEST_ADMIN_KEY)).send({ name: 'reader', scope: 'write' }).expect(201);
    const key = created.body.key as string;
    const first = await ctx.anon.get('/actors').set(bearer(key)).expect(200);
    expect(first.headers['ratelimit-limit']).toBe('5');
    let limit;
    for (let i = 0; i < 20 && limit !== '50'; i++) {
      await sleep(50);
      limit = (await ctx.anon.get('/actors').set(bearer(key))).headers['ratelimit-limit'];
    }
    expect(limit).toBe('50');
  });

  it('revoked, stops working at once, whatever the limiter remembers', async () => {
    const created = await ctx.anon
      .post('/keys')
      .set(bearer(TEST_ADMIN_KEY))
      .send({ name: 'revoked', scope: 'write' })
      .expect(201);
    await ctx.anon.post('/actors').set(bearer(created.body.key)).send({ name: 'Before', kind: 'other' }).expect(201);
    await ctx.anon.delete(`/keys/${created.body.id}`).set(bearer(TEST_ADMIN_KEY)).expect(204);
    await ctx.anon.post('/actors').set(bearer(created.body.key)).send({ name: 'After', kind: 'other' }).expect(401);
  });
});

describe('behind a proxy', () => {
  const trusting = useAppWith({ rateLimit: { perMinute: 2, keyedPerMinute: 10 }, trustProxy: true });
  const direct = useAppWith({ rateLimit: { perMinute: 2, keyedPerMinute: 10 } });

  it('with TRUST_PROXY, counts each client address X-Forwarded-For names', async () => {
    const from = (ip: string) => trusting.anon.get('/actors').set('x-forwarded-for', ip);
    expect((await from('203.0.113.1')).status).toBe(200);
    expect((await from('203.0.113.1')).status).toBe(200);
    expect((await from('203.0.113.1')).status).toBe(429);
    expect((await from('203.0.113.2')).status).toBe(200);
    // IPv6 clients are counted by their /64.
    expect((await from('2001:db8:1:2::1')).status).toBe(200);
    expect((await from('2001:db8:1:2::ffff')).status).toBe(200);
    expect((await from('2001:db8:1:2:abcd::1')).status).toBe(429);
  });

  it('without it, ignores X-Forwarded-For, which any client can send', async () => {
    const statuses = [];
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      statuses.push((await direct.anon.get('/actors').set('x-forwarded-for', ip)).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('configuration', () => {
  it('has defaults, and names a bad value', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ RATE_LIMIT_PER_MINUTE: 300, RATE_LIMIT_KEYED_PER_MINUTE: 1200, TRUST_PROXY: false });
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
    expect(() => loadConfig({ RATE_LIMIT_KEYED_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_KEYED_PER_MINUTE/);
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });
});
