import { type ResponseExamples, problemExample } from './openapi-examples.js';
import { collectRefs } from './openapi-tidy.js';

// biome-ignore lint/suspicious/noExplicitAny: the document is JSON walked by shape; each step checks what it reads.
type Json = Record<string, any>;
type Operation = {
  operationId?: string;
  summary?: string;
  security?: unknown[];
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, Json>;
};

const PREFIX = '#/components/schemas/';
/** Probes answer even when rate limits bite and the database is down (they report it). */
const PROBES = new Set(['/health', '/ready']);
/** Routes that answer without the database. */
const NO_DATABASE = new Set(['/health', '/problems/{code}']);

const header = (description: string, schema: Json = { type: 'string' }) => ({ description, schema });
const HEADERS: Record<string, Json> = {
  'RateLimit-Limit': header(
    'Requests allowed a minute for this client (an address, or a key). Sent when the server limits rates.',
    { type: 'integer', format: 'int32', minimum: 1, maximum: 1_000_000 },
  ),
  'RateLimit-Remaining': header('Requests left in the current minute.', {
    type: 'integer',
    format: 'int32',
    minimum: 0,
    maximum: 1_000_000,
  }),
  'RateLimit-Reset': header('Seconds until the current minute ends.', {
    type: 'integer',
    format: 'int32',
    minimum: 0,
    maximum: 60,
  }),
  'Retry-After': header('Seconds to wait before trying again.', { type: 'integer', format: 'int32', minimum: 0, maximum: 3600 }),
  'Access-Control-Allow-Origin': header('`*`: any page may read the record (CORS).'),
  AllowOriginWrite: header("The request's Origin, when it is one of CORS_WRITE_ORIGINS; absent otherwise (CORS)."),
  ETag: header('A weak validator of this representation: send it back as `If-None-Match` (304) or `If-Match` (412).'),
  Location: header('Where the created record can be read.'),
  Link: header('`<…>; rel="next"`: the absolute URL of the next page (RFC 8288), absent on the last page.'),
};
const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
const RATE_HEADERS = {
  'RateLimit-Limit': ref('RateLimit-Limit'),
  'RateLimit-Remaining': ref('RateLimit-Remaining'),
  'RateLimit-Reset': ref('RateLimit-Reset'),
};

const problem = (description: string, headers: Json = {}) => ({
  description,
  ...(Object.keys(headers).length ? { headers } : {}),
  content: { 'application/problem+json': { schema: { $ref: `${PREFIX}Problem` } } },
});

/**
 * What the zod schemas cannot say about the contract, added to the document so
 * that it describes what the server accepts and sends, and so that generated
 * clients get the types right:
 * - reads are public (`security: []`), writes name the bearer scheme;
 * - request fields with a default are optional for the sender: `default` is
 *   moved into the description, as openapi-typescript makes a field with a
 *   default required (right for responses, wrong for requests);
 * - `true`/`false` query parameters are booleans; integers say their format;
 * - every response has a description and the headers it carries (ETag, Link,
 *   Location, RateLimit-*, Retry-After), and the statuses every route can
 *   answer (304, 500, 503) are listed.
 */
export function describeContract<T extends Json>(doc: T, examples: ResponseExamples = {}): T {
  const out = doc as Json;
  out.components ??= {};
  out.components.headers = HEADERS;
  // A public API (OWASP API9: say which servers are internal).
  for (const server of out.servers ?? []) server['x-internal'] = false;
  requestDefaults(out);
  integerFormats(out);
  for (const [path, item] of Object.entries(out.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, op] of Object.entries(item)) {
      op.security ??= [];
      for (const p of op.parameters ?? []) {
        booleanParameter(p);
        // @fastify/swagger drops the description beside a `$ref`: the enum's own description stands in.
        const target = p.schema?.$ref?.startsWith(PREFIX)
          ? out.components.schemas[p.schema.$ref.slice(PREFIX.length)]
          : undefined;
        if (!p.description && target?.description) p.description = target.description;
      }
      textBodies(out, op);
      responses(path, method, op);
    }
  }
  responseExamples(out, examples);
  return doc;
}

/** Components reached from a request body and not from any response: their defaults go into the description. */
function requestDefaults(doc: Json) {
  const schemas = doc.components.schemas as Record<string, Json>;
  const inRequests = new Set<string>();
  const inResponses = new Set<string>();
  for (const item of Object.values(doc.paths as Record<string, Record<string, Operation>>)) {
    for (const op of Object.values(item)) {
      collectRefs(op.requestBody, schemas, inRequests);
      collectRefs(op.responses, schemas, inResponses);
    }
  }
  for (const name of inRequests) if (!inResponses.has(name)) moveDefaults(schemas[name]);
}

