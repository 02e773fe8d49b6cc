import { createReadStream } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseCsv } from 'csv-parse';
import { z } from 'zod';
import { updateActor } from '../actors/repository.js';
import { lookupActors, refProblem } from '../actors/refs.js';
import { actorKeyTaken } from '../http/db-errors.js';
import { ActorCreate, type ActorCreateInput } from '../actors/schemas.js';
import type { CitationCreateInput } from '../citations/schemas.js';
import { UUID } from '../core/ids.js';
import { parsePartialDate } from '../core/partial-date.js';
import { type FieldError, ProblemError } from '../core/problems.js';
import { slugify } from '../core/slug.js';
import type { Database, Tx } from '../db/database.js';
import { updateFigure } from '../figures/repository.js';
import { impliedBounds, quantityErrors } from '../figures/quantities.js';
import { FigureCreate, type FigureCreateInput } from '../figures/schemas.js';
import { MAX_JSON_DEPTH, tooDeep } from '../http/nul-guard.js';
import { Timestamp, Uuid } from '../http/schemas.js';
import { updateSource } from '../sources/repository.js';
import { normalizeUrl } from '../sources/url.js';
import { SourceCreate, type SourceCreateInput } from '../sources/schemas.js';
import { attributionErrors, sayer, updateStatement } from '../statements/repository.js';
import { updateRelation } from '../relations/repository.js';
import { RelationCreate, type RelationCreateInput, type RelationUpdateInput } from '../relations/schemas.js';
import { StatementCreate, type StatementCreateInput } from '../statements/schemas.js';
import { type WriteContext, type WriteTx, write } from '../writes/door.js';
import { RESOURCES, RECORDS, type Resource } from '../writes/records.js';
import { type CsvType, csvField, csvHeader, csvRow } from './csv.js';
import { RECORD_TYPES, type RecordType, linesByIds } from './export.js';
import { type Spooled, splitLines, uuid7 } from './lines.js';

/**
 * Bulk import: lines shaped like the create bodies (plus `type`, and optionally
 * `id`, `createdAt`, `updatedAt`), validated by the same zod schemas, matched
 * against what is there (by id, else by a natural key), and written in batches
 * inside one transaction of the write door, so every record gets its revision
 * with the import's reason. New records go in with one multi-row INSERT per
 * table and batch; a record that exists is left alone when the line says
 * nothing new, else updated through the repositories, field by field (only the
 * fields the line gives; citations are added, never removed).
 *
 * Natural keys, when a line has no id:
 * - actor: slug (given, or made from the name as the API does);
 * - source: the normalised URL; without a URL, kind + title + publisher among sources without URL;
 * - statement: speaker + saidOn (with its precision) + text, as POST /statements refuses a second time;
 * - figure: metric + reporter + area + population + asOf (with its precision) + value + qualifier.
 */

export type OnError = 'fail' | 'skip';

export interface ImportOptions {
  format: 'ndjson' | 'csv';
  /** CSV: the type of every row. NDJSON: the type of lines without `type`. */
  type?: RecordType;
  dryRun: boolean;
  onError: OnError;
  /** Called after each batch. */
  onProgress?(progress: ImportProgress): void;
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface Failure {
  line: number;
  type: RecordType | null;
  field: string;
  message: string;
}

export interface ImportReport extends Counts {
  dryRun: boolean;
  /** Whether the import's changes were committed. */
  written: boolean;
  /** Lines read (not counting blank lines, nor a CSV header). */
  lines: number;
  types: Record<RecordType, Counts>;
  /** The first MAX_FAILURES failures, each naming its line and field. */
  failures: Failure[];
  /**
   * Revision lines (from GET /export?history=true) written as they were: an import into a database
   * without history restores it (see Importer.restoring).
   */
  revisionsRestored: number;
  /** Revision lines left out: a database that already has history keeps its own. */
  revisionsSkipped: number;
}

export interface ImportProgress {
  /** The last line read. */
  line: number;
  /** Lines in the file. */
  totalLines: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** At most this many records per batch (and at most BATCH_CHARS of lines). */
export const BATCH = 500;
const BATCH_CHARS = 8 * 2 ** 20;
const MAX_LINE_CHARS = 4 * 2 ** 20;
export const MAX_FAILURES = 1000;
// An import may take minutes; a request's write gets 20 s.
const IMPORT_TIMEOUT_MS = 60 * 60_000;
// Caches of references (slugs, source keys, ids) are dropped past this many entries.
const CACHE_LIMIT = 50_000;

const zeroCounts = (): Counts => ({ created: 0, updated: 0, unchanged: 0, failed: 0 });
const zeroTypes = () => Object.fromEntries(RECORD_TYPES.map((t) => [t, zeroCounts()])) as Record<RecordType, Counts>;

// ---------------------------------------------------------------------------------------------
// Lines to items: parsed, checked for text that cannot be stored, validated by the create schemas.

const Extras = z.object({ id: Uuid.optional(), createdAt: Timestamp.optional(), updatedAt: Timestamp.optional() });
type Extra = z.output<typeof Extras>;
/** What a citation of an import line may carry beyond CitationCreate: its id and times, or its source's URL (`sourceUrl`). */
type Cite = Extra & { sourceUrl?: string };
const SourceUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000)
  .transform(normalizeUrl);
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

interface Base {
  line: number;
  id?: string;
  createdAt?: string;
  updatedAt?: string;
  /** The fields the line gives (an existing record is compared and updated on these only). */
  given: Set<string>;
}
type ActorItem = Base & { type: 'actor'; body: ActorCreateInput };
type SourceItem = Base & { type: 'source'; body: SourceCreateInput };
type StatementItem = Base & { type: 'statement'; body: StatementCreateInput; cites: Cite[] };
type FigureItem = Base & { type: 'figure'; body: FigureCreateInput; cites: Cite[] };
type RelationItem = Base & { type: 'relation'; body: RelationCreateInput };
type Item = ActorItem | SourceItem | StatementItem | FigureItem | RelationItem;

const SCHEMAS = { actor: ActorCreate, source: SourceCreate, statement: StatementCreate, figure: FigureCreate, relation: RelationCreate };

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function issuesToErrors(issues: z.core.$ZodIssue[], prefix = ''): { field: string; message: string }[] {
  return issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: path ? `${path}.${k}` : k, message: 'unknown field' }));
    }
    return [{ field: path || '(line)', message: issue.message }];
  });
}

/** Strings PostgreSQL cannot store as given (U+0000, lone surrogates), by path. */
function badStrings(value: unknown, path: string, out: { field: string; message: string }[]) {
  if (out.length >= 20) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000'))
      out.push({ field: path || '(line)', message: 'contains a NUL character (U+0000), which cannot be stored' });
    else if (!value.isWellFormed())
      out.push({ field: path || '(line)', message: 'contains a lone surrogate, which cannot be stored unchanged' });
  } else if (Array.isArray(value)) value.forEach((v, i) => badStrings(v, path ? `${path}.${i}` : String(i), out));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) badStrings(v, path ? `${path}.${k}` : k, out);
}

/** A line of GET /export?history=true: one revision of one record, as it was. */
const RevisionLine = z.strictObject({
  type: z.literal('revision'),
  resource: z.enum(RESOURCES),
  id: Uuid.transform((id) => id.toLowerCase()),
  revision: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  action: z.enum(['create', 'update', 'delete']),
  at: Timestamp,
  by: z.string().min(1).max(200),
  reason: z.string().max(2000).nullable(),
  record: z.record(z.string(), z.unknown()).nullable(),
});
type Revision = z.output<typeof RevisionLine> & { line: number };

type Parsed = { item: Item } | { type: RecordType | null; errors: { field: string; message: string }[] } | { revision: Revision };

