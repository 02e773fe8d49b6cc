import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The request's id: the caller's `x-request-id` when it is short and made of characters that are
 * safe in logs and headers, else a fresh UUID. A long or strange id is not echoed into every log
 * line and response.
 */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}
