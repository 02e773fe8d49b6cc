// Start-up time and memory of `npm start` on PostgreSQL: the compiled server (`node dist/server.js`, what
// `npm start` runs now) side by side with the former `tsx src/server.ts`, in one run. For each: time from
// spawn to the first 200 from /ready; resident memory (the whole process tree: tsx runs the server in a
// child) after 5 s idle; then LOAD_SECONDS of wrk on list-by-actor-and-date at 10 connections, and the
// resident memory after it and at its peak (VmHWM).
//
//   npm run build && npm run bench:startup
//   LOAD_SECONDS=60 ROUNDS=1 npm run bench:startup
//
// Needs wrk (apt-get install -y wrk) and the URL lists of bench/targets.ts.
import { execFileSync } from 'node:child_process';
import { type StartMode, peakMb, rssMb, startServer } from './process.js';

const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const ROUNDS = Number(process.env.ROUNDS ?? 1);
const URLS = `${process.env.URLS_DIR ?? 'bench/.out/urls'}/a.txt`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  mode: StartMode;
  readyMs: number;
  idleMb: number;
  loadedMb: number;
  peakMb: number;
  rps: number;
}
const rows: Row[] = [];
let port = 3700;
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of ['compiled', 'tsx'] as const) {
    const server = await startServer(mode, port++);
    await sleep(5000);
    const idleMb = rssMb(server.proc.pid!);
    const out = execFileSync(
      'wrk',
      ['-t1', '-c10', `-d${LOAD_SECONDS}s`, '-s', 'bench/rotate.lua', server.url],
      { env: { ...process.env, URLS }, encoding: 'utf8' },
    );
    const result = JSON.parse(/RESULT (\{.*\})/.exec(out)![1]);
    if (result.non2xx) throw new Error(`${mode}: ${result.non2xx} answers were not 2xx`);
    const loadedMb = rssMb(server.proc.pid!);
    const peak = peakMb(server.proc.pid!);
    await server.stop();
    rows.push({ mode, readyMs: server.readyMs, idleMb, loadedMb, peakMb: peak, rps: result.rps });
    console.log(JSON.stringify(rows.at(-1)));
  }
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const of = (mode: StartMode, key: keyof Omit<Row, 'mode'>) => median(rows.filter((r) => r.mode === mode).map((r) => r[key]));
console.log(`\nPostgreSQL, ${LOAD_SECONDS} s of load at 10 connections, median of ${ROUNDS} round(s)`);
console.log('                         compiled        tsx   compiled/tsx   target');
const line = (name: string, key: keyof Omit<Row, 'mode'>, unit: string, target: string) =>
  console.log(
    `${name.padEnd(22)} ${of('compiled', key).toFixed(0).padStart(8)} ${unit} ${of('tsx', key).toFixed(0).padStart(8)} ${unit} ${(of('compiled', key) / of('tsx', key)).toFixed(2).padStart(10)}x   ${target}`,
  );
line('/ready after spawn', 'readyMs', 'ms', '< 2000 ms');
line('resident, idle', 'idleMb', 'MB', '< 100 MB');
line('resident, after load', 'loadedMb', 'MB', '< 150 MB');
line('resident, peak', 'peakMb', 'MB', '');
line('requests/s under load', 'rps', '/s', '');