/** One line (already JSON-parsed) as an item, or what is wrong with it. */
export function parseItem(line: number, raw: unknown, defaultType: RecordType | undefined): Parsed {
  if (!isObject(raw)) return { type: null, errors: [{ field: '(line)', message: 'must be a JSON object' }] };
  const type = (raw.type ?? defaultType) as string | undefined;
  if (type === 'revision') {
    const revision = RevisionLine.safeParse(raw);
    if (!revision.success) return { type: null, errors: issuesToErrors(revision.error.issues) };
    const errors: { field: string; message: string }[] = [];
    badStrings(raw, '', errors);
    return errors.length ? { type: null, errors } : { revision: { ...revision.data, line } };
  }
  if (!type || !(RECORD_TYPES as readonly string[]).includes(type)) {
    const message =
      type === undefined
        ? 'required: actor, source, statement, figure or relation (or give type= in the URL)'
        : `must be actor, source, statement, figure or relation, not ${JSON.stringify(type).slice(0, 40)}`;
    return { type: null, errors: [{ field: 'type', message }] };
  }
  const t = type as RecordType;
  const errors: { field: string; message: string }[] = [];
  badStrings(raw, '', errors);
  if (errors.length) return { type: t, errors };
  const { type: _type, id, createdAt, updatedAt, ...body } = raw;
  const extras = Extras.safeParse({ id, createdAt, updatedAt });
  if (!extras.success) errors.push(...issuesToErrors(extras.error.issues));
  const cites: Cite[] = [];
  if ((t === 'statement' || t === 'figure') && Array.isArray(body.citations)) {
    body.citations = body.citations.map((c: unknown, i: number) => {
      if (!isObject(c)) return c;
      const { id: cid, createdAt: cc, updatedAt: cu, sourceUrl, ...rest } = c;
      const parsed = Extras.safeParse({ id: cid, createdAt: cc, updatedAt: cu });
      if (parsed.success) cites[i] = { ...parsed.data, id: parsed.data.id?.toLowerCase() };
      else errors.push(...issuesToErrors(parsed.error.issues, `citations.${i}`));
      if (sourceUrl === undefined) return rest;
      // An existing source named by its URL: the create schema sees a placeholder id, resolved later.
      const url = SourceUrl.safeParse(sourceUrl);
      if (!url.success) errors.push(...issuesToErrors(url.error.issues, `citations.${i}.sourceUrl`));
      else if (rest.sourceId !== undefined || rest.source !== undefined)
        errors.push({ field: `citations.${i}.sourceUrl`, message: 'give one of sourceId, source or sourceUrl' });
      else if (cites[i]) cites[i].sourceUrl = url.data;
      return { ...rest, sourceId: PLACEHOLDER_ID };
    });
  }
  const parsed = SCHEMAS[t].safeParse(body);
  if (!parsed.success) errors.push(...issuesToErrors(parsed.error.issues));
  if (errors.length || !parsed.success || !extras.success) return { type: t, errors };
  const base: Base = {
    line,
    id: extras.data.id?.toLowerCase(),
    createdAt: extras.data.createdAt,
    updatedAt: extras.data.updatedAt,
    given: new Set(Object.keys(body)),
  };
  return { item: { ...base, type: t, body: parsed.data, cites } as Item };
}

type Source = { line: number; raw?: unknown; error?: { field: string; message: string } };

/** NDJSON lines of the file, parsed; blank lines skipped. */
async function* ndjsonLines(path: string): AsyncGenerator<Source> {
  for await (const line of splitLines(createReadStream(path), MAX_LINE_CHARS)) {
    if (line.tooLong) {
      yield { line: line.number, error: { field: '(line)', message: `is longer than ${MAX_LINE_CHARS / 2 ** 20} MiB` } };
      continue;
    }
    if (!line.text.trim()) continue;
    const deep = tooDeep(line.text);
    if (deep !== undefined) {
      yield { line: line.number, error: { field: deep, message: `is nested deeper than ${MAX_JSON_DEPTH} levels` } };
      continue;
    }
    try {
      yield { line: line.number, raw: JSON.parse(line.text) };
    } catch (err) {
      yield { line: line.number, error: { field: '(line)', message: `is not JSON: ${(err as Error).message}` } };
    }
  }
}

