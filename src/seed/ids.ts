import { createHash } from 'node:crypto';

/**
 * Seed records get ids derived from their seed keys (name-based UUIDs, version
 * 5 layout), so every fresh database has the same ids and the examples in the
 * OpenAPI document work in Swagger UI's "Try it out".
 */
export function seedId(key: string): string {
  const h = createHash('sha1').update(`attest-seed:${key}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const citationSeedId = (owner: string, index: number) => seedId(`citation:${owner}:${index}`);

/** Ids of seed records that the API documentation uses as examples. */
export const EXAMPLE_IDS = {
  statement: seedId('statement:x-post-genocide-stop-now'),
  figure: seedId('figure:moh-killed-2024-03'),
  source: seedId('source:pc-article'),
  citation: citationSeedId('statement:x-post-genocide-stop-now', 0),
  relation: seedId('relation:israeli-media-disputes-israel'),
};
