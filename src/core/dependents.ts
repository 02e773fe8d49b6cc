import { ProblemError } from './problems.js';

/** Records that refer to the one being deleted, by kind: a count and up to ten ids. */
export type Dependents = Record<string, { count: number; ids: string[] }>;

/** How many records of one kind refer to this one, and the first ten of their ids. */
export async function dependentsOf(count: Promise<number>, sample: Promise<Record<string, string>[]>, idKey = 'id') {
  const [n, rows] = await Promise.all([count, sample]);
  return { count: n, ids: rows.map((r) => r[idKey]) };
}

export const SAMPLE = 10;

export function assertNoDependents(what: string, dependents: Dependents) {
  const present = Object.fromEntries(Object.entries(dependents).filter(([, d]) => d.count > 0));
  const names = Object.entries(present).map(([kind, d]) => `${d.count} ${kind}`);
  if (names.length) {
    throw new ProblemError(
      'has-dependents',
      `Cannot delete ${what}: ${names.join(', ')} refer to it. Delete or re-attribute them first.`,
      {
        dependents: present,
      },
    );
  }
}
