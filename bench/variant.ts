// Builds bench/.out/variant/: a copy of src/ and prisma/ with the changes this benchmark proposes for
// src/ applied, so bench/run.sh can measure them (server "attest-proposed") without touching src/.
// Writes the same changes as a unified diff to bench/proposed.patch, for review. Each change is an
// anchored text replacement: when src/ has moved so that an anchor is gone, this fails naming it.
//
//   tsx bench/variant.ts      (run.sh calls it before measuring attest-proposed)
//
// The changes (measured in bench/README.md):
//   1. statements: one actor filters by equality on speaker_id, so the (speaker_id, said_on, id) index
//      returns rows in order and LIMIT stops after a page (was: IN (subquery) → read and sort every row of
//      the actor in the period; the subquery's id::text = ANY() also forced a sequential scan of actors).
//      src/ has had this since 2026-11-22 ~16:30 UTC (src/db/sql.ts actorRefs); applied only to older trees.
//   2. figures: one metric filters by equality, so (metric, as_of, id) serves the ORDER BY.
//   3. database: named prepared statements for the fixed-shape hot reads (getStatement, listStatements
//      without full-text search): PostgreSQL plans each text once per connection; planning was about
//      half of the database time of these queries.
//   4. database: max_parallel_workers_per_gather = 0 on the pool's connections: the full-text list went
//      parallel and was 4-8x slower for it on 2 cores.
//   5. app: responses written by fast-json-stringify compiled from the zod schemas (z.toJSONSchema),
//      zod's validating serialiser kept under test (NODE_ENV=test).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const out = 'bench/.out/variant';
const pristine = 'bench/.out/variant-base';
rmSync(out, { recursive: true, force: true });
rmSync(pristine, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync('src', join(out, 'src'), { recursive: true });
cpSync('prisma', join(out, 'prisma'), { recursive: true });
mkdirSync(pristine, { recursive: true });
cpSync('src', join(pristine, 'src'), { recursive: true, filter: (p) => !p.includes('/generated') });

const read = (file: string) => readFileSync(join(out, file), 'utf8');
const applied: string[] = [];
const skipped: string[] = [];
/** Applies a group of edits unless `done` says src/ already has the change. */
function change(name: string, done: boolean, apply: () => void) {
  if (done) skipped.push(name);
  else {
    apply();
    applied.push(name);
  }
}

function edit(file: string, anchor: string | RegExp, replacement: string | ((...m: string[]) => string)) {
  const path = join(out, file);
  const text = readFileSync(path, 'utf8');
  const found = typeof anchor === 'string' ? text.includes(anchor) : anchor.test(text);
  if (!found) throw new Error(`${file}: anchor not found, src/ has moved; update bench/variant.ts:\n${anchor}`);
  writeFileSync(
    path,
    typeof replacement === 'string' ? text.replace(anchor, () => replacement) : text.replace(anchor, replacement),
  );
}

// 1. statements: equality on one actor (in src/ since 2026-11-22 ~16:30 UTC as src/db/sql.ts actorRefs:
//    applied only to an older src/)
const inSubquery =
  /  if \(q\.actor\) \{\n    const refs = p\.add\(q\.actor\);\n    where\.push\(`s\.speaker_id IN \(SELECT id FROM actors WHERE id::text = ANY\(\$\{refs\}\) OR slug = ANY\(\$\{refs\}\)\)`\);\n  \}/;
change('1 actor equality', !inSubquery.test(read('src/statements/queries.ts')), () => {
  edit('src/statements/queries.ts', inSubquery, '  if (q.actor) where.push(actorFilter(p, q.actor));');
  edit(
    'src/statements/queries.ts',
    'function filters(p: Params, q: StatementListInput): string[] {',
    `const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One actor is an equality on speaker_id, so the (speaker_id, said_on, id) index yields rows already in
 * order and LIMIT stops after one page; \`IN (subquery)\` made PostgreSQL read and sort every row of the
 * actor in the period. Ids and slugs are told apart as findActor does.
 */
function actorFilter(p: Params, refs: string[]): string {
  if (refs.length === 1) {
    const [ref] = refs;
    return UUID.test(ref)
      ? \`s.speaker_id = \${p.add(ref.toLowerCase())}::uuid\`
      : \`s.speaker_id = (SELECT id FROM actors WHERE slug = \${p.add(ref)})\`;
  }
  const ids = refs.filter((r) => UUID.test(r)).map((r) => r.toLowerCase());
  return \`s.speaker_id IN (SELECT id FROM actors WHERE id = ANY(\${p.add(ids)}::uuid[]) OR slug = ANY(\${p.add(refs)}))\`;
}

function filters(p: Params, q: StatementListInput): string[] {`,
  );
});

// 2. figures: equality on one metric
change(
  '2 metric equality',
  !read('src/figures/queries.ts').includes('if (q.metric) where.push(`f.metric = ANY(${p.add(q.metric)})`);'),
  () =>
    edit(
      'src/figures/queries.ts',
      'if (q.metric) where.push(`f.metric = ANY(${p.add(q.metric)})`);',
      'if (q.metric) where.push(q.metric.length === 1 ? `f.metric = ${p.add(q.metric[0])}` : `f.metric = ANY(${p.add(q.metric)})`);',
    ),
);

// 3. database: named prepared statements on request
change('3 prepared statements', read('src/db/database.ts').includes('prepare?: boolean'), () => {
  edit(
    'src/db/database.ts',
    '  query<T>(sql: string, params?: unknown[]): Promise<T[]>;',
    `  /**
   * \`prepare\`: run as a named prepared statement, so PostgreSQL parses and plans this SQL text once per
   * connection. Only for queries whose best plan does not depend on the values (PostgreSQL may switch to a
   * generic plan after five executions).
   */
  query<T>(sql: string, params?: unknown[], options?: { prepare?: boolean }): Promise<T[]>;`,
  );
  edit(
    'src/db/database.ts',
    '    query: async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],',
    `    query: async <T>(sql: string, params: unknown[] = [], options?: { prepare?: boolean }) =>
      (await pool.query(options?.prepare ? { name: statementName(sql), text: sql, values: params } : { text: sql, values: params }))
        .rows as T[],`,
  );
  edit(
    'src/db/database.ts',
    'function openPostgres(url: string): Database {',
    `const statementNames = new Map<string, string>();
/** One name per distinct SQL text (a handful: the text depends only on which filters are present). */
function statementName(sql: string) {
  let name = statementNames.get(sql);
  if (!name) statementNames.set(sql, (name = \`attest_\${statementNames.size}\`));
  return name;
}

function openPostgres(url: string): Database {`,
  );
  edit(
    'src/statements/queries.ts',
    'const [row] = await db.query<Row>(`${selectStatements(shape)} WHERE s.id = $1`, [id]);',
    'const [row] = await db.query<Row>(`${selectStatements(shape)} WHERE s.id = $1`, [id], { prepare: true });',
  );
  edit(
    'src/statements/queries.ts',
    'db.query<Row>(`${selectStatements(shape)}${whereSql} ${order} LIMIT ${p.add(q.limit + 1)}`, p.values),',
    `// Full-text plans depend on the words searched: those stay unprepared.
    db.query<Row>(\`\${selectStatements(shape)}\${whereSql} \${order} LIMIT \${p.add(q.limit + 1)}\`, p.values, { prepare: !search }),`,
  );
});

// 4. database: no parallel workers for API queries
change('4 no parallel workers', read('src/db/database.ts').includes('max_parallel_workers_per_gather'), () =>
  edit(
    'src/db/database.ts',
    /const pool = new pg\.Pool\(\{ connectionString: url, max: 10(?:, options: '([^']*)')? \}\);/,
    (_m, options?: string) => `// Parallel workers cost more to start than they save on LIMITed API queries, and compete with the
  // server for the cores (full-text search measured 4-8x faster without them on 2 cores, bench/README.md).
  const pool = new pg.Pool({ connectionString: url, max: 10, options: '${options ? `${options} ` : ''}-c max_parallel_workers_per_gather=0' });`,
  ),
);

// 5. app: fast-json-stringify for responses
change('5 fast-json-stringify', read('src/app.ts').includes('fastSerializerCompiler'), () => {
  edit(
    'src/app.ts',
    /import \{ type ZodTypeProvider, serializerCompiler, validatorCompiler \} from 'fastify-type-provider-zod';\n/,
    `import fastJson from 'fast-json-stringify';
import { type ZodTypeProvider, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
`,
  );
  edit(
    'src/app.ts',
    'export interface AppOptions {',
    `/**
 * Responses are written by fast-json-stringify from each route's zod schema (as JSON Schema): about half
 * the cost of zod's serialiser, which validates every response before JSON.stringify. Tests keep zod's,
 * so a handler that breaks its contract still fails there.
 */
const fastSerializerCompiler: typeof serializerCompiler = (route) => {
  if (process.env.NODE_ENV !== 'test' && route.schema instanceof z.ZodType) {
    try {
      return fastJson(z.toJSONSchema(route.schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' }) as never);
    } catch {
      // A schema JSON Schema cannot express: zod's serialiser.
    }
  }
  return serializerCompiler(route);
};

export interface AppOptions {`,
  );
  edit('src/app.ts', 'app.setSerializerCompiler(serializerCompiler);', 'app.setSerializerCompiler(fastSerializerCompiler);');
});

// Started under its own name (see bench/attest-server.ts).
writeFileSync(
  join(out, 'attest-proposed-server.ts'),
  "// Attest with the changes of bench/variant.ts.\nimport './src/server.js';\n",
);

let diff = '';
try {
  execFileSync('diff', ['-ru', '-x', 'generated', 'src', join('..', 'variant', 'src')], { cwd: pristine, encoding: 'utf8' });
} catch (e) {
  diff = (e as { stdout: string }).stdout; // diff exits 1 when the trees differ
}
writeFileSync(
  'bench/proposed.patch',
  diff
    .replace(/^diff -ru -x generated (src\/\S+) .*$/gm, 'diff -ru a/$1 b/$1')
    .replace(
      /^(---|\+\+\+) (?:\.\.\/variant\/)?(src\/\S+).*$/gm,
      (_m, side: string, path: string) => `${side} ${side === '---' ? 'a' : 'b'}/${path}`,
    ),
);
rmSync(pristine, { recursive: true, force: true });
console.log(
  `${out}/attest-proposed-server.ts: applied ${applied.join(', ') || 'nothing'}; already in src/: ${skipped.join(', ') || 'nothing'} (diff in bench/proposed.patch)`,
);
if (!applied.length) process.exitCode = 3;
