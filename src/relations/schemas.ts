import { z } from 'zod';
import { ActorSummary } from '../actors/schemas.js';
import { pageQuery, sortParam } from '../core/pagination.js';
import { Figure } from '../figures/schemas.js';
import { Statement } from '../statements/schemas.js';
import { BoolParam } from '../http/query-params.js';
import { Text, Timestamp, Uuid, listParam } from '../http/schemas.js';
import { seedId } from '../seed/ids.js';

export const RelationKind = z
  .enum(['responds_to', 'disputes', 'denies', 'confirms', 'corrects'])
  .describe(
    'How the statement relates to its target: responds_to (a reaction or answer), disputes (questions it without saying it is false), denies (says it is false), confirms (says it is true), corrects (gives what the speaker says is the right version).',
  )
  .meta({ id: 'RelationKind' });

const fields = {
  statement: Uuid.describe('The statement that responds, disputes, denies, confirms or corrects.'),
  kind: RelationKind,
  targetStatement: Uuid.describe('The statement it is about. Give this or `targetFigure`.'),
  targetFigure: Uuid.describe('The figure it is about. Give this or `targetStatement`.'),
  notes: Text(5000).nullable().describe('What exactly is disputed, denied or confirmed, in the editor’s words.'),
};

export const RelationCreate = z
  .strictObject({
    ...fields,
    // Null as well as absent, as an export line gives the target it does not have.
    targetStatement: fields.targetStatement.nullish(),
    targetFigure: fields.targetFigure.nullish(),
    notes: fields.notes.optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.targetStatement == null) === (r.targetFigure == null))
      ctx.addIssue({ code: 'custom', path: ['targetStatement'], message: 'give exactly one of targetStatement or targetFigure' });
    else if (r.targetStatement?.toLowerCase() === r.statement.toLowerCase())
      ctx.addIssue({ code: 'custom', path: ['targetStatement'], message: 'a statement cannot relate to itself' });
  })
  .meta({
    id: 'RelationCreate',
    // A link the seed does not make, so that "Try it out" creates it.
    example: {
      statement: seedId('statement:diaz-canel-ceasefire'),
      kind: 'responds_to',
      targetStatement: seedId('statement:raisi-common-stance'),
      notes: '“Díaz-Canel, for his part, said…”: his answer to Raisi at their meeting.',
    },
  });

// What a relation links is what makes it this relation: to link other records, create another.
export const RelationUpdate = z
  .strictObject({ kind: fields.kind, notes: fields.notes })
  .partial()
  .meta({ id: 'RelationUpdate', example: { notes: 'Questions who killed those who died, not how many died.' } });

/** Enough of a statement to say who said what, when, without fetching it. */
export const StatementBrief = Statement.pick({ id: true, attributedTo: true, saidOn: true, text: true })
  .extend({ speaker: ActorSummary.nullable() })
  .meta({ id: 'StatementBrief' });

/** Enough of a figure to say who reported what, as of when. */
export const FigureBrief = Figure.pick({
  id: true,
  metric: true,
  value: true,
  qualifier: true,
  unit: true,
  phrase: true,
  asOf: true,
  reporter: true,
}).meta({ id: 'FigureBrief' });

export const Relation = z
  .object({
    id: Uuid,
    kind: RelationKind,
    statement: StatementBrief.describe('The statement that responds, disputes, denies, confirms or corrects.'),
    targetStatement: StatementBrief.nullable(),
    targetFigure: FigureBrief.nullable(),
    notes: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Relation' });

export const RELATION_SORTS = ['saidOn', '-saidOn', 'createdAt', '-createdAt'] as const;

export const RelationListQuery = z.strictObject({
  target: Uuid.optional().describe('Relations about this statement or figure: `target=<figure id>&kind=disputes` is everything that disputes it.'),
  statement: Uuid.optional().describe('Relations made by this statement: what it responds to, disputes…'),
  involving: Uuid.optional().describe('Relations at either end of this statement or figure.'),
  kind: listParam(RelationKind).optional().describe('One or more kinds.'),
  actor: listParam(z.string().min(1).max(200))
    .optional()
    .describe('Who made them: the speaker of the relating statement, as any actor reference.'),
  sort: sortParam(RELATION_SORTS, 'saidOn').describe(
    'By when the relating statement was said (`saidOn`, oldest first: the order of the exchange) or when the relation was recorded; a leading `-` sorts descending.',
  ),
  total: BoolParam.describe('Add `total`, the number of matching relations.'),
  ...pageQuery,
});

export type RelationCreateInput = z.output<typeof RelationCreate>;
export type RelationUpdateInput = z.output<typeof RelationUpdate>;
export type RelationListInput = z.output<typeof RelationListQuery>;
