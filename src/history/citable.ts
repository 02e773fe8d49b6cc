import { z } from 'zod';

/**
 * What a statement or figure answer says about the revision it shows, and how to cite it. Only in
 * answers: a revision's snapshot is taken before it is numbered, and `permalink` depends on the
 * address the client reached (PUBLIC_URL).
 */
export const citableFields = (noun: 'statement' | 'figure') => ({
  revision: z
    .number()
    .int()
    .min(1)
    .describe(
      `The revision of the ${noun} this answer shows: 1 when it was created, one more with each change (its own fields, ${noun === 'statement' ? 'the actors involved, ' : ''}its citations). Every revision is at /${noun}s/{id}/history.`,
    ),
  permalink: z
    .url()
    .describe(
      `Where this revision can always be read: /${noun}s/{id}?revision=N, as an absolute URL. It answers the same ${noun} after later changes, and after a deletion.`,
    ),
  citeAs: z
    .string()
    .describe(
      noun === 'statement'
        ? 'A citation line to paste, in plain text: who, how and when, the words (with the original when they are a translation), the outlet that reported them (or the original source when none did), and this revision in Attest with its permalink. No access date: the permalink names a revision that never changes.'
        : 'A citation line to paste, in plain text: the reporter, the figure as printed and what it counts (qualifier, population, area, period), its as-of date, the outlet that reported it (or the original source when none did), and this revision in Attest with its permalink. No access date: the permalink names a revision that never changes.',
    ),
});

/** The keys citableFields adds: left out of history snapshots. */
export const CITABLE_KEYS = { revision: true, permalink: true, citeAs: true } as const;

declare const answered: unique symbol;

/**
 * A statement or figure as read, before its answer gets what depends on the request's URL
 * (src/http/citable.ts). It names the answer it becomes, for the type of a response (Cited).
 */
export type AsRead<T> = Omit<T, keyof typeof CITABLE_KEYS> & { revision?: number; readonly [answered]?: T };

type AnsweredAs<V> = V extends { readonly [answered]?: infer T } ? T : never;

/** A value as answered: each statement and figure in it (AsRead) with its revision, permalink and citeAs. */
export type Cited<V> = unknown extends AnsweredAs<V>
  ? V extends object
    ? { [K in keyof V]: Cited<V[K]> }
    : V
  : NonNullable<AnsweredAs<V>>;
