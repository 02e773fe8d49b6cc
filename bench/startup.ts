// Start-up time and memory of the compiled server on PostgreSQL, with the Node/V8 flags `npm start` passes
// side by side with other sets of flags, in one run. For each: time from spawn to the first 200 from
// /ready; resident memory after 5 s idle; then LOAD_SECONDS of wrk on list-by-actor-and-date at 10
// connections, the resident memory after it and at its peak (VmHWM), and the rate.
//
//   npm run build && npm run bench:startup
//   LOAD_SECONDS=60 ROUNDS=2 FLAG_SETS='npm start|none|--max-semi-space-size=1' npm run bench:startup
//   BENCH_TSX=1 npm run bench:startup      # also the former `npm start`, `tsx src/server.ts`
//
// FLAG_SETS: sets separated by `|`; `npm start` is the flags package.json's start script passes,
// `none` is plain `node dist/server.js`. Needs wrk (apt-get install -y wrk) and the URL lists of
// bench/targets.ts (URLS_DIR).
import { execFileSync } from 'node:child_process';
import { type StartMode, startFlags, peakMb, rssMb, startServer } from './process.js';

const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const ROUNDS = Number(process.env.ROUNDS ?? 1);
const URLS = `${process.env.URLS_DIR ?? 'bench/.out/urls'}/a.txt`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


interface Setup {
  name: string;
  mode: StartMode;
  flags: string[];
}
const START_FLAGS = startFlags();
const setups: Setup[] = (process.env.FLAG_SETS ?? 'npm start|none').split('|').map((set) => {
  const name = set.trim();
  const flags = name === 'npm start' ? START_FLAGS : name === 'none' ? [] : name.split(/\s+/);
  return { name: name === 'npm start' ? `npm start (${START_FLAGS.join(' ') || 'no flags'})` : name, mode: 'compiled', flags };
});
if (process.env.BENCH_TSX) setups.push({ name: 'tsx src/server.ts', mode: 'tsx', flags: [] });

interface Row {
  name: string;
  readyMs: number;
  idleMb: number;
  loadedMb: number;
  peakMb: number;
  rps: number;
  p99: number;
}
const rows: Row[] = [];
let port = 3700;
for (let round = 0; round < ROUNDS; round++) {
  for (const setup of setups) {
    const server = await startServer(setup.mode, port++, {}, '.', setup.flags);
    await sleep(5000);
    const idleMb = rssMb(server.proc.pid!);
    const out = execFileSync('wrk', ['-t1', '-c10', `-d${LOAD_SECONDS}s`, '-s', 'bench/rotate.lua', server.url], {
      env: { ...process.env, URLS },
      encoding: 'utf8',
    });
    const result = JSON.parse(/RESULT (\{.*\})/.exec(out)![1]);
    if (result.non2xx) throw new Error(`${setup.name}: ${result.non2xx} answers were not 2xx`);
    const loadedMb = rssMb(server.proc.pid!);
    const peak = peakMb(server.proc.pid!);
    // Where the memory is: V8's heap (committed, and in use) and memory outside it that V8 accounts for.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN) / 1048576;
    const heap = { heapMb: metric('nodejs_heap_size_total_bytes'), heapUsedMb: metric('nodejs_heap_size_used_bytes'), externalMb: metric('nodejs_external_memory_bytes') };
    await server.stop();
    rows.push({ name: setup.name, readyMs: server.readyMs, idleMb, loadedMb, peakMb: peak, rps: result.rps, p99: result.p99_ms });
    console.log(JSON.stringify({ ...rows.at(-1), ...heap }));
  }
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\nPostgreSQL, ${LOAD_SECONDS} s of load at 10 connections, median of ${ROUNDS} round(s)`);
console.log(`${'flags'.padEnd(60)} /ready ms  idle MB  after MB  peak MB   req/s  p99 ms`);
for (const { name } of setups) {
  const of = (key: keyof Omit<Row, 'name'>) => median(rows.filter((r) => r.name === name).map((r) => r[key]));
  const cols = [of('readyMs'), of('idleMb'), of('loadedMb'), of('peakMb'), of('rps'), of('p99')];
  console.log(`${name.padEnd(60)} ${cols.map((v, i) => v.toFixed(0).padStart([9, 8, 9, 8, 7, 7][i])).join(' ')}`);
}
console.log('targets: /ready < 2000 ms, idle < 100 MB, after load < 150 MB');
