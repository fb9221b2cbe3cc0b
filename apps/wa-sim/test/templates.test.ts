import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../src/index.ts';
import { graph, metaError, sendMessage, settle, startPair, type Received } from './helpers.ts';

// Template management (contract doc §6) on a manual clock: review delay, the rejection rule, edits
// going back to review, listing with filters and paging, deletion by name and hsm_id, and the exact
// `message_template_status_update` webhooks.

const WABA = '520000000000001';
const PHONE = '520000000000011';
const TOKEN = 'token-templates';
const START = Date.parse('2026-03-01T09:00:00Z');

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup(options: SimulatorOptions = {}) {
  const pair = await startPair({
    clock: { mode: 'manual', start: new Date(START).toISOString() },
    webhook: { concurrency: 1 },
    templateReview: { delayMs: 5000, rejectNamePattern: '^promo_' },
    businesses: [
      {
        wabaId: WABA,
        accessToken: TOKEN,
        phoneNumbers: [{ id: PHONE, displayPhoneNumber: '15550005555' }],
        templates: [
          {
            name: 'welcome',
            language: 'en_US',
            category: 'UTILITY',
            components: [{ type: 'BODY', text: 'Hi' }],
          },
          {
            name: 'welcome',
            language: 'pt_BR',
            category: 'UTILITY',
            components: [{ type: 'BODY', text: 'Oi' }],
          },
          { name: 'old_promo', language: 'en_US', category: 'MARKETING', status: 'PAUSED' },
        ],
      },
    ],
    ...options,
  });
  cleanup = async () => {
    await pair.sim.close();
    await pair.rx.close();
  };
  const api = (method: string, path: string, body?: unknown) => graph(pair.sim, TOKEN, method, path, body);
  return { ...pair, api };
}

const create = (name: string, category = 'MARKETING', text = 'Big sale on {{1}} today!') => ({
  name,
  language: 'en_US',
  category,
  components: [{ type: 'body', text, example: { body_text: [['shoes']] } }],
});

/** The exact template status webhook (contract doc §6). */
function statusUpdate(
  value: Record<string, unknown>,
  at: number,
): { object: string; entry: Record<string, unknown>[] } {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WABA,
        time: Math.floor(at / 1000),
        changes: [{ value, field: 'message_template_status_update' }],
      },
    ],
  };
}

const bodies = (r: Received[]) => r.map((x) => x.body);

describe('review', () => {
  it('stays PENDING until the review delay, then APPROVED with a webhook, and becomes sendable', async () => {
    const { sim, rx, api } = await setup();
    const res = await api('POST', `${WABA}/message_templates`, create('spring_sale'));
    expect(res).toEqual({
      status: 200,
      json: { id: expect.stringMatching(/^\d+$/), status: 'PENDING', category: 'MARKETING' },
    });
    const id = String(res.json['id']);
    // The webhook carries the id as an integer, so it must be exact as a JS number.
    expect(String(Number(id))).toBe(id);
    const send = () =>
      sendMessage(sim, TOKEN, PHONE, {
        to: '5511955552222',
        type: 'template',
        template: {
          name: 'spring_sale',
          language: { code: 'en_US' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'shoes' }] }],
        },
      });
    expect(await send()).toEqual({
      status: 404,
      json: metaError(132001, 'template name (spring_sale) does not exist in en_US'),
    });
    sim.advanceClock(4999);
    await settle(sim);
    expect(rx.received).toHaveLength(0);
    const listed = await api('GET', `${WABA}/message_templates?name=spring_sale`);
    expect((listed.json['data'] as { status: string }[])[0]!.status).toBe('PENDING');
    sim.advanceClock(1);
    await rx.waitFor((r) => r.length === 1);
    expect(rx.received[0]!.body).toEqual(
      statusUpdate(
        {
          event: 'APPROVED',
          message_template_id: Number(id),
          message_template_name: 'spring_sale',
          message_template_language: 'en_US',
          reason: 'NONE',
          message_template_category: 'MARKETING',
        },
        START + 5000,
      ),
    );
    expect((await send()).status).toBe(200);
  });

  it('rejects names matching the configured rule (PROMOTIONAL) and adjacent params (INVALID_FORMAT)', async () => {
    const { sim, rx, api } = await setup();
    const a = await api('POST', `${WABA}/message_templates`, create('promo_blast'));
    const b = await api(
      'POST',
      `${WABA}/message_templates`,
      create('cart', 'MARKETING', 'Left {{1}}{{2}} behind'),
    );
    sim.advanceClock(5000);
    await rx.waitFor((r) => r.length === 2);
    expect(bodies(rx.received)).toEqual([
      statusUpdate(
        {
          event: 'REJECTED',
          message_template_id: Number(a.json['id']),
          message_template_name: 'promo_blast',
          message_template_language: 'en_US',
          reason: 'PROMOTIONAL',
          message_template_category: 'MARKETING',
          rejection_info: {
            reason: 'The simulator rejects templates whose name matches templateReview.rejectNamePattern.',
            recommendation: 'Rename the template or change the simulator configuration.',
          },
        },
        START + 5000,
      ),
      statusUpdate(
        {
          event: 'REJECTED',
          message_template_id: Number(b.json['id']),
          message_template_name: 'cart',
          message_template_language: 'en_US',
          reason: 'INVALID_FORMAT',
          message_template_category: 'MARKETING',
          rejection_info: {
            reason:
              'Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.',
            recommendation:
              'Separate parameters with descriptive text and ensure each parameter is clearly contextualized.',
          },
        },
        START + 5000,
      ),
    ]);
  });
});

