// npm run fuzz — sends thousands of malformed and hostile requests built from the OpenAPI document and
// reports every 5xx, every answer slower than 2 s, and every 4xx that is not problem+json with a `code`.
// Exits non-zero when there is any of those, or when /health stopped answering quickly.
//
//   npm run fuzz                                   in-process app on a fresh embedded database with the seed
//   npm run fuzz -- --database-url postgresql://postgres@127.0.0.1:5432/postgres
//                                                  in-process app on a fresh database created on that server
//                                                  (migrated, seeded, dropped afterwards)
//   npm run fuzz -- --url http://127.0.0.1:3000 --key $ADMIN_KEY
//                                                  a running server (set RATE_LIMIT_* high, or 429s hide the rest)
//
// Options (or environment): --count N (FUZZ_COUNT, 10000), --seed N (FUZZ_SEED, 1), --url (FUZZ_URL),
// --key (FUZZ_KEY, else ADMIN_KEY), --database-url (FUZZ_DATABASE_URL), --concurrency N (4), --slow-ms N (2000),
// --timeout-ms N (15000), --only cat,cat (categories from scripts/fuzz/generate.ts), --report file.json,
// --case N[,N...] (replay cases, print each and its answer), --rate-limit N (in-process: limit N a minute; off by default).
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { printable, short } from './fuzz/draft.js';
import { CATEGORIES, type Case, type Drawn, Generator, type Known, caseRequestId } from './fuzz/generate.js';
import { type Loose, operationsOf } from './fuzz/openapi.js';
import { type RawRequest, type RawResponse, send } from './fuzz/raw-http.js';
import { rngFor } from './fuzz/values.js';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: process.env.FUZZ_COUNT ?? '10000' },
    seed: { type: 'string', default: process.env.FUZZ_SEED ?? '1' },
    url: { type: 'string', default: process.env.FUZZ_URL },
    key: { type: 'string', default: process.env.FUZZ_KEY ?? process.env.ADMIN_KEY },
    'database-url': { type: 'string', default: process.env.FUZZ_DATABASE_URL },
    concurrency: { type: 'string', default: process.env.FUZZ_CONCURRENCY ?? '4' },
    'slow-ms': { type: 'string', default: '2000' },
    'timeout-ms': { type: 'string', default: '15000' },
    only: { type: 'string' },
    report: { type: 'string' },
    case: { type: 'string' },
    'rate-limit': { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});

const COUNT = Number(args.count);
const SEED = Number(args.seed);
const CONCURRENCY = Math.max(1, Number(args.concurrency));
const SLOW_MS = Number(args['slow-ms']);
const TIMEOUT_MS = Number(args['timeout-ms']);
const ONLY = args.only ? (args.only.split(',') as Drawn[]) : undefined;
for (const c of ONLY ?? []) if (!(c in CATEGORIES)) fail(`unknown category ${c}; known: ${Object.keys(CATEGORIES).join(', ')}`);
if (!Number.isInteger(COUNT) || COUNT < 1 || !Number.isInteger(SEED)) fail('--count and --seed take integers');

function fail(message: string): never {
  console.error(`fuzz: ${message}`);
  process.exit(2);
}

// ---- The target: a running server, or the app built here on a fresh database ------------------------------

interface Target {
  host: string;
  port: number;
  key: string | undefined;
  describe: string;
  /** Server log lines (errors) by request id, in-process only. */
  logs: Map<string, string[]>;
  close(): Promise<void>;
}

