/**
 * Every error Attest answers with, defined once. The body is RFC 9457
 * problem+json; `type` resolves to GET /problems/{code}, which serves the entry.
 */
export const PROBLEMS = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'malformed-body': { status: 400, title: 'The request body could not be parsed' },
  'invalid-cursor': { status: 400, title: 'The pagination cursor is not valid' },
  'ambiguous-series': { status: 400, title: 'The figures asked for form more than one series' },
  unauthorized: { status: 401, title: 'An API key is needed' },
  forbidden: { status: 403, title: 'The API key may not do this' },
  'origin-not-allowed': { status: 403, title: 'Browsers on this origin may not write' },
  'not-found': { status: 404, title: 'No such record' },
  'route-not-found': { status: 404, title: 'No such route' },
  'method-not-allowed': { status: 405, title: 'The route does not take this method' },
  'request-timeout': { status: 408, title: 'The request was not sent in time' },
  gone: { status: 410, title: 'The record was deleted' },
  'precondition-failed': { status: 412, title: 'The record has changed since you read it' },
  'idempotency-key-reused': { status: 422, title: 'The Idempotency-Key was used for another request' },
  conflict: { status: 409, title: 'The record conflicts with an existing one' },
  'has-dependents': { status: 409, title: 'Other records depend on this one' },
  'last-citation': { status: 409, title: 'A statement or figure must keep at least one citation' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  'expectation-failed': { status: 417, title: 'The Expect header asks for something this API does not do' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'headers-too-large': { status: 431, title: 'The request line or headers are too large' },
  'database-unavailable': { status: 503, title: 'The database is not reachable' },
  overloaded: { status: 503, title: 'The server is too busy; retry later' },
  'shutting-down': { status: 503, title: 'The server is shutting down; retry' },
  internal: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface FieldError {
  /** Where the field is: body, query, params or headers. */
  in: string;
  /** Dotted path inside it, e.g. citations.0.excerpt. */
  field: string;
  message: string;
}

export interface ProblemExtras {
  errors?: FieldError[];
  dependents?: Record<string, { count: number; ids: string[] }>;
  /** For ambiguous-series: each series the request matched, and the URL that asks for it alone. */
  series?: { area: string | null; population: string | null; cumulative: boolean; unit: string; points: number; url: string }[];
  /** For gone: when the record was deleted, by which key, why, and where its history is. */
  deleted?: { at: string; by: string; reason: string | null; history: string };
  /**
   * Actors the problem is about: the one holding a handle or external id a write wanted (with the
   * field), or every actor an ambiguous reference could mean.
   */
  actors?: { id: string; slug: string; name: string; field?: string }[];
}

export class ProblemError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extras: ProblemExtras = {},
    /** Response headers that belong to the problem: the current ETag on a 412, Retry-After on a 503. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.status = PROBLEMS[code].status;
  }
}

export const notFound = (what: string, id: string) => new ProblemError('not-found', `No ${what} with id or slug '${id}'.`);

export const invalidField = (where: string, field: string, message: string) =>
  new ProblemError('validation-failed', `${field}: ${message}`, { errors: [{ in: where, field, message }] });

export function problemBody(code: ProblemCode, detail: string, instance: string, extras: ProblemExtras = {}) {
  const { status, title } = PROBLEMS[code];
  return { type: `/problems/${code}`, title, status, code, detail, instance, ...extras };
}