describe('edit', () => {
  it('POST /{template-id} sends it back to PENDING, then review approves the new version', async () => {
    const { sim, rx, api } = await setup();
    const welcome = await api('GET', `${WABA}/message_templates?name=welcome&limit=1`);
    const { id } = (welcome.json['data'] as { id: string }[])[0]!;
    const components = [{ type: 'BODY', text: 'Hello {{1}}, welcome!' }];
    expect(await api('POST', id, { components, category: 'marketing' })).toEqual({
      status: 200,
      json: { success: true },
    });
    const base = {
      message_template_id: Number(id),
      message_template_name: 'welcome',
      message_template_language: 'en_US',
      reason: 'NONE',
      message_template_category: 'MARKETING',
    };
    await rx.waitFor((r) => r.length === 1);
    expect(rx.received[0]!.body).toEqual(statusUpdate({ event: 'PENDING', ...base }, START));
    const pending = await api('GET', `${WABA}/message_templates?name=welcome&limit=1`);
    expect((pending.json['data'] as unknown[])[0]).toEqual({
      name: 'welcome',
      parameter_format: 'POSITIONAL',
      components,
      language: 'en_US',
      status: 'PENDING',
      category: 'MARKETING',
      id,
    });
    // A template under review cannot be edited again.
    expect(await api('POST', id, { components })).toEqual({
      status: 400,
      json: metaError(131009, 'Templates in status PENDING cannot be edited'),
    });
    sim.advanceClock(5000);
    await rx.waitFor((r) => r.length === 2);
    expect(rx.received[1]!.body).toEqual(statusUpdate({ event: 'APPROVED', ...base }, START + 5000));
    // PAUSED templates can be edited too; an unknown id is Meta's 100/33.
    const paused = await api('GET', `${WABA}/message_templates?name=old_promo`);
    expect((await api('POST', (paused.json['data'] as { id: string }[])[0]!.id, { components })).status).toBe(
      200,
    );
    const unknown = await api('POST', '999999999', { components });
    expect(unknown.json['error']).toMatchObject({ code: 100, error_subcode: 33 });
  });
});

