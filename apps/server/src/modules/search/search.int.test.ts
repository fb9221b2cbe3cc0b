import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { messages } from '../conversations/conversations.tables.ts';
import { searchRepo } from './search.repo.ts';
import { prefixQuery } from './search-text.ts';
import {
  createTenant,
  createTestApp,
  engine,
  withApiKey,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';
import { connectNumber, type TestNumber } from '../../../test/whatsapp-support.ts';
import { customer, inboundText, type StoredMessage } from '../../../test/inbox-support.ts';

interface Hit {
  id: string;
  conversationId: string;
  direction: string;
  type: string;
  snippet: { text: string; highlights: { start: number; length: number }[] };
  contact: { id: string; waId: string };
}
interface ContactHit {
  id: string;
  profileName: string | null;
  waId: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Result {
  messages: Page<Hit> | null;
  contacts: Page<ContactHit> | null;
}

const SHARED_TEXT = 'Olá, sou o João e preciso de informação sobre a ação promocional';
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe(`search (${engine})`, () => {
  let app: SwitchboardApp;
  let a: TestTenant;
  let b: TestTenant;
  /** Tenant A's clients, by name; B has a "João Silva" with the same message. */
  const clients: Record<string, StoredMessage> = {};
  let foreign: StoredMessage;
  let note: string;
  let caption: string;
  const zebras: string[] = [];

  const search = async (query: string, caller: Caller = a.owner): Promise<Result> => {
    const res = await caller.request({ method: 'GET', url: `/api/v1/search?${query}` });
    if (res.statusCode !== 200) throw new Error(`${query}: ${res.statusCode} ${res.body}`);
    return res.json<Result>();
  };
  const q = (text: string, rest = '') => `q=${encodeURIComponent(text)}${rest}`;
  const messageIds = async (text: string, caller?: Caller) =>
    (await search(q(text, '&type=messages'), caller)).messages!.items.map((m) => m.id);
  const contactIds = async (text: string, caller?: Caller) =>
    (await search(q(text, '&type=contacts'), caller)).contacts!.items.map((c) => c.id);
  /** Stores a message directly (notes and media are written by other modules). */
  const store = async (to: StoredMessage, row: Partial<typeof messages.$inferInsert>) => {
    const id = uuidv7();
    await app.database.tenant(to.tenantId, (tx) =>
      tx.insert(messages).values({
        id,
        tenantId: to.tenantId,
        conversationId: to.conversationId,
        contactId: to.contactId,
        numberId: to.numberId,
        direction: 'inbound',
        type: 'text',
        content: {},
        status: 'received',
        occurredAt: new Date(),
        createdAt: new Date(),
        ...row,
      }),
    );
    return id;
  };

  beforeAll(async () => {
    app = await createTestApp();
    a = await createTenant(app);
    b = await createTenant(app);
    const numberA: TestNumber = await connectNumber(a, 'Sales');
    const numberB: TestNumber = await connectNumber(b, 'Sales');
    const texts: [string, string][] = [
      ['João Silva', SHARED_TEXT],
      ['José Álvarez', 'Quiero más información sobre el envío de mi pedido'],
      ['Mary Smith', 'My café order is late, and here is my résumé'],
      ['Maria', 'hello'],
      ['Mariana Souza', 'bom dia'],
    ];
    for (const [i, [name, body]] of texts.entries()) {
      clients[name] = await inboundText(app, a.organizationId, numberA, customer(), body, {
        name,
        at: ago(60 - i),
      });
    }
    foreign = await inboundText(app, b.organizationId, numberB, customer(), SHARED_TEXT, {
      name: 'João Silva',
    });
    note = await store(clients['João Silva']!, {
      direction: 'note',
      content: { body: 'Cliente VIP: ligar amanhã' },
      senderUserId: a.ownerId,
    });
    caption = await store(clients['José Álvarez']!, {
      type: 'image',
      content: { caption: 'Fotografía del recibo', mimeType: 'image/jpeg' },
    });
    for (let i = 0; i < 5; i++) {
      zebras.push(
        await store(clients['Mary Smith']!, { content: { body: `zebra ${i}` }, occurredAt: ago(30 - i) }),
      );
    }
  });
  afterAll(async () => app.close());

  it('ignores accents and case in messages (pt, es, en), and keeps them in the snippet', async () => {
    const joao = clients['João Silva']!;
    const [hit] = (await search(q('acao'))).messages!.items;
    expect(hit).toMatchObject({
      id: joao.id,
      conversationId: joao.conversationId,
      direction: 'inbound',
      type: 'text',
      contact: { id: joao.contactId },
    });
    const words = hit!.snippet.highlights.map((h) => hit!.snippet.text.slice(h.start, h.start + h.length));
    expect(hit!.snippet.text).toBe(SHARED_TEXT);
    expect(words).toEqual(['ação']);
    expect(await messageIds('INFORMACAO')).toEqual([joao.id]);
    expect(await messageIds('informacion')).toEqual([clients['José Álvarez']!.id]);
    expect(await messageIds('ENVIO')).toEqual([clients['José Álvarez']!.id]);
    expect(await messageIds('cafe resume')).toEqual([clients['Mary Smith']!.id]);
    expect(await messageIds('fotografia recibo')).toEqual([caption]);
  });

  it('requires every word, the last as a prefix', async () => {
    const joao = clients['João Silva']!.id;
    expect(await messageIds('acao promo')).toEqual([joao]);
    expect(await messageIds('promocional ACAO')).toEqual([joao]);
    expect(await messageIds('joã')).toEqual([joao]);
    expect(await messageIds('acao envio')).toEqual([]);
    expect(await messageIds('aca promocional')).toEqual([]);
  });

  it('finds contacts by name fragments and phone digits, most similar first', async () => {
    expect(await contactIds('JOSE')).toEqual([clients['José Álvarez']!.contactId]);
    expect(await contactIds('alvarez jose')).toEqual([clients['José Álvarez']!.contactId]);
    expect(await contactIds('joã')).toEqual([clients['João Silva']!.contactId]);
    expect(await contactIds('maria')).toEqual([
      clients['Maria']!.contactId,
      clients['Mariana Souza']!.contactId,
    ]);
    const w = (await search(q('silva'))).contacts!.items[0]!.waId;
    const typed = `+${w.slice(0, 2)} ${w.slice(2, 4)} ${w.slice(4, 9)}-${w.slice(9)}`;
    expect((await contactIds(typed))[0]).toBe(clients['João Silva']!.contactId);
    // Every client of A has a 55 11 9… number, as has B's: only A's are found.
    expect((await contactIds('+55 11 9')).sort()).toEqual(
      Object.values(clients)
        .map((c) => c.contactId)
        .sort(),
    );
  });

  it('treats tsquery and LIKE syntax in the query as text', async () => {
    const joao = clients['João Silva']!.id;
    for (const c of ['&', '|', '!', '(', ')', ':', '*', "'", '"', '\\', '<->', '%', '_', ':*']) {
      expect(await messageIds(`acao${c}`), c).toEqual([joao]);
      expect(await messageIds(`${c}acao`), c).toEqual([joao]);
    }
    expect(await messageIds("'acao' & !promocional | (x:*)")).toEqual([]);
    expect(await messageIds("'acao' & !promocional")).toEqual([joao]);
    expect(await search(q(`&|!():*'"\\`))).toEqual({
      messages: { items: [], nextCursor: null },
      contacts: { items: [], nextCursor: null },
    });
    expect(await contactIds('%')).toEqual([]);
    expect(await contactIds('_')).toEqual([]);
  });

  it('includes private notes, for users and API keys with conversations.read', async () => {
    const res = await a.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'search', scopes: ['conversations.read'] },
    });
    const key = withApiKey(app, res.json<{ key: string }>().key);
    const hits = (await search(q('ligar amanha'), key)).messages!.items;
    expect(hits).toMatchObject([{ id: note, direction: 'note' }]);
    expect(await messageIds('amanhã VIP')).toEqual([note]);
    const none = await a.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'users only', scopes: ['users.read'] },
    });
    const outsider = withApiKey(app, none.json<{ key: string }>().key);
    expect((await outsider.request({ method: 'GET', url: '/api/v1/search?q=acao' })).statusCode).toBe(403);
  });

  it('never returns another organization’s messages or contacts', async () => {
    const joao = clients['João Silva']!;
    const fromA = await search(q('informacao promocional'));
    expect(fromA.messages!.items.map((m) => m.id)).toEqual([joao.id]);
    expect(await contactIds('joao silva')).toEqual([joao.contactId]);
    expect(await messageIds('acao', b.owner)).toEqual([foreign.id]);
    expect(await contactIds('joao silva', b.owner)).toEqual([foreign.contactId]);

    // In the database: the tenant filter alone (as the owner role, which RLS does not restrict)
    // and row-level security alone (asking for B inside A's transaction) each keep B out.
    const tsquery = prefixQuery(['informacao', 'promocional'])!;
    const contact = { folded: 'joao silva', patterns: ['%joao%', '%silva%'] };
    const bypassingRls = await app.database.system(async (tx) => ({
      messages: await searchRepo(tx).messages(a.organizationId, { tsquery }, 10),
      contacts: await searchRepo(tx).contacts(a.organizationId, contact, 10),
    }));
    // Hits come from sb_message_hits and sb_contact_hits, aimed only by a tenant transaction's
    // setting: outside one they find nothing, whatever tenant the query names.
    expect(bypassingRls.messages).toEqual([]);
    expect(bypassingRls.contacts).toEqual([]);
    const crossTenant = await app.database.tenant(a.organizationId, async (tx) => ({
      messages: await searchRepo(tx).messages(b.organizationId, { tsquery }, 10),
      contacts: await searchRepo(tx).contacts(b.organizationId, contact, 10),
    }));
    expect(crossTenant).toEqual({ messages: [], contacts: [] });
    const own = await app.database.tenant(b.organizationId, (tx) =>
      searchRepo(tx).messages(b.organizationId, { tsquery }, 10),
    );
    expect(own.map((m) => m.id)).toEqual([foreign.id]);
  });

  it('pages each list by its own cursor, without duplicates', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Result = await search(
        q('zebra', `&type=messages&limit=2${cursor ? `&cursor=${cursor}` : ''}`),
      );
      expect(page.contacts).toBeNull();
      expect(page.messages!.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.messages!.items.map((m) => m.id));
      cursor = page.messages!.nextCursor;
    } while (cursor);
    // Equal rank: the most recent first.
    expect(seen).toEqual([...zebras].reverse());

    const first = await search(q('mari', '&limit=1'));
    expect(first.contacts!.items.map((c) => c.id)).toEqual([clients['Maria']!.contactId]);
    const next = await search(q('mari', `&type=contacts&limit=1&cursor=${first.contacts!.nextCursor!}`));
    expect(next.messages).toBeNull();
    expect(next.contacts!.items.map((c) => c.id)).toEqual([clients['Mariana Souza']!.contactId]);
    expect(next.contacts!.nextCursor).toBeNull();

    const paths = async (query: string) => {
      const res = await a.owner.request({ method: 'GET', url: `/api/v1/search?${query}` });
      expect(res.statusCode, query).toBe(400);
      return res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    };
    const messagesCursor = (await search(q('zebra', '&type=messages&limit=1'))).messages!.nextCursor!;
    expect(await paths(q('zebra', `&type=contacts&cursor=${messagesCursor}`))).toEqual(['query.cursor']);
    expect(await paths(q('zebra', `&cursor=${messagesCursor}`))).toEqual(['query.cursor']);
    const forged = Buffer.from(
      JSON.stringify(['messages', '1; drop table x', new Date().toISOString(), uuidv7()]),
    );
    expect(await paths(q('zebra', `&type=messages&cursor=${forged.toString('base64url')}`))).toEqual([
      'query.cursor',
    ]);
    expect(await paths(q('zebra', '&type=messages&cursor=bm9wZQ'))).toEqual(['query.cursor']);
  });

  it('answers 400 listing every bad parameter', async () => {
    const res = await a.owner.request({
      method: 'GET',
      url: '/api/v1/search?q=%20%20&type=everything&limit=0',
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ code: string; errors: { path: string }[] }>();
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e) => e.path).sort()).toEqual(['query.limit', 'query.q', 'query.type']);
    const long = await a.owner.request({ method: 'GET', url: `/api/v1/search?${q('a'.repeat(201))}` });
    expect(long.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(['query.q']);
    const missing = await a.owner.request({ method: 'GET', url: '/api/v1/search' });
    expect(missing.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(['query.q']);
    const exact = await a.owner.request({
      method: 'GET',
      url: `/api/v1/search?${q(` ${'a'.repeat(200)} `)}`,
    });
    expect(exact.statusCode).toBe(200);
  });
});
