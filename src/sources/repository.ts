import type { WithId } from '../core/ids.js';
import type { Tx } from '../db/database.js';
import { Params, languageMatches } from '../db/sql.js';
import type { Prisma } from '../generated/prisma/client.js';
import { SAMPLE, assertNoDependents, dependentsOf } from '../core/dependents.js';
import { pageOf, parseSort, prismaPage } from '../core/pagination.js';
import { assertRange, formatPartialDate, latestStart, parsePartialDate } from '../core/partial-date.js';

const PRECISIONS = ['day', 'month', 'year'] as const;
import { ProblemError, notFound } from '../core/problems.js';
import { resolveActorId } from '../actors/repository.js';
import { SUPPORTS_SHOWN, type SourceCreateInput, type SourceListInput, type SourceUpdateInput } from './schemas.js';

/** How every read of a source includes its outlet: as an actor summary. */
export const SOURCE_INCLUDE = { outlet: { select: { id: true, slug: true, name: true, kind: true } } } satisfies Prisma.SourceInclude;
type SourceRow = Prisma.SourceGetPayload<{ include: typeof SOURCE_INCLUDE }>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toSource(row: SourceRow) {
  const { publishedOn, publishedPrecision, outletId: _outletId, ...rest } = row;
  return {
    ...rest,
    publishedOn: publishedOn && formatPartialDate(publishedOn, publishedPrecision ?? 'day'),
    publishedPrecision,
    retrievedAt: iso(row.retrievedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function findSource(db: Tx, id: string) {
  const row = await db.source.findUnique({ where: { id }, include: SOURCE_INCLUDE });
  if (!row) throw notFound('source', id);
  return row;
}

async function assertUrlFree(db: Tx, url: string | null | undefined, exceptId?: string) {
  if (!url) return;
  const taken = await db.source.findUnique({ where: { url }, select: { id: true } });
  if (taken && taken.id !== exceptId) {
    throw new ProblemError('conflict', `Source ${taken.id} already has the URL ${url}.`, {
      errors: [{ in: 'body', field: 'url', message: `already used by source ${taken.id}` }],
    });
  }
}

/**
 * The API's partial date becomes a date column and its precision, and the outlet (any actor
 * reference) its id. `field` is where the source is in the request, for error messages.
 */
async function toData<T extends { publishedOn?: string | null; outlet?: string | null }>(
  db: Tx,
  { publishedOn, outlet, ...rest }: T,
  field = '',
) {
  const outletId =
    outlet === undefined ? undefined : outlet === null ? null : await resolveActorId(db, outlet, `${field}outlet`);
  const data = { ...rest, ...(outletId === undefined ? {} : { outletId }) };
  if (publishedOn === undefined) return data;
  const parsed = publishedOn === null ? null : parsePartialDate(publishedOn)!;
  return { ...data, publishedOn: parsed?.date ?? null, publishedPrecision: parsed?.precision ?? null };
}

export async function createSource(db: Tx, input: WithId<SourceCreateInput>, field = '') {
  await assertUrlFree(db, input.url);
  return db.source.create({ data: await toData(db, input, field) });
}

/** A source given inline with a citation: the one with the same URL if there is one, else a new one. */
export async function findOrCreateSource(db: Tx, input: WithId<SourceCreateInput>, field = '') {
  if (input.url) {
    const existing = await db.source.findUnique({ where: { url: input.url } });
    if (existing) return existing;
  }
  return createSource(db, input, field);
}

export async function updateSource(db: Tx, id: string, input: SourceUpdateInput) {
  await findSource(db, id);
  await assertUrlFree(db, input.url, id);
  return db.source.update({ where: { id }, data: await toData(db, input) });
}

export async function deleteSource(db: Tx, id: string) {
  await findSource(db, id);
  const where = { sourceId: id };
  const citations = await dependentsOf(
    db.citation.count({ where }),
    db.citation.findMany({ where, select: { id: true }, take: SAMPLE }),
  );
  // A source others relay from is a link of their provenance chains.
  const relayed = { relaysId: id };
  const relaying = await dependentsOf(
    db.citation.count({ where: relayed }),
    db.citation.findMany({ where: relayed, select: { id: true }, take: SAMPLE }),
  );
  assertNoDependents(`source ${id}`, { citations, 'citations relaying it': relaying });
  await db.source.delete({ where: { id } });
}

/**
 * The language tags in use that a BCP 47 prefix matches (`pt`: pt, pt-BR, pt-PT), read from the
 * prefix index; few, so the list itself can filter on the plain language index.
 */
async function languagesMatching(db: Tx, tag: string): Promise<string[]> {
  const p = new Params();
  const rows = await db.$queryRawUnsafe<{ language: string }[]>(
    `SELECT DISTINCT language FROM sources WHERE ${languageMatches(p, ['language'], tag)}`,
    ...p.values,
  );
  return rows.map((r) => r.language);
}

export async function listSources(db: Tx, q: SourceListInput) {
  assertRange(q.from, q.to);
  const languages = q.language ? await languagesMatching(db, q.language) : undefined;
  const sort = parseSort(q.sort, { createdAt: 'date', title: 'string' });
  const page = prismaPage(sort, q.cursor);
  const rows = await db.source.findMany({
    where: {
      AND: [
        page.where,
        {
          kind: q.kind,
          url: q.url,
          publisher: q.publisher ? { equals: q.publisher, mode: 'insensitive' } : undefined,
          outletId: q.outlet ? { in: q.outlet } : undefined,
          language: languages ? { in: languages } : undefined,
          publishedOn: q.from ? { gte: parsePartialDate(q.from)!.date } : undefined,
        },
        // A source dated only to a month or year is in range when its whole period is.
        ...(q.to
          ? [{ OR: PRECISIONS.map((p) => ({ publishedPrecision: p, publishedOn: { lte: latestStart(q.to!, p) } })) }]
          : []),
      ],
    },
    orderBy: page.orderBy,
    take: q.limit + 1,
    include: SOURCE_INCLUDE,
  });
  const { data, nextCursor } = pageOf(rows, q.limit, sort, (row) => row[sort.field as keyof typeof row]);
  return { data: data.map(toSource), nextCursor };
}

/** A source with what it supports: the statements and figures citing it, with the excerpts. */
export async function sourceDetail(db: Tx, id: string) {
  const source = toSource(await findSource(db, id));
  const citation = (c: { id: string; role: 'primary' | 'secondary'; excerpt: string; locator: string | null }) => ({
    citationId: c.id,
    role: c.role,
    excerpt: c.excerpt,
    locator: c.locator,
  });
  const [statements, statementCount, figures, figureCount] = await Promise.all([
    db.citation.findMany({
      where: { sourceId: id, statementId: { not: null } },
      include: { statement: { include: { speaker: { select: { name: true } } } } },
      orderBy: [{ statement: { saidOn: 'desc' } }, { id: 'desc' }],
      take: SUPPORTS_SHOWN,
    }),
    db.citation.count({ where: { sourceId: id, statementId: { not: null } } }),
    db.citation.findMany({
      where: { sourceId: id, figureId: { not: null } },
      include: { figure: true },
      orderBy: [{ figure: { asOf: 'desc' } }, { id: 'desc' }],
      take: SUPPORTS_SHOWN,
    }),
    db.citation.count({ where: { sourceId: id, figureId: { not: null } } }),
  ]);
  return {
    ...source,
    supports: {
      statements: {
        count: statementCount,
        items: statements.map((c) => ({
          ...citation(c),
          statementId: c.statement!.id,
          speaker: c.statement!.speaker?.name ?? c.statement!.attributedTo!,
          text: c.statement!.text,
          saidOn: formatPartialDate(c.statement!.saidOn, c.statement!.saidPrecision),
        })),
      },
      figures: {
        count: figureCount,
        items: figures.map((c) => ({
          ...citation(c),
          figureId: c.figure!.id,
          metric: c.figure!.metric,
          value: c.figure!.value,
          qualifier: c.figure!.qualifier,
          asOf: formatPartialDate(c.figure!.asOf, c.figure!.asOfPrecision),
        })),
      },
    },
  };
}