/** Within one schema (not through references, which are judged on their own). */
function moveDefaults(schema: unknown) {
  if (Array.isArray(schema)) return schema.forEach(moveDefaults);
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Json;
  if (s.properties) {
    for (const prop of Object.values(s.properties as Record<string, Json>)) {
      if (prop && 'default' in prop) {
        const said = `Defaults to \`${JSON.stringify(prop.default)}\` when left out.`;
        prop.description = prop.description ? `${prop.description} ${said}` : said;
        delete prop.default;
      }
    }
  }
  for (const [k, v] of Object.entries(s)) if (k !== 'examples' && k !== 'example') moveDefaults(v);
}

/**
 * An NDJSON or CSV body is text: its schema is a string (what a client sends) whose records have the line's
 * schema (`contentSchema`). The line's example becomes a CSV example, offered first: Swagger UI sends a CSV
 * example as it is, whereas it would quote an NDJSON one as a JSON string.
 */
function textBodies(doc: Json, op: Operation) {
  const content = op.requestBody?.content as Record<string, Json> | undefined;
  if (!content) return;
  for (const [type, media] of Object.entries(content)) {
    if (type !== 'application/x-ndjson' && type !== 'text/csv') continue;
    const ref = media.schema?.$ref as string | undefined;
    if (!ref?.startsWith(PREFIX)) continue;
    const example = (doc.components.schemas[ref.slice(PREFIX.length)] as Json)?.example as Json | undefined;
    const records = type === 'text/csv' ? 'CSV: a header row, then one record a row' : 'NDJSON: one JSON record a line';
    // No contentMediaType: Swagger UI would then offer a file upload instead of the text.
    media.schema = { type: 'string', contentSchema: { $ref: ref }, description: `${records}.` };
    if (type === 'text/csv' && example) {
      const columns = Object.keys(example).filter((k) => k !== 'type');
      media.example = `${columns.join(',')}\n${columns.map((k) => example[k]).join(',')}\n`;
    }
  }
  if (content['text/csv']?.example) op.requestBody!.content = { 'text/csv': content['text/csv'], ...content };
}

/** int32 where the bounds allow, else int64 (JavaScript numbers hold every integer the server sends). */
function integerFormats(node: unknown) {
  if (Array.isArray(node)) return node.forEach(integerFormats);
  if (!node || typeof node !== 'object') return;
  const s = node as Json;
  const integer = s.type === 'integer' || (Array.isArray(s.type) && s.type.includes('integer'));
  if (integer && !s.format) {
    const int32 = (n: unknown) => typeof n === 'number' && Math.abs(n) <= 2 ** 31 - 1;
    s.format = int32(s.minimum) && int32(s.maximum) ? 'int32' : 'int64';
  }
  for (const v of Object.values(s)) integerFormats(v);
}

/** `?total=true`: the server takes true/false (and 1/0); clients send a boolean as `true`/`false`. */
function booleanParameter(p: Json) {
  const values = p.schema?.enum as unknown[] | undefined;
  if (p.in !== 'query' || !values?.includes('true') || !values.includes('false')) return;
  if (!values.every((v) => ['true', 'false', '1', '0'].includes(v as string))) return;
  p.schema = { type: 'boolean', default: false };
}

