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
  if (route.schema instanceof z.ZodType) {
    try {
      return fastJson(z.toJSONSchema(route.schema, { target: 'draft-7', io: 'output', unrepresentable: 'throw' }) as never);
    } catch {
      // Unrepresentable in JSON Schema (e.g. z.undefined for 204): zod's own serializer below.
    }
  }
  return serializerCompiler(route);
};
