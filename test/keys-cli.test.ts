import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startServer } from './helpers/server-process.js';
import { afterAll, describe, expect, it } from 'vitest';

// `npm run keys` as an operator runs it, on a new embedded data directory and on a PostgreSQL URL.
const SECRET = /^attest_[A-Za-z0-9_-]{43}$/;
const dirs: string[] = [];
const procs: ChildProcess[] = [];
afterAll(async () => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/keys.ts', ...args], {
    env: { ...process.env, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => proc.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

const lastLine = (s: string) => s.trimEnd().split('\n').at(-1)!;

function startEmbedded(env: Record<string, string>) {
  return startServer({ DATABASE_URL: '', ADMIN_KEY: '', ...env }, procs);
}

async function stop(proc: ChildProcess) {
  proc.removeAllListeners('exit');
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  return exited;
}

// The embedded database only: the PostgreSQL run covers DATABASE_URL below.
describe.skipIf(!!process.env.TEST_DATABASE_URL)('npm run keys on the embedded database', () => {
  it('creates a key on a new DATA_DIR; the server then still loads the seed, and the key writes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-keys-'));
    dirs.push(dir);
    const env = { DATA_DIR: dir };

    const created = await cli(['create', '--name', 'cli-writer', '--scope', 'write'], env);
    expect(created.code, created.stderr).toBe(0);
    const key = lastLine(created.stdout);
    expect(key).toMatch(SECRET);

    const listed = await cli(['list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/cli-writer\s+write/);
    expect(listed.stdout).not.toContain(key);
    const json = await cli(['list', '--json'], env);
    const [entry] = JSON.parse(json.stdout);
    expect(entry).toMatchObject({ name: 'cli-writer', scope: 'write', revokedAt: null });
    expect(json.stdout).not.toContain(key);

    const server = await startEmbedded(env);
    expect(server.logs.join('')).toContain('loaded the seed data');
    const statements = (await (await fetch(`${server.url}/statements?limit=100`)).json()).data;
    expect(statements.length).toBeGreaterThan(10);
    const write = await fetch(`${server.url}/actors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ name: 'Written With A Cli Key', kind: 'other' }),
    });
    expect(write.status).toBe(201);
    const history = await (await fetch(`${server.url}/actors/${(await write.json()).id}/history`)).json();
    expect(history.data[0].by).toBe('cli-writer');

    // The server holds the directory: the CLI refuses, and says what to do instead.
    const refused = await cli(['list'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('POST /keys');
    expect(await stop(server.proc)).toBe(0);

    const revoked = await cli(['revoke', entry.id], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain('cli-writer');
    const after = JSON.parse((await cli(['list', '--json'], env)).stdout);
    expect(after[0].revokedAt).not.toBeNull();
    expect(after[0].lastUsedAt).not.toBeNull();
  }, 300_000);

  it('explains what is wrong with a command', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-keys-'));
    dirs.push(dir);
    const env = { DATA_DIR: dir };
    const noScope = await cli(['create', '--name', 'x'], env);
    expect(noScope.code).toBe(2);
    expect(noScope.stderr).toContain('--scope');
    expect((await cli(['frobnicate'], env)).code).toBe(2);
    const badId = await cli(['revoke', 'nope'], env);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('not a key id');
    const unknown = await cli(['revoke', '00000000-0000-4000-8000-000000000000'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No API key');
    const reserved = await cli(['create', '--name', 'admin', '--scope', 'admin'], env);
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toContain('reserved');
  }, 300_000);
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('npm run keys on DATABASE_URL', () => {
  it('creates, lists and revokes keys on a PostgreSQL database (migrating it if new)', async () => {
    const server = process.env.TEST_DATABASE_URL!;
    const name = `attest_keys_cli_${randomBytes(5).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };
    await admin(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(server);
      url.pathname = `/${name}`;
      const env = { DATABASE_URL: url.toString() };
      const created = await cli(['create', '--name', 'pg-writer', '--scope', 'admin'], env);
      expect(created.code, created.stderr).toBe(0);
      expect(lastLine(created.stdout)).toMatch(SECRET);
      const [entry] = JSON.parse((await cli(['list', '--json'], env)).stdout);
      expect(entry).toMatchObject({ name: 'pg-writer', scope: 'admin', revokedAt: null });
      expect((await cli(['revoke', entry.id], env)).code).toBe(0);
      expect(JSON.parse((await cli(['list', '--json'], env)).stdout)[0].revokedAt).not.toBeNull();
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }, 300_000);
});
