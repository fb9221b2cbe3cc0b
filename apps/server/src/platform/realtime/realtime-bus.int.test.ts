// Wake-ups on the realtime bus (ADR 0007): an API-only process tells every process's workers that
// it stored work. On PostgreSQL they travel as NOTIFY on the realtime channel, between two buses
// as between two processes, coalesced while one is in flight; so are a tenant's event notices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { engine, openTestDatabase } from '../../../test/harness.ts';
import { waitFor } from '../../../test/whatsapp-support.ts';
import { createRealtimeBus, type RealtimeBus, type RealtimeNotice, type WorkKind } from './realtime-bus.ts';

describe(`realtime bus wake-ups (${engine})`, () => {
  let database: Database;
  let sender: RealtimeBus;
  let receiver: RealtimeBus;
  beforeAll(async () => {
    database = await openTestDatabase();
    const log = createLogger('silent');
    sender = await createRealtimeBus(database, log);
    // PostgreSQL: a second LISTEN connection, as another process has. PGlite: one process.
    receiver = engine === 'postgres' ? await createRealtimeBus(database, log) : sender;
  });
  afterAll(async () => {
    await sender.close();
    if (receiver !== sender) await receiver.close();
    await database.close();
  });

  it('wakes the workers of every bus, and never reaches realtime listeners', async () => {
    const woken: WorkKind[] = [];
    const notices: RealtimeNotice[] = [];
    const stopWakes = receiver.onWake((kind) => woken.push(kind));
    const stopNotices = receiver.subscribe({ onNotice: (n) => notices.push(n) });
    try {
      sender.wake('delivery');
      await waitFor(() => Promise.resolve(woken.includes('delivery') || undefined));
      // A burst of wake-ups while one is in flight: at most one more notification follows.
      woken.length = 0;
      for (let i = 0; i < 50; i++) sender.wake('intake');
      await waitFor(() => Promise.resolve(woken.includes('intake') || undefined));
      await new Promise((r) => setTimeout(r, 300));
      expect(woken.every((k) => k === 'intake')).toBe(true);
      if (engine === 'postgres') expect(woken.length).toBeLessThanOrEqual(2);
      // Realtime notices still arrive beside them.
      sender.publish({ tenantId: '00000000-0000-0000-0000-000000000001', seq: 7 });
      await waitFor(() => Promise.resolve(notices.length > 0 || undefined));
      expect(notices).toEqual([{ tenantId: '00000000-0000-0000-0000-000000000001', seq: 7 }]);
    } finally {
      stopWakes();
      stopNotices();
    }
  });

  it("coalesces a tenant's event notices into the highest seq, never another tenant's", async () => {
    const [a, b] = ['00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-00000000000b'];
    const notices: RealtimeNotice[] = [];
    const stop = receiver.subscribe({ onNotice: (n) => notices.push(n) });
    try {
      for (let seq = 1; seq <= 50; seq++) {
        sender.publish({ tenantId: a, seq: 100 + seq });
        sender.publish({ tenantId: b, seq: 200 + seq });
      }
      const highest = (tenantId: string) =>
        Math.max(0, ...notices.flatMap((n) => (n.tenantId === tenantId && 'seq' in n ? [n.seq] : [])));
      await waitFor(() => Promise.resolve((highest(a) === 150 && highest(b) === 250) || undefined));
      await new Promise((r) => setTimeout(r, 300));
      expect(highest(a)).toBe(150);
      expect(highest(b)).toBe(250);
      // PostgreSQL: one NOTIFY in flight per tenant, the rest merged into the next.
      if (engine === 'postgres') expect(notices.length).toBeLessThanOrEqual(4);
    } finally {
      stop();
    }
  });
});
