import { execFile, spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY, useApp } from './helpers/app.js';

// What a new user does with the served document: generate a client with openapi-typescript (default options)
// + openapi-fetch, and with @hey-api/openapi-ts; compile the example programs in docs/clients with
// `tsc --strict`, unmodified; run them against the seed data on a real port.
const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

describe('clients generated from /openapi.json', () => {
  const ctx = useApp({ seed: true });
  let dir: string;
  let base: string;

  beforeAll(async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
    dir = await mkdtemp(join(tmpdir(), 'attest-clients-'));
    // The generated code imports openapi-fetch and the programs run as ES modules, as in a user's project.
    await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'dist', types: ['node'] },
        include: ['*.ts', 'attest-sdk'],
      }),
    );
    await cp(join(root, 'docs/clients'), dir, { recursive: true, filter: (src) => !/\.(md|py)$/.test(src) });
    // Generated once, from the served document, with the commands docs/clients gives.
    await Promise.all([
      run(bin('openapi-typescript'), [`${base}/openapi.json`, '-o', 'attest.d.ts'], { cwd: dir }),
      run(bin('openapi-ts'), ['-i', `${base}/openapi.json`, '-o', 'attest-sdk'], { cwd: dir }),
    ]);
    // Both programs and the SDK in one compiler run; skipLibCheck off, so the generated code is checked too.
    await run(bin('tsc'), ['-p', dir, '--strict'], { cwd: dir }).catch((err) => {
      throw new Error(`tsc --strict failed:\n${err.stdout}${err.stderr}`);
    });
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const program = async (name: string) => {
    const { stdout } = await run(process.execPath, [join(dir, 'dist', `${name}.js`)], {
      cwd: dir,
      // hey-api.ts does not read ATTEST_URL: its SDK takes the base URL from the document's server.
      env: { ...process.env, ATTEST_URL: base, ATTEST_KEY: TEST_ADMIN_KEY },
    });
    return JSON.parse(stdout);
  };

  for (const name of ['openapi-fetch', 'hey-api']) {
    it(`${name}: lists by actor and date across pages, writes with a key, reads a 400 problem`, async () => {
      const out = await program(name);
      const march = (await ctx.anon.get('/statements?actor=miguel-diaz-canel&from=2024-03&to=2024-03&limit=100')).body.data;
      expect(march.length).toBeGreaterThan(2);
      expect(out.listed).toEqual(march.map((s: { saidOn: string }) => `${s.saidOn} miguel-diaz-canel`));
      expect(out.pages).toBe(Math.ceil(march.length / 2));
      expect(out.created).toMatchObject({ status: 201, location: `/statements/${out.created.id}`, citations: 1 });
      const stored = await ctx.anon.get(`/statements/${out.created.id}`).expect(200);
      // The defaults the program left out were applied by the server.
      expect(stored.body).toMatchObject({ verification: 'unverified', tags: [], involved: [] });
      expect(out.problem).toEqual({ status: 400, code: 'validation-failed', field: 'from' });
    });
  }

  // The README's Python client, as printed there; needs python3 with requests (skipped without).
  const python = spawnSync('python3', ['-c', 'import requests']).status === 0;
  if (!python) console.warn('test/generated-clients.test.ts: the Python client is skipped without python3 and requests');
  it.skipIf(!python)('Python (requests): the same steps, the next page from the Link header', async () => {
    const { stdout } = await run('python3', [join(root, 'docs/clients/python_requests.py')], {
      env: { ...process.env, ATTEST_URL: base, ATTEST_KEY: TEST_ADMIN_KEY },
    });
    const lines = stdout.trim().split('\n');
    const march = (await ctx.anon.get('/statements?actor=miguel-diaz-canel&from=2024-03&to=2024-03&limit=100')).body.data;
    expect(lines.filter((l) => l.startsWith('listed'))).toEqual(
      march.map((s: { saidOn: string }) => `listed ${s.saidOn} miguel-diaz-canel`),
    );
    expect(lines.find((l) => l.startsWith('created'))).toMatch(/^created 201 \/statements\/[0-9a-f-]{36}$/);
    expect(lines.at(-1)).toBe('problem 400 validation-failed from');
  });
});
