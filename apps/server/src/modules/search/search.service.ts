// Search within an organization: messages by words (full text, accent- and case-insensitive, the
// last word a prefix) and contacts by fragments of their names or phone digits. Every query runs
// in the tenant's transaction and names the tenant.
import { z } from 'zod';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import {
  containsPattern,
  phoneDigits,
  prefixQuery,
  snippetOf,
  wordsOf,
  type Snippet,
} from './search-text.ts';
import { searchRepo, type ContactHitRow, type MessageHitRow } from './search.repo.ts';

export const searchTypes = ['all', 'messages', 'contacts'] as const;
export type SearchType = (typeof searchTypes)[number];

export interface SearchQuery {
  /** Trimmed, 1 to 200 characters (checked by the route). */
  q: string;
  type: SearchType;
  cursor?: string | undefined;
  limit: number;
}

export type MessageHit = Omit<MessageHitRow, 'text' | 'rank'> & { snippet: Snippet };
export type ContactHit = Omit<ContactHitRow, 'rank'>;

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SearchResult {
  /** null when not searched (`type=contacts`). */
  messages: Page<MessageHit> | null;
  /** null when not searched (`type=messages`). */
  contacts: Page<ContactHit> | null;
}

// Opaque keyset cursors: base64url of the last hit's kind, rank (PostgreSQL's own text for the
// `real`, so it compares exactly) and keys. Shape-checked, so a forged one is a 400, never a 500.
const rankText = z.string().regex(/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i);
const cursorSchema = z.union([
  z.tuple([z.literal('messages'), rankText, z.iso.datetime(), z.uuid()]),
  z.tuple([z.literal('contacts'), rankText, z.uuid()]),
]);
type Cursor = z.infer<typeof cursorSchema>;

const encode = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function badCursor(message: string): AppError {
  return new AppError('validation_failed', 'The cursor is not valid.', {
    errors: [{ path: 'query.cursor', message }],
  });
}

function decode(cursor: string | undefined, type: SearchType): Cursor | undefined {
  if (cursor === undefined) return undefined;
  let parsed: Cursor;
  try {
    parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw badCursor('Not a cursor returned by this endpoint');
  }
  if (parsed[0] !== type) {
    throw badCursor(`This cursor continues ${parsed[0]}: pass type=${parsed[0]} with it`);
  }
  return parsed;
}

function pageOf<R extends { rank: string }, T>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
  cursorOf: (row: R) => Cursor,
): Page<T> {
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items: rows.slice(0, limit).map(present), nextCursor: last ? encode(cursorOf(last)) : null };
}

export function createSearchService(deps: { database: Database }) {
  const { database } = deps;

  /**
   * Private notes are included: whoever may search (`conversations.read`, users and API keys alike)
   * already reads them in the conversation's history.
   */
  async function search(tenantId: string, query: SearchQuery): Promise<SearchResult> {
    const after = decode(query.cursor, query.type);
    const { limit } = query;
    return database.tenant(tenantId, async (tx) => {
      const repo = searchRepo(tx);
      const { folded, lexemes } = await repo.analyze(query.q);
      const result: SearchResult = { messages: null, contacts: null };
      if (query.type !== 'contacts') {
        const tsquery = prefixQuery(lexemes);
        const from =
          after?.[0] === 'messages' ? { rank: after[1], at: new Date(after[2]), id: after[3] } : undefined;
        const rows = tsquery ? await repo.messages(tenantId, { tsquery, after: from }, limit + 1) : [];
        result.messages = pageOf(
          rows,
          limit,
          ({ text, rank: _rank, ...hit }) => ({ ...hit, snippet: snippetOf(text, lexemes) }),
          (r) => ['messages', r.rank, r.occurredAt.toISOString(), r.id],
        );
      }
      if (query.type !== 'messages') {
        const from = after?.[0] === 'contacts' ? { rank: after[1], id: after[2] } : undefined;
        // A phone-like query matches by its digits alone: its fragments as words (`11`, `+55`)
        // would only add noise, and slow trigram scans.
        const digits = phoneDigits(query.q);
        const search = digits
          ? { digits, after: from }
          : { folded, patterns: wordsOf(folded).map(containsPattern), after: from };
        const rows = await repo.contacts(tenantId, search, limit + 1);
        result.contacts = pageOf(
          rows,
          limit,
          ({ rank: _rank, ...hit }) => hit,
          (r) => ['contacts', r.rank, r.id],
        );
      }
      return result;
    });
  }

  return { search };
}

export type SearchService = ReturnType<typeof createSearchService>;
