// Query strings for API paths: undefined and empty values are left out, so a filter that is not
// set is not sent (the server's defaults apply).

export type QueryValue = string | number | boolean | undefined | null;

export function withQuery(path: string, params: Readonly<Record<string, QueryValue>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** Options for requestApi carrying the signal only when there is one (exactOptionalPropertyTypes). */
export function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}
