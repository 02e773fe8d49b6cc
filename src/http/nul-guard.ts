import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type FieldError, type ProblemCode, ProblemError } from '../core/problems.js';

/** Deepest nesting of arrays and objects a JSON body may have; the API's own bodies need 4. */
export const MAX_JSON_DEPTH = 32;

/**
 * The dotted path of the first array or object nested deeper than `max` in the JSON text, or
 * undefined. One pass over the characters, before JSON.parse builds anything: a megabyte of
 * `[[[[…` is refused in about a millisecond instead of being built and then walked. It tracks just
 * enough (strings, keys, array indexes) to name the place; the text's validity is JSON.parse's job.
 */
export function tooDeep(text: string, max = MAX_JSON_DEPTH): string | undefined {
  // Per open level: -1 for an object (its key is in keyStart/keyEnd), else the array index.
  const index: number[] = [];
  const keyStart: number[] = [];
  const keyEnd: number[] = [];
  const expectKey: boolean[] = [];
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // To the closing quote: the next quote not escaped, i.e. not after an odd run of backslashes.
      // indexOf skips the text in native code (a 1 MB string: 0.3 ms instead of 16 ms char by char);
      // each backslash is counted at most once, so this stays linear.
      const start = i + 1;
      let end = text.indexOf('"', start);
      while (end !== -1) {
        let slashes = 0;
        for (let k = end - 1; k >= start && text.charCodeAt(k) === 0x5c; k--) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      i = end === -1 ? n : end;
      const top = depth - 1;
      if (top >= 0 && index[top] === -1 && expectKey[top]) {
        keyStart[top] = start;
        keyEnd[top] = i;
        expectKey[top] = false;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth === max) return pathOf(text, depth, index, keyStart, keyEnd);
      index[depth] = c === 0x7b ? -1 : 0;
      expectKey[depth] = c === 0x7b;
      keyStart[depth] = keyEnd[depth] = -1;
      depth++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth > 0) depth--;
    } else if (c === 0x2c /* , */ && depth > 0) {
      if (index[depth - 1] === -1) expectKey[depth - 1] = true;
      else index[depth - 1]++;
    }
  }
  return undefined;
}

function pathOf(text: string, depth: number, index: number[], keyStart: number[], keyEnd: number[]): string {
  const parts: string[] = [];
  for (let d = 0; d < depth; d++) {
    if (index[d] !== -1) parts.push(String(index[d]));
    else if (keyStart[d] >= 0) {
      const raw = text.slice(keyStart[d], keyEnd[d]);
      let key = raw;
      try {
        key = JSON.parse(`"${raw}"`) as string;
      } catch {
        // Not valid JSON: the parser will say so; the raw text still names the place.
      }
      parts.push(key.length > 100 ? `${key.slice(0, 100)}…` : key);
    }
  }
  return parts.join('.') || '(root)';
}

const NUL = 'contains a NUL character (U+0000), which cannot be stored';
const SURROGATE = 'contains a lone surrogate (U+D800 to U+DFFF), which is not Unicode text and cannot be stored unchanged';
const BAD_ESCAPE = 'is not valid percent-encoded UTF-8';

const problemOf = (code: ProblemCode, errors: FieldError[]) =>
  new ProblemError(code, errors.map((e) => `${e.in}.${e.field}: ${e.message}`).join('; '), { errors });

/**
 * Text that cannot be stored as given: PostgreSQL refuses U+0000 in any text column, and a lone
 * surrogate (`"\ud800"` is valid JSON) would be replaced by U+FFFD on its way to the database.
 * Both are named, never altered.
 */
function badText(s: string): string | undefined {
  if (s.includes('\u0000')) return NUL;
  if (!s.isWellFormed()) return SURROGATE;
  return undefined;
}

/**
 * Every string (values and keys) under `root` that cannot be stored, with its dotted path. An
 * explicit stack instead of recursion, and parents linked rather than paths copied, so the walk is
 * linear in the size of the input whatever its shape; paths are only spelt out for what is found.
 */
