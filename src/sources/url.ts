// Parameters that only say how a reader arrived, not which page it is.
const TRACKING = /^(utm_.*|fbclid|gclid|mc_cid|mc_eid|igshid|ref_src|ref_url)$/i;

/**
 * The canonical form under which a source's URL is stored and looked up, so
 * the same page cited twice under two spellings is one source: scheme and host
 * in lower case, no default port, no fragment, no tracking parameters, the
 * remaining parameters sorted, no trailing slash.
 */
export function normalizeUrl(input: string): string {
  const url = new URL(input.trim());
  url.hash = '';
  const kept = [...url.searchParams].filter(([k]) => !TRACKING.test(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = new URLSearchParams(kept).toString();
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/, '');
  return url.toString();
}
