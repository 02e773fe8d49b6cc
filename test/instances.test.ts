// Several instances of the real server (src/server.ts, each its own process) on one PostgreSQL database and
// one Redis: shared rate limits, idempotency keys, a response cache that no instance serves stale, and what
// happens when Redis goes away. PostgreSQL only (the embedded database is one process's); skipped with a
// message on PGlite or without Redis at 127.0.0.1:6379.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { startServer } from './helpers/server-process.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, copyPrefix, databaseUrl } from './helpers/global-setup.js';

const ADMIN_KEY = 'instances-test-admin-key-0123456789abcdefgh';
const WRITE = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}`, 'change-reason': 'test' };
const SERVER_URL = process.env.TEST_DATABASE_URL;
const REDIS_URL = 'redis://127.0.0.1:6379';

async function redisAnswers(url: string) {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
const why = !SERVER_URL
  ? 'several instances need PostgreSQL: set TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)'
  : !(await redisAnswers(REDIS_URL))
    ? `no Redis answers at ${REDIS_URL} (redis-server --daemonize yes --port 6379 --save "")`
    : undefined;
if (why) console.warn(`test/instances.test.ts skipped: ${why}`);

interface Instance {
  proc: ChildProcess;
  url: string;
  logs: string[];
}
const procs: ChildProcess[] = [];

function start(env: Record<string, string>): Promise<Instance> {
  // Load shedding off: on a busy machine it would answer some of these requests 503, which is not what they test.
  return startServer({ HOST: '127.0.0.1', ADMIN_KEY, TRUST_PROXY: 'true', SHED_EVENT_LOOP_DELAY_MS: '0', ...env }, procs);
}

/** A database of its own for this file, copied from the run's seeded template. */
async function seededDatabase() {
  const templates = inject('attestTemplates');
  const name = `${copyPrefix(templates?.kind === 'postgres' ? templates.runId : undefined)}${randomBytes(6).toString('hex')}`;
  if (templates?.kind !== 'postgres') throw new Error('the global setup built no PostgreSQL templates');
  await adminQuery(SERVER_URL!, `CREATE DATABASE ${name} TEMPLATE ${templates.seeded}`);
  return {
    url: databaseUrl(SERVER_URL!, name),
    drop: () => adminQuery(SERVER_URL!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

const drops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  const running = procs.filter((p) => p.exitCode === null && p.signalCode === null);
  const exited = running.map((p) => new Promise((r) => p.once('exit', r)));
  for (const p of running) p.kill('SIGKILL');
  await Promise.all(exited);
  for (const drop of drops) await drop().catch(() => {});
});

const get = (base: string, path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
const client = (n: number) => ({ 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` });
let clients = 0;
/** A client address of its own (TRUST_PROXY=true takes X-Forwarded-For), so tests do not share a rate limit. */
const newClient = () => client(++clients);

describe.skipIf(why)('two instances on one PostgreSQL and one Redis', () => {
  let a: Instance;
  let b: Instance;
  const prefix = `attest-test-${randomBytes(4).toString('hex')}:`;
  beforeAll(async () => {
    const db = await seededDatabase();
    drops.push(db.drop);
    const env = { DATABASE_URL: db.url, REDIS_URL, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: '20' };
    [a, b] = await Promise.all([start(env), start(env)]);
    drops.push(async () => {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    });
  }, 120_000);

  it('count each client against one rate limit, whichever instance answers', async () => {
    const me = newClient();
    for (let i = 0; i < 20; i++) {
      const res = await get(i % 2 ? b.url : a.url, '/actors?limit=1', me);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-remaining')).toBe(String(19 - i));
    }
    for (const base of [a.url, b.url]) expect((await get(base, '/actors?limit=1', me)).status).toBe(429);
    // Another client is not held back.
    expect((await get(b.url, '/actors?limit=1', newClient())).status).toBe(200);
  });

  it('answer a retried write (same Idempotency-Key) once, whichever instances get it, even at the same time', async () => {
    const tag = randomBytes(4).toString('hex');
    const name = `Idempotent ${tag}`;
    const post = (base: string) =>
      fetch(`${base}/actors`, {
        method: 'POST',
        headers: { ...WRITE, 'idempotency-key': `key-${tag}` },
        body: JSON.stringify({ name, kind: 'other' }),
      });
    const together = await Promise.all([post(a.url), post(b.url), post(a.url), post(b.url)]);
    const later = await post(b.url);
    const ids = new Set<string>();
    for (const res of [...together, later]) {
      expect(res.status).toBe(201);
      ids.add((await res.json()).id);
    }
    expect(ids.size).toBe(1);
    const found = await (await get(a.url, `/actors?q=${encodeURIComponent(name)}`, newClient())).json();
    expect(found.data.filter((x: { name: string }) => x.name === name)).toHaveLength(1);
  });

  it('never serve an answer older than the last acknowledged write, under concurrent reads on both', async () => {
    const list = '/statements?actor=ebrahim-raisi&limit=3';
    const id = (await (await get(a.url, list, newClient())).json()).data[0].id as string;
    const one = `/statements/${id}`;
    const version = (notes: string | null) => (notes?.startsWith('v') ? Number(notes.slice(1)) : -1);

    // Readers on both instances, all the time: each read records when it was sent and what it saw.
    const reads: { sentAt: number; seen: number; cache: string | null }[] = [];
    let writing = true;
    const reader = async (base: string, n: number) => {
      while (writing) {
        const path = n % 2 ? one : list;
        const sentAt = performance.now();
        const res = await get(base, path, newClient());
        expect(res.status).toBe(200);
        const body = await res.json();
        reads.push({ sentAt, seen: version(n % 2 ? body.notes : body.data[0].notes), cache: res.headers.get('x-cache') });
      }
    };
    const readers = [0, 1, 2, 3, 4, 5].map((n) => reader(n < 3 ? a.url : b.url, n));

    // Each write through one instance, then read at once through both: the very next request sees it.
    const acked: number[] = [];
    const TRIALS = 60;
    for (let i = 0; i < TRIALS; i++) {
      const [writer, other] = i % 2 ? [b.url, a.url] : [a.url, b.url];
      const res = await fetch(`${writer}${one}`, { method: 'PATCH', headers: WRITE, body: JSON.stringify({ notes: `v${i}` }) });
      expect(res.status).toBe(200);
      acked[i] = performance.now();
      const [o1, o2, w1] = await Promise.all([
        get(other, one, newClient()),
        get(other, list, newClient()),
        get(writer, list, newClient()),
      ]);
      expect(version((await o1.json()).notes)).toBe(i);
      expect(version((await o2.json()).data[0].notes)).toBe(i);
      expect(version((await w1.json()).data[0].notes)).toBe(i);
      // Let the readers fill the caches at this generation before the next write.
      await sleep(20);
    }
    writing = false;
    await Promise.all(readers);

    // No read sent after a write was acknowledged saw anything older than that write.
    let checked = 0;
    for (const r of reads) {
      let latest = -1;
      for (let i = 0; i < TRIALS; i++) if (acked[i] < r.sentAt) latest = i;
      if (latest < 0) continue;
      checked++;
      expect(r.seen).toBeGreaterThanOrEqual(latest);
    }
    expect(checked).toBeGreaterThan(300);
    // And the cache was in play: most reads between writes were answered from memory.
    expect(reads.filter((r) => r.cache === 'hit').length).toBeGreaterThan(reads.length / 3);
  }, 120_000);
});

