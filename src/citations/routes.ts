import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatParams, pageEnvelope, pageQuery } from '../core/pagination.js';
import { notFound } from '../core/problems.js';
import type { Tx } from '../db/database.js';
import { orGone, recordAsOf, recordHistory } from '../history/queries.js';
import { HistoryEntry } from '../history/schemas.js';
import { sendList } from '../http/formats.js';
import { NoQuery, TimestampParam, errors, idParams } from '../http/schemas.js';
import { etagFor } from '../http/crud.js';
import { ChangeHeaders, CreateHeaders, DeleteHeaders, assertIfMatch, writeContext } from '../http/write-request.js';
import { EXAMPLE_IDS } from '../seed/ids.js';
import { write } from '../writes/door.js';
import { Provenance, provenanceOf } from './provenance.js';
import { addCitation, deleteCitation, getCitation, updateCitation } from './repository.js';
import { CitationCreate, CitationDetail, CitationUpdate } from './schemas.js';

const tags = ['Citations'];
const security = [{ bearer: [] }];

const CitationParams = idParams(EXAMPLE_IDS.citation);
const citationEtag = etagFor(CitationDetail);

const ownerOf = (noun: 'statement' | 'figure') => async (tx: Tx, id: string) => {
  const found =
    noun === 'statement'
      ? await tx.statement.findUnique({ where: { id }, select: { id: true } })
      : await tx.figure.findUnique({ where: { id }, select: { id: true } });
  if (!found) throw notFound(noun, id);
  return noun === 'statement' ? { statementId: id } : { figureId: id };
};

export const citationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app;
  const writeScope = app.requireScope('write');

  const addTo = (noun: 'statement' | 'figure') => ({
    schema: {
      operationId: noun === 'statement' ? 'addStatementCitation' : 'addFigureCitation',
      summary: `Add a citation to a ${noun}`,
      description:
        'Name an existing source by `sourceId`, or give a `source`: the one with the same URL is reused, otherwise it is created.',
      tags,
      security,
      params: idParams(EXAMPLE_IDS[noun]),
      headers: CreateHeaders,
      querystring: NoQuery,
      body: CitationCreate,
      response: { 201: CitationDetail, ...errors(400, 401, 403, 404, 410, 413, 415, 422) },
    },
    onRequest: writeScope,
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const { id } = req.params as { id: string };
      const created = await orGone(db, noun, id, () =>
        write(db, writeContext(req), async (w) => {
          const citation = await addCitation(w.tx, await ownerOf(noun)(w.tx, id), req.body as z.output<typeof CitationCreate>);
          return getCitation(w.tx, citation.id);
        }),
      );
      return reply.code(201).header('location', `/citations/${created.id}`).send(created);
    },
  });
  app.post('/statements/:id/citations', addTo('statement'));
  app.post('/figures/:id/citations', addTo('figure'));

  const provenance = (noun: 'statement' | 'figure') => ({
    schema: {
      operationId: noun === 'statement' ? 'statementProvenance' : 'figureProvenance',
      summary: `How a ${noun} reached each outlet that carries it`,
      description:
        'Each chain runs from a source that relays it from no other (the original bulletin, post or transcript) through every source that relayed it (a citation’s `relays`) to an outlet; `firstReported` is the earliest dated source.',
      tags,
      params: idParams(EXAMPLE_IDS[noun]),
      querystring: NoQuery,
      response: { 200: Provenance, ...errors(400, 404, 410) },
    },
    handler: (req: FastifyRequest) => {
      const { id } = req.params as { id: string };
      return orGone(db, noun, id, () => provenanceOf(db, noun, id));
    },
  });
  app.get('/statements/:id/provenance', provenance('statement'));
  app.get('/figures/:id/provenance', provenance('figure'));

  app.get('/citations/:id', {
    schema: {
      operationId: 'getCitation',
      summary: 'Get one citation',
      tags,
      params: CitationParams,
      querystring: z.strictObject({
        asOf: TimestampParam.optional().describe('Read the citation as it was at this time (RFC 3339).'),
      }),
      response: { 200: CitationDetail, ...errors(400, 404, 410) },
    },
    handler: (req) =>
      orGone(
        db,
        'citation',
        req.params.id,
        async () =>
          (req.query.asOf
            ? recordAsOf(db, 'citation', req.params.id, req.query.asOf)
            : getCitation(db.prisma, req.params.id)) as Promise<z.output<typeof CitationDetail>>,
      ),
  });

  app.patch('/citations/:id', {
    schema: {
      operationId: 'updateCitation',
      summary: 'Change a citation',
      tags,
      security,
      params: CitationParams,
      headers: ChangeHeaders,
      querystring: NoQuery,
      body: CitationUpdate,
      response: { 200: CitationDetail, ...errors(400, 401, 403, 404, 410, 412, 413, 415) },
    },
    onRequest: writeScope,
    handler: (req) =>
      orGone(db, 'citation', req.params.id, () =>
        write(db, writeContext(req), async (w) => {
          await w.lock('citation', req.params.id);
          assertIfMatch(req, citationEtag(await getCitation(w.tx, req.params.id)));
          return updateCitation(w.tx, req.params.id, req.body);
        }),
      ),
  });

  app.delete('/citations/:id', {
    schema: {
      operationId: 'deleteCitation',
      summary: 'Remove a citation',
      description: 'Refused with 409 when it is the only citation of its statement or figure.',
      tags,
      security,
      params: CitationParams,
      headers: DeleteHeaders,
      querystring: NoQuery,
      response: { 204: z.undefined().describe('Deleted.'), ...errors(400, 401, 403, 404, 409, 410, 412) },
    },
    onRequest: writeScope,
    handler: async (req, reply) => {
      await orGone(db, 'citation', req.params.id, () =>
        write(db, writeContext(req), async (w) => {
          await w.lock('citation', req.params.id);
          assertIfMatch(req, citationEtag(await getCitation(w.tx, req.params.id)));
          return deleteCitation(w.tx, req.params.id);
        }),
      );
      return reply.code(204).send();
    },
  });

  app.get('/citations/:id/history', {
    schema: {
      operationId: 'citationHistory',
      summary: 'Every revision of a citation',
      tags,
      params: CitationParams,
      querystring: z.strictObject({
        limit: pageQuery.limit,
        cursor: z.string().max(20).optional().describe('`nextCursor` from the previous page.'),
        ...formatParams,
      }),
      response: { 200: pageEnvelope(HistoryEntry), ...errors(400, 404) },
    },
    handler: (req, reply) =>
      sendList(req, reply, db, {
        name: `citation-${req.params.id}-history`,
        item: HistoryEntry,
        page: (d, _q, limit, cursor) => recordHistory(d, 'citation', req.params.id, limit, cursor),
      }),
  });
};
