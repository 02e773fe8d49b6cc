// Starts Attest as its own process for the production benchmarks (startup.ts, pressure.ts, compress.ts,
// embedded.ts): compiled (`node dist/server.js`, what `npm start` runs; `npm run build` first) or through
// tsx, on the bench database, and stops it with SIGTERM; reads its memory from /proc and posts files to
// its /import (import.ts too).
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { BENCH_DATABASE_URL } from './lib.js';

export type StartMode = 'compiled' | 'tsx';

export const COMMANDS: Record<StartMode, string[]> = {
  compiled: ['dist/server.js'],
  // What `npm start` ran before (`tsx src/server.ts`): tsx's CLI, which runs the server in a child
  // process with its loader and esbuild's service.
  tsx: ['node_modules/tsx/dist/cli.mjs', 'src/server.ts'],
};

/** The Node and V8 flags the start script of `dir`'s package.json passes before dist/server.js: what `npm start` runs (or NODE_FLAGS). */
export function startFlags(dir = '.'): string[] {
  // Other flags to measure, in place of npm start's: NODE_FLAGS='--max-semi-space-size=8' npm run bench:embedded
  if (process.env.NODE_FLAGS !== undefined) return process.env.NODE_FLAGS.split(/\s+/).filter(Boolean);
  const start = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).scripts.start as string;
  const flags = /^node\s+(.*?)\s*dist\/server\.js$/.exec(start);
  if (!flags) throw new Error(`${dir}/package.json's start script is not \`node [flags] dist/server.js\`: ${start}`);
  return flags[1].split(/\s+/).filter(Boolean);
}

export interface Server {
  proc: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the first 200 from /ready. */
  readyMs: number;
  stop(): Promise<number | null>;
}

/**
 * `cwd`: the checkout whose server to start (another commit's, to compare side by side); `nodeFlags`:
 * Node and V8 options before the script, by default those of `npm start` for the compiled server.
 */
export async function startServer(
  mode: StartMode,
  port: number,
  env: Record<string, string> = {},
  cwd = '.',
  nodeFlags: string[] = mode === 'compiled' ? startFlags(cwd) : [],
): Promise<Server> {
  const started = performance.now();
  const proc = spawn(process.execPath, [...nodeFlags, ...COMMANDS[mode]], {
    cwd,
    env: {
      ...process.env,
      DATABASE_URL: BENCH_DATABASE_URL,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // One client address makes all the load: the per-address limit is not what is measured.
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${mode} server exited with ${proc.exitCode}`);
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (performance.now() - started > 60_000) throw new Error(`${mode} server not ready after 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = performance.now() - started;
  return {
    proc,
    url,
    readyMs,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill('SIGTERM');
      }),
  };
}

/** Resident memory of a process and its descendants (tsx's server is a child of its CLI), in MB, from /proc. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  let kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) {
      kb += rssMb(Number(child)) * 1024;
    }
  }
  return kb / 1024;
}

/** Peak resident memory (VmHWM) of the process tree's largest member, in MB (the server itself under tsx's CLI). */
export function peakMb(pid: number): number {
  const own = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  return Math.max(own, ...children.map(peakMb));
}

/**
 * POSTs a file to a server's /import as NDJSON, streamed from disk (node:http: no client-side time limit,
 * which fetch would impose on a import of minutes); the status and the answer's JSON.
 */
export function postImport(url: string, path: string, key: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((done, fail) => {
    const req = http.request(
      `${url}/import`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-ndjson',
          'content-length': statSync(path).size,
          authorization: `Bearer ${key}`,
          'change-reason': 'bench import',
        },
      },
      async (res) => {
        let text = '';
        for await (const chunk of res) text += chunk;
        done({ status: res.statusCode ?? 0, body: JSON.parse(text) });
      },
    );
    req.on('error', fail);
    createReadStream(path).pipe(req);
  });
}

/** The URL list bench/targets.ts writes for an endpoint (a: list by actor and date). */
export function urlList(endpoint = 'a', dir = process.env.URLS_DIR ?? 'bench/.out/urls'): string[] {
  return readFileSync(`${dir}/${endpoint}.txt`, 'utf8').split('\n').filter(Boolean);
}

export const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : Number.NaN;
