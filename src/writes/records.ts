import { findActor, toActor } from '../actors/repository.js';
import { Actor } from '../actors/schemas.js';
import { getCitation, getCitations } from '../citations/repository.js';
import { CitationDetail } from '../citations/schemas.js';
import type { Database } from '../db/database.js';
import { getFigure, getFigures } from '../figures/queries.js';
import { Figure } from '../figures/schemas.js';
import { CITABLE_KEYS } from '../history/citable.js';
import { SOURCE_INCLUDE, findSource, toSource } from '../sources/repository.js';
import { Source } from '../sources/schemas.js';
import { getStatement, getStatements } from '../statements/queries.js';
import { Statement } from '../statements/schemas.js';
import { getRelation, getRelations } from '../relations/queries.js';
import { Relation } from '../relations/schemas.js';
import type { z } from 'zod';
import { compileSerializer } from '../http/serializer.js';

/**
 * The kinds of record Attest keeps history for: where each lives, and how it
 * reads as the API shows it. A revision's snapshot is that reading, taken
 * inside the writing transaction (without the revision, permalink and citation
 * line a statement or figure answer adds: the snapshot is what they name).
 */
const KINDS = {
  actor: {
    table: 'actors',
    path: '/actors',
    schema: Actor,
    read: async (db: Database, id: string) => toActor(await findActor(db.prisma, id)),
    readMany: async (db: Database, ids: string[]) =>
      (await db.prisma.actor.findMany({ where: { id: { in: ids } } })).map(toActor),
  },
  source: {
    table: 'sources',
    path: '/sources',
    schema: Source,
    read: async (db: Database, id: string) => toSource(await findSource(db.prisma, id)),
    readMany: async (db: Database, ids: string[]) =>
      (await db.prisma.source.findMany({ where: { id: { in: ids } }, include: SOURCE_INCLUDE })).map(toSource),
  },
  statement: {
    table: 'statements',
    path: '/statements',
    schema: Statement.omit(CITABLE_KEYS),
    read: (db: Database, id: string) => getStatement(db, id),
    readMany: getStatements,
  },
  figure: { table: 'figures', path: '/figures', schema: Figure.omit(CITABLE_KEYS), read: getFigure, readMany: getFigures },
  citation: {
    table: 'citations',
    path: '/citations',
    schema: CitationDetail,
    read: (db: Database, id: string) => getCitation(db.prisma, id),
    readMany: (db: Database, ids: string[]) => getCitations(db.prisma, ids),
  },
  relation: { table: 'relations', path: '/relations', schema: Relation, read: getRelation, readMany: getRelations },
} satisfies Record<
  string,
  {
    table: string;
    path: string;
    schema: z.ZodType;
    read(db: Database, id: string): Promise<unknown>;
    readMany(db: Database, ids: string[]): Promise<{ id: string }[]>;
  }
>;

/** Kinds of record with the serializer their snapshots are written with: the API's own, so a snapshot reads like a GET. */
export const RECORDS = Object.fromEntries(
  Object.entries(KINDS).map(([name, kind]) => [name, { ...kind, serialize: compileSerializer(kind.schema) }]),
) as { [K in keyof typeof KINDS]: (typeof KINDS)[K] & { serialize(record: unknown): string } };

export type Resource = keyof typeof KINDS;
export const RESOURCES = Object.keys(RECORDS) as Resource[];
