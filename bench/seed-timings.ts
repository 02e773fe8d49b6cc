// npm run bench:seed — time the README's five questions (and the other hot reads) on the seed data,
// in-process on the embedded database: the latency a newcomer sees on `npm start`, without the network.
import { buildApp } from '../src/app.js';
import { openDatabase } from '../src/db/database.js';
import { applyMigrations } from '../src/db/migrations.js';
import { loadSeed } from '../src/seed/load.js';

const QUERIES = [
  '/actors/miguel-diaz-canel/statements?from=2024-03&to=2024-03&q=Gaza%20OR%20Palestine',
  '/statements?q=genocide&from=2023-12&to=2023-12&highlight=true&sort=relevance',
  '/figures/series?metric=killed&reporter=gaza-ministry-of-health',
  '/figures/latest',
  '/figures/discrepancies?window=120',
  '/statements?actor=miguel-diaz-canel&from=2024-03&to=2024-03',
  '/statements?limit=20',
  '/actors?q=diaz%20canel',
];
const RUNS = Number(process.env.RUNS ?? 50);

const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
await applyMigrations(db.migrationAdapter());
await loadSeed(db);
const app = await buildApp({ database: db });
await app.ready();
console.log(`${RUNS} runs each, after 5 warm-up runs; embedded database (PGlite), in-process (app.inject)`);
for (const url of QUERIES) {
  for (let i = 0; i < 5; i++) await app.inject({ url });
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const res = await app.inject({ url });
    times.push(performance.now() - t);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
  console.log(`p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  ${url}`);
}
await app.close();
await db.close();
