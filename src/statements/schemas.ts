import { z } from 'zod';
import { ActorKind, ActorSummary } from '../actors/schemas.js';
import { citableFields } from '../history/citable.js';
import { Citation, citationList } from '../citations/schemas.js';
import { pageQuery, sortParam } from '../core/pagination.js';
import { BoolParam, includeParam } from '../http/query-params.js';
import {
  ActorRef,
  CountryCode,
  DatePrecision,
  LanguageTag,
  listParam,
  PartialDateString,
  Text,
  Timestamp,
  Uuid,
} from '../http/schemas.js';

export const StatementKind = z
  .enum(['direct_quote', 'paraphrase', 'social_media_post', 'official_statement'])
  .describe('How the words are given: quoted as said, paraphrased, as posted, or as issued by an office.')
  .meta({ id: 'StatementKind' });
export const Medium = z
  .enum([
    'social_media',
    'speech',
    'rally',
    'meeting',
    'interview',
    'press_conference',
    'press_release',
    'broadcast',
    'document',
    'other',
  ])
  .describe('Where or how it was said.')
  .meta({ id: 'Medium' });
export const Verification = z
  .enum(['original', 'secondary', 'unverified'])
  .describe('original: checked against the original post or recording; secondary: known only through an outlet relaying it.')
  .meta({ id: 'Verification' });
export const Attribution = z
  .enum(['named', 'unnamed_group', 'anonymous'])
  .describe(
    'Who the outlet attributes the words to: a named actor (`speaker`, the default); an unnamed group ("Israeli media reports", "Palestinian and international organizations"); or an anonymous source ("a senior official"). The last two say who in `attributedTo`, and may name the organisation they belong to as `speaker`.',
  )
  .meta({ id: 'Attribution' });
export const InvolvementRole = z.enum(['counterpart', 'addressee', 'mentioned', 'co_speaker']).meta({ id: 'InvolvementRole' });

