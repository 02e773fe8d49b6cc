import { createActor } from '../actors/repository.js';
import { ActorCreate } from '../actors/schemas.js';
import type { Database } from '../db/database.js';
import { createFigure } from '../figures/repository.js';
import { FigureCreate } from '../figures/schemas.js';
import { createSource } from '../sources/repository.js';
import { SourceCreate } from '../sources/schemas.js';
import { createStatement } from '../statements/repository.js';
import { StatementCreate } from '../statements/schemas.js';
import { type CitationSeed, actors, figures, relations, sources, statements } from './data.js';
import { citationSeedId, seedId } from './ids.js';
import { write } from '../writes/door.js';
import { createRelation } from '../relations/repository.js';
import { RelationCreate } from '../relations/schemas.js';

/** History names the seed as the writer of the records it loads. */
const SEED_WRITER = { keyId: null, name: 'seed', scope: 'admin' } as const;

/**
 * Loads the seed dataset through the same schemas and write paths as the API,
 * in one transaction through the write door. Returns false, changing nothing, when it is already there.
 */
export async function loadSeed(db: Database): Promise<boolean> {
  return write(db, { writer: SEED_WRITER, reason: 'Seed data: two news articles' }, async ({ tx }) => {
    if (await tx.actor.findUnique({ where: { slug: actors[0].slug }, select: { id: true } })) return false;
    for (const actor of actors) await createActor(tx, { ...ActorCreate.parse(actor), id: seedId(`actor:${actor.slug}`) });
    for (const { key, ...source } of sources)
      await createSource(tx, { ...SourceCreate.parse(source), id: seedId(`source:${key}`) });

    // Validated as API input, then given the stable ids API input may not carry.
    const withIds = <T extends { citations: object[] }>(owner: string, input: T) => ({
      ...input,
      id: seedId(owner),
      citations: input.citations.map((c, i) => ({ ...c, id: citationSeedId(owner, i) })),
    });
    const citations = (list: CitationSeed[]) =>
      list.map(({ sourceKey, relaysKey, ...c }) => ({
        ...c,
        sourceId: seedId(`source:${sourceKey}`),
        ...(relaysKey ? { relays: seedId(`source:${relaysKey}`) } : {}),
      }));

    for (const { key, ...statement } of statements) {
      const input = StatementCreate.parse({ ...statement, citations: citations(statement.citations) });
      await createStatement(tx, withIds(`statement:${key}`, input));
    }
    for (const { key, statementKey, shareOfKey, ...figure } of figures) {
      const statementId = statementKey && seedId(`statement:${statementKey}`);
      const shareOf = shareOfKey && seedId(`figure:${shareOfKey}`);
      const input = FigureCreate.parse({ ...figure, statementId, shareOf, citations: citations(figure.citations) });
      await createFigure(tx, withIds(`figure:${key}`, input));
    }
    for (const { key, statementKey, targetStatementKey, targetFigureKey, ...relation } of relations) {
      const input = RelationCreate.parse({
        ...relation,
        statement: seedId(`statement:${statementKey}`),
        ...(targetStatementKey ? { targetStatement: seedId(`statement:${targetStatementKey}`) } : {}),
        ...(targetFigureKey ? { targetFigure: seedId(`figure:${targetFigureKey}`) } : {}),
      });
      await createRelation(tx, { ...input, id: seedId(`relation:${key}`) });
    }
    return true;
  });
}
