import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type ProblemCode, problemBody } from '../core/problems.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON walked by shape.
type Json = Record<string, any>;

/**
 * Response examples taken from the seed data, kept in docs/openapi-examples.json (written by `npm run
 * openapi`, which asks a seeded server each GET of the document with its examples). The same depth from
 * src/http and dist/http, so the path reaches the repository's docs/ from either.
 */
const FILE = new URL('../../docs/openapi-examples.json', import.meta.url);

/** Examples by component name (`Statement`, or `page:Statement` for a page of them) and by operation id. */
export type ResponseExamples = Record<string, unknown>;

export function readResponseExamples(): ResponseExamples {
  try {
    return JSON.parse(readFileSync(FILE, 'utf8')) as ResponseExamples;
  } catch {
    return {};
  }
}

const EXAMPLE_HOST = '127.0.0.1:3000';
const EXAMPLE_KEY_ID = '00000000-0000-4000-8000-000000000000';
// The shape of a real secret (attest_ and 43 base64url characters), which it is not.
const EXAMPLE_SECRET = `attest_${'x'.repeat(43)}`;

/** Times the seed was loaded at differ at each load: the examples show one fixed time instead. */
const LOAD_TIMES = new Set(['createdAt', 'updatedAt', 'at', 'lastUsedAt']);
const FIXED_TIME = '2024-04-01T12:00:00.000Z';
function fixTimes(node: unknown, seen: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => fixTimes(n, seen));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => {
      if (!LOAD_TIMES.has(k) || typeof v !== 'string') return [k, fixTimes(v, seen)];
      seen.add(v);
      return [k, FIXED_TIME];
    }),
  );
}

/**
 * What a seeded app answers to each GET of its document, called with the examples of its parameters as
 * Swagger UI sends them (two items a page, so the examples stay short), keyed by operation id; a list's CSV
 * and NDJSON under `id:csv` and `id:ndjson`. Anything but a 200 is left out.
 */