describe('list', () => {
  it('filters by status and name, pages with limit/after and an absolute next URL', async () => {
    const { sim, api } = await setup();
    for (const name of ['a_one', 'b_two', 'c_three'])
      await api('POST', `${WABA}/message_templates`, create(name));
    const approved = await api('GET', `${WABA}/message_templates?status=approved`);
    expect(
      (approved.json['data'] as { name: string; language: string }[]).map((t) => `${t.name}/${t.language}`),
    ).toEqual(['welcome/en_US', 'welcome/pt_BR']);
    const paused = await api('GET', `${WABA}/message_templates?status=PAUSED`);
    expect((paused.json['data'] as { name: string }[]).map((t) => t.name)).toEqual(['old_promo']);

    const first = await api('GET', `${WABA}/message_templates?status=PENDING&limit=2`);
    expect((first.json['data'] as { name: string }[]).map((t) => t.name)).toEqual(['a_one', 'b_two']);
    expect(first.json['paging']).toEqual({
      cursors: { before: '0', after: '2' },
      next: `${sim.url}/v24.0/${WABA}/message_templates?status=PENDING&limit=2&after=2`,
    });
    const next = await fetch((first.json['paging'] as { next: string }).next, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const second = (await next.json()) as Record<string, unknown>;
    expect((second['data'] as { name: string }[]).map((t) => t.name)).toEqual(['c_three']);
    expect(second['paging']).toEqual({ cursors: { before: '2', after: '3' } });
    // Every template, uppercase component types whatever case they were created with.
    const all = await api('GET', `${WABA}/message_templates`);
    expect((all.json['data'] as unknown[]).length).toBe(6);
    expect((all.json['data'] as { components: { type: string }[] }[])[3]!.components[0]!.type).toBe('BODY');
  });
});

describe('delete', () => {
  it('by name deletes every language; by name + hsm_id only one; each with a DELETED webhook', async () => {
    const { sim, rx, api } = await setup();
    const made = await api('POST', `${WABA}/message_templates`, create('bye'));
    await api('POST', `${WABA}/message_templates`, { ...create('bye'), language: 'es' });
    const byName = (name: string) => api('GET', `${WABA}/message_templates?name=${name}`);

    expect(
      await api('DELETE', `${WABA}/message_templates?name=bye&hsm_id=${String(made.json['id'])}`),
    ).toEqual({
      status: 200,
      json: { success: true },
    });
    expect((await byName('bye')).json['data']).toMatchObject([{ name: 'bye', language: 'es' }]);

    const welcomeIds = ((await byName('welcome')).json['data'] as { id: string }[]).map((t) => Number(t.id));
    expect((await api('DELETE', `${WABA}/message_templates?name=welcome`)).json).toEqual({ success: true });
    expect((await byName('welcome')).json['data']).toEqual([]);
    await rx.waitFor((r) => r.length === 3);
    const deleted = bodies(rx.received).map(
      (b) => b.entry[0]!['changes'] as { value: Record<string, unknown> }[],
    );
    expect(deleted.map((c) => [c[0]!.value['event'], c[0]!.value['message_template_id']])).toEqual([
      ['DELETED', Number(made.json['id'])],
      ['DELETED', welcomeIds[0]],
      ['DELETED', welcomeIds[1]],
    ]);
    // The deleted template can no longer be sent.
    const send = await sendMessage(sim, TOKEN, PHONE, {
      to: '5511955552222',
      type: 'template',
      template: { name: 'welcome', language: { code: 'en_US' } },
    });
    expect(send.status).toBe(404);
  });

  it('needs a name, an existing template, and refuses DISABLED ones', async () => {
    const { api, sim } = await setup();
    expect(await api('DELETE', `${WABA}/message_templates`)).toEqual({
      status: 400,
      json: metaError(100, 'The parameter name is required.', { message: 'The parameter name is required.' }),
    });
    expect(await api('DELETE', `${WABA}/message_templates?name=nope`)).toEqual({
      status: 400,
      json: metaError(100, 'Template nope not found'),
    });
    const paused = await api('GET', `${WABA}/message_templates?name=old_promo`);
    const id = (paused.json['data'] as { id: string }[])[0]!.id;
    await fetch(`${sim.url}/_sim/v1/templates/${id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'DISABLED' }),
    });
    expect(await api('DELETE', `${WABA}/message_templates?name=old_promo`)).toEqual({
      status: 400,
      json: metaError(131009, 'Disabled templates cannot be deleted'),
    });
  });
});
