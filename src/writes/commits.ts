import type { Database } from '../db/database.js';

type Listener = () => Promise<void> | void;

// Keyed on the handle a route writes through, so that two apps in one process (tests) each hear only
// their own database's writes.
const listeners = new WeakMap<Database, Set<Listener>>();

/** Calls `fn` after every write through `db` (see write() in ./door.ts) ends, committed or not. */
export function onWriteEnd(db: Database, fn: Listener): () => void {
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

/**
 * Tells the listeners a write through `db` ended, and waits for them: the response cache makes the
 * change visible to every instance before the writer hears it committed. A listener's failure is
 * its own to report; it never turns a committed write into an error.
 */
export async function writeEnded(db: Database): Promise<void> {
  const set = listeners.get(db);
  if (!set?.size) return;
  await Promise.allSettled([...set].map(async (fn) => fn()));
}
