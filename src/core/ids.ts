export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Write paths take an optional id so the seed and imports can give records stable ids; API input never carries one. */
export type WithId<T> = T & { id?: string };
