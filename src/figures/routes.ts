import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { cited } from '../http/citable.js';
import { crudOperations } from '../http/crud.js';
import { pageEnvelope } from '../core/pagination.js';
import { withNextLink } from '../http/link.js';
import { chosenFormat, sendList } from '../http/formats.js';
import { figureDiscrepancies, figureSeries, latestFigures } from './analysis.js';
import { errors, idParams } from '../http/schemas.js';
import { EXAMPLE_IDS } from '../seed/ids.js';
import { getFigure, listFigures } from './queries.js';
import { createFigure, deleteFigure, updateFigure } from './repository.js';
import {
  Discrepancy,
  DiscrepancyQuery,
  Figure,
  FigureCreate,
  FigureListQuery,
  FigureUpdate,
  LatestQuery,
  Series,
  SeriesQuery,
  type DiscrepancyInput,
  type SeriesInput,
} from './schemas.js';

const tags = ['Figures'];

export const figureRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/figures/series', {
    schema: {
      operationId: 'figureSeries',
      summary: 'How one reporter’s figure for a metric changed over time',
      description:
        'Every figure of `metric` reported by `reporter`, oldest as-of first, each with its qualifier and sources; a page of `limit` points at a time, the next one at `nextCursor` (and in the Link header).',
      tags,
      querystring: SeriesQuery,
      response: { 200: Series, ...errors(400) },
    },
    // CSV and NDJSON carry the points, one figure a row; JSON keeps the series' envelope.
    handler: async (req, reply) => {
      if (chosenFormat(req) === 'json') return cited(withNextLink(req, reply, await figureSeries(app.db, req.query)));
      await sendList(req, reply, app.db, {
        name: 'figure-series',
        item: Figure,
        page: async (db, q: SeriesInput, limit, cursor) => {
          const series = await figureSeries(db, { ...q, limit, cursor });
          return { data: series.points, nextCursor: series.nextCursor };
        },
      });
      return reply;
    },
  });

  r.get('/figures/latest', {
    schema: {
      operationId: 'latestFigures',
      summary: 'The latest figure per metric, reporter, area and population',
      tags,
      querystring: LatestQuery,
      response: { 200: pageEnvelope(Figure), ...errors(400) },
    },
    handler: (req, reply) =>
      sendList(req, reply, app.db, {
        name: 'latest-figures',
        item: Figure,
        page: (db, q, limit, cursor) => latestFigures(db, { ...q, limit, cursor }),
      }),
  });

  r.get('/figures/discrepancies', {
    schema: {
      operationId: 'figureDiscrepancies',
      summary: 'Figures that cannot both be true',
      description:
        'Pairs of figures of one metric, area and population, and of one kind (running totals from the same start, or counts for a period), whose as-of dates fall within `window` days and which cannot both be true, each with its `kind` and an `explanation`. Running totals for the same date must allow a common value; a later running total below an earlier one is a `regression` (a higher one is growth, and never listed); a count for a period above the count for a period containing it is a `conflict`. A reporter contradicting itself is a `revision`. Bounds follow the qualifiers ("at least 7,000" has no upper bound). Ordered by metric, area, population and the first figure’s as-of date. Each request examines a bounded number of figures and pairs: a page may hold fewer than `limit` pairs (even none) and still have a `nextCursor`; follow it until it is null to see every pair.',
      tags,
      querystring: DiscrepancyQuery,
      response: { 200: pageEnvelope(Discrepancy), ...errors(400) },
    },
    handler: (req, reply) =>
      sendList(req, reply, app.db, {
        name: 'figure-discrepancies',
        item: Discrepancy,
        page: (db, q: DiscrepancyInput, limit, cursor) => figureDiscrepancies(db, { ...q, limit, cursor }),
      }),
  });

  const figures = crudOperations(app, {
    resource: 'figure',
    path: '/figures',
    tag: 'Figures',
    params: idParams(EXAMPLE_IDS.figure),
    schemas: { item: Figure, create: FigureCreate, update: FigureUpdate, list: FigureListQuery },
    describe: {
      list: 'Latest as-of date first by default. Each figure comes with its reporter and citations.',
      create:
        'Created together with its citations (at least one). Bounds default to what the qualifier implies: at_least 7000 gives lowerBound 7000 and no upperBound.',
      delete: 'Its citations go with it.',
    },
    list: listFigures,
    get: getFigure,
    create: createFigure,
    update: updateFigure,
    remove: deleteFigure,
  });
  app.get('/figures', figures.list('listFigures', 'List and filter figures'));
  app.post('/figures', figures.create('createFigure', 'Create a figure with its citations'));
  app.get('/figures/:id', figures.get('getFigure', 'Get one figure'));
  app.patch('/figures/:id', figures.update('updateFigure', 'Change some fields of a figure'));
  app.delete('/figures/:id', figures.remove('deleteFigure', 'Delete a figure'));
  app.get('/figures/:id/history', figures.history('figureHistory', 'Every revision of a figure'));
};
