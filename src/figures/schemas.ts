import { z } from 'zod';
import { METHODS, QUALIFIERS, UNITS } from './quantities.js';
import { ActorSummary } from '../actors/schemas.js';
import { Citation, citationList } from '../citations/schemas.js';
import { citableFields } from '../history/citable.js';
import { formatParams, pageQuery, sortParam } from '../core/pagination.js';
import { BoolParam } from '../http/query-params.js';
import { ActorRef, DatePrecision, DayString, PartialDateString, Text, Timestamp, Uuid, listParam } from '../http/schemas.js';

export const Metric = z
  .string()
  .meta({ maxLength: 63 })
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be snake_case, e.g. killed, injured, missing, displaced, detained')
  .describe('What is counted: killed, injured, missing, displaced, detained… New metrics need no schema change.')
  .meta({ example: 'killed' });

export const Qualifier = z
  .enum(QUALIFIERS)
  .describe(
    'How the reporter qualified the number ("at least 7,000" is at_least), or the words that stand for one: several (3–9), dozens (24–143), hundreds (200–999), thousands (2,000–9,999), tens_of_thousands (20,000–99,999), majority (50–100%), minority (0–50%). Those may come without a value; their bounds follow the ranges given.',
  )
  .meta({ id: 'Qualifier' });

export const Unit = z
  .enum(UNITS)
  .describe(
    'count (the default); percent (0–100); share: a percentage of the figure named by shareOf ("the majority of those killed").',
  )
  .meta({ id: 'FigureUnit' });

export const Method = z
  .enum(METHODS)
  .describe(
    'How the reporter came by the number: reported (counted), estimated, extrapolated, or derived from the figures in derivedFrom.',
  )
  .meta({ id: 'FigureMethod' });

const Bound = z.number().finite().min(0);

const fields = {
  metric: Metric,
  value: z.number().finite().min(0).nullable().describe('The number as reported; null when the words give none ("dozens").'),
  qualifier: Qualifier,
  unit: Unit,
  shareOf: Uuid.nullable().describe('With unit share: the figure this is a share of.'),
  method: Method,
  derivedFrom: z.array(Uuid).max(50).describe('The figures an estimated, extrapolated or derived figure was computed from.'),
  lowerBound: Bound.nullable().describe('Lowest value the wording allows; derived from the qualifier when omitted.'),
  upperBound: Bound.nullable().describe('Highest value the wording allows; derived from the qualifier when omitted.'),
  phrase: Text(1000).nullable().describe('The words as printed, e.g. "nearly two million".'),
  population: Text(300).nullable().describe('Who is counted: Palestinians, children, women, soldiers and civilians…'),
  area: Text(300).nullable().describe('Where: Gaza Strip, Rafah…'),
  cumulative: z
    .boolean()
    .describe('true: a running total from periodStart to asOf ("since October 7"); false: for periodStart..periodEnd only.'),
  periodStart: DayString.nullable(),
  periodEnd: DayString.nullable(),
  asOf: PartialDateString.describe('Date the figure is as of: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known.'),
  reporter: ActorRef.nullable().describe(
    'Who issued the figure (an actor id, slug, name or alias, @handle or external id); null when the outlet gives it without attribution.',
  ),
  statementId: Uuid.nullable().describe('The statement the figure was quoted in, when a speaker cited it.'),
  caveats: Text(5000).nullable(),
  notes: Text(10000).nullable(),
};

export const FigureCreate = z
  .strictObject({
    ...fields,
    value: fields.value.default(null),
    qualifier: fields.qualifier.default('exact'),
    unit: fields.unit.default('count'),
    shareOf: fields.shareOf.optional(),
    method: fields.method.default('reported'),
    derivedFrom: fields.derivedFrom.default([]),
    lowerBound: fields.lowerBound.optional(),
    upperBound: fields.upperBound.optional(),
    phrase: fields.phrase.optional(),
    population: fields.population.optional(),
    area: fields.area.optional(),
    cumulative: fields.cumulative.default(true),
    periodStart: fields.periodStart.optional(),
    periodEnd: fields.periodEnd.optional(),
    reporter: fields.reporter.optional(),
    statementId: fields.statementId.optional(),
    caveats: fields.caveats.optional(),
    notes: fields.notes.optional(),
    citations: citationList(1).describe('At least one source that carries the figure.'),
  })
  .meta({
    id: 'FigureCreate',
    example: {
      metric: 'missing',
      value: 7000,
      qualifier: 'at_least',
      phrase: 'at least 7,000 people are unaccounted for',
      population: 'people',
      area: 'Gaza Strip',
      cumulative: true,
      periodStart: '2023-10-07',
      asOf: '2024-03',
      citations: [
        {
          source: {
            kind: 'news_article',
            title: 'Cuba demands an end to the genocide in Gaza',
            publisher: 'The Palestine Chronicle',
          },
          excerpt: 'at least 7,000 people are unaccounted for, presumed dead under the rubble of their homes',
          role: 'secondary',
        },
      ],
    },
  });

