// The movable clock of `switchboard start --demo --test-clock`: the route exists only in an app
// given a test clock, answers only loopback callers, and only moves the clock forward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type SwitchboardApp } from '../../app.ts';
import { runStart } from '../../cli/start.ts';
import { UsageError } from '../../cli/cli.ts';
import { parseConfig } from '../../config.ts';
import { createTestApp, engine, openTestDatabase } from '../../../test/harness.ts';
import { ShiftedClock } from '../clock.ts';

const hour = 3600_000;

describe(`test clock (${engine})`, () => {
  let plain: SwitchboardApp;
  let shifted: SwitchboardApp;
  const clock = new ShiftedClock();
  beforeAll(async () => {
    plain = await createTestApp();
    shifted = await createApp({
      config: parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://127.0.0.1:3000' }),
      database: await openTestDatabase(),
      secretKey: 'test-secret-key-that-is-long-enough-0123456789',
      testClock: clock,
      worker: false,
    });
    await shifted.http.ready();
  });
  afterAll(async () => {
    await plain.close();
    await shifted.close();
  });

  const advance = (app: SwitchboardApp, ms: unknown, remoteAddress = '127.0.0.1') =>
    app.http.inject({
      method: 'POST',
      url: '/_test/clock/advance',
      payload: { ms },
      remoteAddress,
    });

  it('does not exist without a test clock', async () => {
    expect((await advance(plain, hour)).statusCode).toBe(404);
  });

  it('moves the services’ clock forward for a loopback caller', async () => {
    const before = Date.now();
    const res = await advance(shifted, 25 * hour);
    expect(res.statusCode).toBe(200);
    const now = new Date(res.json<{ now: string }>().now).getTime();
    expect(now - before).toBeGreaterThanOrEqual(25 * hour);
    expect(shifted.services.clock.now().getTime() - Date.now()).toBeGreaterThanOrEqual(25 * hour - 1000);
  });

  it('refuses other callers and backward moves, leaving the clock where it was', async () => {
    const offset = () => clock.now().getTime() - Date.now();
    const was = offset();
    expect((await advance(shifted, hour, '203.0.113.7')).statusCode).toBe(404);
    expect((await advance(shifted, -hour)).statusCode).toBe(400);
    expect(Math.abs(offset() - was)).toBeLessThan(1000);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('is refused by the CLI without --demo', async () => {
    await expect(runStart({ 'test-clock': true })).rejects.toBeInstanceOf(UsageError);
  });
});
