import { describe, expect, it } from 'vitest';
import { frontRuns, type LineEntry } from './outbound.repo.ts';
import { createClockOffset, createSlotPool, LATE_MS } from './send-pacing.ts';

const entry = (seq: number, contactId: string, due = true): LineEntry => ({
  messageId: `m${seq}`,
  tenantId: 't',
  numberId: 'n',
  contactId,
  attempts: 0,
  seq,
  due,
});

describe('frontRuns', () => {
  it('takes the run of due messages at the front of each client line, in write order', () => {
    const runs = frontRuns([
      entry(5, 'b'),
      entry(1, 'a'),
      entry(2, 'a'),
      entry(3, 'b', false), // on its way or waiting for a retry: holds b's line
      entry(4, 'a', false),
      entry(6, 'a'), // behind a message that is not due
      entry(7, 'c'),
    ]);
    expect(runs.map((r) => r.seq)).toEqual([1, 2, 7]);
  });
});

describe('createClockOffset', () => {
  it('keeps the smallest reading of its window (a delayed reading overstates the offset)', () => {
    const offset = createClockOffset(3_000);
    offset.measured(1_000 + 5, 1_000); // 5 ms late
    offset.measured(2_000 + 2, 2_000);
    offset.measured(3_000 + 400, 3_000); // a busy pool
    expect(offset.value()).toBe(2);
    offset.measured(4_000 + 9, 4_000);
    offset.measured(5_000 + 9, 5_000); // the 2 ms reading has aged out (3 s old)
    expect(offset.value()).toBe(9);
  });
});

describe('createSlotPool', () => {
  it('gives the earliest usable slot, drops passed ones, and reserves fresh slots together', async () => {
    // The database's clock runs from 10 s; the test moves it on by 1 ms below.
    let now = 10_000;
    const started = Date.now();
    const requests: number[] = [];
    const pool = createSlotPool({
      dbTime: () => now + (Date.now() - started),
      reserve: (_numberId, count) => {
        requests.push(count);
        return Promise.resolve(Array.from({ length: count }, (_, i) => now + i));
      },
    });
    pool.add('n', [now - LATE_MS - 5, now - 1, now]);
    // The first slot passed more than LATE_MS ago: dropped; the next two are usable now.
    await pool.take('n');
    await pool.take('n');
    expect(requests).toEqual([]);
    // Three messages find the pool empty in the same turn: one request for three slots.
    now += 1;
    await Promise.all([pool.take('n'), pool.take('n'), pool.take('n')]);
    expect(requests).toEqual([3]);
  });

  it('never lets a message go before its slot when the clock estimate moves back meanwhile', async () => {
    let shift = 0;
    const pool = createSlotPool({
      dbTime: () => Date.now() + shift,
      reserve: () => Promise.reject(new Error('the pool holds the slot')),
    });
    const slot = Date.now() + 30;
    pool.add('n', [slot]);
    const taken = pool.take('n');
    // A lower reading of the offset arrives while the message sleeps: database time is 40 ms earlier.
    setTimeout(() => {
      shift = -40;
    }, 10);
    await taken;
    expect(Date.now() + shift).toBeGreaterThanOrEqual(slot);
  });
});
