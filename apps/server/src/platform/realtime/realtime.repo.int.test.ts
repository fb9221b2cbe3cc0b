// A tenant's event seqs are drawn at insert, so they may commit out of order; the tenant's realtime
// lock (realtime.repo.ts) lets writers commit together, and gives readers a bound up to which
// every event has committed, so a cursor never passes an event that commits later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { createTenant, createTestApp, engine, type TestTenant } from '../../../test/harness.ts';
import { readSettledEvents, realtimeRepo, recordEvents, settledSeq } from './realtime.repo.ts';
import type { NewRealtimeEvent } from './realtime-events.ts';

describe(`realtime event seqs (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
  });
  afterAll(async () => app.close());

  const events = (n: number, from = 0): NewRealtimeEvent[] =>
    Array.from({ length: n }, (_, i) => ({
      type: 'conversation.updated',
      conversationId: null,
      data: { i: from + i },
    }));
  const dataOf = (rows: { data: Record<string, unknown> }[]) => rows.map((r) => r.data['i']);
  const tick = () => new Promise((resolve) => setTimeout(resolve, 200));

  /** A transaction that has recorded `n` events and stays open until released. */
  function heldWriter(tenantId: string, n: number, from: number) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let recorded!: (seq: number) => void;
    const seq = new Promise<number>((resolve) => (recorded = resolve));
    const done = app.database.tenant(tenantId, async (tx) => {
      recorded(await recordEvents(tx, tenantId, events(n, from), new Date()));
      await held;
    });
    return { seq, release, done };
  }

  const settled = (tenantId: string) => app.database.read((db) => settledSeq(db, tenantId));

  it('keeps a transaction’s events in their order, with the highest seq returned', async () => {
    const tenantId = tenant.organizationId;
    const seq = await app.database.tenant(tenantId, (tx) =>
      recordEvents(tx, tenantId, events(3, 100), new Date()),
    );
    expect(await settled(tenantId)).toBeGreaterThanOrEqual(seq);
    const rows = await readSettledEvents(app.database, tenantId, seq - 3);
    expect(rows.map((r) => r.seq)).toEqual([seq - 2, seq - 1, seq]);
    expect(dataOf(rows)).toEqual([100, 101, 102]);
    // Nothing past the bound a reader was given, even what committed since.
    const later = await app.database.tenant(tenantId, (tx) =>
      recordEvents(tx, tenantId, events(1, 103), new Date()),
    );
    const upToSeq = await app.database.tenant(tenantId, (tx) =>
      realtimeRepo(tx).listAfter(tenantId, 0, seq, 10),
    );
    expect(upToSeq.at(-1)?.seq).toBe(seq);
    expect(await app.database.tenant(tenantId, (tx) => realtimeRepo(tx).latestSeq(tenantId, later))).toBe(
      later,
    );
  });

  it.runIf(engine === 'postgres')(
    'lets writers of one tenant commit without waiting for each other, even out of seq order',
    async () => {
      const tenantId = (await createTenant(app)).organizationId;
      const first = heldWriter(tenantId, 3, 0);
      const one = await first.seq;
      // The second writer takes higher seqs and commits while the first is still open.
      const two = await app.database.tenant(tenantId, (tx) =>
        recordEvents(tx, tenantId, events(2, 3), new Date()),
      );
      expect(two).toBeGreaterThan(one);
      first.release();
      await first.done;
    },
  );

  it.runIf(engine === 'postgres')(
    'settles a reader’s bound only once the writers in flight have ended, so no lower seq is passed',
    async () => {
      const tenantId = (await createTenant(app)).organizationId;
      const first = heldWriter(tenantId, 3, 0);
      await first.seq;
      const two = await app.database.tenant(tenantId, (tx) =>
        recordEvents(tx, tenantId, events(2, 3), new Date()),
      );
      // Read now, a reader would see 3 and 4 (committed) but not 0–2 (not yet): it waits instead.
      let boundKnown = false;
      const bound = settled(tenantId).finally(() => (boundKnown = true));
      await tick();
      expect(boundKnown).toBe(false);
      // A writer that comes meanwhile waits behind the reader and takes a seq past its bound.
      const third = app.database.tenant(tenantId, (tx) =>
        recordEvents(tx, tenantId, events(1, 5), new Date()),
      );
      await tick();
      first.release();
      await first.done;
      expect(await bound).toBeGreaterThanOrEqual(two);
      expect(await third).toBeGreaterThan(await bound);
      const rows = await readSettledEvents(app.database, tenantId);
      expect(dataOf(rows)).toEqual([0, 1, 2, 3, 4, 5]);
    },
  );
});
