import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import type { Db } from '../../platform/db/database.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { createTestApp, engine } from '../../../test/harness.ts';
import { receiptInserter, webhookRepo, type NewReceipt } from './webhook.repo.ts';
import { webhookReceipts } from './whatsapp.tables.ts';

// The receipts table as the intake's queue (ADR 0005): the acknowledgement path's group commit,
// claims with leases and retries, and retention.
describe(`webhook receipts as the intake queue (${engine})`, () => {
  let app: SwitchboardApp;
  /** The database, counting the statements sent through `execute`. */
  let counted: Db;
  let statements = 0;

  beforeAll(async () => {
    app = await createTestApp();
    counted = new Proxy(app.database.db, {
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
  afterAll(async () => app.close());

  const receipt = (body = '{"object":"whatsapp_business_account"}'): NewReceipt => ({
    id: uuidv7(),
    receivedAt: new Date(),
    body,
  });
  const stored = async (ids: string[]) =>
    (
      await app.database.db
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

  it('claims receipts with a lease, retries failures later, parks the exhausted and releases leases at start', async () => {
    const rollback = new Error('rollback');
    await expect(
      app.database.system(async (tx) => {
        // Uncommitted: invisible to every worker, so only this transaction sees them.
        const ids = [uuidv7(), uuidv7(), uuidv7()].sort();
        await tx
          .insert(webhookReceipts)
          .values(ids.map((id) => ({ id, receivedAt: new Date(), body: '{}' })));
        const repo = webhookRepo(tx);
        const mine = async () => (await repo.claim(1000, 60, 3)).filter((r) => ids.includes(r.id));
        expect(await mine()).toEqual(ids.map((id) => ({ id, attempts: 1 })));
        expect(await mine()).toEqual([]); // leased
        await repo.recordAttemptFailure(ids[0]!, 'boom', null); // left for a person
        await repo.recordAttemptFailure(ids[1]!, 'boom', 0); // due again at once
        expect(await mine()).toEqual([{ id: ids[1], attempts: 2 }]);
        await repo.releaseAll(3); // a worker starts: leases end
        expect(await mine()).toEqual([
          { id: ids[1], attempts: 3 },
          { id: ids[2], attempts: 2 },
        ]);
        await repo.releaseAll(3); // ids[1] is out of attempts now: parked, never claimed again
        expect(await mine()).toEqual([{ id: ids[2], attempts: 3 }]);
        await repo.markProcessed(ids, new Date());
        const rows = await tx.select().from(webhookReceipts).where(inArray(webhookReceipts.id, ids));
        expect(rows.every((r) => r.processedAt)).toBe(true);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  it('deletes processed receipts past the retention, and keeps unprocessed and recent ones', async () => {
    const day = 24 * 60 * 60 * 1000;
    const old = Date.now() - 8 * day;
    const rows = {
      oldDone: { id: uuidv7(old), processedAt: new Date(old) },
      oldParked: { id: uuidv7(old + 1), processedAt: null },
      recentDone: { id: uuidv7(Date.now() - 6 * day), processedAt: new Date() },
    };
    await app.database.system((tx) =>
      tx.insert(webhookReceipts).values(
        Object.values(rows).map((r) => ({
          ...r,
          receivedAt: new Date(),
          body: '{}',
          attempts: 10,
          availableAt: new Date('9999-01-01T00:00:00Z'),
        })),
      ),
    );
    expect(await app.services.intake.pruneReceipts()).toBeGreaterThanOrEqual(1);
    const left = await app.database.system((tx) =>
      tx
        .select({ id: webhookReceipts.id })
        .from(webhookReceipts)
        .where(
          inArray(
            webhookReceipts.id,
            Object.values(rows).map((r) => r.id),
          ),
        ),
    );
    expect(left.map((r) => r.id).sort()).toEqual([rows.oldParked.id, rows.recentDone.id].sort());
  });
});