async function inProcessTarget(): Promise<Target> {
  const { buildApp } = await import('../src/app.js');
  const { openDatabase } = await import('../src/db/database.js');
  const { applyMigrations } = await import('../src/db/migrations.js');
  const { loadSeed } = await import('../src/seed/load.js');
  const serverUrl = args['database-url'];
  let dropDatabase = async () => {};
  let db;
  let describe: string;
  if (serverUrl) {
    const pg = (await import('pg')).default;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    const name = `attest_fuzz_${randomBytes(5).toString('hex')}`;
    await admin(`CREATE DATABASE ${name}`);
    dropDatabase = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    try {
      db = await openDatabase({ kind: 'postgres', url: url.toString() });
    } catch (e) {
      await dropDatabase();
      throw e;
    }
    describe = `in-process app on PostgreSQL (fresh database ${name} on ${url.host}, dropped afterwards)`;
  } else {
    db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    describe = 'in-process app on a fresh embedded database (PGlite, in memory)';
  }
  const logs = new Map<string, string[]>();
  try {
    await applyMigrations(db.migrationAdapter());
    await loadSeed(db);
    const key = `fuzz-admin-${randomBytes(24).toString('base64url')}`;
    // Errors the server logs are kept by request id, to say where a 5xx came from.
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) {
          try {
            const entry = JSON.parse(line) as {
              reqId?: string;
              msg?: string;
              err?: { type?: string; message?: string; stack?: string };
            };
            const id = entry.reqId ?? '-';
            const where = entry.err?.stack
              ?.split('\n')
              .find((l) => l.includes('/src/'))
              ?.trim();
            const text = `${entry.msg ?? ''}${entry.err ? ` — ${entry.err.type}: ${entry.err.message}` : ''}${where ? ` (${where})` : ''}`;
            logs.set(id, [...(logs.get(id) ?? []), text]);
          } catch {
            logs.set('-', [...(logs.get('-') ?? []), line]);
          }
        }
        done();
      },
    });
    const perMinute = args['rate-limit'] ? Number(args['rate-limit']) : undefined;
    const app = await buildApp({
      database: db,
      adminKey: key,
      logger: { level: 'error', stream },
      rateLimit: perMinute ? { perMinute, keyedPerMinute: perMinute } : undefined,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const database = db;
    return {
      host: '127.0.0.1',
      port: address.port,
      key,
      describe,
      logs,
      async close() {
        await app.close();
        await database.close();
        await dropDatabase();
      },
    };
  } catch (e) {
    await db.close().catch(() => {});
    await dropDatabase().catch(() => {});
    throw e;
  }
}

function remoteTarget(url: string): Target {
  const u = new URL(url);
  if (u.protocol !== 'http:') fail('--url must be http:// (the fuzzer writes raw HTTP/1.1)');
  return {
    host: u.hostname,
    port: Number(u.port || 80),
    key: args.key,
    describe: `server at ${u.origin}${args.key ? ' (writes with the given key)' : ' (no key: writes stop at 401)'}`,
    logs: new Map(),
    close: async () => {},
  };
}

// ---- Learning the target: its document, some ids, cursors and ETags ---------------------------------------

async function getJson(t: Target, path: string, withKey = false): Promise<{ res: RawResponse; json: Loose }> {
  const headers: RawRequest['headers'] = withKey && t.key ? [['Authorization', `Bearer ${t.key}`]] : [];
  const res = await send(t.host, t.port, { method: 'GET', target: path, headers }, TIMEOUT_MS);
  let json: Loose;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { res, json };
}