export async function collectResponseExamples(app: FastifyInstance, adminKey: string): Promise<ResponseExamples> {
  const doc = app.swagger() as Json;
  const authorization = `Bearer ${adminKey}`;
  const out: ResponseExamples = {};
  const loadTimes = new Set<string>();
  const texts: [string, string][] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    const op = item.get;
    const ok = op?.responses?.['200']?.content as Json | undefined;
    if (!ok) continue;
    let url = path;
    const query = new URLSearchParams();
    for (const p of (op.parameters ?? []) as Json[]) {
      const example = p.schema?.example;
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(example)));
      else if (p.in === 'query' && p.name === 'limit') query.set('limit', '2');
      else if (p.in === 'query' && example !== undefined) for (const v of [example].flat()) query.append(p.name, String(v));
    }
    // With the admin key, which reads ignore and GET /keys needs; at the address `npm start` listens on, as the
    // committed document's server says, so that permalinks in the examples name it.
    const ask = (q: URLSearchParams) =>
      app.inject({ method: 'GET', url: q.size ? `${url}?${q}` : url, headers: { authorization, host: EXAMPLE_HOST } });
    const res = await ask(query);
    if (res.statusCode !== 200) continue;
    if (ok['application/json']) out[op.operationId] = fixTimes(res.json(), loadTimes);
    // An NDJSON-only answer (the export): its first lines.
    else if (ok['application/x-ndjson']) texts.push([`${op.operationId}:ndjson`, res.body.split('\n').slice(0, 3).join('\n')]);
    if (!ok['application/json']) continue;
    for (const format of ['csv', 'ndjson']) {
      if (!ok[format === 'csv' ? 'text/csv' : 'application/x-ndjson']) continue;
      const q = new URLSearchParams(query);
      q.set('format', format);
      const text = await ask(q);
      if (text.statusCode === 200) texts.push([`${op.operationId}:${format}`, text.body]);
    }
  }
  // The writes that have no GET of the same schema, with their own examples: a key (its secret and id
  // fixed, as they are new each time) and an import.
  const body = (path: string, method: string) =>
    (doc.paths[path][method].requestBody.content as Json)['application/json']?.schema;
  const keySchema = body('/keys', 'post');
  const keyExample = (keySchema?.$ref ? doc.components.schemas[keySchema.$ref.split('/').pop()] : keySchema)?.example;
  const created = await app.inject({ method: 'POST', url: '/keys', headers: { authorization }, payload: keyExample });
  if (created.statusCode === 201) {
    const key = created.json() as { id: string; key: string };
    const fixKey = (v: unknown) =>
      JSON.parse(JSON.stringify(v).replaceAll(key.id, EXAMPLE_KEY_ID).replaceAll(key.key, EXAMPLE_SECRET));
    out.createKey = fixKey(fixTimes(key, loadTimes));
    const listed = await app.inject({ method: 'GET', url: '/keys', headers: { authorization } });
    out.listKeys = fixKey(fixTimes(listed.json(), loadTimes));
  }
  const csv = doc.paths['/import'].post.requestBody.content['text/csv']?.example as string | undefined;
  const type = (doc.paths['/import'].post.parameters as Json[]).find((p) => p.name === 'type')?.schema?.example;
  if (csv && type) {
    const imported = await app.inject({
      method: 'POST',
      url: `/import?type=${type}`,
      headers: { authorization, 'content-type': 'text/csv' },
      payload: csv,
    });
    if (imported.statusCode === 200) out.importRecords = imported.json();
  }
  // The same load times wherever else they appear (a change's before and after, a CSV cell, inside a cursor).
  // NDJSON lines may show records no JSON example did (the export): their load times are collected too.
  for (const [name, body] of texts)
    if (name.endsWith(':ndjson')) for (const line of body.split('\n').filter(Boolean)) fixTimes(JSON.parse(line), loadTimes);
  const fix = (text: string) => [...loadTimes].reduce((t, time) => t.replaceAll(time, FIXED_TIME), text);
  for (const [name, body] of texts) out[name] = fix(body);
  return JSON.parse(fix(JSON.stringify(out)), (key, value) =>
    key === 'nextCursor' && typeof value === 'string' ? fixCursor(value, fix) : value,
  ) as ResponseExamples;
}

/** A cursor is base64url JSON, with the sort value of the last row: a load time in it is fixed too. */
function fixCursor(cursor: string, fix: (text: string) => string) {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return text.startsWith('[') || text.startsWith('{') ? Buffer.from(fix(text)).toString('base64url') : cursor;
}

/** One problem document per status, as the server words it. */
const PROBLEM_OF: Record<string, [ProblemCode, string]> = {
  400: ['validation-failed', 'query.limit: Too big: expected number to be <=100'],
  401: ['unauthorized', 'This key is unknown or has been revoked.'],
  403: ['forbidden', "The key 'newsroom' has the scope 'write'; this needs 'admin'."],
  404: ['not-found', "No actor with id or slug 'no-such-actor'."],
  409: ['has-dependents', 'Other records depend on this one; delete or re-point them first.'],
  410: ['gone', 'The record was deleted.'],
  412: [
    'precondition-failed',
    'The record has changed since the ETag in If-Match was issued; GET it again, reapply your change, and send the new ETag.',
  ],
  413: ['payload-too-large', 'Request body is too large'],
  415: ['unsupported-media-type', 'Unsupported Media Type: text/plain'],
  422: ['idempotency-key-reused', 'This Idempotency-Key was used for a different request.'],
  429: ['rate-limited', 'This address may make 300 requests a minute without an API key; retry in 1 minute.'],
  500: ['internal', 'Something went wrong on our side; it has been logged.'],
  503: ['database-unavailable', 'The database does not answer.'],
};

export function problemExample(status: string): unknown {
  const [code, detail] = PROBLEM_OF[status] ?? ['internal', 'Error.'];
  const extras =
    code === 'validation-failed'
      ? { errors: [{ in: 'query', field: 'limit', message: 'Too big: expected number to be <=100' }] }
      : {};
  return problemBody(code, detail, status === '404' ? '/actors/no-such-actor' : '/statements', extras);
}
