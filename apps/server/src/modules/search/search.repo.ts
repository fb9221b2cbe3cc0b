// Full-text search over messages and contacts. The document expressions below are exactly those of
// the indexes in drizzle/0005_search.sql (messages_search_idx, contacts_search_idx): the planner
// matches an index by its expression, so changing one here without a migration loses the index.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { contacts } from '../contacts/contacts.tables.ts';
import { messages } from '../conversations/conversations.tables.ts';

/** A message's searchable text, folded (no accents, lower case), as a tsvector: messages_search_idx. */
const messageDocument = sql`to_tsvector('simple', sb_fold(sb_message_text(${messages.content})))`;

/** A contact's names and phone digits, folded, for trigram matching: contacts_search_idx. */
const contactHaystack = sql`sb_fold(coalesce(${contacts.name}, '') || ' ' || coalesce(${contacts.profileName}, '')
  || ' ' || coalesce(${contacts.waId}, '') || ' ' || coalesce(${contacts.phoneE164}, ''))`;

/** Hyphenated compounds: their parts are indexed too, and a partial last part must still match. */
const COMPOUND_TOKENS = ['asciihword', 'hword', 'numhword'];

export interface MessageSearch {
  /** A tsquery in its text form, built from lexemes (see search.service.ts): never user text. */
  tsquery: string;
  /** Keyset: hits strictly after this (rank, occurredAt, id) in best-first order. */
  after?: { rank: string; at: Date; id: string } | undefined;
}

/** Either every word (folded) as a fragment, or phone digits; plus the keyset. */
export type ContactSearch = (
  | {
      /** The folded query, for similarity. */
      folded: string;
      /** LIKE patterns (already escaped) the haystack must all match. */
      patterns: string[];
    }
  | {
      /** Digits found anywhere in the WhatsApp id or phone number. */
      digits: string;
    }
) & {
  /** Keyset: hits strictly after this (score, id) in best-first order. */
  after?: { rank: string; id: string } | undefined;
};

export const searchRepo = (tx: Executor) => ({
  /**
   * Folds the query as the indexes fold their text (sb_fold) and splits it with the same parser
   * the message index uses, so each lexeme is one the index may hold. In the order typed.
   */
  async analyze(q: string): Promise<{ folded: string; lexemes: string[] }> {
    // Both engines' drivers answer `execute` with `{ rows }`; the executor's union type does not say so.
    const result: unknown = await tx.execute(sql`
      select sb_fold(${q}) as folded,
        (select json_agg(d.lexemes[1] order by d.n)
         from ts_debug('simple', sb_fold(${q})) with ordinality
           as d(alias, description, token, dictionaries, dictionary, lexemes, n)
         where cardinality(d.lexemes) > 0
           and d.alias not in (${sql.join(
             COMPOUND_TOKENS.map((t) => sql`${t}`),
             sql`, `,
           )})) as lexemes`);
    const [row] = (result as { rows: { folded: string | null; lexemes: string[] | null }[] }).rows;
    return { folded: row?.folded ?? '', lexemes: row?.lexemes ?? [] };
  },

  /**
   * Messages matching the query, best rank first, then the most recent. The page's ids come from
   * sb_message_hits (drizzle/0008), which uses the whole search index; the rows are then read here,
   * under row-level security, and ranked again (the same ts_rank on the page's rows only).
   */
  async messages(tenantId: string, search: MessageSearch, limit: number) {
    const query = sql`${search.tsquery}::tsquery`;
    const rank = sql`ts_rank(${messageDocument}, ${query})`;
    const a = search.after;
    const keyset = a
      ? sql`where (h.rank, h.occurred_at, h.id) < (${a.rank}::real, ${a.at.toISOString()}::timestamptz, ${a.id}::uuid)`
      : sql``;
    const page = sql`select h.id from sb_message_hits(${query}) h ${keyset}
      order by h.rank desc, h.occurred_at desc, h.id desc limit ${limit}`;
    const where: (SQL | undefined)[] = [eq(messages.tenantId, tenantId), sql`${messages.id} in (${page})`];
    // The page is picked from messages alone, then joined to its contacts: ranking needs every
    // match, the join only the page.
    const hits = tx
      .select({
        id: messages.id,
        conversationId: messages.conversationId,
        contactId: messages.contactId,
        direction: messages.direction,
        type: messages.type,
        occurredAt: messages.occurredAt,
        text: sql<string>`sb_message_text(${messages.content})`.as('text'),
        rank: sql<string>`${rank}::text`.as('rank'),
      })
      .from(messages)
      .where(and(...where))
      .orderBy(desc(rank), desc(messages.occurredAt), desc(messages.id))
      .limit(limit)
      .as('hits');
    return tx
      .select({
        id: hits.id,
        conversationId: hits.conversationId,
        direction: hits.direction,
        type: hits.type,
        occurredAt: hits.occurredAt,
        text: hits.text,
        rank: hits.rank,
        contact: {
          id: contacts.id,
          name: contacts.name,
          profileName: contacts.profileName,
          waId: contacts.waId,
          phoneE164: contacts.phoneE164,
        },
      })
      .from(hits)
      .innerJoin(contacts, and(eq(contacts.tenantId, tenantId), eq(contacts.id, hits.contactId)))
      .orderBy(desc(sql`${hits.rank}::real`), desc(hits.occurredAt), desc(hits.id));
  },

  /**
   * Contacts whose names or phone digits contain the query, most similar first: by trigram
   * similarity to the closest run of whole words, so `mari` ranks Maria above Mariana.
   */
  async contacts(tenantId: string, search: ContactSearch, limit: number) {
    let patterns: string[];
    let scoreText: string;
    if ('digits' in search) {
      patterns = [`%${search.digits}%`];
      scoreText = search.digits;
    } else {
      patterns = search.patterns;
      scoreText = search.folded;
    }
    // Nothing to match must find nothing, never every contact.
    if (patterns.length === 0) return [];
    const match = and(...patterns.map((p) => sql`${contactHaystack} like ${p}`));
    const score = sql`strict_word_similarity(${scoreText}, ${contactHaystack})`;
    // The page's ids come from sb_contact_hits (drizzle/0012), where the patterns are conditions of
    // contacts_search_idx; the rows are then read here under row-level security, matched and scored
    // again (the page's rows only).
    const a = search.after;
    const keyset = a ? sql`where (h.score, h.id) < (${a.rank}::real, ${a.id}::uuid)` : sql``;
    const array = sql`array[${sql.join(
      patterns.map((p) => sql`${p}`),
      sql`, `,
    )}]::text[]`;
    const page = sql`select h.id from sb_contact_hits(${array}, ${scoreText}) h ${keyset}
      order by h.score desc, h.id desc limit ${limit}`;
    const where: (SQL | undefined)[] = [
      eq(contacts.tenantId, tenantId),
      sql`${contacts.id} in (${page})`,
      match,
    ];
    if (a) where.push(sql`(${score}, ${contacts.id}) < (${a.rank}::real, ${a.id}::uuid)`);
    return tx
      .select({
        id: contacts.id,
        name: contacts.name,
        profileName: contacts.profileName,
        waId: contacts.waId,
        phoneE164: contacts.phoneE164,
        rank: sql<string>`${score}::text`,
      })
      .from(contacts)
      .where(and(...where))
      .orderBy(desc(score), desc(contacts.id))
      .limit(limit);
  },
});

export type MessageHitRow = Awaited<ReturnType<ReturnType<typeof searchRepo>['messages']>>[number];
export type ContactHitRow = Awaited<ReturnType<ReturnType<typeof searchRepo>['contacts']>>[number];