async function learn(t: Target, doc: Loose): Promise<Known> {
  const known: Known = { ids: new Map(), cursors: new Map(), allCursors: [], etags: [] };
  const add = (resource: string, v: unknown) => {
    if (typeof v !== 'string') return;
    const list = known.ids.get(resource) ?? [];
    if (!list.includes(v)) list.push(v);
    known.ids.set(resource, list);
  };
  const walkCitations = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walkCitations);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'citations' && Array.isArray(x)) for (const c of x) add('citations', c?.id);
        walkCitations(x);
      }
    }
  };
  for (const op of operationsOf(doc)) {
    if (op.method !== 'GET' || op.params.some((p) => p.in === 'path' && p.required)) continue;
    const resource = op.path.split('/')[1];
    const sorts: (string | undefined)[] = op.params.find((p) => p.name === 'sort')?.schema.enum ?? [undefined];
    const takesLimit = op.params.some((p) => p.name === 'limit');
    for (const sort of sorts) {
      const query = [takesLimit ? 'limit=2' : '', sort ? `sort=${sort}` : '', sort === 'relevance' ? 'q=gaza' : '']
        .filter(Boolean)
        .join('&');
      const { json } = await getJson(t, `${op.path}${query ? `?${query}` : ''}`, op.secured);
      if (!json || typeof json !== 'object') continue;
      if (Array.isArray(json.data) && resource !== 'changes') {
        for (const item of json.data) {
          add(resource, item?.id);
          if (resource === 'actors') add(resource, item?.slug);
        }
      }
      walkCitations(json);
      if (typeof json.nextCursor === 'string') {
        known.cursors.set(op.id, [...(known.cursors.get(op.id) ?? []), json.nextCursor]);
        known.allCursors.push(json.nextCursor);
      }
    }
  }
  // History cursors and ETags from a few records.
  for (const resource of ['actors', 'sources', 'statements', 'figures', 'citations']) {
    for (const id of (known.ids.get(resource) ?? []).slice(0, 2)) {
      const { res } = await getJson(t, `/${resource}/${encodeURIComponent(id)}`);
      if (res.headers.etag) known.etags.push(res.headers.etag);
      const history = await getJson(t, `/${resource}/${encodeURIComponent(id)}/history?limit=1`);
      const hop = operationsOf(doc).find((o) => o.method === 'GET' && o.path === `/${resource}/{id}/history`);
      if (hop && typeof history.json?.nextCursor === 'string') {
        known.cursors.set(hop.id, [...(known.cursors.get(hop.id) ?? []), history.json.nextCursor]);
        known.allCursors.push(history.json.nextCursor);
      }
    }
  }
  return known;
}

// ---- Judging an answer ------------------------------------------------------------------------------------

type Failure = '5xx' | 'slow' | 'no answer' | '4xx not problem+json';

interface Outcome {
  case: Case;
  res: RawResponse;
  failures: Failure[];
  code?: string;
}

function judge(c: Case, res: RawResponse): Outcome {
  const failures: Failure[] = [];
  // A server that stopped reading a body it would not use (over the size limit, or on a route that takes
  // none) may close before the request is all sent, or lose the end of its answer: counted apart.
  if ((res.status === 0 || res.error) && !res.unsent) failures.push('no answer');
  if (res.status >= 500) failures.push('5xx');
  if (res.ms > SLOW_MS) failures.push('slow');
  let code: string | undefined;
  if (res.status >= 400 && res.status < 500) {
    const type = res.headers['content-type'] ?? '';
    let ok = type.toLowerCase().startsWith('application/problem+json');
    if (ok && c.request.method !== 'HEAD') {
      try {
        code = JSON.parse(res.body.toString('utf8'))?.code;
        ok = typeof code === 'string' && code.length > 0;
      } catch {
        ok = false;
      }
    }
    if (!ok) failures.push('4xx not problem+json');
  } else if (res.status >= 500) {
    try {
      code = JSON.parse(res.body.toString('utf8'))?.code;
    } catch {
      // not JSON
    }
  }
  return { case: c, res, failures, code };
}

/** What the server logged for a case: under the id it answered with, or the one the case sent. */
function logsOf(t: Target, c: Case, res: RawResponse): string[] | undefined {
  return t.logs.get(res.headers['x-request-id'] ?? '') ?? t.logs.get(caseRequestId(c.index));
}

function describeRequest(r: RawRequest): { method: string; target: string; body: string } {
  const target = typeof r.target === 'string' ? r.target : `bytes:${r.target.toString('latin1')}`;
  const body = r.body ? r.body.toString('utf8') : '';
  return {
    method: r.rawHead ? r.rawHead.toString('latin1').split(/[\s]/)[0] || '(raw)' : r.method,
    target: printable(short(r.rawHead ? r.rawHead.toString('latin1').split('\r\n')[0] : target, 160)),
    body: printable(short(body, 120)),
  };
}

// ---- The run ----------------------------------------------------------------------------------------------

