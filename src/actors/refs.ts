import { UUID } from '../core/ids.js';
import { ProblemError, notFound } from '../core/problems.js';
import type { Tx } from '../db/database.js';

/** An actor as a reference resolved to it, or as one of the candidates an ambiguous one could mean. */
export interface ActorMatch {
  id: string;
  slug: string;
  name: string;
}

/**
 * How a reference matched, most specific first. A reference takes the first way that matches
 * anything, and is ambiguous when that way matches several actors: a slug is never outvoted by
 * an alias, and an alias two actors share is never settled by picking one.
 */
const WAYS = ['id', 'formerId', 'key', 'slug', 'formerSlug', 'handle', 'name'] as const;
type Way = (typeof WAYS)[number];

// `wikidata:Q…` (an external id) or `x:DiazCanelB` (a handle on a platform).
const PREFIXED = /^([a-z][a-z0-9_]*):(.+)$/i;

/** What one reference can be, in the forms actor_keys and the names index hold. */
function forms(ref: string) {
  const id = UUID.test(ref) ? ref.toLowerCase() : undefined;
  const prefixed = PREFIXED.exec(ref);
  return {
    id,
    key: prefixed ? `${prefixed[1].toLowerCase()}:${prefixed[2].toLowerCase()}` : undefined,
    handle: ref.startsWith('@') && ref.length > 1 ? ref.slice(1).toLowerCase() : undefined,
  };
}

/**
 * Every way a reference can match, in one statement: $1 ids, $2 `prefix:value` keys, $3 bare
 * handles, $4 the references as given (slugs, and names folded here as search keys are). Each
 * branch is answered by an index (the names one by actors_names_idx, through the `&&` of all the
 * folded names at once); exported so that test/actor-identity.test.ts can check the plan.
 */
export const LOOKUP_SQL = `WITH refs AS (SELECT r AS ref, attest_fold(r) AS folded FROM unnest($4::text[]) r)
  SELECT 'id' AS way, a.id::text AS ref, a.id::text, a.slug, a.name FROM actors a WHERE a.id = ANY($1::uuid[])
  UNION ALL
  SELECT CASE k.kind WHEN 'formerId' THEN 'formerId' WHEN 'formerSlug' THEN 'formerSlug' ELSE 'key' END, k.key, a.id::text, a.slug, a.name
    FROM actor_keys k JOIN actors a ON a.id = k.actor_id
    WHERE (k.kind = 'formerId' AND k.key = ANY($1::text[])) OR (k.kind IN ('handle', 'externalId') AND k.key = ANY($2::text[]))
       OR (k.kind = 'formerSlug' AND k.key = ANY($4::text[]))
  UNION ALL
  SELECT 'handle', k.bare, a.id::text, a.slug, a.name FROM actor_keys k JOIN actors a ON a.id = k.actor_id
    WHERE k.kind = 'handle' AND k.bare = ANY($3::text[])
  UNION ALL
  SELECT 'slug', a.slug, a.id::text, a.slug, a.name FROM actors a WHERE a.slug = ANY($4::text[])
  UNION ALL
  SELECT 'name', refs.ref, a.id::text, a.slug, a.name FROM actors a
    JOIN refs ON attest_actor_names(a.name, a.aliases) @> ARRAY[refs.folded]
    WHERE attest_actor_names(a.name, a.aliases) && (SELECT array_agg(folded) FROM refs WHERE folded <> '')`;

/**
 * The one actor resolver: for each reference, the actors it names in the most specific way it
 * matches (none: unknown; several: ambiguous). A reference is an id, a slug, `@handle` (any
 * platform), `platform:handle`, `registry:id` (`wikidata:Q…`), a name or an alias (case- and
 * accent-insensitive, folded as the database folds search keys), or the id or slug of an actor
 * merged into another, which names the survivor. One query, whatever the number of references.
 */
export async function lookupActors(db: Tx, refs: readonly string[]): Promise<Map<string, ActorMatch[]>> {
  const unique = [...new Set(refs)];
  const f = unique.map(forms);
  const ids = [...new Set(f.flatMap((x) => (x.id ? [x.id] : [])))];
  const keys = [...new Set(f.flatMap((x) => (x.key ? [x.key] : [])))];
  const handles = [...new Set(f.flatMap((x) => (x.handle ? [x.handle] : [])))];
  const rows = await db.$queryRawUnsafe<{ way: Way; ref: string; id: string; slug: string; name: string }[]>(
    LOOKUP_SQL,
    ids,
    keys,
    handles,
    unique,
  );
  const found = new Map<string, ActorMatch[]>();
  const add = (way: Way, ref: string, m: ActorMatch) => {
    const k = `${way}\u0000${ref}`;
    const list = found.get(k) ?? [];
    if (!list.some((x) => x.id === m.id)) list.push(m);
    found.set(k, list);
  };
  for (const r of rows) add(r.way, r.ref, { id: r.id, slug: r.slug, name: r.name });
  const result = new Map<string, ActorMatch[]>();
  unique.forEach((ref, i) => {
    const x = f[i];
    const asWay: Record<Way, string | undefined> = {
      id: x.id,
      formerId: x.id,
      key: x.key,
      slug: ref,
      formerSlug: ref,
      handle: x.handle,
      name: ref,
    };
    const way = WAYS.find((w) => asWay[w] !== undefined && found.has(`${w}\u0000${asWay[w]}`));
    result.set(ref, way ? found.get(`${way}\u0000${asWay[way]}`)! : []);
  });
  return result;
}

const WHAT = 'no actor with this id, slug, name, alias, handle (@name or platform:name) or external id (e.g. wikidata:Q…)';

/** Why a reference resolved to nothing or to several actors, as a field error's message; undefined when it names one actor. */
export function refProblem(ref: string, matches: ActorMatch[]): string | undefined {
  if (matches.length === 1) return undefined;
  if (!matches.length) return `${WHAT}: '${ref}'`;
  return `'${ref}' could mean ${matches.length} actors: ${matches.map((m) => `${m.slug} (${m.id})`).join(', ')}; use one's id or slug`;
}

/**
 * Resolves references named in one field of a request to actor ids, in order, without
 * duplicates. Unknown references are a 400 naming the field and each reference; an ambiguous
 * one is a 400 naming the field and, in `actors`, every candidate.
 */
export async function resolveActorIds(db: Tx, refs: readonly string[], field: string, where = 'body'): Promise<string[]> {
  const matches = await lookupActors(db, refs);
  const unknown = refs.filter((r) => !matches.get(r)?.length);
  // A URL that names no actor is a missing page, not a bad request.
  if (unknown.length && where === 'params') throw notFound('actor', unknown[0]);
  if (unknown.length) {
    const message = `${WHAT}: ${[...new Set(unknown)].map((u) => `'${u}'`).join(', ')}`;
    throw new ProblemError('validation-failed', `${field}: ${message}`, { errors: [{ in: where, field, message }] });
  }
  for (const ref of refs) {
    const candidates = matches.get(ref)!;
    const message = refProblem(ref, candidates);
    if (message) {
      throw new ProblemError('validation-failed', `${field}: ${message}`, {
        errors: [{ in: where, field, message }],
        actors: candidates,
      });
    }
  }
  return [...new Set(refs.map((r) => matches.get(r)![0].id))];
}

export async function resolveActorRef(db: Tx, ref: string, field: string, where = 'body'): Promise<string> {
  const [id] = await resolveActorIds(db, [ref], field, where);
  return id;
}
