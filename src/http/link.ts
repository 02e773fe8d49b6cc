import type { FastifyReply, FastifyRequest } from 'fastify';

/** Where this server is reached from outside: PUBLIC_URL, else the request's scheme and host. */
export const baseUrl = (req: FastifyRequest) => req.server.publicUrl ?? `${req.protocol}://${req.host}`;

/**
 * Adds RFC 8288 `Link: <…>; rel="next"` beside the page's cursor. The URL is
 * absolute (PUBLIC_URL, or behind a proxy TRUST_PROXY so the host and scheme
 * are the client's), so a script can follow it as it is: requests' `r.links['next']`.
 */
export function withNextLink<P extends { nextCursor: string | null }>(req: FastifyRequest, reply: FastifyReply, page: P): P {
  if (page.nextCursor) {
    // Splicing the query string, as parsing the URL cost 1.5% of a list request's CPU.
    const [path, query = ''] = req.url.split('?', 2);
    const params = new URLSearchParams(query);
    params.set('cursor', page.nextCursor);
    reply.header('link', `<${baseUrl(req)}${path}?${params}>; rel="next"`);
  }
  return page;
}