/**
 * In process, an error nothing awaited would end a real server (Node exits on an unhandled rejection).
 * Here it is recorded with the cases in flight, the run goes on, and the run fails.
 */
const crashes: { error: string; inFlight: number[] }[] = [];
const inFlight = new Set<number>();
const crashed = (err: unknown) => {
  const e = err as Error;
  const where = e?.stack
    ?.split('\n')
    .find((l) => l.includes('/src/') && !l.includes('node_modules'))
    ?.trim();
  crashes.push({
    error: `${e?.name ?? 'Error'}: ${short(String(e?.message ?? err).replace(/\s+/g, ' '), 300)}${where ? ` (${where})` : ''}`,
    inFlight: [...inFlight],
  });
};
if (!args.url) {
  process.on('unhandledRejection', crashed);
  process.on('uncaughtException', crashed);
}

const target = args.url ? remoteTarget(args.url) : await inProcessTarget();
let exitCode = 0;
try {
  exitCode = await run(target);
} catch (err) {
  // Said before closing: closing waits for requests other workers still have in flight.
  console.error('fuzz: the fuzzer itself failed:', err);
  exitCode = 2;
} finally {
  await Promise.race([target.close(), new Promise((r) => setTimeout(r, 10_000).unref())]);
}
process.exit(exitCode);

