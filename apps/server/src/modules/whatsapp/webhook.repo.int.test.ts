import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '../../platform/db/database.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { engine, openTestDatabase } from '../../../test/harness.ts';
import { receiptInserter, type NewReceipt } from './webhook.repo.ts';
import { webhookReceipts } from './whatsapp.tables.ts';

describe(`receipt group commit (${engine})`, () => {
  let database: Database;
  /** The database, counting the statements sent through `execute`. */
  let counted: Db;
  let statements = 0;

  beforeAll(async () => {
    database = await openTestDatabase();
    counted = new Proxy(database.db, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (key !== 'execute' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          statements += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  });
  afterAll(async () => database.close());

  const receipt = (body = '{"object":"whatsapp_business_account"}'): NewReceipt => ({
    id: uuidv7(),
    receivedAt: new Date(),
    body,
  });
  const stored = async (ids: string[]) =>
    (
      await database.db
        .select({ id: webhookReceipts.id, body: webhookReceipts.body })
        .from(webhookReceipts)
        .where(inArray(webhookReceipts.id, ids))
    ).sort((a, b) => a.id.localeCompare(b.id));

  it('stores a lone receipt in one INSERT, at once', async () => {
    const insert = receiptInserter(counted, 1);
    statements = 0;
    const row = receipt('{"lone":"ção 👍"}');
    await insert(row);
    expect(statements).toBe(1);
    expect(await stored([row.id])).toEqual([{ id: row.id, body: row.body }]);
  });

  it('shares INSERTs between concurrent receipts, each resolved only once committed', async () => {
    const insert = receiptInserter(counted, 2);
    statements = 0;
    const rows = Array.from({ length: 200 }, (_, i) => receipt(`{"n":${i}}`));
    await Promise.all(rows.map((r) => insert(r)));
    // Two go alone (the free slots), the rest wait and share: far fewer statements than rows.
    expect(statements).toBeLessThanOrEqual(4);
    expect(await stored(rows.map((r) => r.id))).toEqual(
      rows.map((r) => ({ id: r.id, body: r.body })).sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('fails only the bad receipt of a shared INSERT, and stores the others', async () => {
    const insert = receiptInserter(counted, 1);
    const first = receipt();
    const others = Array.from({ length: 5 }, () => receipt());
    const clash = { ...receipt(), id: others[2]!.id }; // the same id twice in one INSERT
    // The first takes the one slot; the others queue and share the next INSERT, which fails.
    const outcomes = await Promise.allSettled([first, ...others, clash].map((r) => insert(r)));
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect((await stored([first.id, ...others.map((r) => r.id)])).length).toBe(6);
  });
});