export const FigureUpdate = z
  .strictObject(fields)
  .partial()
  .meta({ id: 'FigureUpdate', example: { caveats: 'Presumed dead under the rubble; not included in the killed count.' } });

export const Figure = z
  .object({
    id: Uuid,
    metric: z.string(),
    value: z.number().nullable(),
    qualifier: Qualifier,
    unit: Unit,
    shareOf: Uuid.nullable(),
    method: Method,
    derivedFrom: z.array(Uuid),
    lowerBound: z.number().nullable(),
    upperBound: z.number().nullable(),
    phrase: z.string().nullable(),
    population: z.string().nullable(),
    area: z.string().nullable(),
    cumulative: z.boolean(),
    periodStart: z.string().nullable(),
    periodEnd: z.string().nullable(),
    asOf: z.string().describe('As precise as known: YYYY-MM-DD, YYYY-MM or YYYY.'),
    asOfPrecision: DatePrecision,
    reporter: ActorSummary.nullable(),
    statementId: Uuid.nullable(),
    caveats: z.string().nullable(),
    notes: z.string().nullable(),
    citations: z.array(Citation),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    ...citableFields('figure'),
  })
  .meta({ id: 'Figure' });

export const FIGURE_SORTS = ['-asOf', 'asOf', '-createdAt', 'createdAt'] as const;

export const FigureListQuery = z.strictObject({
  metric: listParam(Metric)
    .optional()
    .describe('One or more metrics.')
    .meta({ example: ['killed'] }),
  reporter: listParam(z.string().min(1).max(200))
    .optional()
    .describe('The reporter, as any actor reference: id, slug, name or alias, @handle, platform:handle or registry:id (e.g. wikidata:Q…); several allowed.')
    .meta({ example: ['gaza-ministry-of-health'] }),
  from: PartialDateString.optional().describe('As of on or after.').meta({ example: '2023' }),
  to: PartialDateString.optional()
    .describe('As of on or before; a figure known only to a month matches when the range covers that month.')
    .meta({ example: '2024-12' }),
  area: z.string().min(1).max(300).optional().describe('Area (exact, case-insensitive).'),
  population: z.string().min(1).max(300).optional().describe('Population (exact, case-insensitive).'),
  qualifier: Qualifier.optional(),
  statement: Uuid.optional().describe('Figures quoted in this statement.'),
  source: Uuid.optional().describe('Figures cited by this source.'),
  outlet: listParam(z.string().min(1).max(200))
    .optional()
    .describe('Carried by these actors: cited from, or relayed from, a source they published (its `outlet`), as any actor reference.')
    .meta({ example: ['anadolu-agency'] }),
  sort: sortParam(FIGURE_SORTS, '-asOf'),
  total: BoolParam.describe('Add `total`, the number of matching figures (costs a count).'),
  ...pageQuery,
});

export type FigureCreateInput = z.output<typeof FigureCreate>;
export type FigureUpdateInput = z.output<typeof FigureUpdate>;
export type FigureListInput = z.output<typeof FigureListQuery>;

const reporterRef = z.string().min(1).max(200);

export const SERIES_MAX_LIMIT = 1000;

/** `area=` (empty) asks for the figures without one: a series never mixes "Gaza Strip" with "unspecified". */
const seriesKey = (what: string) =>
  z.string().max(300).optional().describe(`This ${what} (case-insensitive); empty for figures without one.`);

const scopeParam = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional()
  .describe('`true`: running totals; `false`: counts for a period.');