describe.skipIf(why)('an instance whose Redis goes away', () => {
  let port: number;
  let redis: ChildProcess | undefined;
  let a: Instance;
  let b: Instance;
  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    procs.push(redis);
    for (let i = 0; i < 50 && !(await redisAnswers(`redis://127.0.0.1:${port}`)); i++) await sleep(100);
  };
  const stopRedis = async () => {
    const exited = new Promise((r) => redis!.once('exit', r));
    redis!.kill('SIGKILL');
    await exited;
  };
  const waitForLog = async (inst: Instance, text: string) => {
    for (let i = 0; i < 100 && !inst.logs.join('').includes(text); i++) await sleep(100);
    expect(inst.logs.join('')).toContain(text);
  };

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    const db = await seededDatabase();
    drops.push(db.drop);
    const env = { DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_PER_MINUTE: '5' };
    [a, b] = await Promise.all([start(env), start(env)]);
  }, 120_000);

  it('lets requests through (limits off, cache bypassed, nothing stale), logs it, and shares again once Redis is back', async () => {
    const me = newClient();
    const list = '/statements?actor=ebrahim-raisi&limit=1';
    // A new Redis: the first read starts a generation, the next one files its answer.
    for (let i = 0; i < 2; i++) expect((await get(b.url, list, me)).status).toBe(200);
    expect((await get(b.url, list, newClient())).headers.get('x-cache')).toBe('hit');

    await stopRedis();
    const id = (await (await get(a.url, list, newClient())).json()).data[0].id as string;
    // Past the limit of 5, and every answer fresh: a write through A is seen at once through B.
    for (let i = 0; i < 8; i++) {
      const started = performance.now();
      const write = await fetch(`${a.url}/statements/${id}`, {
        method: 'PATCH',
        headers: WRITE,
        body: JSON.stringify({ notes: `gone ${i}` }),
      });
      expect(write.status).toBe(200);
      const res = await get(b.url, list, me);
      expect(res.status).toBe(200);
      expect((await res.json()).data[0].notes).toBe(`gone ${i}`);
      expect(res.headers.get('x-cache')).toBeNull();
      expect(performance.now() - started).toBeLessThan(2000);
    }
    await waitForLog(b, 'Redis is unreachable');
    await waitForLog(a, 'Redis did not take the new cache generation');

    await startRedis();
    await waitForLog(b, 'Redis is reachable again');
    await waitForLog(a, 'Redis is reachable again');
    // Limits count again, across both instances.
    const again = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await get(i % 2 ? a.url : b.url, '/actors?limit=1', again)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    // The cache is shared again: filled on B, invalidated by a write through A.
    for (let i = 0; i < 3; i++) await get(b.url, list, newClient());
    expect((await get(b.url, list, newClient())).headers.get('x-cache')).toBe('hit');
    await fetch(`${a.url}/statements/${id}`, { method: 'PATCH', headers: WRITE, body: JSON.stringify({ notes: 'back' }) });
    const after = await get(b.url, list, newClient());
    expect((await after.json()).data[0].notes).toBe('back');
  }, 120_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
