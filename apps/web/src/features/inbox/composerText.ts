// Text rules of the composer: the 24-hour window, `@mention` and `/shortcut` detection at the
// caret, and which mentioned people are still named in a note. Pure, unit-tested.

export interface WindowState {
  open: boolean;
  /** Milliseconds until it closes; 0 when closed. */
  remainingMs: number;
}

/** WhatsApp's customer-service window: free text only until `windowExpiresAt`. */
export function windowState(windowExpiresAt: string | null, now: Date): WindowState {
  if (windowExpiresAt === null) return { open: false, remainingMs: 0 };
  const remainingMs = new Date(windowExpiresAt).getTime() - now.getTime();
  return Number.isNaN(remainingMs) || remainingMs <= 0
    ? { open: false, remainingMs: 0 }
    : { open: true, remainingMs };
}

/** Under this, the countdown is shown as a warning. */
export const WINDOW_WARNING_MS = 2 * 3_600_000;

export interface Token {
  /** Where the token (with its `@` or `/`) starts. */
  start: number;
  query: string;
}

/** `@ana` right before the caret, after a space or the start: the mention being typed. */
export function mentionAt(text: string, caret: number): Token | undefined {
  const before = text.slice(0, caret);
  const query = /(?:^|\s)@([\p{L}\p{N}._-]{0,40})$/u.exec(before)?.[1];
  if (query === undefined) return undefined;
  return { start: before.length - query.length - 1, query };
}

/** `/refund` as the whole text so far: a canned response being looked up. */
export function shortcutAt(text: string, caret: number): Token | undefined {
  const query = /^\/([a-z0-9_-]{0,50})$/i.exec(text.slice(0, caret))?.[1];
  return query === undefined ? undefined : { start: 0, query: query.toLowerCase() };
}

/** Replaces the token before the caret; returns the text and where the caret goes. */
export function replaceToken(
  text: string,
  token: Token,
  caret: number,
  insert: string,
): { text: string; caret: number } {
  const next = `${text.slice(0, token.start)}${insert}${text.slice(caret)}`;
  return { text: next, caret: token.start + insert.length };
}

export interface Mentionable {
  id: string;
  name: string;
}

/** The people picked while writing whose `@Name` is still in the body, each once. */
export function mentionedIds(body: string, picked: readonly Mentionable[]): string[] {
  const ids = new Set<string>();
  for (const person of picked) if (body.includes(`@${person.name}`)) ids.add(person.id);
  return [...ids];
}

/** People whose name starts a word matching the query, ignoring case and accents. */
export function matchPeople<T extends Mentionable>(people: readonly T[], query: string, limit = 6): T[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const q = fold(query);
  return people
    .filter(
      (p) =>
        fold(p.name)
          .split(/\s+/)
          .some((word) => word.startsWith(q)) || fold(p.name).startsWith(q),
    )
    .slice(0, limit);
}