function responses(path: string, method: string, op: Operation) {
  const probe = PROBES.has(path);
  const res = op.responses;
  if (method === 'get' && res['200']?.content?.['application/json'])
    res['304'] = { description: '`If-None-Match` named the current ETag: the copy the client holds is still current. No body.' };
  if (!NO_DATABASE.has(path) && !res['503'])
    res['503'] = problem('The database cannot be reached or does not answer in time; retry after `Retry-After` seconds.');
  res['500'] ??= problem('Something went wrong on the server; it is logged with this answer’s `X-Request-Id`.');
  for (const [status, shared] of Object.entries(res)) {
    // Some response objects are shared between operations (the 429): each gets its own headers.
    const response = { ...shared };
    res[status] = response;
    if (response.description === 'Default Response') response.description = describeSuccess(method, status, op);
    const headers: Json = { ...(response.headers ?? {}) };
    if (!probe && /^[234]/.test(status)) Object.assign(headers, RATE_HEADERS);
    headers['Access-Control-Allow-Origin'] = ref(method === 'get' ? 'Access-Control-Allow-Origin' : 'AllowOriginWrite');
    if (status === '429' || status === '503') headers['Retry-After'] = ref('Retry-After');
    if (status === '412' || status === '304') headers.ETag = ref('ETag');
    if (status === '201') Object.assign(headers, { Location: ref('Location'), ETag: ref('ETag') });
    if (status === '200' && (method === 'get' || method === 'patch') && response.content?.['application/json']) {
      headers.ETag = ref('ETag');
      if (isPage(response)) headers.Link = ref('Link');
    }
    response.headers = headers;
  }
  op.responses = Object.fromEntries(Object.entries(res).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Each JSON response gets an example: what the seeded server answered to the operation's GET (see
 * src/http/openapi-examples.ts), or for a write, the GET example of the same schema; each problem response,
 * a problem document of its status. Each is written once, in components.examples, and referenced.
 */
function responseExamples(doc: Json, examples: ResponseExamples) {
  const shared: Record<string, Json> = {};
  const use = (content: Json, name: string, summary: string, value: () => unknown) => {
    shared[name] ??= { summary, value: value() };
    content.examples = { [name]: { $ref: `#/components/examples/${name}` } };
  };
  const bySchema = new Map<string, string>();
  const each = (fn: (op: Operation, status: string, media: string, content: Json) => void) => {
    for (const item of Object.values(doc.paths as Record<string, Record<string, Operation>>))
      for (const op of Object.values(item))
        for (const [status, res] of Object.entries(op.responses))
          for (const [media, content] of Object.entries((res.content ?? {}) as Record<string, Json>))
            fn(op, status, media, content);
  };
  const TEXT: Record<string, string> = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson' };
  // A page's first item stands for its record schema (a created source is a Source, as listed).
  const items = new Map<string, [string, string, unknown]>();
  each((op, status, media, content) => {
    const id = op.operationId ?? '';
    if (status !== '200' && status !== '201') return;
    const text = examples[`${id}:${TEXT[media]}`];
    // NDJSON's schema is one line's: its example is the first line.
    if (typeof text === 'string' && text.trim())
      use(content, `${id}-${TEXT[media]}`, `${op.summary}, from the seed data`, () =>
        media === 'text/csv' ? text : JSON.parse(text.split('\n')[0]),
      );
    if (media !== 'application/json' || examples[id] === undefined) return;
    use(content, id, `${op.summary}, from the seed data`, () => examples[id]);
    if (content.schema?.$ref) bySchema.set(content.schema.$ref, id);
    const item = content.schema?.properties?.data?.items?.$ref as string | undefined;
    const first = (examples[id] as { data?: unknown[] }).data?.[0];
    if (item && first !== undefined && !items.has(item)) items.set(item, [`${id}-item`, `One of: ${op.summary}`, first]);
  });
  each((_op, status, media, content) => {
    if (media === 'application/problem+json')
      use(content, `problem-${status}`, `A ${status} problem`, () => problemExample(status));
    else if (media === 'application/json' && !content.examples) {
      const ref = content.schema?.$ref as string | undefined;
      if (ref && bySchema.has(ref)) {
        const id = bySchema.get(ref)!;
        content.examples = { [id]: { $ref: `#/components/examples/${id}` } };
      } else if (ref && items.has(ref)) {
        const [name, summary, value] = items.get(ref)!;
        use(content, name, summary, () => value);
      }
    }
  });
  doc.components.examples = Object.fromEntries(Object.entries(shared).sort(([a], [b]) => a.localeCompare(b)));
}

function isPage(response: Json) {
  const schema = response.content['application/json'].schema as Json;
  return Boolean(schema?.properties?.nextCursor);
}

function describeSuccess(method: string, status: string, op: Operation): string {
  if (status === '201') return 'Created. `Location` says where to read it; `ETag` is its version, for a later `If-Match`.';
  if (method === 'patch') return 'The record as changed, with its new `ETag`.';
  if (
    method === 'get' &&
    op.parameters?.some((p) => p.in === 'path' && p.name === 'id') &&
    !/history|statements/i.test(op.operationId ?? '')
  )
    return 'The record (as it stood at `asOf`, when given).';
  const summary = op.summary ?? 'OK';
  return `${summary.charAt(0).toUpperCase()}${summary.slice(1)}.`;
}
