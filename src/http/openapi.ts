import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { describeContract } from './openapi-contract.js';
import { readResponseExamples } from './openapi-examples.js';
import { baseUrl } from './link.js';
import { tidyDocument } from './openapi-tidy.js';
import { docsSecurity } from './security.js';

const DESCRIPTION = `Attest keeps the public record of who said what, when, and which figure was
reported by whom, as of when. Every statement and every figure carries the citations that support it.

Errors are RFC 9457 \`application/problem+json\` documents; \`errors\` names each offending field.
Lists are paginated with cursors: pass \`nextCursor\` back as \`cursor\`.

Reads are public. Writes need an API key (\`Authorization: Bearer <key>\`; use the Authorize button),
and PATCH and DELETE need a \`Change-Reason\` header: every change is kept as a revision, with its reason.`;

/** The OpenAPI 3.1 document (at /openapi.json) and Swagger UI (at /docs), both derived from the zod route schemas. */
export const openapi = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      // Absolute, because client generators take it as their base URL. Served at /openapi.json, this
      // becomes the server's own address (below); docs/openapi.json keeps `npm start`'s default one.
      servers: [{ url: 'http://127.0.0.1:3000', description: 'Local development: `npm start` on this machine' }],
      info: { title: 'Attest API', version: '0.1.0', description: DESCRIPTION, license: { name: 'MIT', identifier: 'MIT' } },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key: writes need one, reads do not. See POST /keys, or `npm run keys -- create` on the server.',
          },
        },
      },
      tags: [
        { name: 'Actors', description: 'Who speaks and who reports.' },
        { name: 'Statements', description: 'Who said what, when; with the sources that carry it.' },
        { name: 'Figures', description: 'Which figure was reported by whom, as of when.' },
        { name: 'Sources', description: 'Articles, posts and reports that carry statements and figures.' },
        { name: 'Citations', description: 'Links between a statement or figure and a source.' },
        { name: 'Relations', description: 'Which statement responds to, disputes, denies, confirms or corrects which statement or figure.' },
        { name: 'History', description: 'Every change to the record, who made it and why.' },
        { name: 'Export and import', description: 'The whole record as NDJSON, and bulk imports from NDJSON or CSV.' },
        { name: 'Keys', description: 'API keys for writers (administrators only). Keys are not records: they have no history.' },
        { name: 'Service', description: 'Health and metadata.' },
      ],
    },
    transform: createJsonSchemaTransform({ skipList: ['/docs', '/docs/*', '/openapi.json'] }),
    transformObject: (document) =>
      describeContract(
        withListFormats(withRateLimitResponses(tidyDocument(jsonSchemaTransformObject(document)))),
        readResponseExamples(),
      ),
  });

  // Swagger UI in its own context, under its own Content-Security-Policy (src/http/security.ts).
  await app.register(async (docs) => {
    await docs.register(docsSecurity);
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      // Swagger UI sends "Try it out" requests to the document's server: this one.
      transformSpecificationClone: false,
      transformSpecification: (doc, req) => servedFrom(doc, req),
      // The default would send the document to an external validator: no calls leave the machine.
      // The key given to Authorize survives a reload (it stays in this browser's localStorage).
      uiConfig: {
        validatorUrl: null,
        deepLinking: true,
        tryItOutEnabled: true,
        displayOperationId: true,
        persistAuthorization: true,
        // Without the top bar: its logo is an SVG with an inline <style>, which the CSP refuses, and
        // its box for loading other documents has no use here.
        layout: 'BaseLayout',
      },
    });
  });

  // The address this server is reached at (PUBLIC_URL, else the request's scheme and host), so a client
  // generated from this document works as generated.
  app.get('/openapi.json', { schema: { hide: true } }, (req) => servedFrom(app.swagger(), req));
});

const servedFrom = <T extends object>(doc: T, req: FastifyRequest) => ({
  ...doc,
  servers: [{ url: baseUrl(req), description: 'This server (production when PUBLIC_URL is set)', 'x-internal': false }],
});

/** Any operation but the probes may answer 429 (src/http/limits.ts); said once here rather than on every route. */
function withRateLimitResponses<T extends Record<string, unknown>>(doc: T): T {
  const tooMany = {
    description:
      'Too many requests: over RATE_LIMIT_PER_MINUTE for an address without a key, or the keyed limit for a key. `Retry-After` says when to retry; `RateLimit-*` headers are on every answer.',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  for (const [path, item] of Object.entries(
    (doc.paths ?? {}) as Record<string, Record<string, { responses?: Record<string, unknown> }>>,
  )) {
    if (path === '/health' || path === '/ready') continue;
    for (const op of Object.values(item)) if (op.responses && !op.responses['429']) op.responses['429'] = tooMany;
  }
  return doc;
}

/**
 * Lists that take `format` (src/http/formats.ts) also answer CSV and NDJSON: said on their 200 response, so
 * that clients and Swagger UI offer them. NDJSON lines are the records of the JSON page's list.
 */
function withListFormats<T extends Record<string, unknown>>(doc: T): T {
  type Op = {
    parameters?: { in: string; name: string }[];
    responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  };
  type Schema = { $ref?: string; properties?: Record<string, { items?: unknown }> };
  const components = ((doc.components as { schemas?: Record<string, Schema> } | undefined)?.schemas ?? {}) as Record<
    string,
    Schema
  >;
  const resolve = (s: Schema | undefined) => (s?.$ref ? components[s.$ref.split('/').pop()!] : s);
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, Op>>)) {
    for (const op of Object.values(item)) {
      const ok = op.responses?.['200'];
      if (!ok?.content || !op.parameters?.some((p) => p.in === 'query' && p.name === 'format')) continue;
      const page = resolve(ok.content['application/json']?.schema);
      const record = page?.properties?.data?.items ?? page?.properties?.points?.items ?? {};
      ok.content['text/csv'] = {
        schema: {
          type: 'string',
          description: 'RFC 4180 CSV with a header row: one row per record, nested fields as dotted columns.',
        } as Schema,
      };
      ok.content['application/x-ndjson'] = {
        schema: { ...(record as Schema), description: 'One JSON record per line.' } as Schema,
      };
    }
  }
  return doc;
}
