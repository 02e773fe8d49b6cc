import { UUID } from '../core/ids.js';
import type { WithId } from '../core/ids.js';
import type { Prisma } from '../generated/prisma/client.js';
import { type Dependents, SAMPLE, assertNoDependents, dependentsOf } from '../core/dependents.js';
import { decodeCursor, offsetFromCursor, pageOf, parseSort } from '../core/pagination.js';
import type { Database, Tx } from '../db/database.js';
import { Params } from '../db/sql.js';
import { ProblemError, invalidField, notFound } from '../core/problems.js';
import { slugify } from '../core/slug.js';
import { resolveActorIds, resolveActorRef } from './refs.js';
import type { ActorCreateInput, ActorListInput, ActorUpdateInput } from './schemas.js';

type ActorRow = Prisma.ActorGetPayload<object>;

export function toActor({ searchKey: _searchKey, ...row }: ActorRow) {
  // search_key is the name search's own column (folded names), not part of the actor.
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

/** Resolves an actor named in a request (any form src/actors/refs.ts takes); unknown or ambiguous ones are a 400 on that field. */
export async function resolveActor(db: Tx, ref: string, field: string, where: 'body' | 'query' | 'params' = 'body') {
  const id = await resolveActorRef(db, ref, field, where);
  return db.actor.findUniqueOrThrow({ where: { id }, select: { id: true, slug: true, name: true, kind: true } });
}

export const resolveActorId = (db: Tx, ref: string, field: string): Promise<string> => resolveActorRef(db, ref, field);

/** Names, as a 400 on a query parameter, every actor reference that matches no actor (or several). */
export async function assertActorsExist(db: Tx, refs: string[], field: string) {
  await resolveActorIds(db, refs, field, 'query');
}

async function assertSlugFree(db: Tx, slug: string, exceptId?: string) {
  const taken = await db.actor.findUnique({ where: { slug }, select: { id: true } });
  if (taken && taken.id !== exceptId) {
    throw new ProblemError('conflict', `The slug '${slug}' is already taken by actor ${taken.id}.`, {
      errors: [{ in: 'body', field: 'slug', message: 'already taken' }],
    });
  }
  // The slug of a merged actor keeps leading to the survivor: links to it must not change meaning.
  const former = await db.actorKey.findUnique({ where: { kind_key: { kind: 'formerSlug', key: slug } }, select: { actorId: true } });
  if (former && former.actorId !== exceptId) {
    throw new ProblemError('conflict', `The slug '${slug}' belonged to an actor merged into actor ${former.actorId}; it leads there.`, {
      errors: [{ in: 'body', field: 'slug', message: `belonged to an actor merged into ${former.actorId}` }],
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
  const [statements, figures, involvedIn, sources] = await Promise.all([
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
    dependentsOf(
      db.source.count({ where: { outletId: id } }),
      db.source.findMany({ where: { outletId: id }, select: { id: true }, take: SAMPLE }),
    ),
  ]);
  return { statements, figures, involvedIn, 'sources it published': sources };
}

export async function deleteActor(db: Tx, ref: string) {
  const actor = await findActor(db, ref);
  assertNoDependents(`actor '${actor.slug}'`, await actorDependents(db, actor.id));
  await db.actor.delete({ where: { id: actor.id } });
}

/**
 * The words of a search, folded as the database folds search keys ("Díaz-Canel" → diaz, canel).
 * An actor whose search key (name, slug and aliases) contains each word matches exactly.
 */
function searchWords(q: string): string[] {
  const words = q
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[\s\p{P}\p{S}]+/u)
    .filter(Boolean);
  if (!words.length) throw invalidField('query', 'q', 'has no letters or digits to search for');
  return words;
}

/**
 * Actors whose name, slug or aliases have every word of the search, each exactly or as a
 * variant: pg_trgm's word similarity of at least 0.6 ("ibrahim raisi" finds Ebrahim Raisi,
 * "raissi" finds Raisi), while "ministry cuba" still finds no Cuban ministry. Both forms are
 * answered by the trigram index on search_key. The rank is the words' mean similarity: 1 when
 * every word occurs as typed, lower for variants.
 */
function searchSql(p: Params, q: string) {
  const words = searchWords(q);
  const each = words.map((w) => {
    const word = p.add(w);
    return { where: `(${word} <% a.search_key OR a.search_key LIKE ${p.add(`%${w}%`)})`, rank: `word_similarity(${word}, a.search_key)` };
  });
  return {
    where: each.map((e) => e.where).join(' AND '),
    rank: `(${each.map((e) => e.rank).join(' + ')})`,
  };
}

export async function listActors(db: Database, q: ActorListInput) {
  const sortName = q.sort ?? (q.q ? 'relevance' : 'name');
  if (sortName === 'relevance' && !q.q) throw invalidField('query', 'sort', 'relevance needs a search query q');
  const sort = parseSort(sortName, { createdAt: 'date', name: 'string', relevance: 'string' });
  const p = new Params();
  const where: string[] = [];
  if (q.kind) where.push(`a.kind = ${p.add(q.kind)}::actor_kind`);
  if (q.country) where.push(`a.country = ${p.add(q.country)}`);
  const search = q.q ? searchSql(p, q.q) : undefined;
  if (search) where.push(search.where);
  let order: string;
  let offset = 0;
  if (sort.field === 'relevance' && search) {
    offset = offsetFromCursor(sort, q.cursor);
    order = `ORDER BY ${search.rank} DESC, a.name, a.id OFFSET ${p.add(offset)}`;
  } else {
    const dir = sort.descending ? 'DESC' : 'ASC';
    const column = sort.field === 'name' ? 'a.name' : 'a.created_at';
    if (q.cursor) {
      const c = decodeCursor(q.cursor, sort);
      const value = sort.field === 'name' ? p.add(c.value) : `${p.add(c.value)}::timestamptz`;
      where.push(`(${column}, a.id) ${sort.descending ? '<' : '>'} (${value}, ${p.add(c.id)}::uuid)`);
    }
    order = `ORDER BY ${column} ${dir}, a.id ${dir}`;
  }
  const ids = await db.query<{ id: string }>(
    `SELECT a.id FROM actors a${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ${order} LIMIT ${p.add(q.limit + 1)}`,
    p.values,
    { prepare: !search },
  );
  const byId = new Map(
    (await db.prisma.actor.findMany({ where: { id: { in: ids.map((r) => r.id) } } })).map((row) => [row.id, row]),
  );
  const rows = ids.map((r) => byId.get(r.id)!);
  const { data, nextCursor } =
    sort.field === 'relevance'
      ? pageOf(rows, q.limit, sort, () => String(offset + q.limit))
      : pageOf(rows, q.limit, sort, (row) => (sort.field === 'name' ? row.name : row.createdAt));
  return { data: data.map(toActor), nextCursor };
}
