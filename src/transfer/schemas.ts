import { z } from 'zod';
import { BoolParam } from '../http/query-params.js';
import { Uuid } from '../http/schemas.js';
import { CSV_TYPES } from './csv.js';
import { RECORD_TYPES } from './export.js';

export const ExportQuery = z.strictObject({
  history: BoolParam.describe(
    'Add every revision of every record, as `{"type":"revision", …}` lines after the records (by record and number).',
  ),
});

export const ExportLine = z
  .object({
    type: z.enum([...RECORD_TYPES, 'revision']),
    id: Uuid.describe('The record’s id (for a revision: the id of the record it belongs to).'),
  })
  .catchall(z.unknown())
  .describe(
    'One record per line: the fields of its create body (references by id, citations inline with their `id` and `sourceId`, involved actors inline) plus `type`, `id`, `createdAt` and `updatedAt`.',
  )
  .meta({ id: 'ExportLine' });

export const ImportQuery = z.strictObject({
  type: z
    .enum(RECORD_TYPES)
    .optional()
    .describe(
      `With CSV (required): the type of every row, one of ${CSV_TYPES.join(', ')}. With NDJSON: the type of lines that have no \`type\`.`,
    )
    // The type of the body's example (ImportLine), so that "Try it out" works.
    .meta({ example: 'actor' }),
  dryRun: BoolParam.describe('Check every line and report what would happen, writing nothing.'),
  onError: z
    .enum(['fail', 'skip'])
    .default('fail')
    .describe('`fail`: any failed line and nothing is written (400). `skip`: write the valid lines, report the others.'),
});

export const ImportHeaders = z.looseObject({
  'change-reason': z
    .string()
    .max(2000)
    .optional()
    .describe('The reason kept with every revision the import makes; `import` when not given. Percent-encode what is not ASCII.'),
});

export const ImportLine = z
  .object({
    type: z.enum(RECORD_TYPES).optional().describe('actor, source, statement, figure or relation (or `type=` in the URL).'),
    id: Uuid.optional().describe(
      'Keep this id (a restore); else a record with the same natural key is matched, or one is created.',
    ),
    createdAt: z.string().optional().describe('Kept when the record is created (a restore).'),
    updatedAt: z.string().optional().describe('Kept when the record is created (a restore).'),
  })
  .catchall(z.unknown())
  .describe(
    'NDJSON: one record per line, shaped like the create body of its type (ActorCreate, SourceCreate, StatementCreate, FigureCreate, RelationCreate: speakers and reporters by slug or id, sources inline or by id) plus `type` and the optional fields here; lines of GET /export as they are. CSV: one type of record per file, `type=` in the URL; see the README for the columns.',
  )
  // One new actor: "Try it out" in Swagger UI imports it (again: unchanged) and touches no seed record.
  .meta({ id: 'ImportLine', example: { type: 'actor', name: 'Imported Example Actor', kind: 'other' } });

const Counts = {
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
};
const TypeCounts = z.object(Counts);

export const ImportFailure = z.object({
  line: z.number().int().describe('Line number in the file (1 is the first line; in CSV, the header).'),
  type: z.enum(RECORD_TYPES).nullable(),
  field: z
    .string()
    .describe('The field at fault, dotted (`citations.0.excerpt`); in CSV, the column; `(line)` for the whole line.'),
  message: z.string(),
});

export const ImportReport = z
  .object({
    dryRun: z.boolean(),
    written: z.boolean().describe('Whether the import was committed (false for a dry run).'),
    lines: z.number().int().describe('Lines read, not counting blank lines or a CSV header.'),
    ...Counts,
    types: z.object({ actor: TypeCounts, source: TypeCounts, statement: TypeCounts, figure: TypeCounts, relation: TypeCounts }),
    failures: z.array(ImportFailure).describe('Each failed line’s errors, by line and field (the first 1,000).'),
    revisionsRestored: z
      .number()
      .int()
      .describe(
        'Revision lines of an export with history=true written as they were: an import into a database without history restores it.',
      ),
    revisionsSkipped: z
      .number()
      .int()
      .describe(
        'Revision lines left out: a database that has history keeps its own (each record the import writes gets this import’s revision).',
      ),
  })
  .describe(
    'What the import did (or, for a dry run, would do): records created, updated, unchanged (matched and identical) and failed lines. Sources given inline with a citation count as sources created.',
  )
  .meta({ id: 'ImportReport' });
