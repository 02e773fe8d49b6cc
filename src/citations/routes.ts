import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NoContent, errors, idParams } from '../http/schemas.js';
import { EXAMPLE_IDS } from '../seed/ids.js';
import { notFound } from '../core/problems.js';
import type { Tx } from '../db/database.js';
import { type CitationTarget, addCitation, deleteCitation, getCitation, updateCitation } from './repository.js';
import { CitationCreate, CitationDetail, CitationUpdate } from './schemas.js';

const tags = ['Citations'];

const CitationParams = idParams(EXAMPLE_IDS.citation);

const targets = {
  statement: async (tx: Tx, id: string): Promise<CitationTarget> => {
    if (!(await tx.statement.findUnique({ where: { id }, select: { id: true } }))) throw notFound('statement', id);
    return { statementId: id };
  },
  figure: async (tx: Tx, id: string): Promise<CitationTarget> => {
    if (!(await tx.figure.findUnique({ where: { id }, select: { id: true } }))) throw notFound('figure', id);
    return { figureId: id };
  },
};

export const citationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { prisma } = app.db;

  for (const [noun, target] of Object.entries(targets) as [keyof typeof targets, (typeof targets)[keyof typeof targets]][]) {
    app.post(`/${noun}s/:id/citations`, {
      schema: {
        operationId: `add${noun[0].toUpperCase()}${noun.slice(1)}Citation`,
        summary: `Add a citation to a ${noun}`,
        description:
          'Name an existing source by `sourceId`, or give a `source`: the one with the same URL is reused, otherwise it is created.',
        tags,
        params: idParams(EXAMPLE_IDS[noun]),
        body: CitationCreate,
        response: { 201: CitationDetail, ...errors(400, 404, 413, 415) },
      },
      handler: async (req, reply) => {
        const created = await prisma.$transaction(async (tx) => addCitation(tx, await target(tx, req.params.id), req.body));
        return reply.code(201).header('location', `/citations/${created.id}`).send(created);
      },
    });
  }

  app.get('/citations/:id', {
    schema: {
      operationId: 'getCitation',
      summary: 'Get one citation',
      tags,
      params: CitationParams,
      response: { 200: CitationDetail, ...errors(400, 404) },
    },
    handler: (req) => getCitation(prisma, req.params.id),
  });

  app.patch('/citations/:id', {
    schema: {
      operationId: 'updateCitation',
      summary: 'Change a citation',
      tags,
      params: CitationParams,
      body: CitationUpdate,
      response: { 200: CitationDetail, ...errors(400, 404, 413, 415) },
    },
    handler: (req) => prisma.$transaction((tx) => updateCitation(tx, req.params.id, req.body)),
  });

  app.delete('/citations/:id', {
    schema: {
      operationId: 'deleteCitation',
      summary: 'Remove a citation',
      description: 'Refused with 409 when it is the only citation of its statement or figure.',
      tags,
      params: CitationParams,
      response: { 204: NoContent, ...errors(400, 404, 409) },
    },
    handler: async (req, reply) => {
      await prisma.$transaction((tx) => deleteCitation(tx, req.params.id));
      return reply.code(204).send();
    },
  });
};
