import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from './database.js';

/** Where the request being served reads: set per request by the plugin below. */
const route = new AsyncLocalStorage<{ replica: boolean }>();

/**
 * One handle on two databases (DATABASE_REPLICA_URL): what a request reads goes to the replica when the
 * plugin below chose it for that request, everything else to the primary: writes (the write door's
 * transactions), requests with credentials, work outside any request (start-up, key lookups in the
 * background, the seed). The routes keep using `app.db` as before. Closing it closes the primary; the
 * replica is closed by the plugin below.
 */
export function routedDatabase(primary: Database, replica: Database): Database {
  const pick = () => (route.getStore()?.replica ? replica : primary);
  return {
    ...primary,
    get prisma() {
      return pick().prisma;
    },
    query: (sql, params, options) => pick().query(sql, params, options),
    migrationAdapter: () => primary.migrationAdapter(),
  };
}

/** Sends the rest of this request's reads to the primary (the response cache files only what the primary says). */
export function readFromPrimary() {
  const store = route.getStore();
  if (store) store.replica = false;
}

/**
 * Anonymous reads (GET or HEAD without Authorization) go to the replica. A client that writes has a
 * key, and a read that carries it goes to the primary, so it always reads its own writes. The replica
 * is this app's to close.
 */
export const replicaRouting = fp<{ replica: Database }>(
  async (app: FastifyInstance, { replica }) => {
    app.addHook('onRequest', (req, _reply, done) => {
      const anonymousRead = (req.method === 'GET' || req.method === 'HEAD') && req.headers.authorization === undefined;
      // Hooks, handler and serialisation run inside done(): the choice follows every query they make.
      route.run({ replica: anonymousRead }, done);
    });
    app.addHook('onClose', async () => {
      await replica.close();
    });
  },
  { name: 'attest-replica-routing' },
);
