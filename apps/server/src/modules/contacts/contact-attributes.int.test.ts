import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';
import { customer, inboundText } from '../../../test/inbox-support.ts';
import { connectNumber } from '../../../test/whatsapp-support.ts';

interface Definition {
  id: string;
  key: string;
  label: string;
  type: string;
  options: string[];
}
interface Problem {
  code: string;
  status: number;
  errors?: { path: string; message: string }[];
}

describe(`custom contact attributes (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let contactId: string;
  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    const number = await connectNumber(tenant);
    contactId = (await inboundText(app, tenant.organizationId, number, customer(), 'hi')).contactId;
  });
  afterAll(async () => app.close());

  const define = async (payload: object, caller: Caller = tenant.owner) => {
    const res = await caller.request({ method: 'POST', url: '/api/v1/contact-attributes', payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Definition>();
  };
  const patchContact = (attributes: object) =>
    tenant.owner.request({ method: 'PATCH', url: `/api/v1/contacts/${contactId}`, payload: { attributes } });
  const attributesNow = async () =>
    (await tenant.owner.request({ method: 'GET', url: `/api/v1/contacts/${contactId}` })).json<{
      attributes: Record<string, unknown>;
    }>().attributes;

  it('defines, lists in order, edits and deletes attributes, auditing each change', async () => {
    const plan = await define({ key: 'plan', label: 'Plan', type: 'list', options: ['gold', 'silver'] });
    await define({ key: 'seats', label: 'Seats', type: 'number' });
    await define({ key: 'vip', label: 'VIP', type: 'boolean' });
    await define({ key: 'renewal', label: 'Renewal', type: 'date', description: 'Next renewal' });
    await define({ key: 'company', label: 'Company', type: 'text' });
    const listed = await tenant.owner.request({ method: 'GET', url: '/api/v1/contact-attributes' });
    expect(listed.json<{ items: Definition[] }>().items.map((d) => `${d.key}:${d.type}`)).toEqual([
      'plan:list',
      'seats:number',
      'vip:boolean',
      'renewal:date',
      'company:text',
    ]);
    const edited = await tenant.owner.request({
      method: 'PATCH',
      url: `/api/v1/contact-attributes/${plan.id}`,
      payload: { label: 'Plan tier', options: ['gold', 'silver', 'bronze'] },
    });
    expect(edited.json()).toMatchObject({
      key: 'plan',
      label: 'Plan tier',
      options: ['gold', 'silver', 'bronze'],
    });
    const audit = await tenant.owner.request({ method: 'GET', url: `/api/v1/audit-log?targetId=${plan.id}` });
    const entries = audit.json<{ items: { action: string; after: Record<string, unknown> }[] }>().items;
    expect(entries.map((e) => e.action)).toEqual(['contact_attribute.updated', 'contact_attribute.created']);
    expect(entries[1]!.after).toMatchObject({ attribute: 'plan', type: 'list' });
  });

  it('checks contact values against the definitions, listing every problem at once (422)', async () => {
    const ok = await patchContact({
      plan: 'gold',
      seats: 12,
      vip: true,
      renewal: '2025-06-30',
      company: 'Acme',
    });
    expect(ok.statusCode, ok.body).toBe(200);

    const res = await patchContact({
      plan: 'platinum',
      seats: 'twelve',
      vip: 'yes',
      renewal: '2025-02-30',
      company: 42,
      favourite_colour: 'blue',
    });
    expect(res.statusCode).toBe(422);
    const problem = res.json<Problem>();
    expect(problem).toMatchObject({ code: 'unprocessable_content', status: 422 });
    expect(problem.errors).toEqual([
      { path: 'body.attributes.plan', message: 'Must be one of: gold, silver, bronze' },
      { path: 'body.attributes.seats', message: 'Must be a number' },
      { path: 'body.attributes.vip', message: 'Must be true or false' },
      { path: 'body.attributes.renewal', message: 'Must be a date as YYYY-MM-DD' },
      { path: 'body.attributes.company', message: 'Must be text' },
      { path: 'body.attributes.favourite_colour', message: 'Unknown attribute: define it first' },
    ]);
    // Nothing was written.
    expect(await attributesNow()).toEqual({
      plan: 'gold',
      seats: 12,
      vip: true,
      renewal: '2025-06-30',
      company: 'Acme',
    });
    // Unknown keys are refused even to remove them, unless the contact has them.
    expect((await patchContact({ favourite_colour: null })).statusCode).toBe(422);
    const removed = await patchContact({ vip: null, company: null });
    expect(removed.statusCode).toBe(200);
    expect(await attributesNow()).toEqual({ plan: 'gold', seats: 12, renewal: '2025-06-30' });
  });

  it('deleting a definition removes its values from every contact', async () => {
    const list = await tenant.owner.request({ method: 'GET', url: '/api/v1/contact-attributes' });
    const seats = list.json<{ items: Definition[] }>().items.find((d) => d.key === 'seats')!;
    expect(
      (await tenant.owner.request({ method: 'DELETE', url: `/api/v1/contact-attributes/${seats.id}` }))
        .statusCode,
    ).toBe(204);
    expect(await attributesNow()).toEqual({ plan: 'gold', renewal: '2025-06-30' });
    expect((await patchContact({ seats: 1 })).statusCode).toBe(422);
    expect(
      (await tenant.owner.request({ method: 'DELETE', url: `/api/v1/contact-attributes/${seats.id}` }))
        .statusCode,
    ).toBe(404);
  });

  it('refuses bad definitions, naming each field', async () => {
    const post = (payload: object) =>
      tenant.owner.request({ method: 'POST', url: '/api/v1/contact-attributes', payload });
    const paths = async (payload: object) => {
      const res = await post(payload);
      expect(res.statusCode, res.body).toBe(400);
      return res.json<Problem>().errors?.map((e) => e.path);
    };
    expect(await paths({ key: 'Bad Key', label: '', type: 'colour' })).toEqual([
      'body.key',
      'body.label',
      'body.type',
    ]);
    expect(await paths({ key: 'tier', label: 'Tier', type: 'list' })).toEqual(['body.options']);
    expect(await paths({ key: 'tier', label: 'Tier', type: 'list', options: ['a', 'a'] })).toEqual([
      'body.options',
    ]);
    expect(await paths({ key: 'size', label: 'Size', type: 'number', options: ['1'] })).toEqual([
      'body.options',
    ]);
    expect(await paths({ key: 'size', label: 'Size', type: 'number', extra: true })).toEqual(['body']);
    const dup = await post({ key: 'plan', label: 'Again', type: 'text' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<Problem>().errors).toEqual([{ path: 'body.key', message: 'Already taken' }]);

    const renewal = (await tenant.owner.request({ method: 'GET', url: '/api/v1/contact-attributes' }))
      .json<{ items: Definition[] }>()
      .items.find((d) => d.key === 'renewal')!;
    const patch = (payload: object, id = renewal.id) =>
      tenant.owner.request({ method: 'PATCH', url: `/api/v1/contact-attributes/${id}`, payload });
    // The key and type are fixed; options belong to lists only.
    expect((await patch({ type: 'text' })).statusCode).toBe(400);
    expect((await patch({ key: 'renewed' })).statusCode).toBe(400);
    const options = await patch({ options: ['x'] });
    expect(options.statusCode).toBe(422);
    expect(options.json<Problem>().errors).toEqual([
      { path: 'body.options', message: 'Only a list attribute has options' },
    ]);
    expect((await patch({ label: 'x' }, uuidv7())).statusCode).toBe(404);
  });

  it('lets anyone in the inbox read definitions, and only organization managers change them', async () => {
    const agent = await addUser(app, tenant, 'agent');
    const read = await agent.caller.request({ method: 'GET', url: '/api/v1/contact-attributes' });
    expect(read.statusCode).toBe(200);
    const denied = await agent.caller.request({
      method: 'POST',
      url: '/api/v1/contact-attributes',
      payload: { key: 'agent_made', label: 'Agent', type: 'text' },
    });
    expect(denied.statusCode).toBe(403);
    const id = read.json<{ items: Definition[] }>().items[0]!.id;
    expect(
      (
        await agent.caller.request({
          method: 'PATCH',
          url: `/api/v1/contact-attributes/${id}`,
          payload: { label: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await agent.caller.request({ method: 'DELETE', url: `/api/v1/contact-attributes/${id}` })).statusCode,
    ).toBe(403);
    // Agents still set values on contacts.
    const set = await agent.caller.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${contactId}`,
      payload: { attributes: { plan: 'silver' } },
    });
    expect(set.statusCode, set.body).toBe(200);
    // Another organization defines its own keys, including the same ones.
    const other = await createTenant(app);
    await define({ key: 'plan', label: 'Plan', type: 'text' }, other.owner);
  });
});
