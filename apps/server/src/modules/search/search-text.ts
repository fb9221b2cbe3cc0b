// Pure text work for search: building a tsquery from lexemes (never from user text), LIKE patterns,
// phone digits, and snippets of a message's original text around what matched.

/**
 * A tsquery (text form) requiring every lexeme, the last one as a prefix (`joã` finds `João` while
 * typing). Each lexeme is quoted, with quotes and backslashes doubled, so no character of the
 * user's query can become tsquery syntax (`& | ! ( ) : * <->`). Undefined when nothing is left.
 */
export function prefixQuery(lexemes: readonly string[]): string | undefined {
  const unique = [...new Set(lexemes.filter((l) => l.length > 0))];
  if (unique.length === 0) return undefined;
  const last = unique.length - 1;
  return unique
    .map((l, i) => `'${l.replaceAll('\\', '\\\\').replaceAll("'", "''")}'${i === last ? ':*' : ''}`)
    .join(' & ');
}

/** `%word%` with LIKE's `%`, `_` and escape character matching literally. */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The words of an already folded query, for fragment matching. */
export function wordsOf(folded: string): string[] {
  return folded.split(/\s+/).filter((w) => w.length > 0);
}

/** The digits of a query that looks like a phone number (`+55 (11) 9-8`), else undefined. */
export function phoneDigits(q: string): string | undefined {
  if (!/^[\d\s+().-]+$/.test(q)) return undefined;
  const digits = q.replace(/\D/g, '');
  return digits.length > 0 ? digits : undefined;
}

// Characters unaccent turns into two letters, which canonical decomposition does not.
const SPECIAL_FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd' };

/** Folds one character as sb_fold does for Latin scripts: no marks, lower case. */
function foldChar(c: string): string {
  const lower = c.toLowerCase();
  return SPECIAL_FOLDS[lower] ?? lower.normalize('NFD').replace(/\p{M}+/gu, '');
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

export interface Snippet {
  text: string;
  /** Where the query's words are in `text`, for highlighting. */
  highlights: { start: number; length: number }[];
}

/**
 * A window of `width` characters of the original text (accents and case kept) around the first
 * place a word starts with one of `lexemes`, compared folded. The start of the text when none is
 * found (a match the folding here does not reproduce).
 */
export function snippetOf(original: string, lexemes: readonly string[], width = 160): Snippet {
  const text = original.replace(/\s+/g, ' ').trim();
  // The folded text, and for each of its positions the position in `text` it came from.
  let folded = '';
  const origin: number[] = [];
  let i = 0;
  for (const c of text) {
    const f = foldChar(c);
    folded += f;
    for (let k = 0; k < f.length; k++) origin.push(i);
    i += c.length;
  }
  origin.push(text.length);
  const originOf = (k: number) => origin[k] ?? text.length;
  const terms = [...new Set(lexemes.filter((l) => l.length > 0))];
  const hits: { start: number; end: number }[] = [];
  for (const term of terms) {
    for (let at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) {
      if (at > 0 && WORD_CHAR.test(folded.charAt(at - 1))) continue;
      // The whole word is highlighted, also where the term is its prefix.
      let stop = at + term.length;
      while (stop < folded.length && WORD_CHAR.test(folded.charAt(stop))) stop++;
      hits.push({ start: originOf(at), end: originOf(stop) });
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const first = hits[0]?.start ?? 0;
  let start = Math.max(0, Math.min(first - Math.floor(width / 3), text.length - width));
  // Begin at a word: back to the space before the window's first word, unless that is far.
  const wordStart = text.lastIndexOf(' ', start) + 1;
  if (start > 0 && start - wordStart < width / 3) start = wordStart;
  const end = Math.min(text.length, start + width);
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const highlights: Snippet['highlights'] = [];
  let covered = start;
  for (const h of hits) {
    if (h.start < covered || h.end > end) continue; // outside the window, or overlapping the last
    highlights.push({ start: h.start - start + prefix.length, length: h.end - h.start });
    covered = h.end;
  }
  return { text: `${prefix}${text.slice(start, end)}${suffix}`, highlights };
}
