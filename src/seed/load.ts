import { createActor } from '../actors/repository.js';
import { ActorCreate } from '../actors/schemas.js';
import type { Database } from '../db/database.js';
import { createFigure } from '../figures/repository.js';
import { FigureCreate } from '../figures/schemas.js';
import { createSource } from '../sources/repository.js';
import { SourceCreate } from '../sources/schemas.js';
import { createStatement } from '../statements/repository.js';
import { StatementCreate } from '../statements/schemas.js';
import { actors, figures, sources, statements } from './data.js';

/**
 * Loads the seed dataset through the same schemas and write paths as the API,
 * in one transaction. Returns false, changing nothing, when it is already there.
 */
export async function loadSeed(db: Database): Promise<boolean> {
  return db.prisma.$transaction(
    async (tx) => {
      if (await tx.actor.findUnique({ where: { slug: actors[0].slug }, select: { id: true } })) return false;
      for (const actor of actors) await createActor(tx, ActorCreate.parse(actor));

      const sourceIds = new Map<string, string>();
      for (const { key, ...source } of sources) sourceIds.set(key, (await createSource(tx, SourceCreate.parse(source))).id);
      const citations = (list: (typeof statements)[number]['citations']) =>
        list.map(({ sourceKey, ...c }) => ({ ...c, sourceId: sourceIds.get(sourceKey) }));

      const statementIds = new Map<string, string>();
      for (const { key, ...statement } of statements) {
        const input = StatementCreate.parse({ ...statement, citations: citations(statement.citations) });
        statementIds.set(key, await createStatement(tx, input));
      }
      for (const { statementKey, ...figure } of figures) {
        const statementId = statementKey && statementIds.get(statementKey);
        await createFigure(tx, FigureCreate.parse({ ...figure, statementId, citations: citations(figure.citations) }));
      }
      return true;
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}