function badStrings(where: string, root: unknown, errors: FieldError[]) {
  type Node = { value: unknown; key: string; parent: Node | undefined };
  const path = (node: Node | undefined, last?: string) => {
    const parts: string[] = last === undefined ? [] : [last];
    for (let n = node; n?.parent; n = n.parent) parts.push(safeName(n.key));
    return parts.reverse().join('.') || '(root)';
  };
  const stack: Node[] = [{ value: root, key: '', parent: undefined }];
  while (stack.length && errors.length < 20) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') {
      const problem = badText(value);
      if (problem) errors.push({ in: where, field: path(node), message: problem });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: String(i), parent: node });
    } else if (value && typeof value === 'object') {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        const problem = badText(key);
        if (problem) errors.push({ in: where, field: path(node, safeName(key)), message: `its name ${problem}` });
        stack.push({ value: (value as Record<string, unknown>)[key], key, parent: node });
      }
    }
  }
}

const LONE_OR_NUL = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** A field name that can be echoed in a problem: what cannot be stored is spelt as an escape. */
const safeName = (key: string) =>
  key.includes('\u0000') || !key.isWellFormed()
    ? key.replace(LONE_OR_NUL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : key;

/**
 * Query parameters whose percent-encoding is broken (`%`, `%E0%A4%A`, `%FF`, or `%ED%A0%80`, a
 * surrogate's bytes). The query parser keeps such text as it came ("%FF" as three characters),
 * which would silently search for something else than was sent.
 */
function badQueryEscapes(url: string, errors: FieldError[]) {
  const q = url.indexOf('?');
  if (q === -1 || url.indexOf('%', q) === -1) return;
  for (const part of url.slice(q + 1).split('&')) {
    if (!part.includes('%')) continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    let key: string;
    try {
      key = decodeURIComponent(rawKey.replaceAll('+', ' '));
    } catch {
      errors.push({ in: 'query', field: rawKey.slice(0, 100), message: `its name ${BAD_ESCAPE}` });
      continue;
    }
    try {
      if (eq !== -1) decodeURIComponent(part.slice(eq + 1).replaceAll('+', ' '));
    } catch {
      errors.push({ in: 'query', field: safeName(key).slice(0, 100), message: BAD_ESCAPE });
    }
  }
}

/**
 * JSON bodies are checked for depth before they are parsed: a deeply nested body is refused in
 * linear time (400 naming where), never built, walked recursively or validated.
 */
export function installJsonParsers(app: FastifyInstance) {
  const depthChecked =
    (parse: ReturnType<FastifyInstance['getDefaultJsonParser']>) =>
    (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      const deep = tooDeep(text);
      if (deep !== undefined) {
        const message = `is nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`;
        return done(problemOf('malformed-body', [{ in: 'body', field: deep, message }]));
      }
      parse(req, text, done);
    };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, depthChecked(app.getDefaultJsonParser('error', 'error')));
  // PATCH bodies are JSON merge patches (RFC 7396: null clears a field), so that type is accepted too.
  app.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    depthChecked(app.getDefaultJsonParser('error', 'ignore')),
  );
}

/**
 * Input that cannot be stored as sent is refused before validation, with each field named,
 * instead of failing in the database (a 500) or being stored altered: U+0000 (PostgreSQL cannot
 * store it in text), lone surrogates, and query parameters whose percent-encoding is broken.
 */
export const nulGuard = fp(async (app: FastifyInstance) => {
  installJsonParsers(app);
  app.addHook('preValidation', (req: FastifyRequest, _reply, done) => {
    // Params and query come from the URL, where such text can only arrive percent-encoded.
    const encoded = req.url.includes('%');
    if (req.body === undefined && !encoded) return done();
    const errors: FieldError[] = [];
    if (encoded) {
      badQueryEscapes(req.url, errors);
      badStrings('params', req.params, errors);
      badStrings('query', req.query, errors);
    }
    if (req.body !== undefined) badStrings('body', req.body, errors);
    if (!errors.length) return done();
    done(problemOf('validation-failed', errors));
  });
});

declare global {
  interface String {
    /** ES2024, in Node since 20: false when the string holds a lone surrogate. */
    isWellFormed(): boolean;
  }
}