const Tag = z
  .string()
  .max(200, { abort: true })
  .trim()
  .transform((t) => t.replace(/^#/, ''))
  .pipe(z.string().min(1).max(100))
  .describe('A hashtag (the leading # is dropped) or topic.');

const Involvement = z.strictObject({ actor: ActorRef, role: InvolvementRole });

const fields = {
  speaker: ActorRef.nullable().describe(
    'Who said it: an actor id, slug, name or alias, @handle or external id. Required when `attribution` is `named`; for an unnamed group or an anonymous source, the organisation it belongs to, if the outlet says.',
  ),
  attribution: Attribution,
  attributedTo: Text(300)
    .nullable()
    .describe('The outlet’s words for who said it, when it names no one: "Israeli media reports", "a senior official". Required unless `attribution` is `named`.'),
  text: Text(50000).describe('The words as quoted; a translation when `originalText` is given.'),
  language: LanguageTag.describe('Language of `text` (BCP 47).'),
  originalText: Text(50000).nullable().describe('The words as said, when `text` is a translation.'),
  originalLanguage: LanguageTag.nullable(),
  kind: StatementKind,
  saidOn: PartialDateString.describe('When it was said: YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known.'),
  medium: Medium.nullable(),
  platform: Text(100).nullable().describe('For social media: X, Telegram, Facebook…'),
  location: Text(300).nullable(),
  occasion: Text(1000).nullable(),
  tags: z.array(Tag).max(100),
  verification: Verification,
  notes: Text(10000).nullable(),
  involved: z.array(Involvement).max(100).describe('Other actors involved, e.g. the counterpart in a meeting.'),
};

export const StatementCreate = z
  .strictObject({
    ...fields,
    speaker: fields.speaker.optional(),
    attribution: fields.attribution.default('named'),
    attributedTo: fields.attributedTo.optional(),
    originalText: fields.originalText.optional(),
    originalLanguage: fields.originalLanguage.optional(),
    medium: fields.medium.optional(),
    platform: fields.platform.optional(),
    location: fields.location.optional(),
    occasion: fields.occasion.optional(),
    tags: fields.tags.default([]),
    verification: fields.verification.default('unverified'),
    notes: fields.notes.optional(),
    involved: fields.involved.default([]),
    citations: citationList(1).describe('At least one source that carries the statement.'),
  })
  .meta({
    id: 'StatementCreate',
    example: {
      speaker: 'miguel-diaz-canel',
      text: 'Cuba demands that the genocide stop now.',
      language: 'en',
      originalText: '#Cuba demanda que cese el genocidio ya.',
      originalLanguage: 'es',
      kind: 'social_media_post',
      saidOn: '2024-03-30',
      medium: 'social_media',
      platform: 'X',
      tags: ['Cuba'],
      verification: 'secondary',
      citations: [
        {
          source: {
            kind: 'news_article',
            title: 'Cuba demands an end to the genocide in Gaza',
            publisher: 'The Palestine Chronicle',
          },
          excerpt: 'Miguel Diaz-Canel wrote on his X account “Cuba demands that the genocide stop now.”',
          role: 'secondary',
        },
      ],
    },
  });

export const StatementUpdate = z
  .strictObject(fields)
  .partial()
  .meta({ id: 'StatementUpdate', example: { verification: 'original' } });

export const Speaker = ActorSummary.extend({
  role: z.string().nullable().optional().describe('With include=actor.'),
  country: z.string().nullable().optional().describe('With include=actor.'),
  aliases: z.array(z.string()).optional().describe('With include=actor.'),
}).meta({ id: 'Speaker' });

export const Statement = z
  .object({
    id: Uuid,
    speaker: Speaker.nullable().describe('Null when the outlet names no one (see `attribution`).'),
    attribution: Attribution,
    attributedTo: z.string().nullable(),
    text: z.string(),
    language: z.string(),
    originalText: z.string().nullable(),
    originalLanguage: z.string().nullable(),
    kind: StatementKind,
    saidOn: z.string().describe('As precise as known: YYYY-MM-DD, YYYY-MM or YYYY.'),
    saidPrecision: DatePrecision,
    medium: Medium.nullable(),
    platform: z.string().nullable(),
    location: z.string().nullable(),
    occasion: z.string().nullable(),
    tags: z.array(z.string()),
    verification: Verification,
    notes: z.string().nullable(),
    involved: z.array(z.object({ actor: ActorSummary, role: InvolvementRole })),
    citations: z.array(Citation),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    ...citableFields('statement'),
    rank: z.number().optional().describe('Relevance to `q`, higher is better (searches only).'),
    highlight: z
      .object({ text: z.string(), originalText: z.string().nullable() })
      .optional()
      .describe('The renderings with matches wrapped in <mark>…</mark> (with highlight=true).'),
  })
  .meta({ id: 'Statement' });

export const STATEMENT_SORTS = ['-saidOn', 'saidOn', '-createdAt', 'createdAt', 'relevance'] as const;

export const STATEMENT_INCLUDES = ['actor', 'citations', 'sources'] as const;

/** Filters shared by /statements and /actors/{id}/statements. */
export const StatementFilters = {
  from: PartialDateString.optional().describe('Said on or after (YYYY, YYYY-MM or YYYY-MM-DD).').meta({ example: '2024-03' }),
  to: PartialDateString.optional()
    .describe('Said on or before. A statement dated only to a month matches when the whole month is in range.')
    .meta({ example: '2024-03' }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .optional()
    .describe(
      'Full-text search over the quoted text and the original, each in its own language, in web-search syntax: `"exact phrase"`, `OR`, `-exclude`.',
    ),
  kind: StatementKind.optional(),
  language: LanguageTag.optional().describe(
    'Language of the text or of the original, matched as a BCP 47 prefix: `pt` finds pt, pt-BR and pt-PT; `pt-BR` finds only Brazilian Portuguese.',
  ),
  tag: listParam(z.string().min(1).max(100))
    .optional()
    .describe('Has any of these tags (case-insensitive; a leading # is ignored).'),
  medium: Medium.optional(),
  source: Uuid.optional().describe('Cited by this source.'),
  publisher: z.string().min(1).max(300).optional().describe('Cited by a source from this publisher (case-insensitive).'),
  outlet: listParam(z.string().min(1).max(200))
    .optional()
    .describe('Carried by these actors: cited from, or relayed from, a source they published (its `outlet`), as any actor reference.')
    .meta({ example: ['anadolu-agency'] }),
  sort: sortParam(STATEMENT_SORTS, '-saidOn').describe(
    'Sort key; a leading `-` sorts descending. `relevance` needs `q` with at least one word or phrase to look for (not only exclusions). Ties are broken by id, so the order is stable.',
  ),
  highlight: BoolParam.describe('With `q`: add `highlight` with the matches marked.'),
  include: includeParam(STATEMENT_INCLUDES).describe(
    'Embed more: `actor` (the speaker’s role, country, aliases), `sources` (full source records in citations). Citations are always included.',
  ),
  total: BoolParam.describe('Add `total`, the number of matching statements (costs a count).'),
  ...pageQuery,
};

export const StatementListQuery = z.strictObject({
  actor: listParam(z.string().min(1).max(200))
    .optional()
    .describe('The speaker, as any actor reference: id, slug, name or alias, @handle, platform:handle or registry:id (e.g. wikidata:Q…); several allowed. A reference two actors share is a 400 naming both.')
    .meta({ example: ['miguel-diaz-canel'] }),
  actorKind: ActorKind.optional().describe('Only statements by actors of this kind.'),
  country: CountryCode.optional().describe('Only statements by actors of this country.'),
  ...StatementFilters,
});

export const ActorStatementsQuery = z.strictObject(StatementFilters);

export const StatementGetQuery = z.strictObject({ include: StatementFilters.include });

export type StatementCreateInput = z.output<typeof StatementCreate>;
export type StatementUpdateInput = z.output<typeof StatementUpdate>;
export type StatementListInput = z.output<typeof StatementListQuery>;
