import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ProblemError } from '../core/problems.js';
import { type WriteContext, fingerprint } from '../writes/door.js';

/**
 * The headers a write takes, as the OpenAPI document shows them. Fastify
 * validates them like the body, so a missing reason is a 400 naming the header.
 */
const reason = z
  .string()
  .max(2000)
  .describe(
    'Why the record changes, kept with the revision. UTF-8; percent-encode what is not ASCII (`Corrected%20the%20date%20%E2%80%94%20see%20the%20source`).',
  );
const ifMatch = z
  .string()
  .max(1000)
  .optional()
  .describe('The ETag of your last GET of the record: the change is refused with 412 if the record has changed since.');

export const CreateHeaders = z.looseObject({
  'change-reason': reason.optional(),
  'idempotency-key': z
    .string()
    .meta({ maxLength: 200 })
    .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 visible ASCII characters')
    .optional()
    .describe('Any unique string: a retry with the same key within 24 hours gets the first answer and creates nothing.'),
});

export const ChangeHeaders = z.looseObject({
  'change-reason': z
    .string({ error: (issue) => (issue.input === undefined ? 'required: say why the record changes' : undefined) })
    .min(1, 'required: say why the record changes')
    .max(2000)
    // Said here too: a client and the document see the schema before the pipe.
    .describe(reason.description ?? '')
    .pipe(reason),
  'if-match': ifMatch,
});

/**
 * DELETE's headers. The If-Match example is an ETag no record has: "Try it out" on a seed record in
 * Swagger UI answers 412 with the record's current ETag, and deletes nothing from the seed data.
 */
export const DeleteHeaders = ChangeHeaders.extend({
  'if-match': ifMatch.meta({ example: 'W/"send-the-etag-of-your-last-get"' }),
});

/** Header text arrives as Latin-1; what was sent is UTF-8, raw or percent-encoded. */
function decodeReason(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const utf8 = Buffer.from(raw, 'latin1').toString('utf8');
  const bad = (message: string) =>
    new ProblemError('validation-failed', `headers.change-reason: ${message}`, {
      errors: [{ in: 'headers', field: 'change-reason', message }],
    });
  if (utf8.includes('\uFFFD') && !raw.includes('\uFFFD')) throw bad('is not UTF-8; percent-encode it');
  let text = utf8;
  if (/%[0-9A-Fa-f]{2}/.test(utf8)) {
    try {
      text = decodeURIComponent(utf8);
    } catch {
      // A literal percent sign ("a 50% error") that was not meant as an escape.
    }
  }
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text) || text.includes('\uFFFD'))
    throw bad('contains control characters or invalid escapes');
  text = text.trim();
  if (!text) throw bad('required: say why the record changes');
  return text;
}

export function writeContext(req: FastifyRequest): WriteContext {
  const headers = req.headers as Record<string, string | undefined>;
  const key = req.method === 'POST' ? headers['idempotency-key'] : undefined;
  return {
    writer: req.writer!,
    reason: decodeReason(headers['change-reason']),
    idempotency: key ? { key, fingerprint: fingerprint(req.method, req.url, req.body) } : undefined,
  };
}

/** If-Match against the record's current ETag (compared weakly: Attest's ETags are weak). */
export function assertIfMatch(req: FastifyRequest, current: string) {
  const header = req.headers['if-match'];
  if (!header) return;
  const opaque = current.slice(2);
  const ok = header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === current || t === opaque || t.replace(/^W\//, '') === opaque;
  });
  if (!ok) {
    throw new ProblemError(
      'precondition-failed',
      'The record has changed since the ETag in If-Match was issued; GET it again, reapply your change, and send the new ETag.',
      { errors: [{ in: 'headers', field: 'if-match', message: `does not match the current ETag ${current}` }] },
      { etag: current },
    );
  }
}
