/**
 * The address of a list's CSV export: the list's own query (the same filters and sort), without the
 * page (`limit`, `cursor`), since the file is every page. Lists repeat their key (`status=a&status=b`),
 * as the API reads them.
 */
type QueryValue = string | number | boolean | readonly (string | number)[] | null | undefined;

export function csvHref(path: string, query: Readonly<Record<string, QueryValue>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key === 'limit' || key === 'cursor' || value === undefined || value === null) continue;
    const values = typeof value === 'object' ? value : [value];
    for (const item of values) params.append(key, String(item));
  }
  const search = params.toString();
  return search === '' ? path : `${path}?${search}`;
}
