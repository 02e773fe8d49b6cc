// Prints the table of one or more results files written by bench/run.sh (median round per server,
// endpoint and Node version; ratio = req/s over the raw peer's on the same endpoint and Node).
//
//   tsx bench/report.ts bench/.out/results-<stamp>.jsonl [more.jsonl ...]
import { readFileSync } from 'node:fs';

interface Result {
  server: string;
  endpoint: string;
  node: string;
  /** What the server ran on when that is not `node` (Platformatic on Node 22, PostgREST); older files lack it. */
  runtime?: string;
  round: number;
  date: string;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  non2xx: number;
  socket_errors: number;
  server_cpu_pct: number;
  pg_cpu_pct: number;
  machine_busy_pct: number;
  wrk_cpu_pct: number;
  other_cpu_pct: number;
  background_busy_pct: number;
  server_cpu_ms_per_req: number;
  pg_cpu_ms_per_req: number;
  bytes: number;
  requests: number;
  clean?: boolean;
}

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: tsx bench/report.ts results.jsonl [...]');
  process.exit(1);
}
const results: Result[] = files.flatMap((f) =>
  readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Result),
);

const ENDPOINTS: Record<string, string> = {
  a: '(a) list by actor + date range',
  b: '(b) full-text q=<word>',
  c: '(c) GET /statements/{id}',
  d: '(d) figures metric=killed',
  e: '(e) actors q=<name>',
};
const ORDER = ['attest', 'raw', 'prisma', 'raw-prepared', 'raw-in-subquery', 'platformatic', 'postgrest', 'postgrest-slug'];
// The raw peer running the same SQL as each server, for a like-for-like ratio.
// Attest sends (a) and (c) as named prepared statements since 2026-11-22 ~16:45 UTC.
const SAME_SQL: Record<string, Record<string, string>> = {
  attest: { a: 'raw-prepared', c: 'raw-prepared' },
  prisma: { a: 'raw', c: 'raw' },
};

const groups = new Map<string, Result[]>();
for (const r of results) {
  const key = `${r.node}|${r.endpoint}|${r.server}`;
  groups.set(key, [...(groups.get(key) ?? []), r]);
}
const median = (rs: Result[]) => [...rs].sort((x, y) => x.rps - y.rps)[Math.floor((rs.length - 1) / 2)];
const rows = [...groups.values()].map((rs) => ({ ...median(rs), rounds: rs.length, all: rs.map((r) => Math.round(r.rps)) }));
rows.sort(
  (x, y) =>
    x.node.localeCompare(y.node) || x.endpoint.localeCompare(y.endpoint) || ORDER.indexOf(x.server) - ORDER.indexOf(y.server),
);

const fmt = (n: number, d = 1) => n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });
console.log(
  '| Node | endpoint | server | req/s | p50 ms | p99 ms | ratio to raw | ratio to raw with the same SQL | server CPU ms/req | PostgreSQL CPU ms/req | CPU % of a core: server / pg / wrk / other | rounds (req/s) |',
);
console.log('|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|');
for (const r of rows) {
  const raw = rows.find((x) => x.node === r.node && x.endpoint === r.endpoint && x.server === 'raw');
  const ratio = raw && r.server !== 'raw' ? `${fmt(r.rps / raw.rps, 2)}x` : r.server === 'raw' ? '1.00x' : '–';
  const peer = SAME_SQL[r.server]?.[r.endpoint];
  const same = peer && rows.find((x) => x.node === r.node && x.endpoint === r.endpoint && x.server === peer);
  const sameRatio = same ? `${fmt(r.rps / same.rps, 2)}x (${peer})` : '–';
  const bad =
    (r.non2xx || r.socket_errors ? ` ⚠ ${r.non2xx} non-2xx, ${r.socket_errors} socket errors` : '') +
    (r.clean === false ? ' ⚠ other processes busy during the run' : '');
  // A server that does not run on the Node of the row (Platformatic needs Node 22; PostgREST is Haskell) says so.
  const server = r.runtime && r.runtime !== `node ${r.node}` ? `${r.server} (${r.runtime})` : r.server;
  console.log(
    `| ${r.node} | ${ENDPOINTS[r.endpoint] ?? r.endpoint} | ${server} | ${fmt(r.rps, 0)} | ${fmt(r.p50_ms, 2)} | ${fmt(r.p99_ms, 2)} | ${ratio} | ${sameRatio} | ${fmt(r.server_cpu_ms_per_req, 2)} | ${fmt(r.pg_cpu_ms_per_req, 2)} | ${r.server_cpu_pct} / ${r.pg_cpu_pct} / ${r.wrk_cpu_pct} / ${r.other_cpu_pct} | ${r.all.join(', ')}${bad} |`,
  );
}
const dates = results.map((r) => r.date).sort();
console.log(
  `\n${results.length} measurements from ${dates[0]} to ${dates.at(-1)}; background load before each: ${Math.min(...results.map((r) => r.background_busy_pct))}–${Math.max(...results.map((r) => r.background_busy_pct))}% of the machine.`,
);
