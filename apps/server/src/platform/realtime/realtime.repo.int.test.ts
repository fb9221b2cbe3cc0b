// A tenant's event seqs follow commit order (realtime.repo.ts): a second transaction recording
// events waits for the first one's commit, so a client that saw a seq never misses a lower one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { createTenant, createTestApp, engine, type TestTenant } from '../../../test/harness.ts';
import { recordEvents } from './realtime.repo.ts';
import type { NewRealtimeEvent } from './realtime-events.ts';

describe(`realtime event seqs (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
  });
  afterAll(async () => app.close());

  const events = (n: number): NewRealtimeEvent[] =>
    Array.from({ length: n }, (_, i) => ({
      type: 'conversation.updated',
      conversationId: null,
      data: { i },
    }));

  it('waits for a transaction of the same tenant that recorded events, and takes higher seqs', async () => {
    const tenantId = tenant.organizationId;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let recorded!: (seq: number) => void;
    const firstSeq = new Promise<number>((resolve) => (recorded = resolve));
    const first = app.database.tenant(tenantId, async (tx) => {
      recorded(await recordEvents(tx, tenantId, events(3), new Date()));
      await held;
    });
    const one = await firstSeq;
    let secondDone = false;
    const second = app.database
      .tenant(tenantId, (tx) => recordEvents(tx, tenantId, events(2), new Date()))
      .finally(() => (secondDone = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(secondDone).toBe(false);
    release();
    await first;
    const two = await second;
    expect(two).toBeGreaterThan(one + 1);
    const { rows } = await app.database.executeSql(
      'select seq, data from realtime_events where tenant_id = $1 order by seq',
      [tenantId],
    );
    expect(rows.map((r) => (r as { data: { i: number } }).data.i)).toEqual([0, 1, 2, 0, 1]);
  });
});
