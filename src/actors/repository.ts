import { UUID } from '../core/ids.js';
import type { WithId } from '../core/ids.js';
import type { Tx } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { type Dependents, SAMPLE, assertNoDependents, dependentsOf } from '../core/dependents.js';
import { pageOf, parseSort, prismaPage } from '../core/pagination.js';
import { ProblemError, invalidField, notFound } from '../core/problems.js';
import { slugify } from '../core/slug.js';
import type { ActorCreateInput, ActorListInput, ActorUpdateInput } from './schemas.js';

type ActorRow = Prisma.ActorGetPayload<object>;

export function toActor(row: ActorRow) {
  return {
    ...row,
    handles: row.handles as { platform: string; handle: string; url?: string }[],
    externalIds: row.externalIds as Record<string, string>,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const whereRef = (ref: string) => (UUID.test(ref) ? { id: ref.toLowerCase() } : { slug: ref });

export async function findActor(db: Tx, ref: string) {
  const row = await db.actor.findUnique({ where: whereRef(ref) });
  if (!row) throw notFound('actor', ref);
  return row;
}

/** Resolves an actor named in a request; unknown ones are a 400 on that field. */
export async function resolveActor(db: Tx, ref: string, field: string, where: 'body' | 'query' = 'body') {
  const row = await db.actor.findUnique({ where: whereRef(ref), select: { id: true, slug: true, name: true, kind: true } });
  if (!row) throw invalidField(where, field, `no actor with id or slug '${ref}'`);
  return row;
}

export async function resolveActorId(db: Tx, ref: string, field: string): Promise<string> {
  return (await resolveActor(db, ref, field)).id;
}

/** Names, as a 400 on a query parameter, every actor reference that matches no actor. */
export async function assertActorsExist(db: Tx, refs: string[], field: string) {
  const ids = refs.filter((r) => UUID.test(r)).map((r) => r.toLowerCase());
  const found = await db.actor.findMany({
    where: { OR: [{ id: { in: ids } }, { slug: { in: refs } }] },
    select: { id: true, slug: true },
  });
  const unknown = refs.filter((r) => !found.some((a) => a.id === r.toLowerCase() || a.slug === r));
  if (unknown.length) throw invalidField('query', field, `no actor with id or slug ${unknown.map((u) => `'${u}'`).join(', ')}`);
}

async function assertSlugFree(db: Tx, slug: string, exceptId?: string) {
  const taken = await db.actor.findUnique({ where: { slug }, select: { id: true } });
  if (taken && taken.id !== exceptId) {
    throw new ProblemError('conflict', `The slug '${slug}' is already taken by actor ${taken.id}.`, {
      errors: [{ in: 'body', field: 'slug', message: 'already taken' }],
    });
  }
}

export async function createActor(db: Tx, input: WithId<ActorCreateInput>) {
  const slug = input.slug ?? slugify(input.name);
  if (!slug) throw invalidField('body', 'slug', 'required when the name has no Latin letters or digits');
  await assertSlugFree(db, slug);
  return db.actor.create({ data: { ...input, slug } });
}

export async function updateActor(db: Tx, ref: string, input: ActorUpdateInput) {
  const actor = await findActor(db, ref);
  if (input.slug) await assertSlugFree(db, input.slug, actor.id);
  return db.actor.update({ where: { id: actor.id }, data: input });
}

export async function actorDependents(db: Tx, id: string): Promise<Dependents> {
  const [statements, figures, involvedIn] = await Promise.all([
    dependentsOf(
      db.statement.count({ where: { speakerId: id } }),
      db.statement.findMany({ where: { speakerId: id }, select: { id: true }, take: SAMPLE }),
    ),
    dependentsOf(
      db.figure.count({ where: { reporterId: id } }),
      db.figure.findMany({ where: { reporterId: id }, select: { id: true }, take: SAMPLE }),
    ),
    dependentsOf(
      db.statementActor.count({ where: { actorId: id } }),
      db.statementActor.findMany({ where: { actorId: id }, select: { statementId: true }, take: SAMPLE }),
      'statementId',
    ),
  ]);
  return { statements, figures, involvedIn };
}

export async function deleteActor(db: Tx, ref: string) {
  const actor = await findActor(db, ref);
  assertNoDependents(`actor '${actor.slug}'`, await actorDependents(db, actor.id));
  await db.actor.delete({ where: { id: actor.id } });
}

/**
 * Each word of a search must occur in the actor's search key, which the
 * database folds from name, slug and aliases ("Díaz-Canel" → "diaz canel").
 * Words are folded the same way here; ILIKE handles case.
 */
function searchTerms(q: string | undefined) {
  if (!q) return [];
  const words = q
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[\s\p{P}\p{S}]+/u)
    .filter(Boolean);
  if (!words.length) throw invalidField('query', 'q', 'has no letters or digits to search for');
  return words.map((word) => ({ searchKey: { contains: word, mode: 'insensitive' as const } }));
}

export async function listActors(db: Tx, q: ActorListInput) {
  const search = searchTerms(q.q);
  const sort = parseSort(q.sort, { createdAt: 'date', name: 'string' });
  const page = prismaPage(sort, q.cursor);
  const rows = await db.actor.findMany({
    where: { AND: [page.where, { kind: q.kind, country: q.country }, ...search] },
    orderBy: page.orderBy,
    take: q.limit + 1,
  });
  const { data, nextCursor } = pageOf(rows, q.limit, sort, (row) => row[sort.field as keyof typeof row]);
  return { data: data.map(toActor), nextCursor };
}