export const SeriesQuery = z.strictObject({
  metric: Metric.meta({ example: 'killed' }),
  reporter: reporterRef
    .optional()
    .describe('Only this reporter (any actor reference: id, slug, name or alias, @handle, platform:handle or registry:id (e.g. wikidata:Q…)); without it, every reporter, each point naming its own.')
    .meta({ example: 'gaza-ministry-of-health' }),
  area: seriesKey('area').meta({ example: 'Gaza Strip' }),
  population: seriesKey('population').meta({ example: 'Palestinians' }),
  cumulative: scopeParam,
  unit: Unit.optional().describe('Only figures in this unit (counts and percentages never share a series).'),
  limit: z.coerce.number().int().min(1).max(SERIES_MAX_LIMIT).default(100).describe(`Points per page, 1 to ${SERIES_MAX_LIMIT}.`),
  cursor: pageQuery.cursor,
  ...formatParams,
});

export const Series = z
  .object({
    metric: z.string(),
    reporter: ActorSummary.nullable().describe('The reporter asked for; null for a series from every reporter.'),
    area: z.string().nullable(),
    population: z.string().nullable(),
    cumulative: z.boolean().nullable().describe('Running totals or counts for a period; null when there are no points.'),
    unit: Unit.nullable().describe('null when there are no points.'),
    points: z
      .array(Figure)
      .describe('Oldest as-of first; each point is a figure with its reporter and citations. One page of them.'),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page of points; null on the last page.'),
  })
  .meta({ id: 'FigureSeries' });

export const LatestQuery = z.strictObject({
  metric: listParam(Metric).optional().describe('Only these metrics.'),
  unit: Unit.optional().describe('Only figures in this unit: `count` leaves out percentages and shares.'),
  cumulative: scopeParam,
  reporter: listParam(reporterRef).optional().describe('Only these reporters (any actor reference: id, slug, name or alias, @handle, platform:handle or registry:id (e.g. wikidata:Q…)).'),
  area: z.string().min(1).max(300).optional().describe('Only this area (case-insensitive).'),
  limit: pageQuery.limit,
  cursor: pageQuery.cursor,
  ...formatParams,
});

export const DiscrepancyQuery = z.strictObject({
  window: z.coerce
    .number()
    .int()
    .min(0)
    .max(3650)
    .default(7)
    .describe('Greatest gap in days between the two as-of dates (partial dates count as their whole period).')
    .meta({ example: 120 }),
  metric: listParam(Metric).optional().describe('Only these metrics.'),
  area: z.string().min(1).max(300).optional().describe('Only this area (case-insensitive).'),
  limit: pageQuery.limit,
  // Longer than other lists' cursors: it names the area and population where the scan stopped.
  cursor: z.string().max(4000).optional().describe('`nextCursor` from the previous page.'),
  ...formatParams,
});

export const DiscrepancyKind = z
  .enum(['conflict', 'regression', 'revision'])
  .describe(
    '`conflict`: different reporters give counts for the same date (or for nested periods) that cannot both be true. `regression`: a running total below an earlier one from another reporter (a higher one is growth, never listed). `revision`: one reporter contradicting or lowering its own count.',
  )
  .meta({ id: 'DiscrepancyKind' });
export type DiscrepancyKind = z.output<typeof DiscrepancyKind>;

export const Discrepancy = z
  .object({
    metric: z.string(),
    area: z.string().nullable(),
    population: z.string().nullable(),
    cumulative: z.boolean().describe('Whether both are running totals (else counts for a period).'),
    kind: DiscrepancyKind,
    explanation: z.string().describe('Why the two cannot both be right, in one sentence.'),
    daysApart: z.number().int().describe('Days between the two as-of periods; 0 when they overlap.'),
    difference: z.number().nullable().describe('Second value minus first; null when either has only words ("dozens").'),
    boundsOverlap: z.boolean().describe('Whether the ranges the two wordings allow overlap ("more than 6,000" and "6,500" do).'),
    figures: z.tuple([Figure, Figure]),
  })
  .meta({ id: 'Discrepancy' });

export type SeriesInput = z.output<typeof SeriesQuery>;
export type LatestInput = z.output<typeof LatestQuery>;
export type DiscrepancyInput = z.output<typeof DiscrepancyQuery>;
