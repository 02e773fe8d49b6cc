import { z } from 'zod';
import { Timestamp, Uuid } from '../http/schemas.js';

export const KeyScope = z
  .enum(['write', 'admin'])
  .describe('`write`: create, change and delete records. `admin`: that, and manage keys.')
  .meta({ id: 'KeyScope' });

/** Names that history already uses for writers that are not stored keys. */
export const RESERVED_KEY_NAMES = ['admin', 'seed'] as const;

export const KeyName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}\p{Cs}]+$/u, 'must not contain control characters')
  .refine((n) => !(RESERVED_KEY_NAMES as readonly string[]).includes(n.toLowerCase()), {
    message: `'admin' and 'seed' are reserved: history uses them for ADMIN_KEY and the seed data`,
  })
  .describe('Who holds the key (a person, newsroom or tool). History shows it beside every change made with the key.');

export const KeyCreate = z
  .strictObject({ name: KeyName, scope: KeyScope })
  .meta({ id: 'KeyCreate', example: { name: 'newsroom-importer', scope: 'write' } });

export const Key = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scope: KeyScope,
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable().describe('When the key last authenticated a request (recorded at most once a minute).'),
    revokedAt: Timestamp.nullable().describe('When the key was revoked; it has not worked since.'),
  })
  .meta({ id: 'Key' });

export const CreatedKey = Key.extend({
  key: z
    .string()
    .describe('The secret, shown this once and never again: only its hash is stored. Send it as `Authorization: Bearer <key>`.'),
}).meta({ id: 'CreatedKey' });

export const KeyList = z.object({ data: z.array(Key) });

export const KeyParams = z.strictObject({
  // No key exists on a fresh start: "Try it out" with this example answers 404 and revokes nothing.
  id: Uuid.describe('Key id (UUID), as GET /keys lists it.').meta({ example: '00000000-0000-4000-8000-000000000000' }),
});

export type KeyScope = z.infer<typeof KeyScope>;
export type Key = z.infer<typeof Key>;
