import { z } from 'zod';
import { ActorSummary } from '../actors/schemas.js';
import { parsePartialDate } from '../core/partial-date.js';
import { notFound } from '../core/problems.js';
import type { Database } from '../db/database.js';
import { Uuid } from '../http/schemas.js';
import { actorSummaryJson, partialDate } from './sql.js';
import { SourceSummary } from './schemas.js';

const Link = z
  .object({
    source: SourceSummary,
    citation: z
      .object({ id: Uuid, excerpt: z.string(), role: z.string() })
      .nullable()
      .describe('How this source carries the record; null for a source only known as relayed by another.'),
  })
  .meta({ id: 'ProvenanceLink' });

export const Provenance = z
  .object({
    record: z.object({ type: z.enum(['statement', 'figure']), id: Uuid }),
    issuer: ActorSummary.nullable().describe(
      'Who said it (a statement’s speaker) or issued it (a figure’s reporter); null when the outlet names no one.',
    ),
    firstReported: SourceSummary.nullable().describe(
      'The source with the earliest publication date among all of them (ties: the one nearest the origin); null when no source has a date.',
    ),
    origins: z.array(SourceSummary).describe('Sources that relay it from no other: where the chains start.'),
    chains: z
      .array(z.array(Link))
      .describe('Each path from an origin to an outlet that no other source relays it from, origin first.'),
  })
  .meta({ id: 'Provenance' });

type Out = z.output<typeof Provenance>;
type Source = z.output<typeof SourceSummary>;
type Node = { source: Source; citation: Out['chains'][number][number]['citation']; relays: string | null };

const SOURCE_JSON = (alias: string) => `json_build_object('id', ${alias}.id, 'kind', ${alias}.kind, 'title', ${alias}.title,
  'publisher', ${alias}.publisher, 'url', ${alias}.url, 'publishedOn', ${partialDate(`${alias}.published_on`, `${alias}.published_precision`)})`;

/**
 * How a statement or figure reached its outlets: each citation's source, and
 * the source it relays it from (citations.relays_source_id), followed back to
 * where no source relays another. A relayed source that does not itself cite
 * the record (the agency an article credits) is a link of the chain too.
 */
export async function provenanceOf(db: Database, type: 'statement' | 'figure', id: string): Promise<Out> {
  const [table, actor] = type === 'statement' ? ['statements', 'speaker_id'] : ['figures', 'reporter_id'];
  const [owner] = await db.query<{ issuer: Out['issuer'] }>(
    `SELECT CASE WHEN a.id IS NULL THEN NULL ELSE ${actorSummaryJson('a')} END AS issuer
     FROM ${table} o LEFT JOIN actors a ON a.id = o.${actor} WHERE o.id = $1::uuid`,
    [id],
  );
  if (!owner) throw notFound(type, id);
  const rows = await db.query<{ id: string; excerpt: string; role: string; source: Source; relayed: Source | null }>(
    `SELECT c.id, c.excerpt, c.role, ${SOURCE_JSON('s')} AS source, CASE WHEN r.id IS NULL THEN NULL ELSE ${SOURCE_JSON('r')} END AS relayed
     FROM citations c JOIN sources s ON s.id = c.source_id LEFT JOIN sources r ON r.id = c.relays_source_id
     WHERE c.${type}_id = $1::uuid ORDER BY c.created_at, c.id`,
    [id],
  );
  const nodes = new Map<string, Node>();
  for (const r of rows) {
    const known = nodes.get(r.source.id);
    // A source cited twice (two passages) is one link; the first citation that names a relay wins.
    if (!known || (!known.relays && r.relayed)) {
      nodes.set(r.source.id, {
        source: r.source,
        citation: { id: r.id, excerpt: r.excerpt, role: r.role },
        relays: r.relayed?.id ?? null,
      });
    }
  }
  for (const r of rows) {
    if (r.relayed && !nodes.has(r.relayed.id)) nodes.set(r.relayed.id, { source: r.relayed, citation: null, relays: null });
  }
  const relayed = new Set([...nodes.values()].flatMap((n) => (n.relays ? [n.relays] : [])));
  const chains = [...nodes.values()]
    .filter((n) => !relayed.has(n.source.id))
    .map((leaf) => {
      const chain: Node[] = [];
      // Written chains have no circles (src/citations/repository.ts); the guard keeps a read finite anyway.
      for (let at: Node | undefined = leaf; at && !chain.includes(at); at = at.relays ? nodes.get(at.relays) : undefined) {
        chain.unshift(at);
      }
      return chain;
    });
  const depth = (n: Node) => chains.reduce((d, c) => Math.max(d, c.length - c.indexOf(n)), 0);
  const dated = [...nodes.values()]
    .filter((n) => n.source.publishedOn)
    .sort((a, b) => firstDay(a) - firstDay(b) || depth(b) - depth(a));
  return {
    record: { type, id },
    issuer: owner.issuer,
    firstReported: dated[0]?.source ?? null,
    origins: [...nodes.values()].filter((n) => !n.relays).map((n) => n.source),
    chains: chains.map((c) => c.map(({ source, citation }) => ({ source, citation }))),
  };
}

const firstDay = (n: Node) => parsePartialDate(n.source.publishedOn!)!.date.getTime();
