import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from './database.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

/** Makes the database handle available to routes. Its owner (src/server.ts or a test) opens and closes it. */
export const databasePlugin = fp<{ database: Database }>(async (app: FastifyInstance, { database }) => {
  app.decorate('db', database);
});
