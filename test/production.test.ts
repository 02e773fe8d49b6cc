import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useApp } from './helpers/app.js';
import { useAppWith } from './helpers/app-with.js';

describe('compression', () => {
  const ctx = useApp({ seed: true });
  const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers });

  it('compresses an answer over 1 KB as the client accepts, to the same body and ETag', async () => {
    const plain = await get('/statements?limit=20');
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const [encoding, decode] of [
      ['gzip', gunzipSync],
      ['br', brotliDecompressSync],
    ] as const) {
      const res = await get('/statements?limit=20', { 'accept-encoding': encoding });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      expect(decode(res.rawPayload).toString()).toBe(plain.body);
      expect(res.headers.etag).toBe(plain.headers.etag);
    }
    // gzip when both are welcome: as small as brotli on a page, for less CPU.
    expect((await get('/statements?limit=20', { 'accept-encoding': 'br, gzip, deflate' })).headers['content-encoding']).toBe('gzip');
  });

  it('answers If-None-Match with an empty 304 whatever the encoding', async () => {
    const { headers } = await get('/statements?limit=20', { 'accept-encoding': 'gzip' });
    const res = await get('/statements?limit=20', { 'accept-encoding': 'gzip', 'if-none-match': String(headers.etag) });
    expect(res.statusCode).toBe(304);
    expect(res.rawPayload.length).toBe(0);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('leaves small answers as they are', async () => {
    const res = await get('/health', { 'accept-encoding': 'gzip, br' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('compresses a streamed CSV list to every row', async () => {
    const plain = await get('/statements?format=csv');
    const res = await get('/statements?format=csv', { 'accept-encoding': 'gzip' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-length']).toBeUndefined();
    expect(gunzipSync(res.rawPayload).toString()).toBe(plain.body);
    expect(plain.body.split('\n').length).toBeGreaterThan(10);
  });
});

describe('metrics', () => {
  const METRICS_KEY = 'metrics-key-0123456789';
  const ctx = useAppWith({
    metrics: { key: METRICS_KEY },
    // Fewer than the scrapes below: /metrics must not count against it.
    rateLimit: { perMinute: 8, keyedPerMinute: 8 },
    responseCache: { maxBytes: 1024 * 1024 },
  });
  const scrape = async () => {
    const res = await ctx.anon.get('/metrics').set('authorization', `Bearer ${METRICS_KEY}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };
  const count = (text: string, labels: string) =>
    Number(new RegExp(`^http_request_duration_seconds_count\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);

  it('counts requests by route pattern and status, with a latency histogram, and never itself or its refusals', async () => {
    await ctx.anon.get('/actors/nobody').expect(404);
    await ctx.anon.get('/actors/someone-else').expect(404);
    await ctx.anon.get('/no/such/route').expect(404);
    await ctx.anon.get('/metrics').expect(401);
    const text = await scrape();
    expect(count(text, 'method="GET",route="/actors/:id",status_code="404"')).toBe(2);
    expect(count(text, 'method="GET",route="\\(no route\\)",status_code="404"')).toBe(1);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0\.05",method="GET",route="\/actors\/:id",status_code="404"\} \d+$/m);
    expect(text).not.toMatch(/route="\/metrics"/);
    for (const series of ['nodejs_eventloop_lag_p99_seconds', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) {
      expect(text).toMatch(new RegExp(`^${series} [0-9.e+-]+$`, 'm'));
    }
    if (ctx.db.kind === 'postgres') {
      expect(text).toMatch(/^attest_db_pool_connections\{state="max"\} 10$/m);
      expect(text).toMatch(/^attest_db_pool_waiting_queries 0$/m);
    }
  });

  it('counts response-cache hits and misses', async () => {
    const lookups = (text: string, result: string) =>
      Number(new RegExp(`^attest_response_cache_lookups_total\\{result="${result}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    const before = await scrape();
    // Through inject: supertest listens on a new port for each request, and the port is part of the cache key.
    const get = (url: string) => ctx.app.inject({ method: 'GET', url });
    expect((await get('/actors?limit=3')).headers['x-cache']).toBe('miss');
    expect((await get('/actors?limit=3')).headers['x-cache']).toBe('hit');
    expect((await get('/actors?limit=4')).headers['x-cache']).toBe('miss');
    const after = await scrape();
    expect(lookups(after, 'hit') - lookups(before, 'hit')).toBe(1);
    expect(lookups(after, 'miss') - lookups(before, 'miss')).toBe(2);
    expect(Number(/^attest_response_cache_bytes (\d+)$/m.exec(after)?.[1])).toBeGreaterThan(0);
  });

  it('needs METRICS_KEY when one is set, and is never rate-limited', async () => {
    const refused = await ctx.anon.get('/metrics').set('authorization', 'Bearer metrics-key-wrong-0123456');
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (let i = 0; i < 10; i++) await scrape();
  });

  it('is left out of the OpenAPI document', () => {
    expect(Object.keys(ctx.app.swagger().paths ?? {})).not.toContain('/metrics');
  });
});

/** Holds this thread, and with it the app under test, for `ms`. */
function block(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('load shedding past the event-loop delay limit', () => {
  const ctx = useAppWith({ pressure: { maxInFlight: 0, maxEventLoopDelayMs: 50, maxHeapUsedBytes: 0, maxRssBytes: 0, retryAfterSeconds: 7 } });

  it('answers 503 problem+json with Retry-After while the loop is late; /health still answers; it recovers', async () => {
    await sleep(600);
    expect((await ctx.anon.get('/actors')).status).toBe(200);
    // Several long blocks in a row: the mean delay over the next sample is far past 50 ms.
    for (let i = 0; i < 4; i++) {
      block(300);
      await sleep(1);
    }
    const shed = await ctx.anon.get('/actors');
    expect(shed.status).toBe(503);
    expect(shed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shed.headers['retry-after']).toBe('7');
    expect(shed.body).toMatchObject({ code: 'overloaded', status: 503, detail: expect.stringMatching(/event-loop delay/) });
    expect((await ctx.anon.get('/health')).status).toBe(200);
    await sleep(800);
    expect((await ctx.anon.get('/actors')).status).toBe(200);
  });
});

describe('load shedding past the memory limit', () => {
  // A heap limit of one byte: every sample is over it.
  const ctx = useAppWith({ pressure: { maxInFlight: 0, maxEventLoopDelayMs: 0, maxHeapUsedBytes: 1, maxRssBytes: 0, retryAfterSeconds: 5 } });

  it('sheds every request but /health', async () => {
    await sleep(600);
    const shed = await ctx.anon.get('/actors');
    expect(shed.status).toBe(503);
    expect(shed.body).toMatchObject({ code: 'overloaded', detail: expect.stringMatching(/heap memory/) });
    expect(shed.headers['retry-after']).toBe('5');
    expect((await ctx.anon.get('/health')).status).toBe(200);
  });
});
