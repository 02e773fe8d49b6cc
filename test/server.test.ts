import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The real entry point, as `npm start` runs it, on an embedded database in a temporary directory.
const dirs: string[] = [];
const procs: ChildProcess[] = [];
afterAll(async () => {
  // A failed test must not leave a server running.
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function start(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string; logs: string[] }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  procs.push(proc);
  const logs: string[] = [];
  return new Promise((resolve, reject) => {
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${logs.join('')}`)));
    proc.stderr!.on('data', (d) => logs.push(String(d)));
    proc.stdout!.on('data', (d) => {
      logs.push(String(d));
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(String(d));
      if (m) resolve({ proc, url: m[1], logs });
    });
  });
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
      headers: { 'content-type': 'application/json' },
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
          headers: { 'content-type': 'application/json' },
          body: body(n),
        }).catch(() => undefined);
        if (res?.status === 201) acknowledged.push(`crash probe ${n}`);
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
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
