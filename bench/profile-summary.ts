// Summarises a V8 .cpuprofile (node --cpu-prof): share of the main thread's samples by function (self
// time) and by package or source area, idle excluded.
//
//   tsx bench/profile-summary.ts bench/.out/profile/*.cpuprofile
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts file.cpuprofile');
  process.exit(1);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const area = (url: string, fn: string) => {
  if (!url) return fn.startsWith('(') ? fn : '(native/builtin)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const src = /\/src\/([^/]+)/.exec(url)?.[1];
  if (src) return `src/${src}`;
  return url.replace(/^file:\/\/\/work\/main\//, '');
};

const fnTotals = new Map<string, number>();
const areaTotals = new Map<string, number>();
let total = 0;
for (const [id, t] of selfTime) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  if (functionName === '(idle)') continue;
  total += t;
  const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/work\/main\//, '');
  const key = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
  fnTotals.set(key, (fnTotals.get(key) ?? 0) + t);
  const a = area(url, functionName);
  areaTotals.set(a, (areaTotals.get(a) ?? 0) + t);
}
const pct = (t: number) => `${((t / total) * 100).toFixed(1).padStart(5)}%`;
const top = (m: Map<string, number>, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, t]) => `${pct(t)}  ${k}`)
    .join('\n');
console.log(
  `busy main-thread time: ${(total / 1e6).toFixed(2)} s (idle excluded)\n\nby package / area (self time):\n${top(areaTotals, 25)}`,
);
console.log(`\nby function (self time):\n${top(fnTotals, 30)}`);
