export interface Segment {
  text: string;
  match: boolean;
}

/** Cuts a snippet into plain and matching parts; overlapping or out-of-range highlights are ignored. */
export function highlightSegments(
  text: string,
  highlights: readonly { start: number; length: number }[],
): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const h of [...highlights].sort((a, b) => a.start - b.start)) {
    if (h.start < at || h.length <= 0 || h.start + h.length > text.length) continue;
    if (h.start > at) segments.push({ text: text.slice(at, h.start), match: false });
    segments.push({ text: text.slice(h.start, h.start + h.length), match: true });
    at = h.start + h.length;
  }
  if (at < text.length) segments.push({ text: text.slice(at), match: false });
  return segments;
}
