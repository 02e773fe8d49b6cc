import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { z } from 'zod';
import { citeFigure } from '../figures/cite.js';
import { Figure } from '../figures/schemas.js';
import { citeStatement } from '../statements/cite.js';
import { Statement } from '../statements/schemas.js';
import type { Cited } from '../history/citable.js';
import { baseUrl } from './link.js';

/**
 * Statements and figures are answered with the revision they show (read with them), its permalink
 * and a citation line; the last two depend on the address the client reached (PUBLIC_URL), so they
 * are added here, in one place, for every answer whose schema holds a Statement or a Figure: any
 * route, JSON through the preSerialization hook below, CSV and NDJSON lists through sendList, and
 * the ETag a write compares If-Match with through crud.
 */

type Json = Record<string, unknown>;
type Cite = (record: Json, revision: number, permalink: string) => string;

// By definition rather than by schema object: `.describe()` and `.meta()` copy a schema and keep its definition.
const CITABLE = new Map<unknown, { path: string; cite: Cite }>([
  [Statement._zod.def, { path: '/statements', cite: citeStatement }],
  [Figure._zod.def, { path: '/figures', cite: citeFigure }],
]);

type Decorate = (value: unknown, base: string) => void;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function decorateRecord(record: unknown, { path, cite }: { path: string; cite: Cite }, base: string) {
  if (!isObject(record) || typeof record.revision !== 'number') return;
  const permalink = `${base}${path}/${record.id}?revision=${record.revision}`;
  record.permalink = permalink;
  record.citeAs = cite(record, record.revision, permalink);
}

/** Where in a value of this schema statements and figures are, as a function that decorates them; null when nowhere. */
function locate(schema: z.ZodType, depth = 0): Decorate | null {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const citable = CITABLE.get(def);
  if (citable) return (value, base) => decorateRecord(value, citable, base);
  if (depth > 20) return null;
  const inner = (s: unknown) => locate(s as z.ZodType, depth + 1);
  switch (def.type) {
    case 'object': {
      const fields = Object.entries(def.shape as Record<string, unknown>)
        .map(([key, s]) => [key, inner(s)] as const)
        .filter((f): f is [string, Decorate] => f[1] !== null);
      if (!fields.length) return null;
      return (value, base) => {
        if (isObject(value)) for (const [key, decorate] of fields) decorate(value[key], base);
      };
    }
    case 'array': {
      const element = inner(def.element);
      return element && ((value, base) => Array.isArray(value) && value.forEach((v) => element(v, base)));
    }
    case 'tuple': {
      const items = (def.items as unknown[]).map(inner);
      if (!items.some(Boolean)) return null;
      return (value, base) => Array.isArray(value) && items.forEach((item, i) => item?.(value[i], base));
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return inner(def.innerType);
    case 'pipe':
      return inner(def.out);
    case 'union': {
      const options = (def.options as unknown[]).map(inner).filter((o): o is Decorate => o !== null);
      return options.length ? (value, base) => options.forEach((o) => o(value, base)) : null;
    }
    default:
      return null;
  }
}

const located = new WeakMap<object, Decorate | null>();

/** What decorates the statements and figures in a value of this schema; null when it holds none. */
export function decoratorFor(schema: unknown): Decorate | null {
  if (typeof schema !== 'object' || schema === null || !('_zod' in schema)) return null;
  let decorate = located.get(schema);
  if (decorate === undefined) located.set(schema, (decorate = locate(schema as z.ZodType)));
  return decorate;
}

/** Adds permalink and citeAs to the statements and figures in `value` (in place), as `req` reached this server. */
export function decorate<T>(req: FastifyRequest, schema: z.ZodType, value: T): T {
  decoratorFor(schema)?.(value, baseUrl(req));
  return value;
}

/** A value as the hook below will answer it: its type gains what the hook adds; nothing happens here. */
export const cited = <T>(value: T) => value as Cited<T>;

/** Every JSON answer: the response schema of its status says where its statements and figures are. */
export const citable = fp(
  async (app: FastifyInstance) => {
    app.addHook('preSerialization', (req, reply, payload, done) => {
      const schemas = req.routeOptions.schema?.response as Record<string, unknown> | undefined;
      decoratorFor(schemas?.[reply.statusCode])?.(payload, baseUrl(req));
      done(null, payload);
    });
  },
  { name: 'attest-citable' },
);
