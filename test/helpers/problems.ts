/** The distinct field names a problem's `errors` point at, sorted. */
export function fieldsOf(body: { errors?: { field: string }[] }): string[] {
  return [...new Set((body.errors ?? []).map((e) => e.field))].sort();
}

export const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
