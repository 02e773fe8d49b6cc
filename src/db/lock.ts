import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * One process per embedded data directory. PGlite is PostgreSQL in one process: two processes on
 * the same directory each believe they own its files, and writes one of them acknowledged are lost
 * when the other flushes. The first process to open a directory writes `attest.lock` in it (its
 * PID, host and start time); any other refuses to start and says who holds it.
 *
 * A lock whose process is gone (killed, crashed, the machine restarted) is stale and taken over:
 * on the same host the PID is checked, and on Linux also the process's start time, so a PID
 * reused by another program (PID 1 in a restarted container, say) does not keep the lock alive.
 * A lock written on another host cannot be checked from here and is respected.
 */
export const LOCK_FILE = 'attest.lock';

interface Holder {
  pid: number;
  host: string;
  /** Kernel start time of the process (Linux: /proc/<pid>/stat field 22), when known. */
  start?: string;
  since: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly file: string,
    readonly holder: Holder,
  ) {
    super(
      `DATA_DIR ${dir} is in use by another Attest process (pid ${holder.pid} on ${holder.host}, since ${holder.since}): ` +
        `one process at a time may open an embedded database. Stop that process first; if none is running, delete ${file}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock (only if it is still this process's). Safe to call twice. */
  release(): void;
}

const held = new Map<string, DataDirLock>();

/** Takes the lock on `dir` (created if missing) for this process, or throws DataDirLockedError. */
export function lockDataDir(dir: string): DataDirLock {
  const path = resolve(dir);
  if (held.has(path)) throw new DataDirLockedError(dir, join(path, LOCK_FILE), me());
  mkdirSync(path, { recursive: true });
  const file = join(path, LOCK_FILE);
  const mine = me();
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      // O_EXCL: creating the file is the atomic step; exactly one process succeeds.
      writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      return remember(path, file, mine);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = readHolder(file);
    if (holder === 'unreadable') {
      // Perhaps created this instant and not yet written: look again a moment later.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      holder = readHolder(file);
    }
    if (holder === 'missing') continue;
    if (holder !== 'unreadable' && alive(holder)) throw new DataDirLockedError(dir, file, holder);
    // Stale, or left half-written by a process that died while writing it. It is moved aside in one
    // step (rename), so that of two processes taking it over at once only one gets it; if what was
    // moved is a live lock that replaced the stale one meanwhile, it is put back.
    const aside = `${file}.${process.pid}.stale`;
    try {
      renameSync(file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const moved = readHolder(aside);
    if (typeof moved === 'object' && (holder === 'unreadable' || !sameHolder(moved, holder)) && alive(moved)) {
      renameSync(aside, file);
      throw new DataDirLockedError(dir, file, moved);
    }
    unlinkSync(aside);
  }
  const holder = readHolder(file);
  throw new DataDirLockedError(dir, file, typeof holder === 'object' ? holder : { pid: 0, host: '?', since: '?' });
}

function remember(path: string, file: string, mine: Holder): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    held.delete(path);
    process.off('exit', release);
    try {
      if (sameHolder(readHolder(file), mine)) unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  };
  // A process that exits without closing the database (process.exit, an uncaught error) still
  // leaves no lock behind; only SIGKILL or a crash of the machine does, and that one is stale.
  process.on('exit', release);
  const lock = { file, release };
  held.set(path, lock);
  return lock;
}

function me(): Holder {
  return { pid: process.pid, host: hostname(), start: processStart(process.pid), since: new Date().toISOString() };
}

function readHolder(file: string): Holder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  try {
    const h = JSON.parse(text) as Holder;
    if (Number.isInteger(h.pid) && h.pid > 0 && typeof h.host === 'string') return h;
  } catch {
    // Fall through.
  }
  return 'unreadable';
}

const sameHolder = (a: ReturnType<typeof readHolder>, b: Holder) =>
  typeof a === 'object' && a.pid === b.pid && a.host === b.host && a.since === b.since;

/** Whether the process that wrote the lock may still be running. */
function alive(h: Holder): boolean {
  // Another host's process cannot be checked from here: respect its lock.
  if (h.host !== hostname()) return true;
  // Our own PID in a lock we do not hold is a previous life of this PID (a restarted container).
  if (h.pid === process.pid) return false;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    // ESRCH: no such process. EPERM: it exists, under another user.
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // The PID exists; on Linux, it is the same process only if it started when the lock says.
  const start = processStart(h.pid);
  return !(h.start && start && start !== h.start);
}

function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces), from field 3 on; start time is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
