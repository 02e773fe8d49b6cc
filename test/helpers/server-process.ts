import { type ChildProcess, spawn } from 'node:child_process';

export interface ServerProcess {
  proc: ChildProcess;
  /** Where it listens: http://127.0.0.1:<port>. */
  url: string;
  /** Everything it has printed so far, stdout and stderr. */
  logs: string[];
}

/**
 * Starts `src/server.ts` in a process of its own, on a free port, with `env` over this process's
 * environment; resolves once it listens, and rejects with its output if it exits first. Each
 * process is added to `procs`, for the caller to kill after its tests.
 */
export function startServer(env: Record<string, string>, procs: ChildProcess[]): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  procs.push(proc);
  const logs: string[] = [];
  return new Promise((resolve, reject) => {
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${logs.join('')}`)));
    proc.stderr!.on('data', (d) => logs.push(String(d)));
    proc.stdout!.on('data', (d) => {
      logs.push(String(d));
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(String(d));
      if (m) resolve({ proc, url: m[1], logs });
    });
  });
}
