/** The phone page of the simulator a number points at, when one does (loopback Graph origins only). */
export function simulatorUrl(
  numbers: readonly { graphBaseUrl: string }[],
  metaOrigin: string,
): string | undefined {
  for (const n of numbers) {
    if (n.graphBaseUrl === metaOrigin || !URL.canParse(n.graphBaseUrl)) continue;
    const url = new URL(n.graphBaseUrl);
    if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return `${url.origin}/`;
  }
  return undefined;
}
