import { figures, statements } from '../../src/seed/data.js';
import { seedId } from '../../src/seed/ids.js';

/** Lookups into the seed dataset, so tests derive what they expect from it instead of copying output. */

export type SeedStatement = (typeof statements)[number];
export type SeedFigure = (typeof figures)[number];

export const sid = (key: string) => seedId(`statement:${key}`);
export const fid = (key: string) => seedId(`figure:${key}`);

/** Sorted ids of the seed statements (or figures) that `keep` selects. */
export const seededStatements = (keep: (s: SeedStatement) => boolean) =>
  statements
    .filter(keep)
    .map((s) => sid(s.key))
    .sort();
export const seededFigures = (keep: (f: SeedFigure) => boolean) =>
  figures
    .filter(keep)
    .map((f) => fid(f.key))
    .sort();

export const DIAZ = 'miguel-diaz-canel';
export const RAISI = 'ebrahim-raisi';
export const MOH = 'gaza-ministry-of-health';
export const TEHRAN = seedId('source:tehran-meeting-article');

/** The first day of the period a partial date names (2024-03 → 2024-03-01). */
export const periodStart = (d: string) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);
