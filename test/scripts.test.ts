import { execFile, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figures as seedFigures, statements as seedStatements } from '../src/seed/data.js';
import { TEST_ADMIN_KEY, useApp } from './helpers/app.js';
import { useAppWith } from './helpers/app-with.js';
import { DIAZ } from './helpers/seed.js';

/**
 * What the README's "From scripts" section promises, tried the way a user runs it: pandas and R read a
 * list's CSV from its URL with the right column types, and the `attest` command imports and exports.
 * Python is Debian's (/usr/bin/python3 with python3-pandas) and R is Rscript (r-base-core); without
 * them those tests are skipped, saying what to install.
 */
const ctx = useApp({ seed: true });
// A server that answers one request at a time and sheds the rest (503, Retry-After: 1).
const busy = useAppWith({
  pressure: { maxInFlight: 1, maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0, maxRssBytes: 0, retryAfterSeconds: 1 },
});
const run = promisify(execFile);
let base = '';
let dir = '';

beforeAll(async () => {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
  dir = await mkdtemp(join(tmpdir(), 'attest-scripts-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const PYTHON = '/usr/bin/python3';
const hasPandas = spawnSync(PYTHON, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
const hasR = spawnSync('Rscript', ['--version'], { stdio: 'ignore' }).status === 0;

describe('pandas', () => {
  it.skipIf(!hasPandas)(
    `reads statements and figures from their CSV URLs with numbers, booleans and dates typed${hasPandas ? '' : ' (skipped: apt-get install python3-pandas)'}`,
    async () => {
      const script = `
import json, sys
import pandas as pd
base = sys.argv[1]
s = pd.read_csv(f"{base}/statements?format=csv", parse_dates=["saidOnFirstDay", "saidOnLastDay"])
f = pd.read_csv(f"{base}/figures?format=csv", parse_dates=["asOfFirstDay", "asOfLastDay"])
month = s[s.saidOn.str.len() == 7].iloc[0]
print(json.dumps({
  "statements": len(s), "figures": len(f),
  "types": {c: str(s[c].dtype) for c in ["id", "saidOn", "saidOnFirstDay", "saidOnLastDay", "tags.count", "citations.count", "text"]},
  "figureTypes": {c: str(f[c].dtype) for c in ["value", "cumulative", "asOfFirstDay", "citations.count"]},
  "noNumber": int(f.value.isna().sum()),
  "month": [month.saidOn, str(month.saidOnFirstDay.date()), str(month.saidOnLastDay.date())],
}))
`;
      const { stdout } = await run(PYTHON, ['-c', script, base]);
      const out = JSON.parse(stdout);
      expect(out.statements).toBe(seedStatements.length);
      expect(out.figures).toBe(seedFigures.length);
      expect(out.types).toEqual({
        id: 'object',
        saidOn: 'object',
        saidOnFirstDay: 'datetime64[ns]',
        saidOnLastDay: 'datetime64[ns]',
        'tags.count': 'int64',
        'citations.count': 'int64',
        text: 'object',
      });
      // Words without a number ("the majority", "thousands") are empty cells: pandas reads NaN, so value is a float.
      expect(out.noNumber).toBe(seedFigures.filter((f) => f.value === null).length);
      expect(out.noNumber).toBeGreaterThan(0);
      expect(out.figureTypes).toEqual({
        value: 'float64',
        cumulative: 'bool',
        asOfFirstDay: 'datetime64[ns]',
        'citations.count': 'int64',
      });
      const [saidOn, first, last] = out.month as string[];
      expect(first).toBe(`${saidOn}-01`);
      expect(last.slice(0, 7)).toBe(saidOn);
      expect(Number(last.slice(8))).toBeGreaterThanOrEqual(28);
    },
  );
});

describe('R', () => {
  it.skipIf(!hasR)(
    `reads statements and figures from their CSV URLs, dates convertible with as.Date${hasR ? '' : ' (skipped: apt-get install r-base-core)'}`,
    async () => {
      const script = `
args <- commandArgs(trailingOnly = TRUE)
s <- read.csv(paste0(args[1], "/statements?format=csv"))
f <- read.csv(paste0(args[1], "/figures?format=csv"))
cat(nrow(s), nrow(f), "\\n")
cat(class(s$tags.count), class(s$citations.count), class(s$text), class(f$value), class(f$cumulative == "true"), "\\n")
cat(sum(is.na(f$value)), "\\n")
cat(sum(is.na(as.Date(s$saidOnFirstDay))), sum(is.na(as.Date(s$saidOnLastDay))), sum(is.na(as.Date(f$asOfFirstDay))), "\\n")
cat(class(as.Date(s$saidOnFirstDay)), "\\n")
`;
      const { stdout } = await run('Rscript', ['-e', script, base]);
      const [counts, classes, noNumber, nas, dateClass] = stdout
        .trim()
        .split('\n')
        .map((l) => l.trim());
      expect(counts).toBe(`${seedStatements.length} ${seedFigures.length}`);
      // R 4.2's read.csv reads only TRUE/FALSE as logical: booleans (true/false) stay text, compared as the README shows.
      expect(classes).toBe('integer integer character integer logical');
      expect(Number(noNumber)).toBe(seedFigures.filter((f) => f.value === null).length);
      expect(nas).toBe('0 0 0');
      expect(dateClass).toBe('Date');
    },
  );
});

describe('the attest command', () => {
  // Asynchronous: the server answering the command runs in this process.
  const attest = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['scripts/attest.mjs', ...args],
        { encoding: 'utf8', env: { ...process.env, ATTEST_URL: base, ATTEST_KEY: TEST_ADMIN_KEY, ...env } },
        (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('sends a file again when the server sheds load, once Retry-After has passed', async () => {
    await busy.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (busy.app.server.address() as { port: number }).port;
    // A request whose body never comes holds the server's one place until the socket closes.
    const held = connect(port, '127.0.0.1');
    try {
      held.write(
        `POST /import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_ADMIN_KEY}\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100\r\n\r\n`,
      );
      await new Promise((r) => setTimeout(r, 200));
      const shed = await fetch(`http://127.0.0.1:${port}/actors`);
      expect([shed.status, shed.headers.get('retry-after')]).toEqual([503, '1']);
      setTimeout(() => held.destroy(), 1500);
    } catch (err) {
      held.destroy();
      throw err;
    }
    const file = join(dir, 'busy.ndjson');
    await writeFile(file, `${JSON.stringify({ type: 'actor', name: 'Busy Server Test', kind: 'other' })}\n`);
    const res = await attest(['import', file], { ATTEST_URL: `http://127.0.0.1:${port}` });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/1 created/);
    await busy.anon.get('/actors/busy-server-test').expect(200);
  });

  it('exports the whole record, and a list as CSV with filters', async () => {
    const file = join(dir, 'all.ndjson');
    const all = await attest(['export', '--out', file]);
    expect(all.status, all.stderr).toBe(0);
    expect(all.stderr).toMatch(/^Exported \d+ lines \(.+\) in .+ to .*all\.ndjson\.\n$/);
    expect(await readFile(file, 'utf8')).toBe((await ctx.anon.get('/export').expect(200)).text);
    const csv = await attest(['export', 'statements', '--format', 'csv', '--actor', DIAZ]);
    expect(csv.status, csv.stderr).toBe(0);
    // Asked at the address the command used: permalinks name it.
    const direct = await ctx.anon.get(`/statements?actor=${DIAZ}&format=csv`).set('host', new URL(base).host).expect(200);
    expect(csv.stdout).toBe(direct.text);
    const bad = await attest(['export', 'statements', '--colour', 'red']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error \(400\): .*colour/);
  });

  it('imports a file, with a dry run first, and prints a summary; a second run creates nothing', async () => {
    const file = join(dir, 'new.ndjson');
    const line = (i: number) => ({
      type: 'statement',
      speaker: DIAZ,
      text: `Said for the command-line test (${i}).`,
      language: 'en',
      kind: 'paraphrase',
      saidOn: '2025-03',
      citations: [
        { source: { kind: 'news_article', title: 'CLI', url: 'https://cli.example/x' }, excerpt: 'x', role: 'secondary' },
      ],
    });
    await writeFile(file, [1, 2, 3].map((i) => JSON.stringify(line(i))).join('\n'));
    const dry = await attest(['import', file, '--dry-run']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^Checked \(dry run, nothing written\) new\.ndjson: 3 lines in /);
    expect(dry.stdout).toContain('4 created, 0 updated, 0 unchanged, 0 failed');
    const real = await attest(['import', file, '--reason', 'Imported by the command-line test — café']);
    expect(real.status, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/^Imported new\.ndjson: 3 lines/);
    const again = await attest(['import', file]);
    // Sources given inline are references when they exist: only the statements count as unchanged.
    expect(again.stdout).toContain('0 created, 0 updated, 3 unchanged, 0 failed');
    const said = (await ctx.anon.get(`/actors/${DIAZ}/statements?from=2025-03&to=2025-03`).expect(200)).body.data;
    expect(said).toHaveLength(3);
    const history = (await ctx.anon.get(`/statements/${said[0].id}/history`).expect(200)).body.data;
    expect(history[0].reason).toBe('Imported by the command-line test — café');
  });

  it('names the failed lines and exits 1; without a key it says how to get one', async () => {
    const file = join(dir, 'bad.ndjson');
    await writeFile(file, '{"type":"actor","name":"Fine","kind":"person"}\n{"type":"actor","name":"Bad","kind":"planet"}\n');
    const res = await attest(['import', file]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^error \(400\): Nothing was imported: line 2, kind: /);
    expect(res.stderr).toContain('line 2, kind:');
    await ctx.anon.get('/actors/fine').expect(404);
    const nokey = await attest(['import', file], { ATTEST_KEY: '' });
    expect(nokey.status).toBe(2);
    expect(nokey.stderr).toMatch(/ATTEST_KEY/);
  });
});
