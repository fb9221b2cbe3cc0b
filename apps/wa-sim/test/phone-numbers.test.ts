import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorOptions } from '../src/index.ts';
import { graph, metaError, sendMessage, startPair } from './helpers.ts';

// `GET /{phone-number-id}` (contract doc §7) and the per-number throughput limit: 80 mps by default,
// configurable from 1 to 1000 by config, the control API and the library, 130429 above it.

const WABA = '550000000000001';
const PHONE = '550000000000011';
const TOKEN = 'token-phone-numbers';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const business = (phone: Record<string, unknown> = {}) => ({
  wabaId: WABA,
  name: 'Acme',
  accessToken: TOKEN,
  phoneNumbers: [{ id: PHONE, displayPhoneNumber: '15550008888', verifiedName: 'Acme Support', ...phone }],
});

async function setup(options: SimulatorOptions = {}) {
  const pair = await startPair({
    clock: { mode: 'manual', start: '2026-06-01T00:00:00Z' },
    businesses: [business()],
    ...options,
  });
  cleanup = async () => {
    await pair.sim.close();
    await pair.rx.close();
  };
  return pair;
}

describe('GET /{phone-number-id}', () => {
  it('answers every field, or only the requested ones', async () => {
    const { sim } = await setup();
    expect(await graph(sim, TOKEN, 'GET', PHONE)).toEqual({
      status: 200,
      json: {
        verified_name: 'Acme Support',
        code_verification_status: 'VERIFIED',
        display_phone_number: '15550008888',
        quality_rating: 'GREEN',
        platform_type: 'CLOUD_API',
        throughput: { level: 'STANDARD' },
        messaging_limit_tier: 'TIER_250',
        whatsapp_business_manager_messaging_limit: 'TIER_250',
        id: PHONE,
      },
    });
    const fields = 'display_phone_number,verified_name,quality_rating,throughput,messaging_limit_tier';
    expect((await graph(sim, TOKEN, 'GET', `${PHONE}?fields=${fields}`)).json).toEqual({
      display_phone_number: '15550008888',
      verified_name: 'Acme Support',
      quality_rating: 'GREEN',
      throughput: { level: 'STANDARD' },
      messaging_limit_tier: 'TIER_250',
      id: PHONE,
    });
    expect((await graph(sim, TOKEN, 'GET', `${WABA}/phone_numbers`)).json).toEqual({
      data: [(await graph(sim, TOKEN, 'GET', PHONE)).json],
    });
  });

  it('reflects limits changed at run time; Meta shows throughput only as a level', async () => {
    const { sim } = await setup();
    sim.setLimits(PHONE, { throughputMps: 1000, tier: 'TIER_2K', qualityRating: 'YELLOW' });
    expect((await graph(sim, TOKEN, 'GET', PHONE)).json).toMatchObject({
      quality_rating: 'YELLOW',
      throughput: { level: 'HIGH' },
      messaging_limit_tier: 'TIER_2K',
      whatsapp_business_manager_messaging_limit: 'TIER_2K',
    });
    // The configured rate itself is visible on the control API.
    const res = await fetch(`${sim.url}/_sim/v1/businesses`);
    const { businesses } = (await res.json()) as {
      businesses: { phoneNumbers: { throughputMps: number }[] }[];
    };
    expect(businesses[0]!.phoneNumbers[0]!.throughputMps).toBe(1000);
  });

  it('another business’s number → 100 / 33', async () => {
    const { sim } = await setup({
      businesses: [
        business(),
        {
          wabaId: '550000000000002',
          accessToken: 'token-other',
          phoneNumbers: [{ id: '550000000000022', displayPhoneNumber: '15550008889' }],
        },
      ],
    });
    expect(await graph(sim, TOKEN, 'GET', '550000000000022')).toEqual({
      status: 400,
      json: metaError(
        100,
        "Unsupported request. Object with ID '550000000000022' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
        { message: 'Unsupported request', subcode: 33 },
      ),
    });
  });
});

/** Sends `n` messages (to distinct customers, so the pair limit stays out of the way) in one instant. */
async function burst(sim: Awaited<ReturnType<typeof setup>>['sim'], n: number, from = 0): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = Array.from({ length: Math.min(50, n - i) }, (_, j) =>
      sendMessage(sim, TOKEN, PHONE, {
        to: String(5511960000000 + from + i + j),
        type: 'text',
        text: { body: 'hi' },
      }),
    );
    statuses.push(...(await Promise.all(batch)).map((r) => r.status));
  }
  return statuses;
}

describe('throughput', () => {
  it('defaults to 80 mps: the 81st message in one second → 130429, a second later it passes', async () => {
    const { sim } = await setup();
    expect(await burst(sim, 80)).toEqual(Array(80).fill(200));
    const over = await sendMessage(sim, TOKEN, PHONE, {
      to: '5511969999999',
      type: 'text',
      text: { body: 'x' },
    });
    expect(over).toEqual({
      status: 400,
      json: metaError(130429, 'Cloud API message throughput has been reached.', { subcode: 2494055 }),
    });
    sim.advanceClock(999);
    expect((await burst(sim, 1, 100))[0]).toBe(400);
    sim.advanceClock(1);
    expect((await burst(sim, 1, 200))[0]).toBe(200);
  });

  it('accepts 1000 mps from the config: 1000 sends in one second pass, the 1001st → 130429', async () => {
    const { sim } = await setup({ businesses: [business({ throughputMps: 1000 })] });
    const statuses = await burst(sim, 1001);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1000);
    expect(statuses[1000]).toBe(400);
  }, 30_000);

  it('refuses 1001 mps (and 0, 1.5) from the config, the control API and the library', async () => {
    await expect(startSimulator({ businesses: [business({ throughputMps: 1001 })] })).rejects.toThrow(
      /throughputMps[\s\S]*1000|1000[\s\S]*throughputMps/,
    );
    const { sim } = await setup();
    for (const bad of [1001, 0, 1.5]) {
      expect(() => sim.setLimits(PHONE, { throughputMps: bad })).toThrow(
        new RangeError(
          `throughputMps must be an integer from 1 to 1000 (Meta's maximum per number), got ${bad}`,
        ),
      );
    }
    sim.setLimits(PHONE, { throughputMps: 1000 });
    const post = (body: unknown) =>
      fetch(`${sim.url}/_sim/v1/limits`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await post({ phoneNumberId: PHONE, throughputMps: 1001 });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/throughputMps/);
    expect(await (await post({ phoneNumberId: PHONE, throughputMps: 1000 })).json()).toEqual({ ok: true });
  });
});
