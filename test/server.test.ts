import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The real entry point, as `npm start` runs it, on an embedded database in a temporary directory.
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function start(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string; logs: string[] }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

  it('refuses to start with bad configuration, naming the variable', async () => {
    await expect(start({ PORT: 'eighty' })).rejects.toThrow(/PORT/);
  });
});
