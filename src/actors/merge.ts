import { ProblemError, invalidField } from '../core/problems.js';
import type { Tx } from '../db/database.js';
import type { WriteTx } from '../writes/door.js';
import { findActor, resolveActor } from './repository.js';

type Handle = { platform: string; handle: string; url?: string };

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, ' ')
    .trim();

/**
 * Columns that refer to an actor, read from the database's own foreign keys, so that a reference
 * added later (a new table or column pointing at actors) moves with a merge without this code
 * knowing about it.
 */
async function actorReferences(tx: Tx) {
  return tx.$queryRawUnsafe<{ tbl: string; col: string }[]>(
    `SELECT c.conrelid::regclass::text AS tbl, a.attname AS col
     FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.contype = 'f' AND c.confrelid = 'actors'::regclass AND cardinality(c.conkey) = 1
     ORDER BY 1, 2`,
  );
}

/**
 * Folds the actor `ref` (a duplicate) into the actor `into`, in the write door's transaction:
 * every reference to the duplicate moves to the survivor (statements' speakers, involved actors,
 * figures' reporters, and any other column that refers to actors), the survivor gains the
 * duplicate's name, aliases, handles and external ids, and the duplicate is deleted. Its id and
 * slug keep naming the survivor (actor_keys: formerId, formerSlug), and both records' revisions
 * say what happened: the duplicate's deletion and the survivor's update carry the merge in their
 * reason. Returns the survivor's id.
 */
export async function mergeActor(
  w: WriteTx,
  ref: string,
  intoRef: string,
  reason: string | null,
  /** Checks the duplicate as it stands once locked (If-Match). */
  check: (from: Awaited<ReturnType<typeof findActor>>) => void = () => {},
): Promise<string> {
  const { tx } = w;
  const dup = await findActor(tx, ref);
  const target = await resolveActor(tx, intoRef, 'into');
  if (target.id === dup.id) throw invalidField('body', 'into', 'names the actor being merged; name the actor to keep');
  // In id order, so that two opposite merges running at once cannot deadlock.
  for (const id of [dup.id, target.id].sort()) await w.lock('actor', id);
  const [from, into] = await Promise.all([findActor(tx, dup.id), findActor(tx, target.id)]);
  check(from);

  const fromIds = from.externalIds as Record<string, string>;
  const intoIds = into.externalIds as Record<string, string>;
  for (const [registry, value] of Object.entries(fromIds)) {
    const kept = intoIds[registry];
    if (kept !== undefined && kept.toLowerCase() !== value.toLowerCase()) {
      throw new ProblemError(
        'conflict',
        `externalIds.${registry}: ${from.slug} is ${registry} ${value}, ${into.slug} is ${registry} ${kept}: two records of that registry are two entities, not one.`,
        {
          errors: [{ in: 'body', field: `externalIds.${registry}`, message: `differs: ${value} and ${kept}` }],
          actors: [
            { id: from.id, slug: from.slug, name: from.name, field: `externalIds.${registry}` },
            { id: into.id, slug: into.slug, name: into.name, field: `externalIds.${registry}` },
          ],
        },
      );
    }
  }

  // Every revision this merge causes says so, the duplicate's deletion and the survivor's update included.
  const merged = `merged actor ${from.slug} (${from.id}) into ${into.slug} (${into.id})`;
  await tx.$queryRawUnsafe(`SELECT set_config('attest.reason', $1, true)`, reason ? `${reason} [${merged}]` : merged);

  for (const { tbl, col } of await actorReferences(tx)) {
    if (tbl === 'actor_keys') continue;
    if (tbl === 'statement_actors') {
      // A statement that involves both keeps the survivor's involvement (its role) once.
      await tx.$executeRawUnsafe(
        `DELETE FROM statement_actors d WHERE d.actor_id = $1::uuid
         AND EXISTS (SELECT 1 FROM statement_actors k WHERE k.statement_id = d.statement_id AND k.actor_id = $2::uuid)`,
        from.id,
        into.id,
      );
    }
    await tx.$executeRawUnsafe(`UPDATE ${tbl} SET "${col}" = $2::uuid WHERE "${col}" = $1::uuid`, from.id, into.id);
  }
  // Names the duplicate had from earlier merges now lead to the survivor; its handles and ids go with it.
  await tx.$executeRawUnsafe(
    `UPDATE actor_keys SET actor_id = $2::uuid WHERE actor_id = $1::uuid AND kind IN ('formerId', 'formerSlug')`,
    from.id,
    into.id,
  );
  await tx.actor.delete({ where: { id: from.id } });

  const names = new Set([fold(into.name)]);
  const aliases: string[] = [];
  for (const name of [...into.aliases, from.name, ...from.aliases]) {
    if (names.has(fold(name))) continue;
    names.add(fold(name));
    aliases.push(name);
  }
  const handles: Handle[] = [];
  const seen = new Set<string>();
  for (const h of [...(into.handles as Handle[]), ...(from.handles as Handle[])]) {
    const key = `${h.platform.toLowerCase()}:${h.handle.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    handles.push(h);
  }
  await tx.actor.update({
    where: { id: into.id },
    data: {
      aliases,
      handles,
      externalIds: { ...fromIds, ...intoIds },
      role: into.role ?? from.role,
      country: into.country ?? from.country,
      description: into.description ?? from.description,
    },
  });
  await tx.$executeRawUnsafe(
    `INSERT INTO actor_keys (kind, key, actor_id) VALUES ('formerId', $1, $3::uuid), ('formerSlug', $2, $3::uuid)`,
    from.id,
    from.slug,
    into.id,
  );
  return into.id;
}

/** The actor that an id or slug named before it was merged into another, if it was. */
export async function mergedInto(tx: Tx, ref: string): Promise<string | undefined> {
  const [row] = await tx.$queryRawUnsafe<{ actor_id: string }[]>(
    `SELECT actor_id::text FROM actor_keys WHERE (kind = 'formerId' AND key = lower($1)) OR (kind = 'formerSlug' AND key = $1)`,
    ref,
  );
  return row?.actor_id;
}
