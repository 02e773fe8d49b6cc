import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './helpers/server-process.js';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../src/db/lock.js';

const ADMIN_KEY = 'server-test-admin-key-0123456789abcdefghij';
const WRITE = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` };

// The real entry point, as `npm start` runs it, on an embedded database in a temporary directory.
const dirs: string[] = [];
const procs: ChildProcess[] = [];
afterAll(async () => {
  // A failed test must not leave a server running.
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function start(env: Record<string, string>) {
  return startServer({ DATABASE_URL: '', ADMIN_KEY, ...env }, procs);
}

async function stop(proc: ChildProcess) {
  proc.removeAllListeners('exit');
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  return exited;
}

describe('server process', () => {
  it('seeds a new embedded database once; a restart keeps the data and does not seed again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-'));
    dirs.push(dir);
    const first = await start({ DATA_DIR: dir });
    const count = async (url: string) => (await (await fetch(`${url}/statements?limit=100`)).json()).data.length;
    const created = await fetch(`${first.url}/actors`, {
      method: 'POST',
      headers: WRITE,
      body: JSON.stringify({ name: 'Added Before Restart', kind: 'other' }),
    });
    expect(created.status).toBe(201);
    const before = await count(first.url);
    expect(before).toBeGreaterThan(10);
    expect(first.logs.join('')).toContain('loaded the seed data');
    expect(await stop(first.proc)).toBe(0);

    const second = await start({ DATA_DIR: dir });
    expect(await count(second.url)).toBe(before);
    expect((await fetch(`${second.url}/actors/added-before-restart`)).status).toBe(200);
    expect(second.logs.join('')).not.toContain('loaded the seed data');
    await stop(second.proc);
  }, 120_000);

  it('loses no acknowledged write and leaves no partial one when killed mid-write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-'));
    dirs.push(dir);
    const first = await start({ DATA_DIR: dir });
    const body = (n: number) =>
      JSON.stringify({
        speaker: 'ebrahim-raisi',
        text: `crash probe ${n}`,
        language: 'en',
        kind: 'paraphrase',
        saidOn: '2024-01-01',
        citations: [
          {
            source: { kind: 'other', title: `probe ${n}`, url: `https://example.org/probe/${n}` },
            excerpt: 'a',
            role: 'primary',
          },
          { source: { kind: 'other', title: `relay ${n}` }, excerpt: 'b', role: 'secondary' },
        ],
      });
    const acknowledged: string[] = [];
    let next = 0;
    let killed = false;
    const writers = Array.from({ length: 6 }, async () => {
      while (!killed) {
        const n = next++;
        const res = await fetch(`${first.url}/statements`, {
          method: 'POST',
          headers: WRITE,
          body: body(n),
        }).catch(() => undefined);
        if (res?.status === 201) acknowledged.push(`crash probe ${n}`);
      }
    });
    // Killed once a few writes are acknowledged (however slow the machine), with more in flight.
    for (let waited = 0; acknowledged.length < 8 && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    first.proc.removeAllListeners('exit');
    first.proc.kill('SIGKILL');
    killed = true;
    await Promise.all(writers);
    expect(acknowledged.length).toBeGreaterThan(5);

    const second = await start({ DATA_DIR: dir });
    const found: { text: string; citations: unknown[] }[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: typeof found; nextCursor: string | null } = await (
        await fetch(`${second.url}/statements?actor=ebrahim-raisi&from=2024&limit=100${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      found.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    const probes = found.filter((s) => s.text.startsWith('crash probe'));
    // Every acknowledged write is there; a write in flight is there whole or not at all.
    expect(probes.map((s) => s.text)).toEqual(expect.arrayContaining(acknowledged));
    expect(probes.filter((s) => s.citations.length !== 2)).toEqual([]);
    await stop(second.proc);
  }, 120_000);

  it('refuses to start with bad configuration, naming the variable', async () => {
    await expect(start({ PORT: 'eighty' })).rejects.toThrow(/PORT/);
  });
});

/** Runs the server expecting it to refuse to start: its exit code and what it printed. */
function refused(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', ADMIN_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  procs.push(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  proc.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => proc.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('a start without a reachable database', () => {
  it('prints one clear line and exits 1 when PostgreSQL refuses connections', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const run = await refused({ DATABASE_URL: `postgresql://attest:s3cret@127.0.0.1:${port}/attest` });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `Cannot start: the database at postgresql://attest@127.0.0.1:${port}/attest is not reachable (connection refused). Check DATABASE_URL and that PostgreSQL is running and accepts connections.`,
    ]);
    expect(run.stderr).not.toContain('s3cret');
    expect(run.stdout).toBe('');
  }, 60_000);

  it('gives up on a server that accepts connections and never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s.on('error', () => {})));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const run = await refused({ DATABASE_URL: `postgresql://attest@127.0.0.1:${port}/attest` });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/is not reachable \(no answer within 3 s\)/)]);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  }, 60_000);
});

