// attest: bulk import and export from a shell, against a running Attest server.
//
//   npm run attest -- import FILE [--type TYPE] [--dry-run] [--on-error skip] [--reason TEXT] [--json]
//   npm run attest -- export [RESOURCE] [--format csv|ndjson] [--out FILE] [--history] [--KEY VALUE ...]
//
// ATTEST_URL names the server (default http://127.0.0.1:3000); ATTEST_KEY is the API key an import
// needs. Progress (rate and time left) goes to stderr when it is a terminal; the summary to stdout.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { basename, extname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const USAGE = `Usage:
  attest import FILE [--type actor|source|statement|figure] [--dry-run] [--on-error fail|skip]
                     [--reason TEXT] [--json]
      FILE is NDJSON (one record per line, as GET /export writes it, or create bodies with "type"),
      or CSV of one type of record (.csv, with --type). "-" reads standard input as NDJSON.
  attest export [RESOURCE] [--format ndjson|csv] [--out FILE] [--history] [--KEY VALUE ...]
      Without RESOURCE: the whole record as NDJSON (GET /export), --history adds every revision.
      RESOURCE is a list: statements, figures, actors, sources, changes, figures/latest,
      actors/SLUG/statements… Every --KEY VALUE is passed as a filter (--actor miguel-diaz-canel
      --from 2024-03). Format: ndjson unless --format csv. Writes to standard output unless --out.

Environment: ATTEST_URL (default http://127.0.0.1:3000), ATTEST_KEY (the API key imports need).`;

class UsageError extends Error {}

interface Parsed {
  positional: string[];
  flags: Map<string, string[]>;
}

const BOOLEAN_FLAGS = new Set(['dry-run', 'history', 'json', 'help']);

function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      flags.set('help', ['true']);
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (BOOLEAN_FLAGS.has(name)) value = 'true';
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { positional, flags };
}

const one = (p: Parsed, name: string) => p.flags.get(name)?.at(-1);

function baseUrl(): URL {
  const raw = process.env.ATTEST_URL || 'http://127.0.0.1:3000';
  try {
    return new URL(raw.endsWith('/') ? raw : `${raw}/`);
  } catch {
    throw new UsageError(`ATTEST_URL is not a URL: ${raw}`);
  }
}

/** Header text is Latin-1: a reason with other characters is sent percent-encoded, which the server decodes. */
const headerText = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text : encodeURIComponent(text));

function request(url: URL, options: http.RequestOptions): http.ClientRequest {
  return (url.protocol === 'https:' ? https : http).request(url, options);
}

function send(url: URL, options: http.RequestOptions, body?: NodeJS.ReadableStream): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, options);
    req.on('response', resolve);
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ECONNREFUSED'
          ? new Error(`no Attest server answers at ${url.origin} (start one with "npm start", or set ATTEST_URL)`)
          : err,
      ),
    );
    if (body) body.pipe(req);
    else req.end();
  });
}

async function readAll(res: http.IncomingMessage): Promise<string> {
  let text = '';
  res.setEncoding('utf8');
  for await (const chunk of res) text += chunk;
  return text;
}

interface Problem {
  detail?: string;
  errors?: { in: string; field: string; message: string }[];
}

function describeProblem(status: number, problem: Problem): string {
  const lines = [`error (${status}): ${problem.detail ?? 'the server refused the request'}`];
  for (const e of (problem.errors ?? []).slice(0, 20)) lines.push(`  ${e.in}, ${e.field}: ${e.message}`);
  if ((problem.errors?.length ?? 0) > 20) lines.push(`  … and ${problem.errors!.length - 20} more`);
  return lines.join('\n');
}

