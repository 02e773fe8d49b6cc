// npm run bench:seed — time the README's five questions (and the other hot reads) on the seed data,
// in-process on the embedded database: the latency a newcomer sees on `npm start`, without the network.
import { buildApp } from '../src/app.js';
import { openDatabase } from '../src/db/database.js';
import { applyMigrations } from '../src/db/migrations.js';
import { loadSeed } from '../src/seed/load.js';
import { timeRequests } from './lib.js';

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
await timeRequests(app, QUERIES, RUNS);
await app.close();
await db.close();
