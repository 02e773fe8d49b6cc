// Load shedding at 500 connections: the compiled server on the bench database, once with shedding off
// and once with the default limits, side by side in one run. Each connection
// sends GET list-by-actor-and-date (bench/.out/urls/a.txt) in a loop; latency is timed per answer and
// reported by status, so the 200s' p99 is not flattered by fast 503s. With shedding on, twice: clients
// that ignore Retry-After and ask again at once (as wrk and autocannon do), and clients that wait
// as it says. The server's own view (GET /metrics) is printed beside: time from the request's first
// byte read to its last byte written, by status.
//
//   npm run build && npm run bench:pressure
//   CONNECTIONS=500 DURATION=20 WARMUP=3 SETTINGS="SHED_MAX_IN_FLIGHT=0,SHED_EVENT_LOOP_DELAY_MS=0 default" npm run bench:pressure
//
// The load generator is Node on the same 2 cores as the server and PostgreSQL: it takes CPU the server
// would otherwise have, as autocannon would.
import http from 'node:http';
import { percentile, startServer, urlList } from './process.js';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 500);
const DURATION = Number(process.env.DURATION ?? 20);
const WARMUP = Number(process.env.WARMUP ?? 3);
// Each: the server's settings, comma-separated NAME=value pairs, or `default`; `+retry-after` makes
// the clients wait as a 503's Retry-After says.
const SETTINGS = (
  process.env.SETTINGS ?? 'SHED_MAX_IN_FLIGHT=0,SHED_EVENT_LOOP_DELAY_MS=0 default default+retry-after'
).split(' ');
const paths = urlList('a');

interface Tally {
  byStatus: Map<string, number[]>;
  errors: number;
}

async function load(base: string, seconds: number, honourRetryAfter = false): Promise<Tally> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const { hostname, port } = new URL(base);
  const tally: Tally = { byStatus: new Map(), errors: 0 };
  const end = performance.now() + seconds * 1000;
  let next = 0;
  const one = (path: string) =>
    new Promise<{ status: number; retryAfter: number }>((resolve, reject) => {
      const req = http.get({ hostname, port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 0) }));
      });
      req.on('error', reject);
    });
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          const { status, retryAfter } = await one(paths[next++ % paths.length]);
          const key = String(status);
          let list = tally.byStatus.get(key);
          if (!list) tally.byStatus.set(key, (list = []));
          list.push(performance.now() - t);
          if (honourRetryAfter && status === 503) {
            await new Promise((r) => setTimeout(r, Math.min(retryAfter * 1000, end - performance.now())));
          }
        } catch {
          tally.errors++;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    }),
  );
  agent.destroy();
  return tally;
}

/** The server's latency histogram of the list route, by status: cumulative [upper bound in s, count]. */
async function serverView(base: string) {
  const text = await (await fetch(`${base}/metrics`)).text();
  const byStatus = new Map<string, [number, number][]>();
  for (const m of text.matchAll(/^http_request_duration_seconds_bucket\{le="([^"]+)",method="GET",route="\/statements",status_code="(\d+)"\} (\d+)$/gm)) {
    let list = byStatus.get(m[2]);
    if (!list) byStatus.set(m[2], (list = []));
    list.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[3])]);
  }
  return byStatus;
}

const rows: string[] = [];
let port = 3600;
for (const label of SETTINGS) {
  const [settings, retry] = label.split('+');
  const env: Record<string, string> =
    settings === 'default' ? {} : Object.fromEntries(settings.split(',').map((kv) => kv.split('=')));
  const server = await startServer('compiled', port++, env);
  await load(server.url, WARMUP, retry === 'retry-after');
  const before = await serverView(server.url);
  const tally = await load(server.url, DURATION, retry === 'retry-after');
  const after = await serverView(server.url);
  await server.stop();
  for (const [status, times] of [...tally.byStatus].sort()) {
    times.sort((a, b) => a - b);
    rows.push(
      [
        label.padEnd(50),
        status.padStart(6),
        String(times.length).padStart(8),
        (times.length / DURATION).toFixed(0).padStart(8),
        percentile(times, 50).toFixed(0).padStart(8),
        percentile(times, 99).toFixed(0).padStart(8),
        times[times.length - 1].toFixed(0).padStart(8),
      ].join(' '),
    );
  }
  for (const [status, buckets] of after) {
    const inRun = buckets.map(([le, n]) => [le, n - (before.get(status)?.find(([l]) => l === le)?.[1] ?? 0)] as const);
    const total = inRun.at(-1)?.[1] ?? 0;
    const p99 = inRun.find(([, n]) => n >= total * 0.99)?.[0];
    rows.push(`${''.padEnd(50)} ${status.padStart(6)} server side: ${total} answered, p99 ≤ ${p99 === Infinity ? '+Inf' : `${(p99 ?? 0) * 1000} ms`}`);
  }
  if (tally.errors) rows.push(label.padEnd(50) + ` socket errors: ${tally.errors}`);
}
console.log(`\n${CONNECTIONS} connections, ${DURATION} s each (after ${WARMUP} s of warm-up), GET list by actor and date`);
console.log(`${'settings'.padEnd(50)} ${'status'.padStart(6)} ${'answers'.padStart(8)} ${'per s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
for (const row of rows) console.log(row);
