import type { FastifyPluginAsync } from 'fastify';
import { registerCrud } from '../http/crud.js';
import { idParams } from '../http/schemas.js';
import { EXAMPLE_IDS } from '../seed/ids.js';
import { getFigure, listFigures } from './queries.js';
import { createFigure, deleteFigure, updateFigure } from './repository.js';
import { Figure, FigureCreate, FigureListQuery, FigureUpdate } from './schemas.js';

export const figureRoutes: FastifyPluginAsync = async (app) => {
  registerCrud(app, {
    path: '/figures',
    tag: 'Figures',
    noun: 'figure',
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
};