describe('one server per embedded data directory', () => {
  const lockOf = async (dir: string) => JSON.parse(await readFile(join(dir, 'attest.lock'), 'utf8'));

  it('refuses a second server on the same DATA_DIR, saying which process holds it; after a stop it starts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-'));
    dirs.push(dir);
    const first = await start({ DATA_DIR: dir, SEED_ON_EMPTY: 'false' });
    expect(await lockOf(dir)).toMatchObject({ pid: first.proc.pid, host: hostname() });
    const second = await refused({ DATA_DIR: dir });
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(
        `Cannot start: DATA_DIR ${dir} is in use by another Attest process (pid ${first.proc.pid} on ${hostname()}`,
      ),
    ]);
    // The first server was not disturbed.
    expect((await fetch(`${first.url}/ready`)).status).toBe(200);
    expect(await stop(first.proc)).toBe(0);
    await expect(readFile(join(dir, 'attest.lock'))).rejects.toThrow(/ENOENT/);
    const third = await start({ DATA_DIR: dir, SEED_ON_EMPTY: 'false' });
    expect((await fetch(`${third.url}/ready`)).status).toBe(200);
    await stop(third.proc);
  }, 120_000);

  it('takes over a lock left by a server that is gone (the SIGKILL test above restarts on one too)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-'));
    dirs.push(dir);
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('exit', resolve));
    await writeFile(
      join(dir, 'attest.lock'),
      JSON.stringify({ pid: gone.pid, host: hostname(), since: '2020-01-01T00:00:00.000Z' }),
    );
    const server = await start({ DATA_DIR: dir, SEED_ON_EMPTY: 'false' });
    expect(await lockOf(dir)).toMatchObject({ pid: server.proc.pid });
    await stop(server.proc);
  }, 120_000);

  it('lockDataDir (which `npm run keys` takes too): stale, reused and half-written locks give way; live ones do not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-'));
    dirs.push(dir);
    const file = join(dir, 'attest.lock');
    for (const stale of [
      // A PID that exists (the test runner's parent) but started at another time than the lock says: reused.
      JSON.stringify({ pid: process.ppid, host: hostname(), start: '1', since: '2020-01-01T00:00:00.000Z' }),
      // This process's own PID in a lock it does not hold: a previous life of the PID (PID 1 in a container).
      JSON.stringify({ pid: process.pid, host: hostname(), since: '2020-01-01T00:00:00.000Z' }),
      // Half-written by a process that died while writing it.
      '{"pid": 12',
    ]) {
      await writeFile(file, stale);
      const lock = lockDataDir(dir);
      expect(await lockOf(dir)).toMatchObject({ pid: process.pid });
      // Held: a second taker in this process, or another process, is refused.
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      lock.release();
      await expect(readFile(file)).rejects.toThrow(/ENOENT/);
    }
    // A live process (the parent, with its real start time) keeps its lock.
    const live = JSON.stringify({ pid: process.ppid, host: hostname(), since: '2020-01-01T00:00:00.000Z' });
    await writeFile(file, live);
    expect(() => lockDataDir(dir)).toThrow(/in use by another Attest process \(pid \d+/);
    expect(await readFile(file, 'utf8')).toBe(live);
  });

  it('respects a lock written on another host, which it cannot check', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-'));
    dirs.push(dir);
    await writeFile(
      join(dir, 'attest.lock'),
      JSON.stringify({ pid: 4242, host: 'another-host', since: '2026-01-01T00:00:00.000Z' }),
    );
    const run = await refused({ DATA_DIR: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(pid 4242 on another-host, since 2026-01-01T00:00:00.000Z)');
    expect(run.stderr).toContain(`if none is running, delete ${join(dir, 'attest.lock')}`);
  }, 60_000);
});

describe('graceful shutdown', () => {
  const body = JSON.stringify({ name: 'Written During Shutdown', kind: 'other' });
  /** Sends a POST /actors with only the first bytes of its body: a request in flight until the rest comes. */
  async function halfSentWrite(url: string) {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      `POST /actors HTTP/1.1\r\nHost: attest\r\nAuthorization: Bearer ${ADMIN_KEY}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    let answer = '';
    socket.on('data', (d) => (answer += d));
    const ended = new Promise<string>((resolve) => socket.on('close', () => resolve(answer)));
    return { socket, ended };
  }
  async function signalled(logs: string[]) {
    for (let waited = 0; !logs.join('').includes('shutting down'); waited += 50) {
      if (waited > 10_000) throw new Error(`no shutdown logged:\n${logs.join('')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('lets a request in flight finish, refuses new connections, closes the database and exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-'));
    dirs.push(dir);
    const server = await start({ DATA_DIR: dir, SEED_ON_EMPTY: 'false', SHUTDOWN_TIMEOUT_MS: '20000' });
    const write = await halfSentWrite(server.url);
    await new Promise((r) => setTimeout(r, 200));
    const exited = stop(server.proc);
    await signalled(server.logs);

    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    write.socket.write(body.slice(10));
    const answer = await write.ended;
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    // The connection is closed after the answer, so a client's next request finds another instance.
    expect(answer).toMatch(/^connection: close\r$/im);
    expect(await exited).toBe(0);
    expect(server.logs.join('')).toMatch(/"msg":"closed"/);

    // What the request wrote is there after a restart.
    const again = await start({ DATA_DIR: dir, SEED_ON_EMPTY: 'false' });
    expect((await fetch(`${again.url}/actors/written-during-shutdown`)).status).toBe(200);
    await stop(again.proc);
  }, 120_000);

  it('cuts what is still in flight at the deadline, then closes the database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-'));
    dirs.push(dir);
    const server = await start({ DATA_DIR: dir, SEED_ON_EMPTY: 'false', SHUTDOWN_TIMEOUT_MS: '2000' });
    const write = await halfSentWrite(server.url);
    await new Promise((r) => setTimeout(r, 200));
    const began = performance.now();
    const exited = stop(server.proc);
    // The rest of the body never comes.
    expect(await write.ended).toBe('');
    expect(await exited).toBe(0);
    expect(performance.now() - began).toBeLessThan(4000);
    expect(server.logs.join('')).toContain('requests still in flight at the deadline');
    expect(server.logs.join('')).toMatch(/"msg":"closed"/);
  }, 120_000);
});