/** CSV rows of the file as lines; the header is checked first (a 400 when it does not fit the type). */
async function* csvLines(path: string, type: CsvType): AsyncGenerator<Source> {
  const parser = createReadStream(path).pipe(
    parseCsv({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_LINE_CHARS }),
  );
  let setters: ReturnType<typeof csvHeader> | undefined;
  let width = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!setters) {
        setters = csvHeader(type, record);
        width = record.length;
        continue;
      }
      if (record.length !== width) {
        yield { line: info.lines, error: { field: '(line)', message: `has ${record.length} cells; the header has ${width}` } };
        continue;
      }
      yield { line: info.lines, raw: csvRow(setters, record) };
    }
  } catch (err) {
    if (err instanceof ProblemError) throw err;
    const e = err as { lines?: number; message: string };
    throw new ProblemError('validation-failed', `The CSV cannot be read at line ${e.lines ?? '?'}: ${e.message}`, {
      errors: [{ in: `line ${e.lines ?? '?'}`, field: '(line)', message: e.message }],
    });
  } finally {
    parser.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// SQL for the multi-row inserts: one JSON array of rows per table and batch.

/** The multi-row INSERTs of a batch (also timed bare by bench/import-floor.ts). */
export const INSERT = {
  actors: `INSERT INTO actors (id, slug, name, kind, aliases, role, country, handles, external_ids, description, created_at, updated_at)
    SELECT id, slug, name, kind, aliases, role, country, handles, external_ids, description,
           coalesce(created_at, now()), coalesce(updated_at, created_at, now())
    FROM json_to_recordset($1::json) AS x(id uuid, slug text, name text, kind actor_kind, aliases text[], role text, country text,
      handles jsonb, external_ids jsonb, description text, created_at timestamptz, updated_at timestamptz)`,
  sources: `INSERT INTO sources (id, kind, title, url, publisher, outlet_id, authors, published_on, published_precision, language,
      retrieved_at, archive_url, notes, created_at, updated_at)
    SELECT id, kind, title, url, publisher, outlet_id, authors, published_on, published_precision, language, retrieved_at,
           archive_url, notes, coalesce(created_at, now()), coalesce(updated_at, created_at, now())
    FROM json_to_recordset($1::json) AS x(id uuid, kind source_kind, title text, url text, publisher text, outlet_id uuid, authors text[],
      published_on date, published_precision date_precision, language text, retrieved_at timestamptz, archive_url text, notes text,
      created_at timestamptz, updated_at timestamptz)`,
  statements: `INSERT INTO statements (id, speaker_id, attribution, attributed_to, text, language, original_text, original_language,
      kind, said_on, said_precision, medium, platform, location, occasion, tags, verification, notes, created_at, updated_at)
    SELECT id, speaker_id, attribution, attributed_to, text, language, original_text, original_language, kind, said_on, said_precision,
           medium, platform, location, occasion, tags, verification, notes, coalesce(created_at, now()), coalesce(updated_at, created_at, now())
    FROM json_to_recordset($1::json) AS x(id uuid, speaker_id uuid, attribution attribution, attributed_to text, text text, language text, original_text text,
      original_language text, kind statement_kind, said_on date, said_precision date_precision, medium medium, platform text,
      location text, occasion text, tags text[], verification verification, notes text, created_at timestamptz, updated_at timestamptz)`,
  involved: `INSERT INTO statement_actors (statement_id, actor_id, role)
    SELECT statement_id, actor_id, role FROM json_to_recordset($1::json) AS x(statement_id uuid, actor_id uuid, role involvement_role)`,
  figures: `INSERT INTO figures (id, metric, value, qualifier, unit, share_of_id, method, derived_from, lower_bound, upper_bound,
      phrase, population, area, cumulative, period_start, period_end, as_of, as_of_precision, reporter_id, statement_id, caveats,
      notes, created_at, updated_at)
    SELECT id, metric, value, qualifier, unit, share_of_id, method, derived_from, lower_bound, upper_bound, phrase, population,
           area, cumulative, period_start, period_end, as_of, as_of_precision, reporter_id, statement_id, caveats, notes,
           coalesce(created_at, now()), coalesce(updated_at, created_at, now())
    FROM json_to_recordset($1::json) AS x(id uuid, metric text, value float8, qualifier qualifier, unit figure_unit,
      share_of_id uuid, method figure_method, derived_from uuid[], lower_bound float8,
      upper_bound float8, phrase text, population text, area text, cumulative boolean, period_start date, period_end date,
      as_of date, as_of_precision date_precision, reporter_id uuid, statement_id uuid, caveats text, notes text,
      created_at timestamptz, updated_at timestamptz)`,
  relations: `INSERT INTO relations (id, statement_id, kind, target_statement_id, target_figure_id, notes, created_at, updated_at)
    SELECT id, statement_id, kind, target_statement_id, target_figure_id, notes, coalesce(created_at, now()),
           coalesce(updated_at, created_at, now())
    FROM json_to_recordset($1::json) AS x(id uuid, statement_id uuid, kind relation_kind, target_statement_id uuid,
      target_figure_id uuid, notes text, created_at timestamptz, updated_at timestamptz)`,
  citations: `INSERT INTO citations (id, source_id, statement_id, figure_id, excerpt, locator, role, relays_source_id, created_at, updated_at)
    SELECT id, source_id, statement_id, figure_id, excerpt, locator, role, relays_source_id, coalesce(created_at, now()),
           coalesce(updated_at, created_at, now())
    FROM json_to_recordset($1::json) AS x(id uuid, source_id uuid, statement_id uuid, figure_id uuid, excerpt text, locator text,
      role citation_role, relays_source_id uuid, created_at timestamptz, updated_at timestamptz)`,
};

type Row = Record<string, unknown>;

const day = (d: Date) => d.toISOString().slice(0, 10);
const sameInstant = (a: unknown, b: unknown) =>
  typeof a === 'string' && typeof b === 'string' ? Date.parse(a) === Date.parse(b) : a === b;

/** Fields of `desired` among `given` whose value differs from the current line. */
function changedFields(given: Iterable<string>, desired: Row, current: Row, instants: string[] = []): Row | undefined {
  const changes: Row = {};
  for (const field of given) {
    if (field === 'citations') continue;
    const want = desired[field] === undefined ? null : desired[field];
    const have = current[field] === undefined ? null : current[field];
    const same = instants.includes(field) ? sameInstant(want, have) : isDeepStrictEqual(want, have);
    if (!same) changes[field] = desired[field];
  }
  return Object.keys(changes).length ? changes : undefined;
}

class RollBack extends Error {
  constructor(readonly report: ImportReport) {
    super('rolled back');
  }
}

/** What a batch adds to the report: merged only once the batch is written. */
interface Delta {
  types: Record<RecordType, Counts>;
  failures: Failure[];
}

/** A citation of a line, resolved as far as the lookups of its batch allow. */
interface PlannedCitation {
  index: number;
  extra: Cite;
  sourceId?: string;
  /** An inline source that no source matches yet: created with the batch. */
  newSource?: { key: string; input: SourceCreateInput };
  excerpt: string;
  locator: string | null;
  role: string;
  /** The source the cited one relays it from. */
  relays: string | null;
}

type Owner = { statementId: string } | { figureId: string };

/**
 * One import, inside the write door's transaction. Reads the spooled body,
 * validates each line and processes valid items in batches: actors first, then
 * sources, statements and figures (so a line may refer to a record given on an
 * earlier line, or anywhere in the same batch). Each batch runs under a
 * savepoint; if the database refuses it anyway, the batch is replayed one line
 * at a time so that the line at fault is named.
 */
class Importer {
  private readonly tx: Tx;
  private readonly db: Database;
  private readonly report: ImportReport;
  // Caches of what exists (in the database or in this transaction): references resolve without a query.
  private actorRefs = new Map<string, string>();
  private actorProblems = new Map<string, string>();
  private sourceIds = new Set<string>();
  private sourceKeys = new Map<string, string>();
  private statementIds = new Set<string>();
  // Per batch.
  private delta!: Delta;
  private seen = new Map<string, { line: number; desired: unknown }>();
  private newSources = new Map<string, { id: string; line: number; input: SourceCreateInput }>();
  /** Whether this import restores history: see startRestore. */
  private restoring = false;

  constructor(
    private readonly w: WriteTx,
    private readonly options: ImportOptions,
    private readonly file: Spooled,
  ) {
    this.tx = w.tx;
    this.db = w.db;
    this.report = {
      dryRun: options.dryRun,
      written: false,
      lines: 0,
      ...zeroCounts(),
      types: zeroTypes(),
      failures: [],
      revisionsRestored: 0,
      revisionsSkipped: 0,
    };
  }

  /**
   * An import into a database that has no history yet (a new one, being moved
   * to) restores the history the stream carries: its revision lines are written
   * as they were, and the records' own writes record none. Imports into a
   * database with history keep it as it is and only add to it.
   */
  private async startRestore(): Promise<boolean> {
    const empty = async () =>
      (await this.sql<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM revisions) AS empty'))[0].empty;
    if (!(await empty())) return false;
    // Two restores at once would both find the database empty: the second waits, then finds it is not.
    await this.sql(`SELECT pg_advisory_xact_lock(hashtextextended('attest:restore', 0))::text`);
    if (!(await empty())) return false;
    await this.sql(`SELECT set_config('attest.restoring', 'on', true)`);
    return true;
  }

  /**
   * Gives every record that the stream gave no revisions for (an export without
   * history) its first revision, by this import, as any import would: a chunk
   * at a time, so that snapshots are read for one chunk's records at once.
   */
  private async finishRestore() {
    await this.sql(`SELECT set_config('attest.restoring', '', true)`);
    for (const resource of RESOURCES) {
      for (;;) {
        const rows = await this.sql<{ id: string }>(
          `SELECT t.id::text FROM ${RECORDS[resource].table} t
           WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.resource = $1 AND r.record_id = t.id) LIMIT ${BATCH}`,
          [resource],
        );
        if (!rows.length) break;
        await this.sql(`SELECT count(attest_touch($1, id, 'create'))::int FROM unnest($2::uuid[]) AS id`, [
          resource,
          rows.map((r) => r.id),
        ]);
        await this.w.flush();
      }
    }
  }

  /**
   * Writes revision lines as they were. Their transaction ids are made up
   * below every real one, in the order of their times, so that the change
   * feed lists restored history first and oldest first.
   */
  private async revisions(batch: Revision[]) {
    await this.tx.$executeRawUnsafe('SAVEPOINT attest_import');
    try {
      await this.exec(
        `INSERT INTO revisions (resource, record_id, revision, action, at, txid, key_name, reason, snapshot)
         SELECT r.resource, r.id, r.revision, r.action::revision_action, r.at,
                -4611686018427387904 + (extract(epoch FROM r.at) * 1000)::bigint * 1000 + r.revision % 1000,
                r.by, r.reason, r.record
         FROM jsonb_to_recordset($1::jsonb) AS r(resource text, id uuid, revision int, action text, at timestamptz, by text, reason text, record jsonb)`,
        batch.map(({ line: _line, type: _type, ...r }) => r),
      );
      await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT attest_import');
      this.report.revisionsRestored += batch.length;
    } catch (err) {
      await this.tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT attest_import');
      await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT attest_import');
      if (!databaseRefusal(err)) throw err;
      if (batch.length > 1) {
        for (const one of batch) await this.revisions([one]);
        return;
      }
      const message = /23505|duplicate|unique/i.test(String((err as Error).message))
        ? `revision ${batch[0].revision} of this ${batch[0].resource} is given twice`
        : `refused by the database: ${(err as Error).message.split('\n').at(-1)}`;
      this.record(this.report, batch[0].line, null, [{ field: 'revision', message }]);
    }
  }

  async run(): Promise<ImportReport> {
    const csv = this.options.format === 'csv';
    const type = this.options.type;
    const lines = csv ? csvLines(this.file.path, type as CsvType) : ndjsonLines(this.file.path);
    let batch: Item[] = [];
    let chars = 0;
    let lastLine = 0;
    const mapField = (field: string) => (csv ? csvField(type as CsvType, field) : field);
    // One batch in the database at a time, while the next is read and validated (on PostgreSQL the
    // two overlap: the database works in its own process). A failed batch fails the next submit.
    let inFlight: Promise<void> = Promise.resolve();
    const submit = async (items: Item[], line: number) => {
      await inFlight;
      inFlight = this.batch(items, mapField).then(() => this.progress(line));
      inFlight.catch(() => {});
    };
    this.restoring = await this.startRestore();
    let revisions: Revision[] = [];
    const submitRevisions = async () => {
      const batch = revisions;
      revisions = [];
      await inFlight;
      inFlight = this.revisions(batch);
      inFlight.catch(() => {});
    };
    for await (const source of lines) {
      this.report.lines++;
      lastLine = source.line;
      if (source.error) {
        this.record(this.report, source.line, csv ? (type ?? null) : null, [
          { field: mapField(source.error.field), message: source.error.message },
        ]);
        continue;
      }
      const parsed = parseItem(source.line, source.raw, type);
      if ('revision' in parsed) {
        if (!this.restoring) this.report.revisionsSkipped++;
        else if (revisions.push(parsed.revision) >= BATCH) await submitRevisions();
        continue;
      }
      if ('errors' in parsed) {
        this.record(
          this.report,
          source.line,
          parsed.type,
          parsed.errors.map((e) => ({ ...e, field: mapField(e.field) })),
        );
        continue;
      }
      batch.push(parsed.item);
      chars += JSON.stringify(parsed.item.body).length;
      if (batch.length >= BATCH || chars >= BATCH_CHARS) {
        await submit(batch, lastLine);
        batch = [];
        chars = 0;
      }
    }
    if (batch.length) await submit(batch, lastLine);
    if (revisions.length) await submitRevisions();
    await inFlight;
    const rolledBack = this.options.dryRun || (this.report.failed > 0 && this.options.onError === 'fail');
    if (this.restoring && !rolledBack) await this.finishRestore();
    this.progress(lastLine);
    // Lines that failed validation are recorded as read, the others with their batch: in line order here.
    this.report.failures.sort((a, b) => a.line - b.line);
    return this.report;
  }

  private progress(line: number) {
    const r = this.report;
    this.options.onProgress?.({
      line,
      totalLines: this.file.lines,
      created: r.created,
      updated: r.updated,
      unchanged: r.unchanged,
      failed: r.failed,
    });
  }

  /** Counts a failed line in `into` (the report or a batch's delta) with its errors. */
  private record(
    into: { types: Record<RecordType, Counts>; failures: Failure[]; failed?: number },
    line: number,
    type: RecordType | null,
    errors: { field: string; message: string }[],
  ) {
    if (type) into.types[type].failed++;
    if (into === this.report) this.report.failed++;
    for (const e of errors) if (into.failures.length < MAX_FAILURES) into.failures.push({ line, type, ...e });
  }

  private fail(item: Item, field: string, message: string) {
    this.record(this.delta, item.line, item.type, [{ field, message }]);
  }

  private count(type: RecordType, what: Exclude<keyof Counts, 'failed'>, n = 1) {
    this.delta.types[type][what] += n;
  }

  private async sql<T = Row>(text: string, params: unknown[] = []) {
    return this.db.query<T>(text, params);
  }

  private async exec(text: string, rows: Row[]) {
    if (rows.length) await this.tx.$executeRawUnsafe(text, JSON.stringify(rows));
  }

  /** Processes a batch under a savepoint; if the database refuses it, replays it a line at a time. */
  private async batch(items: Item[], mapField: (f: string) => string) {
    this.delta = { types: zeroTypes(), failures: [] };
    this.seen.clear();
    this.newSources.clear();
    await this.tx.$executeRawUnsafe('SAVEPOINT attest_import');
    try {
      for (const type of RECORD_TYPES) {
        const ofType = items.filter((i) => i.type === type);
        if (!ofType.length) continue;
        if (type === 'actor') await this.actors(ofType as ActorItem[]);
        else if (type === 'source') await this.sources(ofType as SourceItem[]);
        else if (type === 'relation') await this.relations(ofType as RelationItem[]);
        else await this.owners(type, ofType as (StatementItem | FigureItem)[]);
      }
      await this.w.flush();
      await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT attest_import');
    } catch (err) {
      await this.tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT attest_import');
      await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT attest_import');
      this.dropCaches();
      if (items.length === 1) {
        const [item] = items;
        // A handle or external id another actor holds: the line's field and the holder, as the API says it.
        const problem = err instanceof ProblemError ? err : actorKeyTaken(err);
        if (!problem && !databaseRefusal(err)) throw err;
        this.delta = { types: zeroTypes(), failures: [] };
        this.record(this.report, item.line, item.type, [
          problem?.extras.errors?.[0]
            ? { field: mapField(problem.extras.errors[0].field), message: problem.extras.errors[0].message }
            : { field: '(line)', message: `refused by the database: ${(err as Error).message.split('\n').at(-1)}` },
        ]);
        return;
      }
      for (const item of items) await this.batch([item], mapField);
      return;
    }
    this.merge(this.delta, mapField);
  }

  private merge(delta: Delta, mapField: (f: string) => string) {
    const r = this.report;
    for (const type of RECORD_TYPES) {
      for (const k of ['created', 'updated', 'unchanged', 'failed'] as const) {
        r.types[type][k] += delta.types[type][k];
        r[k] += delta.types[type][k];
      }
    }
    for (const f of delta.failures) if (r.failures.length < MAX_FAILURES) r.failures.push({ ...f, field: mapField(f.field) });
  }

  private dropCaches() {
    this.actorRefs.clear();
    this.sourceIds.clear();
    this.sourceKeys.clear();
    this.statementIds.clear();
  }

  private trim() {
    for (const cache of [this.actorRefs, this.sourceIds, this.sourceKeys, this.statementIds]) {
      if (cache.size > CACHE_LIMIT) cache.clear();
    }
  }

  /**
   * An item whose id or natural key an earlier item of the batch had: the same
   * content is unchanged, different content is a failure (a record is written
   * once per import).
   */
  private repeated(item: Item, keys: string[], desired: unknown): boolean {
    for (const key of keys) {
      const earlier = this.seen.get(key);
      if (!earlier) continue;
      if (isDeepStrictEqual(earlier.desired, desired)) this.count(item.type, 'unchanged');
      else
        this.fail(item, '(line)', `describes the same ${item.type} as line ${earlier.line}, differently; give each record once`);
      return true;
    }
    for (const key of keys) this.seen.set(key, { line: item.line, desired });
    return false;
  }

  /** Ids among `ids` of records that once existed (any revision) — for those that do not exist now: deleted ones. */
  private async everUsed(resource: Resource, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.sql<{ id: string }>(
      `SELECT DISTINCT record_id::text AS id FROM revisions WHERE resource = $1 AND record_id = ANY($2::uuid[])`,
      [resource, ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Records among `ids` that this transaction already wrote (their revision may be numbered: they cannot change again). */
  private async touched(resource: Resource, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.sql<{ id: string }>(
      `SELECT record_id::text AS id FROM revisions WHERE txid = pg_current_xact_id()::text::bigint AND resource = $1 AND record_id = ANY($2::uuid[])`,
      [resource, ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  private async existing(table: string, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.sql<{ id: string }>(`SELECT id::text FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  /** Runs an update of one record; a refusal (a ProblemError: slug or URL taken…) fails the line instead of the batch. */
  private async update(item: Item, work: () => Promise<unknown>) {
    // Its own savepoint, so that a refused update leaves nothing half-done.
    await this.tx.$executeRawUnsafe('SAVEPOINT attest_import_line');
    try {
      await work();
      await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT attest_import_line');
      this.count(item.type, 'updated');
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      await this.tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT attest_import_line');
      await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT attest_import_line');
      const e = err.extras.errors?.[0];
      this.fail(item, e?.field ?? '(line)', e?.message ?? err.detail);
    }
  }

  /** A record the line matched but that this import already wrote: it may only repeat it. */
  /**
   * An actor or source that matched: unchanged when the line says nothing new, refused when this
   * import already wrote it (its revision may be final), else updated under its row lock.
   */
  private async reconcile(
    item: ActorItem | SourceItem,
    match: string,
    changes: Row | undefined,
    touched: Set<string>,
    apply: (changes: Row) => Promise<void>,
  ) {
    if (!changes) this.count(item.type, 'unchanged');
    else if (touched.has(match)) this.rewritten(item, changes);
    else {
      await this.update(item, async () => {
        await this.w.lock(item.type, match);
        await apply(changes);
      });
    }
  }

  private rewritten(item: Item, changes: Row) {
    const field = Object.keys(changes)[0] ?? '(line)';
    this.fail(item, field, `an earlier line of this import already wrote this ${item.type} differently; give each record once`);
  }

  // --- actors ---------------------------------------------------------------------------------

  private actorRef(ref: string) {
    return UUID.test(ref) ? ref.toLowerCase() : ref;
  }

  /**
   * Looks up the actors the lines name that the cache does not know, with the API's one resolver
   * (id, slug, alias, handle, external id, merged actor's old id or slug). References that name no
   * actor or several get the reason, for this batch only: a later batch may create the actor.
   */
  private async resolveActors(refs: string[]) {
    this.actorProblems.clear();
    const wanted = [...new Set(refs.map((r) => this.actorRef(r)))].filter((r) => !this.actorRefs.has(r));
    if (!wanted.length) return;
    for (const [ref, matches] of await lookupActors(this.tx, wanted)) {
      if (matches.length === 1) this.actorRefs.set(ref, matches[0].id);
      else this.actorProblems.set(ref, refProblem(ref, matches)!);
    }
  }

  /** Why a reference did not resolve, for a line's failure. */
  private actorProblem(ref: string) {
    return this.actorProblems.get(this.actorRef(ref)) ?? refProblem(ref, [])!;
  }

  private rememberActor(id: string, slug: string) {
    this.actorRefs.set(id, id);
    this.actorRefs.set(slug, id);
  }

  private async actors(items: ActorItem[]) {
    const slugs = items.map((i) => i.body.slug ?? slugify(i.body.name));
    const ids = items.flatMap((i) => (i.id ? [i.id] : []));
    const rows = await this.sql<{ id: string; slug: string }>(
      `SELECT id::text, slug FROM actors WHERE id = ANY($1::uuid[]) OR slug = ANY($2::text[])`,
      [ids, slugs.filter(Boolean)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const bySlug = new Map(rows.map((r) => [r.slug, r]));
    // Slugs of actors merged into others lead to the survivors, as in the API: not given to new actors.
    const merged = new Map(
      (
        await this.sql<{ key: string; actor_id: string }>(
          `SELECT key, actor_id::text FROM actor_keys WHERE kind = 'formerSlug' AND key = ANY($1::text[])`,
          [slugs.filter(Boolean)],
        )
      ).map((r) => [r.key, r.actor_id]),
    );
    const used = await this.everUsed(
      'actor',
      ids.filter((id) => !byId.has(id)),
    );
    const matches = items.map((item, k) => (item.id ? byId.get(item.id) : bySlug.get(slugs[k]))?.id);
    const matched = [...new Set(matches.filter((m): m is string => !!m))];
    const current = await linesByIds(this.db, 'actor', matched);
    const touched = await this.touched('actor', matched);
    const inserts: Row[] = [];
    for (const [k, item] of items.entries()) {
      const slug = slugs[k];
      if (!slug) {
        this.fail(item, 'slug', 'required when the name has no Latin letters or digits');
        continue;
      }
      const desired: Row = { ...item.body, slug };
      if (this.repeated(item, [...(item.id ? [`actor id ${item.id}`] : []), `actor slug ${slug}`], desired)) continue;
      const match = matches[k];
      if (!match) {
        if (item.id && used.has(item.id)) {
          this.fail(item, 'id', 'was the id of an actor since deleted; leave id out to create a new actor');
          continue;
        }
        const taken = bySlug.get(slug);
        if (taken) {
          this.fail(item, 'slug', `already taken by actor ${taken.id}`);
          continue;
        }
        const survivor = merged.get(slug);
        if (survivor) {
          this.fail(item, 'slug', `belonged to an actor merged into actor ${survivor}; it leads there`);
          continue;
        }
        const id = item.id ?? uuid7();
        const b = item.body;
        inserts.push({
          id,
          slug,
          name: b.name,
          kind: b.kind,
          aliases: b.aliases,
          role: b.role ?? null,
          country: b.country ?? null,
          handles: b.handles,
          external_ids: b.externalIds,
          description: b.description ?? null,
          created_at: item.createdAt ?? null,
          updated_at: item.updatedAt ?? null,
        });
        this.rememberActor(id, slug);
        this.count('actor', 'created');
        continue;
      }
      const changes = changedFields(item.given, desired, current.get(match)!);
      await this.reconcile(item, match, changes, touched, async (c) => {
        await updateActor(this.tx, match, c);
        this.actorRefs.clear();
      });
    }
    await this.exec(INSERT.actors, inserts);
  }

  // --- sources --------------------------------------------------------------------------------

  private sourceKey(s: SourceCreateInput) {
    return s.url ? `url ${s.url}` : `ktp ${JSON.stringify([s.kind, s.title, s.publisher ?? null])}`;
  }

  /** Finds existing sources by natural key for the inputs the cache does not know. */
  private async resolveSources(inputs: SourceCreateInput[]) {
    const wanted = new Map<string, SourceCreateInput>();
    for (const s of inputs) {
      const key = this.sourceKey(s);
      if (!this.sourceKeys.has(key)) wanted.set(key, s);
    }
    if (!wanted.size) return;
    const urls = [...wanted.values()].flatMap((s) => (s.url ? [s.url] : []));
    if (urls.length) {
      const rows = await this.sql<{ id: string; url: string }>(`SELECT id::text, url FROM sources WHERE url = ANY($1::text[])`, [
        urls,
      ]);
      for (const r of rows) this.sourceKeys.set(`url ${r.url}`, r.id);
    }
    const plain = [...wanted.values()]
      .filter((s) => !s.url)
      .map((s) => ({ kind: s.kind, title: s.title, publisher: s.publisher ?? null }));
    if (plain.length) {
      const rows = await this.sql<{ id: string; kind: string; title: string; publisher: string | null }>(
        `SELECT DISTINCT ON (s.kind, s.title, s.publisher) s.id::text, s.kind::text, s.title, s.publisher
         FROM json_to_recordset($1::json) AS k(kind text, title text, publisher text)
         JOIN sources s ON s.url IS NULL AND s.title = k.title AND s.kind::text = k.kind AND s.publisher IS NOT DISTINCT FROM k.publisher
         ORDER BY s.kind, s.title, s.publisher, s.id`,
        [JSON.stringify(plain)],
      );
      for (const r of rows) this.sourceKeys.set(`ktp ${JSON.stringify([r.kind, r.title, r.publisher])}`, r.id);
    }
  }

  private sourceRow(id: string, s: SourceCreateInput, createdAt?: string, updatedAt?: string): Row {
    const published = s.publishedOn ? parsePartialDate(s.publishedOn)! : undefined;
    return {
      id,
      kind: s.kind,
      title: s.title,
      url: s.url ?? null,
      publisher: s.publisher ?? null,
      // Resolved before a row is made (a line whose outlet names no actor fails first).
      outlet_id: s.outlet ? this.actorRefs.get(this.actorRef(s.outlet)) : null,
      authors: s.authors,
      published_on: published ? day(published.date) : null,
      published_precision: published?.precision ?? null,
      language: s.language ?? null,
      retrieved_at: s.retrievedAt ?? null,
      archive_url: s.archiveUrl ?? null,
      notes: s.notes ?? null,
      created_at: createdAt ?? null,
      updated_at: updatedAt ?? null,
    };
  }

  private async sources(items: SourceItem[]) {
    await this.resolveSources(items.filter((i) => !i.id).map((i) => i.body));
    await this.resolveActors(items.flatMap((i) => (i.body.outlet ? [i.body.outlet] : [])));
    const ids = items.flatMap((i) => (i.id ? [i.id] : []));
    const existingIds = await this.existing('sources', ids);
    const used = await this.everUsed(
      'source',
      ids.filter((id) => !existingIds.has(id)),
    );
    // A URL given with an id must not belong to another source.
    const urls = items.flatMap((i) => (i.id && i.body.url ? [i.body.url] : []));
    const urlOwners = new Map(
      urls.length
        ? (
            await this.sql<{ id: string; url: string }>(`SELECT id::text, url FROM sources WHERE url = ANY($1::text[])`, [urls])
          ).map((r) => [r.url, r.id])
        : [],
    );
    const matches = items.map((i) =>
      i.id ? (existingIds.has(i.id) ? i.id : undefined) : this.sourceKeys.get(this.sourceKey(i.body)),
    );
    const matched = [...new Set(matches.filter((m): m is string => !!m))];
    const current = await linesByIds(this.db, 'source', matched);
    const touched = await this.touched('source', matched);
    const inserts: Row[] = [];
    for (const [k, item] of items.entries()) {
      const key = this.sourceKey(item.body);
      const desired: Row = { ...item.body };
      if (item.body.outlet) {
        desired.outlet = this.actorRefs.get(this.actorRef(item.body.outlet));
        if (!desired.outlet) {
          this.fail(item, 'outlet', this.actorProblem(item.body.outlet));
          continue;
        }
      }
      if (this.repeated(item, [...(item.id ? [`source id ${item.id}`] : []), `source ${key}`], desired)) continue;
      const match = matches[k];
      const owner = item.body.url ? urlOwners.get(item.body.url) : undefined;
      if (owner && owner !== (match ?? item.id)) {
        this.fail(item, 'url', `already used by source ${owner}`);
        continue;
      }
      if (!match) {
        if (item.id && used.has(item.id)) {
          this.fail(item, 'id', 'was the id of a source since deleted; leave id out to create a new source');
          continue;
        }
        const id = item.id ?? uuid7();
        inserts.push(this.sourceRow(id, item.body, item.createdAt, item.updatedAt));
        this.sourceKeys.set(key, id);
        this.sourceIds.add(id);
        this.count('source', 'created');
        continue;
      }
      const changes = changedFields(item.given, desired, current.get(match)!, ['retrievedAt']);
      await this.reconcile(item, match, changes, touched, async (c) => {
        await updateSource(this.tx, match, c);
        this.sourceKeys.clear();
      });
    }
    await this.exec(INSERT.sources, inserts);
  }

  // --- relations --------------------------------------------------------------------------------

  /**
   * Relations match by id, else by what they link (statement, type, target); what a relation links
   * never changes (the API has no way to change it either), so a line may only change its notes.
   */
  private async relations(items: RelationItem[]) {
    const ends = (i: RelationItem) => {
      const b = i.body;
      return { statement: b.statement.toLowerCase(), target: (b.targetStatement ?? b.targetFigure)!.toLowerCase() };
    };
    const statements = await this.existing(
      'statements',
      items.flatMap((i) => [ends(i).statement, ...(i.body.targetStatement ? [ends(i).target] : [])]),
    );
    const figures = await this.existing(
      'figures',
      items.flatMap((i) => (i.body.targetFigure ? [ends(i).target] : [])),
    );
    const ids = items.flatMap((i) => (i.id ? [i.id] : []));
    const existingIds = await this.existing('relations', ids);
    const used = await this.everUsed(
      'relation',
      ids.filter((id) => !existingIds.has(id)),
    );
    const keys = items.map((i) => ({ ...ends(i), kind: i.body.kind }));
    const byKey = new Map(
      (
        await this.sql<{ id: string; key: string }>(
          `SELECT r.id::text, r.statement_id || '|' || r.kind || '|' || coalesce(r.target_statement_id, r.target_figure_id) AS key
           FROM json_to_recordset($1::json) AS k(statement uuid, kind relation_kind, target uuid)
           JOIN relations r ON r.statement_id = k.statement AND r.kind = k.kind
             AND coalesce(r.target_statement_id, r.target_figure_id) = k.target`,
          [JSON.stringify(keys)],
        )
      ).map((r) => [r.key, r.id]),
    );
    const natural = (k: number) => `${keys[k].statement}|${keys[k].kind}|${keys[k].target}`;
    const matches = items.map((i, k) => (i.id ? (existingIds.has(i.id) ? i.id : undefined) : byKey.get(natural(k))));
    const matched = [...new Set(matches.filter((m): m is string => !!m))];
    const current = await linesByIds(this.db, 'relation', matched);
    const touched = await this.touched('relation', matched);
    const rows: Row[] = [];
    for (const [k, item] of items.entries()) {
      const { statement, target } = keys[k];
      const desired: Row = {
        statement,
        kind: item.body.kind,
        targetStatement: item.body.targetStatement ? target : null,
        targetFigure: item.body.targetFigure ? target : null,
        notes: item.body.notes ?? null,
      };
      if (!statements.has(statement)) {
        this.fail(item, 'statement', `no statement with id ${item.body.statement}`);
        continue;
      }
      const targetField = item.body.targetStatement ? 'targetStatement' : 'targetFigure';
      if (!(item.body.targetStatement ? statements : figures).has(target)) {
        this.fail(item, targetField, `no ${item.body.targetStatement ? 'statement' : 'figure'} with id ${target}`);
        continue;
      }
      if (this.repeated(item, [...(item.id ? [`relation id ${item.id}`] : []), `relation ${natural(k)}`], desired)) continue;
      const match = matches[k];
      if (!match) {
        if (item.id && used.has(item.id)) {
          this.fail(item, 'id', 'was the id of a relation since deleted; leave id out to create a new one');
          continue;
        }
        if (byKey.has(natural(k))) {
          this.fail(item, 'kind', `already recorded as relation ${byKey.get(natural(k))}`);
          continue;
        }
        rows.push({
          id: item.id ?? uuid7(),
          statement_id: statement,
          kind: item.body.kind,
          target_statement_id: desired.targetStatement,
          target_figure_id: desired.targetFigure,
          notes: desired.notes,
          created_at: item.createdAt ?? null,
          updated_at: item.updatedAt ?? null,
        });
        this.count('relation', 'created');
        continue;
      }
      const have = current.get(match)!;
      const moved = (['statement', 'targetStatement', 'targetFigure'] as const).find((f) => have[f] !== desired[f]);
      if (moved) {
        this.fail(item, moved, 'what a relation links cannot change; delete it and create another');
        continue;
      }
      const changes = changedFields(item.given, desired, have);
      if (!changes) this.count('relation', 'unchanged');
      else if (touched.has(match)) this.rewritten(item, changes);
      else
        await this.update(item, async () => {
          await this.w.lock('relation', match);
          await updateRelation(this.tx, match, changes as RelationUpdateInput);
        });
    }
    await this.exec(INSERT.relations, rows);
  }

  // --- statements and figures -----------------------------------------------------------------

  /** Statements or figures: both carry citations; statements also a speaker and involved actors, figures a reporter. */
  private async owners(type: 'statement' | 'figure', items: (StatementItem | FigureItem)[]) {
    const statements = type === 'statement';
    const sitems = items as StatementItem[];
    const fitems = items as FigureItem[];
    // Everything the lines refer to, looked up in a few queries.
    await this.resolveActors([
      ...(statements
        ? sitems.flatMap((i) => [...(i.body.speaker ? [i.body.speaker] : []), ...i.body.involved.map((v) => v.actor)])
        : fitems.flatMap((i) => (i.body.reporter ? [i.body.reporter] : []))),
      // The outlets of sources given inline.
      ...items.flatMap((i) =>
        (i.body.citations as CitationCreateInput[]).flatMap((c) => (c.source?.outlet ? [c.source.outlet] : [])),
      ),
    ]);
    const citations = items.flatMap((i) => i.body.citations as CitationCreateInput[]);
    const byUrl = items.flatMap((i) => i.cites.flatMap((c) => (c?.sourceUrl ? [c.sourceUrl] : [])));
    await this.resolveSources([
      ...citations.flatMap((c) => (c.source ? [c.source] : [])),
      ...byUrl.map((url) => ({ url }) as SourceCreateInput),
    ]);
    const sourceIds = [
      ...new Set(
        citations.flatMap((c) => [
          ...(c.sourceId && c.sourceId !== PLACEHOLDER_ID ? [c.sourceId.toLowerCase()] : []),
          ...(c.relays ? [c.relays.toLowerCase()] : []),
        ]),
      ),
    ].filter((id) => !this.sourceIds.has(id));
    for (const id of await this.existing('sources', sourceIds)) this.sourceIds.add(id);
    if (!statements) {
      const refs = [...new Set(fitems.flatMap((i) => (i.body.statementId ? [i.body.statementId.toLowerCase()] : [])))].filter(
        (id) => !this.statementIds.has(id),
      );
      for (const id of await this.existing('statements', refs)) this.statementIds.add(id);
    }
    const citeIds = items.flatMap((i) => i.cites.flatMap((c) => (c?.id ? [c.id] : [])));
    const citeOwners = new Map(
      citeIds.length
        ? (
            await this.sql<{ id: string; owner: string }>(
              `SELECT id::text, coalesce(statement_id, figure_id)::text AS owner FROM citations WHERE id = ANY($1::uuid[])`,
              [citeIds],
            )
          ).map((r) => [r.id, r.owner])
        : [],
    );
    const citeUsed = await this.everUsed(
      'citation',
      citeIds.filter((id) => !citeOwners.has(id)),
    );

    // Each line resolved: its references as ids, and the line as the record would read.
    const plans = items.map((item) => {
      const errors: { field: string; message: string }[] = [];
      const b = item.body;
      const desired: Row = { ...b };
      let natural: string | undefined;
      if (item.type === 'statement') {
        const s = item.body;
        const speaker = s.speaker ? this.actorRefs.get(this.actorRef(s.speaker)) : null;
        if (speaker === undefined) errors.push({ field: 'speaker', message: this.actorProblem(s.speaker!) });
        errors.push(...attributionErrors(s));
        const involved: { actor: string; role: string }[] = [];
        s.involved.forEach((v, i) => {
          const actor = this.actorRefs.get(this.actorRef(v.actor));
          if (!actor) errors.push({ field: `involved.${i}.actor`, message: this.actorProblem(v.actor) });
          else if (involved.some((x) => x.actor === actor))
            errors.push({ field: `involved.${i}.actor`, message: 'actor listed twice' });
          else involved.push({ actor, role: v.role });
        });
        if (s.originalText && !s.originalLanguage)
          errors.push({ field: 'originalLanguage', message: 'required when originalText is given' });
        desired.speaker = speaker;
        desired.involved = involved.sort((x, y) => (x.actor < y.actor ? -1 : 1));
        const said = parsePartialDate(s.saidOn)!;
        natural = `${sayer(speaker ?? null, s.attributedTo)}|${day(said.date)}|${said.precision}|${s.text}`;
      } else {
        const f = item.body;
        const reporter = f.reporter ? this.actorRefs.get(this.actorRef(f.reporter)) : null;
        if (reporter === undefined) errors.push({ field: 'reporter', message: this.actorProblem(f.reporter!) });
        const statementId = f.statementId?.toLowerCase() ?? null;
        if (statementId && !this.statementIds.has(statementId))
          errors.push({ field: 'statementId', message: `no statement with id ${f.statementId}` });
        const implied = impliedBounds(f.qualifier, f.value, f.unit);
        const lowerBound = f.lowerBound === undefined ? implied.lowerBound : f.lowerBound;
        const upperBound = f.upperBound === undefined ? implied.upperBound : f.upperBound;
        const shareOf = f.shareOf?.toLowerCase() ?? null;
        const derivedFrom = f.derivedFrom.map((d) => d.toLowerCase());
        errors.push(
          ...quantityErrors(
            {
              ...f,
              lowerBound,
              upperBound,
              shareOf,
              derivedFrom,
              periodStart: f.periodStart ?? null,
              periodEnd: f.periodEnd ?? null,
            },
            item.id,
          ),
        );
        Object.assign(desired, { reporter, statementId, lowerBound, upperBound, shareOf, derivedFrom });
        const asOf = parsePartialDate(f.asOf)!;
        natural = JSON.stringify([
          f.metric,
          reporter,
          f.area ?? null,
          f.population ?? null,
          day(asOf.date),
          asOf.precision,
          f.value,
          f.qualifier,
          f.unit,
        ]);
      }
      const cites: PlannedCitation[] = (b.citations as CitationCreateInput[]).map((c, index) => {
        const extra = item.cites[index] ?? {};
        const relays = c.relays?.toLowerCase() ?? null;
        const planned: PlannedCitation = { index, extra, excerpt: c.excerpt, locator: c.locator ?? null, role: c.role, relays };
        if (relays && !this.sourceIds.has(relays))
          errors.push({ field: `citations.${index}.relays`, message: `no source with id ${c.relays}` });
        if (extra.sourceUrl) {
          planned.sourceId = this.sourceKeys.get(`url ${extra.sourceUrl}`) ?? this.newSources.get(`url ${extra.sourceUrl}`)?.id;
          if (!planned.sourceId) {
            errors.push({
              field: `citations.${index}.sourceUrl`,
              message: 'no source has this URL; give the source inline (with its kind and title) to create it',
            });
          }
        } else if (c.sourceId) {
          planned.sourceId = c.sourceId.toLowerCase();
          if (!this.sourceIds.has(planned.sourceId))
            errors.push({ field: `citations.${index}.sourceId`, message: `no source with id ${c.sourceId}` });
        } else {
          const key = this.sourceKey(c.source!);
          planned.sourceId = this.sourceKeys.get(key) ?? this.newSources.get(key)?.id;
          if (!planned.sourceId) planned.newSource = { key, input: c.source! };
          const outlet = c.source!.outlet;
          if (!planned.sourceId && outlet && !this.actorRefs.has(this.actorRef(outlet)))
            errors.push({ field: `citations.${index}.source.outlet`, message: this.actorProblem(outlet) });
        }
        return planned;
      });
      return { item, errors, desired, natural: natural!, cites };
    });

    // Matches: by id, else by natural key.
    const table = statements ? 'statements' : 'figures';
    const ids = items.flatMap((i) => (i.id ? [i.id] : []));
    const existingIds = await this.existing(table, ids);
    const used = await this.everUsed(
      type,
      ids.filter((id) => !existingIds.has(id)),
    );
    const byKey = await this.naturalMatches(
      type,
      plans.filter((p) => !p.item.id && !p.errors.length),
    );
    const matches = plans.map((p) => (p.item.id ? (existingIds.has(p.item.id) ? p.item.id : undefined) : byKey.get(p.natural)));
    const matched = [...new Set(matches.filter((m): m is string => !!m))];
    const current = await linesByIds(this.db, type, matched);
    const touched = await this.touched(type, matched);

    const rows: Row[] = [];
    const involvedRows: Row[] = [];
    const citationRows: Row[] = [];
    const updates: (() => Promise<void>)[] = [];
    for (const [k, plan] of plans.entries()) {
      const { item, errors, desired, cites } = plan;
      if (errors.length) {
        this.record(this.delta, item.line, item.type, errors);
        continue;
      }
      const compared = {
        ...desired,
        citations: cites.map((c) => [c.extra.id, c.sourceId ?? c.newSource?.key, c.excerpt, c.locator, c.role]),
      };
      if (this.repeated(item, [...(item.id ? [`${type} id ${item.id}`] : []), `${type} ${plan.natural}`], compared)) continue;
      const match = matches[k];
      if (!match) {
        if (item.id && used.has(item.id)) {
          this.fail(item, 'id', `was the id of a ${type} since deleted; leave id out to create a new one`);
          continue;
        }
        const citeError = cites.find((c) => c.extra.id && (citeOwners.has(c.extra.id) || citeUsed.has(c.extra.id)));
        if (citeError) {
          const owner = citeOwners.get(citeError.extra.id!);
          this.fail(
            item,
            `citations.${citeError.index}.id`,
            owner ? `is the id of a citation of ${owner}` : 'was the id of a citation since deleted',
          );
          continue;
        }
        const id = item.id ?? uuid7();
        rows.push(
          statements ? this.statementRow(id, item as StatementItem, desired) : this.figureRow(id, item as FigureItem, desired),
        );
        if (statements)
          for (const v of desired.involved as Row[]) involvedRows.push({ statement_id: id, actor_id: v.actor, role: v.role });
        for (const c of cites)
          citationRows.push(this.citationRow(c, statements ? { statementId: id } : { figureId: id }, item.line));
        if (statements) this.statementIds.add(id);
        this.count(type, 'created');
        continue;
      }
      const have = current.get(match)!;
      const changes = changedFields(item.given, desired, have);
      const { add, change, conflict } = this.citationChanges(cites, have.citations as Row[], match, citeOwners);
      if (conflict) {
        this.fail(item, `citations.${conflict.index}.id`, `is the id of a citation of ${citeOwners.get(conflict.extra.id!)}`);
        continue;
      }
      if (!changes && !add.length && !change.length) {
        this.count(type, 'unchanged');
        continue;
      }
      if (touched.has(match)) {
        this.rewritten(item, changes ?? { citations: true });
        continue;
      }
      for (const c of [...add, ...change.map((x) => x.c)]) this.allocate(c, item.line);
      updates.push(() =>
        this.update(item, async () => {
          await this.w.lock(type, match);
          if (changes) {
            if (statements) await updateStatement(this.tx, match, changes as never);
            else await updateFigure(this.tx, match, changes as never);
          }
          const owner: Owner = statements ? { statementId: match } : { figureId: match };
          for (const c of add) {
            const row = this.citationRow(c, owner, item.line);
            const data = {
              sourceId: c.sourceId!,
              excerpt: c.excerpt,
              locator: c.locator,
              role: c.role as 'primary',
              relaysId: c.relays,
            };
            await this.tx.citation.create({ data: { id: row.id as string, ...data, ...owner } });
          }
          for (const { id, c } of change) {
            await this.w.lock('citation', id);
            await this.tx.citation.update({
              where: { id },
              data: {
                sourceId: c.sourceId!,
                excerpt: c.excerpt,
                locator: c.locator,
                role: c.role as 'primary',
                relaysId: c.relays,
              },
            });
          }
        }),
      );
    }
    // Inline sources first, then updates (which may cite them), then the new records with their citations.
    await this.exec(
      INSERT.sources,
      [...this.newSources.values()].map((s) => this.sourceRow(s.id, s.input)),
    );
    for (const s of this.newSources.values()) {
      this.sourceKeys.set(this.sourceKey(s.input), s.id);
      this.sourceIds.add(s.id);
    }
    this.count('source', 'created', this.newSources.size);
    this.newSources.clear();
    for (const update of updates) await update();
    await this.exec(statements ? INSERT.statements : INSERT.figures, rows);
    await this.exec(INSERT.involved, involvedRows);
    await this.exec(INSERT.citations, citationRows);
    this.trim();
  }

  /** Ids of existing statements or figures with the natural key of each plan, by key. */
  private async naturalMatches(type: 'statement' | 'figure', plans: { natural: string; desired: Row; item: Item }[]) {
    const out = new Map<string, string>();
    if (!plans.length) return out;
    if (type === 'statement') {
      const keys = plans.map((p) => {
        const said = parsePartialDate(p.desired.saidOn as string)!;
        return {
          speaker_id: p.desired.speaker,
          attributed_to: p.desired.attributedTo ?? null,
          said_on: day(said.date),
          said_precision: said.precision,
          text: p.desired.text,
        };
      });
      // Named statements by their speaker's index; the rarer unattributed ones by date.
      const rows = await this.sql<{ id: string; who: string; said_on: string; said_precision: string; text: string }>(
        `SELECT DISTINCT ON (who, said_on, said_precision, text)
                id, who, to_char(said_on, 'YYYY-MM-DD') AS said_on, said_precision::text, text FROM (
           SELECT s.id::text, s.speaker_id::text AS who, s.said_on, s.said_precision, s.text
           FROM json_to_recordset($1::json) AS k(speaker_id uuid, attributed_to text, said_on date, said_precision date_precision, text text)
           JOIN statements s ON s.speaker_id = k.speaker_id AND s.said_on = k.said_on AND s.said_precision = k.said_precision AND s.text = k.text
           UNION ALL
           SELECT s.id::text, '(' || lower(s.attributed_to) || ')', s.said_on, s.said_precision, s.text
           FROM json_to_recordset($1::json) AS k(speaker_id uuid, attributed_to text, said_on date, said_precision date_precision, text text)
           JOIN statements s ON k.speaker_id IS NULL AND s.speaker_id IS NULL AND s.said_on = k.said_on
             AND s.said_precision = k.said_precision AND s.text = k.text AND lower(s.attributed_to) = lower(k.attributed_to)
         ) m ORDER BY who, said_on, said_precision, text, id`,
        [JSON.stringify(keys)],
      );
      for (const r of rows) out.set(`${r.who}|${r.said_on}|${r.said_precision}|${r.text}`, r.id);
      return out;
    }
    const keys = plans.map((p) => {
      const f = p.item.body as FigureCreateInput;
      const asOf = parsePartialDate(f.asOf)!;
      return {
        metric: f.metric,
        reporter_id: p.desired.reporter,
        area: f.area ?? null,
        population: f.population ?? null,
        as_of: day(asOf.date),
        as_of_precision: asOf.precision,
        value: f.value,
        qualifier: f.qualifier,
        unit: f.unit,
      };
    });
    const rows = await this.sql<Row>(
      `SELECT DISTINCT ON (f.metric, f.reporter_id, f.area, f.population, f.as_of, f.as_of_precision, f.value, f.qualifier, f.unit)
              f.id::text, f.metric, f.reporter_id::text, f.area, f.population, to_char(f.as_of, 'YYYY-MM-DD') AS as_of,
              f.as_of_precision::text, f.value, f.qualifier::text, f.unit::text
       FROM json_to_recordset($1::json) AS k(metric text, reporter_id uuid, area text, population text, as_of date,
            as_of_precision date_precision, value float8, qualifier qualifier, unit figure_unit)
       JOIN figures f ON f.metric = k.metric AND f.reporter_id IS NOT DISTINCT FROM k.reporter_id AND f.area IS NOT DISTINCT FROM k.area
        AND f.population IS NOT DISTINCT FROM k.population AND f.as_of = k.as_of AND f.as_of_precision = k.as_of_precision
        AND f.value IS NOT DISTINCT FROM k.value AND f.qualifier = k.qualifier AND f.unit = k.unit
       ORDER BY f.metric, f.reporter_id, f.area, f.population, f.as_of, f.as_of_precision, f.value, f.qualifier, f.unit, f.id`,
      [JSON.stringify(keys)],
    );
    for (const r of rows) {
      const value = r.value === null ? null : Number(r.value);
      out.set(
        JSON.stringify([r.metric, r.reporter_id, r.area, r.population, r.as_of, r.as_of_precision, value, r.qualifier, r.unit]),
        r.id as string,
      );
    }
    return out;
  }

  /**
   * How a line's citations differ from the record's: those to add (no citation
   * with that id, or else with that source and excerpt) and those whose
   * locator or role changes. Citations the line leaves out stay.
   */
  private citationChanges(cites: PlannedCitation[], have: Row[], owner: string, citeOwners: Map<string, string>) {
    const add: PlannedCitation[] = [];
    const change: { id: string; c: PlannedCitation }[] = [];
    for (const c of cites) {
      if (c.extra.id && citeOwners.has(c.extra.id) && citeOwners.get(c.extra.id) !== owner) return { add, change, conflict: c };
      if (c.extra.id) {
        const found = have.find((h) => h.id === c.extra.id);
        if (!found) add.push(c);
        else if (
          found.sourceId !== c.sourceId ||
          found.excerpt !== c.excerpt ||
          found.locator !== c.locator ||
          found.role !== c.role ||
          (found.relays ?? null) !== c.relays
        )
          change.push({ id: found.id as string, c });
        continue;
      }
      const found = have.find((h) => c.sourceId && h.sourceId === c.sourceId && h.excerpt === c.excerpt);
      if (!found) add.push(c);
      else if (found.locator !== c.locator || found.role !== c.role || (found.relays ?? null) !== c.relays)
        change.push({ id: found.id as string, c });
    }
    return { add, change, conflict: undefined };
  }

  /** Gives a citation whose inline source no source matches the id of the source the batch creates for it. */
  private allocate(c: PlannedCitation, line: number) {
    if (c.sourceId || !c.newSource) return;
    const existing = this.newSources.get(c.newSource.key);
    c.sourceId = existing?.id ?? uuid7();
    if (!existing) this.newSources.set(c.newSource.key, { id: c.sourceId, line, input: c.newSource.input });
  }

  /** The citation as a row (its source allocated: see allocate). */
  private citationRow(c: PlannedCitation, owner: Owner, line: number): Row {
    this.allocate(c, line);
    return {
      id: c.extra.id ?? uuid7(),
      source_id: c.sourceId,
      statement_id: 'statementId' in owner ? owner.statementId : null,
      figure_id: 'figureId' in owner ? owner.figureId : null,
      excerpt: c.excerpt,
      locator: c.locator,
      role: c.role,
      relays_source_id: c.relays,
      created_at: c.extra.createdAt ?? null,
      updated_at: c.extra.updatedAt ?? null,
    };
  }

  private statementRow(id: string, item: StatementItem, desired: Row): Row {
    const s = item.body;
    const said = parsePartialDate(s.saidOn)!;
    return {
      id,
      speaker_id: desired.speaker,
      attribution: s.attribution,
      attributed_to: s.attributedTo ?? null,
      text: s.text,
      language: s.language,
      original_text: s.originalText ?? null,
      original_language: s.originalLanguage ?? null,
      kind: s.kind,
      said_on: day(said.date),
      said_precision: said.precision,
      medium: s.medium ?? null,
      platform: s.platform ?? null,
      location: s.location ?? null,
      occasion: s.occasion ?? null,
      tags: s.tags,
      verification: s.verification,
      notes: s.notes ?? null,
      created_at: item.createdAt ?? null,
      updated_at: item.updatedAt ?? null,
    };
  }

  private figureRow(id: string, item: FigureItem, desired: Row): Row {
    const f = item.body;
    const asOf = parsePartialDate(f.asOf)!;
    return {
      id,
      metric: f.metric,
      value: f.value,
      qualifier: f.qualifier,
      unit: f.unit,
      share_of_id: desired.shareOf,
      method: f.method,
      derived_from: desired.derivedFrom,
      lower_bound: desired.lowerBound,
      upper_bound: desired.upperBound,
      phrase: f.phrase ?? null,
      population: f.population ?? null,
      area: f.area ?? null,
      cumulative: f.cumulative,
      period_start: f.periodStart ?? null,
      period_end: f.periodEnd ?? null,
      as_of: day(asOf.date),
      as_of_precision: asOf.precision,
      reporter_id: desired.reporter,
      statement_id: desired.statementId,
      caveats: f.caveats ?? null,
      notes: f.notes ?? null,
      created_at: item.createdAt ?? null,
      updated_at: item.updatedAt ?? null,
    };
  }
}

/** Errors of the database about the data (a constraint, a value it refuses), as opposed to the connection failing. */
function databaseRefusal(err: unknown): boolean {
  const e = err as { code?: string; meta?: { code?: string }; message?: string };
  const text = `${e?.code ?? ''} ${e?.meta?.code ?? ''} ${e?.message ?? ''}`;
  return /\b(23\d{3}|22\d{3}|P2002|P2003|P2010|P2025)\b|violates|invalid input/.test(text);
}

/**
 * Runs an import of the spooled body in one transaction of the write door. A
 * dry run, and a run with failures when onError is `fail`, roll everything back.
 */
export async function runImport(db: Database, ctx: WriteContext, file: Spooled, options: ImportOptions): Promise<ImportReport> {
  try {
    return await write(
      db,
      ctx,
      async (w) => {
        const report = await new Importer(w, options, file).run();
        if (options.dryRun || (report.failed && options.onError === 'fail')) throw new RollBack(report);
        report.written = true;
        return report;
      },
      { timeoutMs: IMPORT_TIMEOUT_MS },
    );
  } catch (err) {
    if (err instanceof RollBack) return err.report;
    throw err;
  }
}

/** The problem a failed import (onError=fail) answers with: every failure by line and field, up to MAX_FAILURES. */
export function importProblem(report: ImportReport): ProblemError {
  const errors: FieldError[] = report.failures.map((f) => ({ in: `line ${f.line}`, field: f.field, message: f.message }));
  const first = report.failures[0];
  const more = report.failed > 1 ? ` (and ${report.failed - 1} more failed line${report.failed > 2 ? 's' : ''})` : '';
  return new ProblemError(
    'validation-failed',
    `Nothing was imported: line ${first?.line}, ${first?.field}: ${first?.message}${more}. Fix the lines, or send onError=skip to import the valid ones.`,
    { errors },
  );
}
