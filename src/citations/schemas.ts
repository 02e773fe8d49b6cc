import { z } from 'zod';
import { Text, Timestamp, Uuid } from '../http/schemas.js';
import { EXAMPLE_IDS } from '../seed/ids.js';
import { SourceCreate, SourceKind } from '../sources/schemas.js';

export const CitationRole = z
  .enum(['primary', 'secondary'])
  .describe('primary: the original post, report or recording; secondary: an outlet relaying it.')
  .meta({ id: 'CitationRole' });

const citationFields = {
  excerpt: Text(20000).describe('The passage of the source that supports the statement or figure.'),
  locator: Text(300).nullable().describe('Where in the source: paragraph, page, timestamp.'),
  role: CitationRole,
  relays: Uuid.nullable().describe(
    'The source this one relays it from: an outlet crediting a wire story ("PC, Anadolu") names the agency’s source here. Chains of these are GET /figures/{id}/provenance.',
  ),
};

export const CitationCreate = z
  .strictObject({
    sourceId: Uuid.optional().describe('An existing source. Give this or `source`.'),
    source: SourceCreate.optional().describe('A source to find by URL, or create when no source has that URL.'),
    ...citationFields,
    locator: citationFields.locator.optional(),
    relays: citationFields.relays.optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.sourceId === undefined) === (c.source === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['sourceId'], message: 'give exactly one of sourceId or source' });
    }
  })
  // Without an example Swagger UI fills in both sourceId and source, which is refused.
  .meta({
    id: 'CitationCreate',
    example: {
      sourceId: EXAMPLE_IDS.source,
      excerpt: 'The passage of the source that supports the statement or figure.',
      locator: 'paragraph 2',
      role: 'secondary',
    },
  });

export const CitationUpdate = z
  .strictObject({ sourceId: Uuid, ...citationFields })
  .partial()
  .meta({ id: 'CitationUpdate', example: { locator: 'paragraph 4' } });

export const SourceSummary = z
  .object({
    id: Uuid,
    kind: SourceKind,
    title: z.string(),
    publisher: z.string().nullable(),
    url: z.string().nullable(),
    publishedOn: z.string().nullable(),
    authors: z.array(z.string()).optional().describe('With include=sources.'),
    language: z.string().nullable().optional().describe('With include=sources.'),
    archiveUrl: z.string().nullable().optional().describe('With include=sources.'),
    retrievedAt: Timestamp.nullable().optional().describe('With include=sources.'),
    notes: z.string().nullable().optional().describe('With include=sources.'),
  })
  .meta({ id: 'SourceSummary' });

export const Citation = z
  .object({
    id: Uuid,
    role: CitationRole,
    excerpt: z.string(),
    locator: z.string().nullable(),
    relays: Uuid.nullable().describe('The source the cited one relays it from.'),
    source: SourceSummary,
  })
  .meta({ id: 'Citation' });

/** A citation on its own, with what it supports. */
export const CitationDetail = Citation.extend({
  statementId: Uuid.nullable(),
  figureId: Uuid.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}).meta({ id: 'CitationDetail' });

export const citationList = (min: number) => z.array(CitationCreate).min(min).max(50);

export type CitationCreateInput = z.output<typeof CitationCreate>;
export type CitationUpdateInput = z.output<typeof CitationUpdate>;
