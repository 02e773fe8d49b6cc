import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Responses are written by fast-json-stringify, compiled from each route's zod
 * schema (as JSON Schema): measured at about half the cost of the zod
 * serializer, which encodes every response through zod before JSON.stringify
 * (bench/README.md). The shape stays the zod schema's: fields it does not
 * declare are dropped, as with zod. A schema JSON Schema cannot express keeps
 * zod's serializer.
 */
export const fastSerializerCompiler: FastifySerializerCompiler<z.ZodType | { properties: z.ZodType }> = (route) => {
  // Compiled on first use: most routes declare several error statuses that are rarely answered, and
  // compiling all of them up front was half of the start-up time (bench/README.md, Compiled and lean).
  let serialize: ((data: unknown) => string) | undefined;
  return (data) => (serialize ??= compileNow(route))(data);
};

const compileNow: FastifySerializerCompiler<z.ZodType | { properties: z.ZodType }> = (route) => {
  if (route.schema instanceof z.ZodType) {
    try {
      const schema = z.toJSONSchema(route.schema, { target: 'draft-7', io: 'output', unrepresentable: 'throw' });
      return fastJson(nullableAsTypeList(schema, schema) as never);
    } catch {
      // Unrepresentable in JSON Schema (e.g. z.undefined for 204): zod's own serializer below.
    }
  }
  return serializerCompiler(route);
};

type Json = { [key: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `anyOf: [X, {type: "null"}]` → X with `type: [X.type, "null"]`. Both say the
 * same, but fast-json-stringify picks an `anyOf` branch by running ajv on every
 * value (1.7% of the request's CPU on a statements page), a type list by a
 * null check. Local `$ref`s to a definition are inlined to get at their type.
 */
function nullableAsTypeList(node: unknown, root: Json): unknown {
  if (Array.isArray(node)) return node.map((n) => nullableAsTypeList(n, root));
  if (!isObject(node)) return node;
  const out: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, nullableAsTypeList(v, root)]));
  const branches = out.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return out;
  const nullAt = branches.findIndex((b) => isObject(b) && b.type === 'null' && Object.keys(b).length === 1);
  if (nullAt < 0) return out;
  const other = resolve(branches[1 - nullAt], root);
  if (!isObject(other) || typeof other.type !== 'string') return out;
  const { anyOf: _, ...rest } = out;
  return {
    ...other,
    ...rest,
    type: [other.type, 'null'],
    ...(Array.isArray(other.enum) ? { enum: [...other.enum, null] } : {}),
  };
}

function resolve(node: unknown, root: Json): unknown {
  if (!isObject(node) || typeof node.$ref !== 'string' || !node.$ref.startsWith('#/')) return node;
  const target = node.$ref
    .slice(2)
    .split('/')
    .reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), root);
  return target === undefined ? node : target;
}

/** The serializer a GET route with this 200 schema gets: the same bytes, for ETags and history snapshots. */
export const compileSerializer = (schema: z.ZodType) =>
  fastSerializerCompiler({ schema, method: 'GET', url: '', httpStatus: '200' }) as (value: unknown) => string;