async function run(t: Target): Promise<number> {
  const docRes = await getJson(t, '/openapi.json');
  if (docRes.res.status !== 200 || !docRes.json?.paths) fail(`GET /openapi.json answered ${docRes.res.status}`);
  const doc = docRes.json;
  const known = await learn(t, doc);
  const gen = new Generator(doc, known, t.key, SEED);

  if (args.case !== undefined) {
    // Replays the given cases one at a time (same seed, same requests), printing each and its answer.
    let failed = 0;
    for (const index of args.case.split(',').map(Number)) {
      const c = gen.make(index, rngFor(SEED, index), ONLY);
      inFlight.add(index);
      const res = await send(t.host, t.port, c.request, TIMEOUT_MS);
      inFlight.delete(index);
      const d = describeRequest(c.request);
      console.log(`case ${index} [${c.category}] ${c.op}: ${c.what}`);
      console.log(`${d.method} ${d.target}`);
      for (const [n, v] of c.request.headers) console.log(`  ${n}: ${printable(short(v.toString('latin1'), 200))}`);
      if (d.body) console.log(`  body: ${d.body}`);
      console.log(`→ ${res.status} in ${res.ms.toFixed(1)} ms${res.error ? ` (${res.error})` : ''}`);
      console.log(`  ${short(res.body.toString('utf8'), 1000)}`);
      const logs = logsOf(t, c, res);
      if (logs) console.log(`  server log: ${logs.join(' | ')}`);
      if (judge(c, res).failures.length) failed++;
    }
    // Let a rejection that nothing awaited surface before judging.
    await new Promise((r) => setTimeout(r, 200));
    for (const c of crashes) console.log(`server crash: ${c.error} (cases in flight: ${c.inFlight.join(', ')})`);
    return failed || crashes.length ? 1 : 0;
  }

  const opCount = gen.ops.length;
  const writes = gen.ops.filter((o) => o.method !== 'GET').length;
  const sweep = ONLY ? 0 : Math.min(COUNT, gen.sweep.length);
  console.log(`fuzz: ${COUNT} requests, seed ${SEED}, ${CONCURRENCY} in flight, against ${t.describe}`);
  console.log(
    `      ${opCount} operations in /openapi.json (${writes} writes); learnt ${[...known.ids].map(([r, l]) => `${l.length} ${r}`).join(', ')}, ${known.allCursors.length} cursors, ${known.etags.length} ETags`,
  );
  console.log(
    `      the first ${sweep} cases sweep every string field, query and path parameter with \\ud800 and \\u0000; the rest are drawn at random`,
  );

  // /health, probed throughout and once after.
  const health = { probes: 0, maxMs: 0, bad: [] as string[] };
  let running = true;
  const probeHealth = async () => {
    const res = await send(t.host, t.port, { method: 'GET', target: '/health', headers: [] }, TIMEOUT_MS);
    health.probes++;
    health.maxMs = Math.max(health.maxMs, res.ms);
    if (res.status !== 200 || res.ms > SLOW_MS) health.bad.push(`${res.status || res.error} in ${res.ms.toFixed(0)} ms`);
  };
  const prober = (async () => {
    while (running) {
      await probeHealth();
      await new Promise((r) => setTimeout(r, 500));
    }
  })();

  const statuses = new Map<number, number>();
  let unsent = 0;
  const byCategory = new Map<string, { sent: number; failed: number; statuses: Record<number, number> }>();
  const failures: Outcome[] = [];
  // Sweep cases (a lone surrogate or NUL somewhere) that were not refused: text that may have been altered.
  const accepted: Outcome[] = [];
  const latencies: number[] = [];
  let next = 0;
  let done = 0;
  const started = performance.now();
  const loadBefore = loadavg()[0];
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= COUNT) return;
      const c = gen.make(index, rngFor(SEED, index), ONLY);
      inFlight.add(index);
      const res = await send(t.host, t.port, c.request, TIMEOUT_MS);
      inFlight.delete(index);
      const outcome = judge(c, res);
      if (res.unsent && (res.status === 0 || res.error)) unsent++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const cat = byCategory.get(c.category) ?? { sent: 0, failed: 0, statuses: {} };
      cat.statuses[res.status] = (cat.statuses[res.status] ?? 0) + 1;
      cat.sent++;
      // (An import answers 200 with the lines it refused, each naming the field: that is a refusal too.)
      const named = /surrogate|NUL/.test(res.body.toString('utf8'));
      if (c.category === 'sweep' && res.status >= 200 && res.status < 300 && !named) accepted.push(outcome);
      if (outcome.failures.length) {
        cat.failed++;
        failures.push(outcome);
      }
      byCategory.set(c.category, cat);
      latencies.push(res.ms);
      done++;
      if (!args.quiet && process.stderr.isTTY && done % 250 === 0) {
        process.stderr.write(`\r      ${done}/${COUNT} sent, ${failures.length} failed`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const loadAfter = loadavg()[0];
  running = false;
  await prober;
  await probeHealth();
  if (process.stderr.isTTY && !args.quiet) process.stderr.write('\r\x1b[K');

  // ---- Report ---------------------------------------------------------------------------------------------
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  const count = (f: Failure) => failures.filter((o) => o.failures.includes(f)).length;
  console.log(
    `      done in ${seconds.toFixed(1)} s; latency p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, max ${pct(1).toFixed(0)} ms`,
  );
  console.log(
    `status: ${[...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s || 'none'}×${n}`)
      .join('  ')}`,
  );
  console.log(
    `by category (sent/failed): ${[...byCategory]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k} ${v.sent}/${v.failed}`)
      .join(', ')}`,
  );

  if (failures.length) {
    // Every failure, one line each (the first 100; --report keeps them all).
    console.log(`\nfailures (${failures.length}${failures.length > 100 ? ', the first 100' : ''}):`);
    for (const o of [...failures].sort((a, b) => a.case.index - b.case.index).slice(0, 100)) {
      const d = describeRequest(o.case.request);
      console.log(
        `  #${o.case.index} ${o.failures.join('+')}: ${o.res.status || o.res.error} in ${o.res.ms.toFixed(0)} ms  ${d.method} ${short(d.target, 110)}${d.body ? `  body: ${short(d.body, 60)}` : ''}`,
      );
    }
    // Grouped by cause as far as it can be told: the server's log line (its specifics left out) when
    // there is one, else what the case broke.
    const groups = new Map<string, Outcome[]>();
    for (const o of failures) {
      const log = logsOf(t, o.case, o.res)?.[0];
      const cause = log
        ? log.replace(/'[^']*'|"[^"]*"/g, "'…'").replace(/:\d+:\d+\)/, ')')
        : `${o.case.category}${o.case.category === 'http' ? `: ${o.case.what}` : ''}`;
      const key = `${o.failures.join('+')} | ${o.res.status || o.res.error}${o.code ? ` ${o.code}` : ''} | ${cause}`;
      groups.set(key, [...(groups.get(key) ?? []), o]);
    }
    console.log(`\nfailures by cause (${groups.size}; one example each):`);
    for (const [key, list] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
      const o = list[0];
      const d = describeRequest(o.case.request);
      const ops = [...new Set(list.map((x) => x.case.op))];
      console.log(`  ${list.length}× ${key}`);
      console.log(`     on ${ops.length > 4 ? `${ops.slice(0, 4).join(', ')} and ${ops.length - 4} more` : ops.join(', ')}`);
      console.log(`     e.g. case ${o.case.index} [${o.case.category}] ${o.case.what}`);
      console.log(
        `     ${d.method} ${d.target}${d.body ? `  body: ${d.body}` : ''} → ${o.res.status || o.res.error} in ${o.res.ms.toFixed(0)} ms`,
      );
    }
    console.log(`  (replay one: npm run fuzz -- --seed ${SEED} --case N${args.url ? ` --url ${args.url}` : ''})`);
  }
  const unmatched = t.logs.get('-');
  if (unmatched?.length)
    console.log(`server errors logged outside a request: ${unmatched.length}, e.g. ${short(unmatched[0], 300)}`);

  const failed = failures.length;
  const passed = COUNT - failed;
  const healthOk = health.bad.length === 0;
  console.log(
    `\n5xx: ${count('5xx')}   slow (> ${SLOW_MS} ms): ${count('slow')}   no answer: ${count('no answer')}   4xx not problem+json: ${count('4xx not problem+json')}`,
  );
  if (accepted.length) {
    console.log(`sweep: ${accepted.length} requests with a lone surrogate or NUL were not refused (check nothing was altered):`);
    for (const o of accepted.slice(0, 10)) {
      console.log(`  #${o.case.index} ${o.res.status} ${o.case.op}: ${o.case.what}`);
    }
  }
  if (crashes.length) {
    console.log(`server crashes: ${crashes.length} errors nothing caught (a real server would have exited):`);
    for (const c of crashes.slice(0, 10)) console.log(`  ${c.error}\n    cases in flight: ${c.inFlight.join(', ')}`);
  }
  if (unsent) console.log(`(not failures: ${unsent} answers lost or cut while the server was not reading a large body)`);
  console.log(
    `/health: ${health.probes} probes during and after the run, slowest ${health.maxMs.toFixed(0)} ms${healthOk ? '' : `; ${health.bad.length} bad: ${health.bad.slice(0, 5).join(', ')}`}`,
  );
  // Answers are timed on a machine others may be using: a loaded machine makes slow answers of fast ones.
  console.log(
    `machine: load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${availableParallelism()} cores`,
  );
  console.log(
    `${passed} passed, ${failed} failed${crashes.length ? `, ${crashes.length} server crashes` : ''}${healthOk ? '' : ', /health failed'}`,
  );

  if (args.report) {
    await writeFile(
      args.report,
      JSON.stringify(
        {
          seed: SEED,
          count: COUNT,
          target: t.describe,
          statuses: Object.fromEntries(statuses),
          categories: Object.fromEntries(byCategory),
          health,
          crashes,
          sweepAccepted: accepted.map((o) => ({ index: o.case.index, op: o.case.op, what: o.case.what, status: o.res.status })),
          failures: failures.map((o) => ({
            index: o.case.index,
            category: o.case.category,
            op: o.case.op,
            what: o.case.what,
            ...describeRequest(o.case.request),
            status: o.res.status,
            code: o.code,
            ms: Math.round(o.res.ms),
            error: o.res.error,
            failures: o.failures,
            log: logsOf(t, o.case, o.res),
          })),
        },
        null,
        2,
      ),
    );
    console.log(`report: ${args.report}`);
  }
  return failed || crashes.length || !healthOk ? 1 : 0;
}