// --- progress on a terminal ---------------------------------------------------------------------

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const duration = (s: number) =>
  !Number.isFinite(s)
    ? '?'
    : s < 10
      ? `${s.toFixed(1)} s`
      : s < 60
        ? `${Math.ceil(s)} s`
        : `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`;
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`;

class Progress {
  private last = 0;
  private shown = false;
  constructor(private readonly enabled = process.stderr.isTTY === true) {}
  show(text: string, force = false) {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 200) return;
    this.last = now;
    const width = process.stderr.columns ?? 100;
    process.stderr.write(`\r${text.slice(0, width - 1).padEnd(Math.min(width - 1, text.length + 10))}`);
    this.shown = true;
  }
  done() {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

// --- import -------------------------------------------------------------------------------------

interface Report {
  dryRun: boolean;
  written: boolean;
  lines: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  types: Record<string, { created: number; updated: number; unchanged: number; failed: number }>;
  failures: { line: number; type: string | null; field: string; message: string }[];
  revisionsRestored: number;
  revisionsSkipped: number;
}

async function runImport(p: Parsed): Promise<number> {
  const [file] = p.positional.slice(1);
  if (!file) throw new UsageError('import needs a FILE');
  const key = process.env.ATTEST_KEY;
  if (!key) throw new UsageError('set ATTEST_KEY to an API key with the write scope (see "npm run keys -- create")');
  const csv = file !== '-' && extname(file).toLowerCase() === '.csv';
  const type = one(p, 'type');
  if (csv && !type) throw new UsageError('a CSV file needs --type actor, source or statement');
  const onError = one(p, 'on-error') ?? 'fail';
  if (!['fail', 'skip'].includes(onError)) throw new UsageError('--on-error is fail or skip');
  const dryRun = p.flags.has('dry-run');
  const query = new URLSearchParams();
  if (type) query.set('type', type);
  if (dryRun) query.set('dryRun', 'true');
  if (onError !== 'fail') query.set('onError', onError);
  const url = new URL(`import${query.size ? `?${query}` : ''}`, baseUrl());

  const size = file === '-' ? undefined : statSync(file).size;
  const name = file === '-' ? 'standard input' : basename(file);
  const progress = new Progress();
  const started = Date.now();
  let sent = 0;
  const counted = () =>
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        sent += chunk.length;
        const pct = size ? ` (${Math.floor((100 * sent) / size)}%)` : '';
        progress.show(`sending ${name}: ${megabytes(sent)}${pct}`);
        done(null, chunk);
      },
    });
  const headers: http.OutgoingHttpHeaders = {
    'content-type': csv ? 'text/csv' : 'application/x-ndjson',
    accept: 'application/x-ndjson',
    authorization: `Bearer ${key}`,
  };
  if (size !== undefined) headers['content-length'] = size;
  const reason = one(p, 'reason');
  if (reason) headers['change-reason'] = headerText(reason);

  // A server that sheds load (or lost its database for a moment) answers 503 with Retry-After before
  // reading the body: a file is sent again once it says, a few times; standard input cannot be.
  let res: http.IncomingMessage;
  for (let attempt = 1; ; attempt++) {
    sent = 0;
    const body = (file === '-' ? process.stdin : createReadStream(file)).pipe(counted());
    res = await send(url, { method: 'POST', headers }, body);
    const wait = Number(res.headers['retry-after']);
    if (res.statusCode !== 503 || file === '-' || attempt >= 5 || !(wait >= 0 && wait <= 60)) break;
    res.resume();
    progress.show(`the server is busy (503): sending ${name} again in ${wait} s`);
    await new Promise((r) => setTimeout(r, wait * 1000));
  }
  if (res.statusCode !== 200 || !/ndjson/.test(res.headers['content-type'] ?? '')) {
    const text = await readAll(res);
    progress.done();
    let problem: Problem = { detail: text.slice(0, 500) };
    try {
      problem = JSON.parse(text);
    } catch {
      // not JSON: shown as text
    }
    console.error(describeProblem(res.statusCode ?? 0, problem));
    return 1;
  }

  // Progress lines while the server works, then the report or the problem.
  let report: Report | undefined;
  let problem: Problem | undefined;
  let processing: number | undefined;
  let rest = '';
  res.setEncoding('utf8');
  for await (const chunk of res) {
    rest += chunk;
    let nl: number;
    while ((nl = rest.indexOf('\n')) !== -1) {
      const event = JSON.parse(rest.slice(0, nl));
      rest = rest.slice(nl + 1);
      if (event.progress) {
        const { line, totalLines, created, updated, unchanged, failed } = event.progress;
        processing ??= Date.now();
        const seconds = (Date.now() - processing) / 1000;
        const rate = seconds > 0 ? line / seconds : 0;
        const left = rate > 0 ? (totalLines - line) / rate : Number.POSITIVE_INFINITY;
        const pct = totalLines ? Math.floor((100 * line) / totalLines) : 0;
        progress.show(
          `${dryRun ? 'checking' : 'importing'} ${name}: ${fmt(line)}/${fmt(totalLines)} lines (${pct}%), ` +
            `${fmt(rate)} lines/s, ${line ? `${duration(left)} left` : 'starting'}; ` +
            `${fmt(created)} created, ${fmt(updated)} updated, ${fmt(unchanged)} unchanged, ${fmt(failed)} failed`,
          line === totalLines,
        );
      } else if (event.report) report = event.report;
      else if (event.problem) problem = event.problem;
    }
  }
  progress.done();
  const seconds = (Date.now() - started) / 1000;
  if (p.flags.has('json')) console.log(JSON.stringify(report ?? { problem }, null, 2));
  if (problem) {
    console.error(describeProblem(400, problem));
    return 1;
  }
  if (!report) {
    console.error('error: the server closed the connection without a report');
    return 1;
  }
  if (!p.flags.has('json')) console.log(summary(report, name, seconds));
  return report.failed ? 1 : 0;
}

function summary(r: Report, name: string, seconds: number): string {
  const verb = r.dryRun ? 'Checked (dry run, nothing written)' : r.written ? 'Imported' : 'Nothing imported from';
  const out = [
    `${verb} ${name}: ${fmt(r.lines)} lines in ${duration(seconds)}${seconds >= 1 ? ` (${fmt(r.lines / seconds)} lines/s)` : ''}.`,
    `  ${fmt(r.created)} created, ${fmt(r.updated)} updated, ${fmt(r.unchanged)} unchanged, ${fmt(r.failed)} failed`,
  ];
  for (const [type, c] of Object.entries(r.types)) {
    if (c.created + c.updated + c.unchanged + c.failed === 0) continue;
    out.push(
      `    ${type.padEnd(10)} ${fmt(c.created)} created, ${fmt(c.updated)} updated, ${fmt(c.unchanged)} unchanged, ${fmt(c.failed)} failed`,
    );
  }
  if (r.revisionsRestored) out.push(`  ${fmt(r.revisionsRestored)} revisions restored.`);
  if (r.revisionsSkipped) {
    out.push(`  ${fmt(r.revisionsSkipped)} revision lines skipped (the server already had history; it keeps its own).`);
  }
  if (r.failures.length) {
    out.push('  Failures:');
    for (const f of r.failures.slice(0, 20)) out.push(`    line ${f.line}, ${f.field}: ${f.message}`);
    if (r.failed > 20) out.push(`    … ${fmt(r.failed - 20)} more (--json lists up to 1,000)`);
  }
  return out.join('\n');
}

// --- export -------------------------------------------------------------------------------------

async function runExport(p: Parsed): Promise<number> {
  const resource = p.positional[1]?.replace(/^\/+|\/+$/g, '');
  const format = one(p, 'format') ?? 'ndjson';
  if (!['ndjson', 'csv'].includes(format)) throw new UsageError('--format is ndjson or csv');
  const query = new URLSearchParams();
  for (const [name, values] of p.flags) {
    if (['format', 'out', 'history', 'json', 'help'].includes(name)) continue;
    for (const v of values) query.append(name, v);
  }
  if (!resource) {
    if (format !== 'ndjson') throw new UsageError('the whole record is exported as NDJSON only; name a list for CSV');
    if (query.size) throw new UsageError(`filters need a RESOURCE: ${[...query.keys()].join(', ')}`);
    if (p.flags.has('history')) query.set('history', 'true');
  } else query.set('format', format);
  const url = new URL(`${resource ?? 'export'}${query.size ? `?${query}` : ''}`, baseUrl());
  const res = await send(url, { method: 'GET', headers: { accept: format === 'csv' ? 'text/csv' : 'application/x-ndjson' } });
  if (res.statusCode !== 200) {
    const text = await readAll(res);
    let problem: Problem = { detail: text.slice(0, 500) };
    try {
      problem = JSON.parse(text);
    } catch {
      // not JSON
    }
    console.error(describeProblem(res.statusCode ?? 0, problem));
    return 1;
  }
  const progress = new Progress();
  const started = Date.now();
  let bytes = 0;
  let lines = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      const seconds = (Date.now() - started) / 1000;
      progress.show(`exporting: ${fmt(lines)} lines, ${megabytes(bytes)}, ${fmt(lines / Math.max(seconds, 0.001))} lines/s`);
      done(null, chunk);
    },
  });
  const out = one(p, 'out');
  try {
    await pipeline(res, counter, out ? createWriteStream(out) : process.stdout);
  } catch (err) {
    // The reader of standard output went away (| head): not an error of the export.
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
    progress.done();
    return 0;
  }
  progress.done();
  const seconds = (Date.now() - started) / 1000;
  const rows = format === 'csv' ? Math.max(lines - 1, 0) : lines;
  process.stderr.write(
    `Exported ${fmt(rows)} ${format === 'csv' ? 'rows' : 'lines'} (${megabytes(bytes)}) in ${duration(seconds)}${out ? ` to ${out}` : ''}.\n`,
  );
  return 0;
}

// --- main ---------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  const p = parseArgs(argv);
  const command = p.positional[0];
  if (!command || p.flags.has('help') || command === 'help') {
    console.log(USAGE);
    return command || p.flags.has('help') ? 0 : 2;
  }
  if (command === 'import') return runImport(p);
  if (command === 'export') return runExport(p);
  throw new UsageError(`unknown command '${command}'`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`attest: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(`attest: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  },
);
