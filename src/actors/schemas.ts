import { z } from 'zod';
import { ActorRef, CountryCode, Slug, Text, Timestamp, Uuid } from '../http/schemas.js';
import { pageQuery } from '../core/pagination.js';

export const ActorKind = z
  .enum(['person', 'organization', 'government', 'armed_group', 'media_outlet', 'other'])
  .describe('What the actor is: a person, or a body that speaks or reports as one.')
  .meta({ id: 'ActorKind' });

export const Handle = z
  .strictObject({
    platform: z.string().trim().toLowerCase().min(1).max(40).describe('e.g. x, telegram, facebook'),
    handle: z.string().trim().min(1).max(200).describe('Without the leading @.'),
    url: z.url().max(2000).optional(),
  })
  .meta({ id: 'Handle' });

const fields = {
  slug: Slug.describe('Unique, URL-safe name. Generated from `name` when omitted.'),
  name: Text(300),
  kind: ActorKind,
  aliases: z.array(Text(300)).max(100).describe('Other names, in any script.'),
  role: Text(300).nullable().describe('Role or title, e.g. President of Cuba.'),
  country: CountryCode.nullable(),
  handles: z.array(Handle).max(50),
  externalIds: z
    .record(
      z
        .string()
        .max(100, { abort: true })
        .regex(/^[a-z][a-z0-9_]*$/, 'keys are registry names such as wikidata'),
      Text(200),
    )
    .describe('Identifiers in other registries, e.g. {"wikidata": "Q…"}.'),
  description: Text(5000).nullable(),
};

export const ActorCreate = z
  .strictObject({
    ...fields,
    slug: fields.slug.optional(),
    aliases: fields.aliases.default([]),
    role: fields.role.optional(),
    country: fields.country.optional(),
    handles: fields.handles.default([]),
    externalIds: fields.externalIds.default({}),
    description: fields.description.optional(),
  })
  .meta({
    id: 'ActorCreate',
    example: {
      name: 'International Court of Justice',
      kind: 'organization',
      aliases: ['ICJ', 'World Court'],
      role: 'Principal judicial organ of the United Nations',
    },
  });

export const ActorMerge = z
  .strictObject({
    into: ActorRef.describe(
      'The actor to keep: id, slug, alias, handle or external id (as anywhere an actor is named). The actor in the path is folded into it.',
    ),
  })
  .meta({ id: 'ActorMerge', example: { into: 'ebrahim-raisi' } });

export const ActorUpdate = z
  .strictObject(fields)
  .partial()
  .meta({ id: 'ActorUpdate', example: { role: 'President of the Republic of Cuba' } });

export const ActorSummary = z
  .object({ id: Uuid, slug: z.string(), name: z.string(), kind: ActorKind })
  .meta({ id: 'ActorSummary' });

export const Actor = z
  .object({
    id: Uuid,
    slug: z.string(),
    name: z.string(),
    kind: ActorKind,
    aliases: z.array(z.string()),
    role: z.string().nullable(),
    country: z.string().nullable(),
    handles: z.array(z.object({ platform: z.string(), handle: z.string(), url: z.string().optional() })),
    externalIds: z.record(z.string(), z.string()),
    description: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Actor' });

export const ACTOR_SORTS = ['name', '-name', 'createdAt', '-createdAt', 'relevance'] as const;

export const ActorListQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Search names, slugs and aliases; case- and accent-insensitive ("diaz canel" finds Díaz-Canel), tolerant of spelling variants and transliterations ("ibrahim raisi" finds Ebrahim Raisi). Sorted by relevance unless `sort` says otherwise.',
    )
    .meta({ example: 'diaz canel' }),
  kind: ActorKind.optional().describe('Only actors of this kind.'),
  country: CountryCode.optional().describe('Only actors of this country.'),
  sort: z
    .enum(ACTOR_SORTS)
    .optional()
    .describe(
      'Sort key; a leading `-` sorts descending. Default: `relevance` (closest names first) with `q`, else `name`. Ties are broken by id, so the order is stable.',
    ),
  ...pageQuery,
});

export type ActorCreateInput = z.output<typeof ActorCreate>;
export type ActorUpdateInput = z.output<typeof ActorUpdate>;
export type ActorListInput = z.output<typeof ActorListQuery>;
