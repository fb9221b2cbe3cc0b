// A line's top-up claim that fails (the database refused it): the line's claimed messages still
// leave, its parked messages are freed when the line is and claimed again by the next poll, and
// every message leaves once, in the order written. The fault is injected at the repository: the
// top-up's read of the line fronts throws while `failing` says so.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { engine } from './harness.ts';
import { simCustomer } from './sim-support.ts';
import {
  clientWrites,
  messageReaches,
  sendRounds,
  startOutboundRig,
  textsTo,
  type OutboundRig,
} from './outbound-support.ts';

const fault = vi.hoisted(() => ({ failing: 0, failed: 0 }));

vi.mock('../src/modules/outbound/outbound.repo.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/modules/outbound/outbound.repo.ts')>();
  return {
    ...original,
    deliveryRepo: (tx: Parameters<typeof original.deliveryRepo>[0]) => {
      const repo = original.deliveryRepo(tx);
      return {
        ...repo,
        heldLineFronts: (...args: Parameters<typeof repo.heldLineFronts>) => {
          if (fault.failing > 0) {
            fault.failing -= 1;
            fault.failed += 1;
            return Promise.reject(new Error('injected: the top-up claim failed'));
          }
          return repo.heldLineFronts(...args);
        },
      };
    },
  };
});

describe(`outbound line top-up failing (${engine})`, () => {
  let rig: OutboundRig;

  beforeAll(async () => {
    // Two messages of a client per claim and 10 per second: every line needs top-ups.
    rig = await startOutboundRig({ delivery: { lineDepth: 2 }, number: { throughputMps: 10 } });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('still sends every message of a line once, in the order written, when claiming the rest of it fails', async () => {
    const customers = Array.from({ length: 2 }, simCustomer);
    const conversations = await Promise.all(customers.map((c) => clientWrites(rig, c)));
    const before = { ...rig.app.services.delivery.counters };
    fault.failing = 1;
    const ids = await sendRounds(rig, conversations, 8, 'topped');
    for (const id of ids) await messageReaches(rig, id, ['sent', 'delivered', 'read'], 30_000);
    expect(fault.failed).toBe(1);
    const expected = Array.from({ length: 8 }, (_, i) => `topped ${i}`);
    for (const customer of customers) expect(textsTo(rig, customer)).toEqual(expected);
    const counters = rig.app.services.delivery.counters;
    expect(counters.failed - before.failed).toBe(0);
    expect(counters.retried - before.retried).toBe(0);
    // Once the faults ran out, the lines' rest was claimed by top-ups again.
    expect(counters.toppedUp - before.toppedUp).toBeGreaterThan(0);
  }, 60_000);
});
