import { z } from 'zod';

export const RevisionAction = z.enum(['create', 'update', 'delete']).describe('What the revision did to the record.');

export const HistoryEntry = z
  .object({
    revision: z.number().int().describe('1 for the creation, then one more for each change.'),
    action: RevisionAction,
    at: z.string().describe('When the change was committed (RFC 3339, UTC).'),
    by: z.string().describe('The name of the API key that made the change (`seed` for the seed data).'),
    reason: z.string().nullable().describe('The Change-Reason sent with the change.'),
    changes: z
      .array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() }))
      .describe('Each field the revision changed, before → after (on creation, every field set).'),
    record: z.record(z.string(), z.unknown()).nullable().describe('The record as it stood after the change; null once deleted.'),
  })
  .meta({ id: 'HistoryEntry' });

export const Change = z
  .object({
    resource: z.enum(['actor', 'source', 'statement', 'figure', 'citation', 'relation']),
    id: z.uuid(),
    action: RevisionAction,
    revision: z.number().int(),
    at: z.string(),
    by: z.string(),
    reason: z.string().nullable(),
    url: z.string().describe('Where the record is (410 once deleted); add /history for its revisions.'),
  })
  .meta({ id: 'Change' });
