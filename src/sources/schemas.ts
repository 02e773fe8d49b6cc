import { z } from 'zod';
import { pageQuery, sortParam } from '../core/pagination.js';
import { ActorSummary } from '../actors/schemas.js';
import { ActorRef, DatePrecision, LanguageTag, PartialDateString, Text, Timestamp, Uuid, listParam } from '../http/schemas.js';
import { normalizeUrl } from './url.js';

export const SourceKind = z
  .enum(['news_article', 'social_media_post', 'official_report', 'press_release', 'transcript', 'other'])
  .describe('What the source is.')
  .meta({ id: 'SourceKind' });

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);

const fields = {
  kind: SourceKind,
  title: Text(1000),
  url: HttpUrl.transform(normalizeUrl)
    .nullable()
    .describe('Canonical address. Stored normalised (lower-case host, no fragment or tracking parameters); unique.'),
  publisher: Text(300).nullable().describe('Outlet or body that published it, as printed, e.g. The Palestine Chronicle.'),
  outlet: ActorRef.nullable().describe(
    'The actor that published it, when it is in the record: a media outlet, the body that issued a report, the account holder of a post. Any actor reference (slug, id, alias, @handle…); links the source to the outlet, so `GET /sources?outlet=` and `GET /statements?outlet=` find what it carried.',
  ),
  authors: z.array(Text(300)).max(100),
  publishedOn: PartialDateString.nullable().describe('Publication date: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known.'),
  language: LanguageTag.nullable(),
  retrievedAt: Timestamp.nullable().describe('When Attest (or you) read it.'),
  archiveUrl: HttpUrl.nullable().describe('A snapshot, e.g. in a web archive.'),
  notes: Text(5000).nullable(),
};

export const SourceCreate = z
  .strictObject({
    kind: fields.kind,
    title: fields.title,
    url: fields.url.optional(),
    publisher: fields.publisher.optional(),
    outlet: fields.outlet.optional(),
    authors: fields.authors.default([]),
    publishedOn: fields.publishedOn.optional(),
    language: fields.language.optional(),
    retrievedAt: fields.retrievedAt.optional(),
    archiveUrl: fields.archiveUrl.optional(),
    notes: fields.notes.optional(),
  })
  .meta({
    id: 'SourceCreate',
    example: {
      kind: 'news_article',
      title: 'Cuba demands an end to the genocide in Gaza',
      url: 'https://www.example.org/cuba-demands-end-to-genocide',
      publisher: 'The Palestine Chronicle',
      outlet: 'the-palestine-chronicle',
      authors: ['Palestine Chronicle Staff'],
      language: 'en',
    },
  });

export const SourceUpdate = z
  .strictObject(fields)
  .partial()
  .meta({ id: 'SourceUpdate', example: { archiveUrl: 'https://web.archive.org/web/2024/https://www.example.org/' } });

export const Source = z
  .object({
    id: Uuid,
    kind: SourceKind,
    title: z.string(),
    url: z.string().nullable(),
    publisher: z.string().nullable(),
    outlet: ActorSummary.nullable(),
    authors: z.array(z.string()),
    publishedOn: z.string().nullable(),
    publishedPrecision: DatePrecision.nullable(),
    language: z.string().nullable(),
    retrievedAt: Timestamp.nullable(),
    archiveUrl: z.string().nullable(),
    notes: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Source' });

export const SOURCE_SORTS = ['-createdAt', 'createdAt', 'title', '-title'] as const;

export const SourceListQuery = z.strictObject({
  kind: SourceKind.optional().describe('Only sources of this kind.'),
  publisher: z.string().min(1).max(300).optional().describe('Only sources from this publisher (exact, case-insensitive).'),
  outlet: listParam(z.string().min(1).max(200))
    .optional()
    .describe('Only sources published by these actors, as any actor reference.')
    .meta({ example: ['the-palestine-chronicle'] }),
  language: LanguageTag.optional().describe(
    'Only sources in this language, matched as a BCP 47 prefix: `pt` finds pt, pt-BR and pt-PT.',
  ),
  url: HttpUrl.transform(normalizeUrl).optional().describe('Find the source with this URL (normalised before matching).'),
  from: PartialDateString.optional().describe('Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).'),
  to: PartialDateString.optional().describe(
    'Published on or before; a source dated only to a month matches when the whole month is in range.',
  ),
  sort: sortParam(SOURCE_SORTS, '-createdAt'),
  ...pageQuery,
});

export type SourceCreateInput = z.output<typeof SourceCreate>;
export type SourceUpdateInput = z.output<typeof SourceUpdate>;
export type SourceListInput = z.output<typeof SourceListQuery>;

const Supported = z.object({
  citationId: Uuid,
  role: z.enum(['primary', 'secondary']),
  excerpt: z.string(),
  locator: z.string().nullable(),
});

export const SUPPORTS_SHOWN = 100;

export const SourceDetail = Source.extend({
  supports: z
    .object({
      statements: z.object({
        count: z.number().int(),
        items: z.array(
          Supported.extend({
            statementId: Uuid,
            speaker: z.string().describe('The speaker’s name, or the outlet’s words for who said it (`attributedTo`).'),
            text: z.string(),
            saidOn: z.string(),
          }),
        ),
      }),
      figures: z.object({
        count: z.number().int(),
        items: z.array(
          Supported.extend({
            figureId: Uuid,
            metric: z.string(),
            value: z.number().nullable(),
            qualifier: z.string(),
            asOf: z.string(),
          }),
        ),
      }),
    })
    .optional()
    .describe(
      `What this source supports, with the excerpts: up to ${SUPPORTS_SHOWN} of each kind, newest first. For all of them, filter /statements or /figures by source. Left out when the source is read with asOf.`,
    ),
}).meta({ id: 'SourceDetail' });
