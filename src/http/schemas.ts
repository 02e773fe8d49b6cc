import { z } from 'zod';
import { PARTIAL_DATE_PATTERN, parsePartialDate } from '../core/partial-date.js';
import { PROBLEMS } from '../core/problems.js';

// Shared primitives carry no examples: Swagger UI pre-fills examples into "Try it out", so each
// example belongs to a field where it finds seed data.
// The lengths below that a pattern already fixes are stated for the document only (no second error).
export const Uuid = z.uuid().meta({ maxLength: 36 });

/** Path parameters of a record; the example is a seed record, so "Try it out" finds it. */
export const idParams = (example: string) => z.strictObject({ id: Uuid.describe('Record id (UUID).').meta({ example }) });

export const IdOrSlugParams = z.strictObject({
  id: z.string().min(1).max(200).describe('Actor id (UUID) or slug.').meta({ example: 'miguel-diaz-canel' }),
});

export const Slug = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, e.g. miguel-diaz-canel');

/** An actor named by id or by slug in request bodies. */
export const ActorRef = z
  .string()
  .min(1)
  .max(200)
  .describe(
    'An actor: id (UUID), slug, name or alias (case- and accent-insensitive), handle (`@DiazCanelB`, or `x:DiazCanelB` for one platform) or external id (`wikidata:Q…`). A reference two actors share is refused, naming both.',
  );

export const ActorRefParams = z.strictObject({ id: ActorRef.meta({ example: 'miguel-diaz-canel' }) });

// BCP 47, loosely: language, optional script/region/variants (es, en-GB, sr-Latn).
export const LanguageTag = z
  .string()
  // RFC 5646 §4.4.1: 35 characters hold every tag in use. Checked first, so a long one gets one error.
  .max(35, { abort: true })
  .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en, es or pt-BR');

export const CountryCode = z
  .string()
  .meta({ maxLength: 2 })
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in capitals, e.g. CU');

export const PartialDateString = z
  .string()
  .meta({ maxLength: 10 })
  .regex(PARTIAL_DATE_PATTERN, { error: 'must be YYYY, YYYY-MM or YYYY-MM-DD', abort: true })
  .refine((s) => parsePartialDate(s) !== undefined, 'is not a calendar date');

export const DayString = z
  .string()
  .meta({ maxLength: 10 })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be YYYY-MM-DD', abort: true })
  .refine((s) => parsePartialDate(s) !== undefined, 'is not a calendar date')
  .meta({ example: '2023-10-07' });

/**
 * An RFC 3339 time a client sends as a filter (asOf), without an example: Swagger UI would send it, and
 * the seed records did not exist yet at any fixed time.
 */
export const TimestampParam = z.iso
  .datetime({ offset: true })
  // Nanoseconds and an offset take 35 characters: more is not a time anyone sends.
  .max(40)
  // PostgreSQL, like the Gregorian calendar, has no year 0.
  .refine((t) => !t.startsWith('0000'), 'is before the year 1');

export const Timestamp = TimestampParam.meta({ example: '2024-03-31T09:00:00Z' });

export const Text = (max: number) => z.string().trim().min(1).max(max);

export const Problem = z
  .object({
    type: z.string().describe('Relative URI of the problem type; GET it for its definition.'),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(PROBLEMS) as [keyof typeof PROBLEMS]),
    detail: z.string(),
    instance: z.string(),
    errors: z
      .array(z.object({ in: z.string(), field: z.string(), message: z.string() }))
      .optional()
      .describe('Each offending field, for validation-failed.'),
    dependents: z
      .record(z.string(), z.object({ count: z.number().int(), ids: z.array(z.string()) }))
      .optional()
      .describe('Records that depend on this one, for has-dependents.'),
    deleted: z
      .object({ at: z.string(), by: z.string(), reason: z.string().nullable(), history: z.string() })
      .optional()
      .describe('For gone: when the record was deleted, by which key, why, and where its history is.'),
    series: z
      .array(
        z.object({
          area: z.string().nullable(),
          population: z.string().nullable(),
          cumulative: z.boolean(),
          unit: z.string(),
          points: z.number().int(),
          url: z.string(),
        }),
      )
      .optional()
      .describe('For ambiguous-series: each series the request matched, and the URL that asks for it alone.'),
    actors: z
      .array(z.object({ id: z.string(), slug: z.string(), name: z.string(), field: z.string().optional() }))
      .optional()
      .describe(
        'For conflict: the actor that already holds the handle or external id (and the field that asked for it). For validation-failed: every actor an ambiguous reference could mean.',
      ),
  })
  .meta({ id: 'Problem', description: 'An RFC 9457 problem document.' });

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each offending field.',
  401: 'No API key, or an unknown or revoked one: writing needs `Authorization: Bearer <key>`.',
  403: 'The API key lacks the scope this needs.',
  404: 'No such record.',
  409: 'Conflict with existing records.',
  410: 'The record was deleted; `deleted` says when, by which key and why, and where its history is.',
  412: 'If-Match does not name the current ETag: the record changed since it was read. The current ETag is in the `ETag` header.',
  413: 'Body too large.',
  415: 'Body is not JSON.',
  422: 'The Idempotency-Key was already used for a different request.',
};

/** Problem responses for the OpenAPI document of a route. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, problemResponse(ERROR_DESCRIPTIONS[s] ?? 'Error.')]));
}

export const NoContent = z.undefined().describe('Deleted.');

/** For routes that take no query parameters: an unknown one is a 400, not silently ignored. */
export const NoQuery = z.strictObject({});

export const DatePrecision = z.enum(['day', 'month', 'year']).meta({ id: 'DatePrecision' });

/** What the document shows for one item of a list parameter: its values, or its length limit. */
function documentedItem(item: z.ZodType) {
  const { enum: values, maxLength } = z.toJSONSchema(item, { io: 'input', unrepresentable: 'any' }) as {
    enum?: string[];
    maxLength?: number;
  };
  return values ? { enum: values } : maxLength !== undefined ? { maxLength } : {};
}

/** Repeated parameters (`actor=a&actor=b`) and comma-separated lists (`actor=a,b`) both work. */
export const listParam = <T extends z.ZodType<string, string>>(item: T) =>
  z
    // The array form is the one the document shows (src/http/openapi-tidy.ts); its items name the values
    // an enum takes, for the document only, so that `include=actor,sources` repeated still parses.
    .union([z.string(), z.array(z.string().meta(documentedItem(item))).max(50)])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(50));
