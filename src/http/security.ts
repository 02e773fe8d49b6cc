import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The JSON API's headers: nothing in an answer may run, be framed or be
 * sniffed as another type; reads are public, so other origins may fetch them.
 */
const API_POLICY: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
  referrerPolicy: { policy: 'no-referrer' },
  xFrameOptions: { action: 'deny' },
  xContentTypeOptions: true,
  // For HTML documents, not JSON: left off the hot path.
  crossOriginOpenerPolicy: false,
  crossOriginEmbedderPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  xPoweredBy: false,
};

/**
 * Swagger UI's page at /docs: everything it loads comes from this server
 * (@fastify/swagger-ui serves the bundle; no CDN), and it talks only to this
 * server. Inline styles stay off: the UI sets styles through the DOM, which
 * CSP allows. Checked in headless Chromium (test/docs-browser.test.ts).
 */
export const DOCS_POLICY: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'"],
    },
  },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
  referrerPolicy: { policy: 'no-referrer' },
  xFrameOptions: { action: 'deny' },
};

/** Runs helmet once on a stand-in response and keeps the headers it set. */
function headersOf(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as never, res as never, () => {});
  return headers;
}

/**
 * Security headers on every answer. Helmet computes them once at start-up and
 * one callback hook sets them: @fastify/helmet, which rebuilds helmet's
 * middleware on every request, measured about 50 µs a request here. The pages
 * under /docs get @fastify/helmet itself, with their own policy (docsSecurity).
 */
export const securityHeaders = fp(
  async (app: FastifyInstance) => {
    const headers = Object.entries(headersOf(API_POLICY));
    app.addHook('onRequest', (_req, reply, done) => {
      // On the raw response, like helmet itself: under /docs, docsSecurity's helmet then replaces them.
      for (const [name, value] of headers) reply.raw.setHeader(name, value);
      done();
    });
  },
  { name: 'attest-security-headers' },
);

/** Register inside the context that serves Swagger UI (see openapi.ts). */
export const docsSecurity = fp(async (docs: FastifyInstance) => {
  await docs.register(fastifyHelmet, DOCS_POLICY);
});
