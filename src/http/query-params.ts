import { z } from 'zod';
import { listParam } from './schemas.js';

/** `true`/`false` in a query string (zod's coerce.boolean would turn "false" into true). */
export const BoolParam = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional()
  .default(false);

/** `include=actor,sources` or repeated `include=actor&include=sources`. */
export const includeParam = <const T extends readonly [string, ...string[]]>(values: T) =>
  listParam(z.enum(values)).optional().default([]);
