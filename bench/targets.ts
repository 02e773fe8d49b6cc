// Writes the URL lists wrk rotates over, one file per endpoint, from what is in the bench database.
// Deterministic for a given dataset (seeded PRNG, ordered queries).
//
//   a.txt  /statements?actor=<slug>&from=YYYY-MM&to=YYYY-MM&limit=20   50 busiest speakers x 4 ranges of 3-6 months
//   b.txt  /statements?q=<word>&limit=20                               27 words, common to rare
//   c.txt  /statements/<id>                                            500 statements spread over the table
//   d.txt  /figures?metric=killed&limit=20
//   e.txt  /actors?q=<name>                                            100 first or last names of actors
//
// Usage: tsx bench/targets.ts [outDir=bench/.out/urls]
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { BENCH_DATABASE_URL, Rng } from './lib.js';
import { SEARCH_WORDS } from './vocab.js';

const outDir = process.argv[2] ?? 'bench/.out/urls';
const rng = new Rng(42);
const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
await client.connect();

const top = await client.query<{ slug: string; n: number }>(
  `SELECT a.slug, count(*)::int AS n FROM statements s JOIN actors a ON a.id = s.speaker_id
    GROUP BY a.slug ORDER BY n DESC, a.slug LIMIT 50`,
);
const a: string[] = [];
for (const { slug } of top.rows) {
  for (let k = 0; k < 4; k++) {
    const start = rng.int(7 * 12 - 6); // months since 2019-01, so that the range ends by 2025-12
    const len = rng.range(3, 6);
    const month = (m: number) => `${2019 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
    a.push(`/statements?actor=${slug}&from=${month(start)}&to=${month(start + len - 1)}&limit=20`);
  }
}
// Shuffle so consecutive requests hit different actors.
for (let i = a.length - 1; i > 0; i--) {
  const j = rng.int(i + 1);
  [a[i], a[j]] = [a[j], a[i]];
}

const b = SEARCH_WORDS.map((w) => `/statements?q=${encodeURIComponent(w)}&limit=20`);

const count = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM statements')).rows[0].n;
const step = Math.max(1, Math.floor(count / 500));
const ids = await client.query<{ id: string }>(
  `SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS r FROM statements) t WHERE r % $1 = 0 ORDER BY r LIMIT 500`,
  [step],
);
const c = ids.rows.map((r) => `/statements/${r.id}`);

const d = ['/figures?metric=killed&limit=20'];

const names = await client.query<{ name: string }>(`SELECT name FROM actors WHERE kind = 'person' ORDER BY id LIMIT 100`);
const e = names.rows.map((r, i) => {
  const words = r.name.split(' ');
  return `/actors?q=${encodeURIComponent(i % 2 ? words[0] : words.at(-1)!)}`;
});

await client.end();
await mkdir(outDir, { recursive: true });
for (const [name, urls] of Object.entries({ a, b, c, d, e })) {
  await writeFile(join(outDir, `${name}.txt`), `${urls.join('\n')}\n`);
}
console.log(
  `wrote ${outDir}/{a,b,c,d,e}.txt: ${a.length}, ${b.length}, ${c.length}, ${d.length}, ${e.length} URLs; busiest speakers ${top.rows[0].n} … ${top.rows.at(-1)!.n} statements`,
);
