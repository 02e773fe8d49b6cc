// What compression does to the list-by-actor-and-date page (20 statements with speaker, involved actors
// and citations: ~32 kB of JSON on the generated data): one compiled server on the bench database, wrk at
// 10 connections on the same URL list with Accept-Encoding absent, gzip, and br, side by side in one run.
// Bytes are as sent (wrk does not decompress); each setting also checks one answer's Content-Encoding.
//
//   npm run build && npm run bench:compress
//   DURATION=10 CONNECTIONS=10 npm run bench:compress
//
// Needs wrk (apt-get install -y wrk) and the URL lists of bench/targets.ts.
import { execFileSync } from 'node:child_process';
import { startServer, urlList } from './process.js';

const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const URLS = `${process.env.URLS_DIR ?? 'bench/.out/urls'}/a.txt`;
const ENCODINGS = ['identity', 'gzip', 'br'] as const;

const server = await startServer('compiled', 3800);
const rows: { encoding: string; rps: number; p50: number; p99: number; bytes: number; plain: number }[] = [];
try {
  const sample = urlList('a')[0];
  const plain = (await (await fetch(`${server.url}${sample}`, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer()).byteLength;
  for (const encoding of ENCODINGS) {
    const check = await fetch(`${server.url}${sample}`, { headers: { 'accept-encoding': encoding } });
    const sent = check.headers.get('content-encoding') ?? 'identity';
    if (sent !== encoding) throw new Error(`asked for ${encoding}, got ${sent}`);
    await check.arrayBuffer();
    const run = (seconds: number) =>
      execFileSync(
        'wrk',
        ['-t2', `-c${CONNECTIONS}`, `-d${seconds}s`, '-H', `Accept-Encoding: ${encoding}`, '-s', 'bench/rotate.lua', server.url],
        { env: { ...process.env, URLS }, encoding: 'utf8' },
      );
    run(3);
    const result = JSON.parse(/RESULT (\{.*\})/.exec(run(DURATION))![1]);
    if (result.non2xx) throw new Error(`${encoding}: ${result.non2xx} answers were not 2xx`);
    rows.push({ encoding, rps: result.rps, p50: result.p50_ms, p99: result.p99_ms, bytes: result.bytes / result.requests, plain });
  }
} finally {
  await server.stop();
}
const base = rows[0];
console.log(`\nlist by actor and date (one page ${(base.plain / 1024).toFixed(1)} kB uncompressed), ${CONNECTIONS} connections, ${DURATION} s each`);
console.log('encoding     req/s   vs identity   p50 ms   p99 ms   bytes/answer (with headers)   vs identity');
for (const r of rows) {
  console.log(
    `${r.encoding.padEnd(9)} ${r.rps.toFixed(0).padStart(8)} ${(r.rps / base.rps).toFixed(2).padStart(12)}x ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.bytes.toFixed(0).padStart(29)} ${(r.bytes / base.bytes).toFixed(2).padStart(12)}x`,
  );
}
