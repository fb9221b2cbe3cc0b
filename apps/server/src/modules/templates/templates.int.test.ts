// Templates end to end against the real simulator: created, edited and deleted through its Graph
// endpoints, reviewed by it (PENDING, then APPROVED or REJECTED by a signed status webhook), and
// synced page by page. Sending checks and previews: template-send.int.test.ts.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemplateView } from '@switchboard/contracts';
import { addUser, createTenant, engine } from '../../../test/harness.ts';
import { auditEvents } from '../audit/audit.tables.ts';
import { whatsappNumbers } from '../whatsapp/whatsapp.tables.ts';
import { bigId, orderBody, setupTemplateWorld, unique, type TemplateWorld } from './template-sim-support.ts';

describe(`WhatsApp templates through the simulator (${engine})`, () => {
  let w: TemplateWorld;
  beforeAll(async () => {
    // Its own database: the scheduled sync below works every connected account it finds.
    w = await setupTemplateWorld({ ownDatabase: true });
  });
  afterAll(async () => w.close());

  it('creates a template: PENDING at once, APPROVED when Meta’s status webhook arrives, audited', async () => {
    const name = unique('order_shipped');
    const res = await w.create({
      name,
      language: 'en_US',
      category: 'utility',
      components: [
        { type: 'header', format: 'text', text: 'Order {{1}}', example: { header_text: ['42'] } },
        orderBody,
        { type: 'footer', text: 'Thanks for shopping' },
        {
          type: 'buttons',
          buttons: [
            {
              type: 'url',
              text: 'Track',
              url: 'https://shop.example/t/{{1}}',
              example: ['https://shop.example/t/42'],
            },
          ],
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<TemplateView>();
    expect(created).toMatchObject({
      name,
      language: 'en_US',
      category: 'UTILITY',
      status: 'PENDING',
      parameterFormat: 'positional',
    });
    expect(created.externalId).toMatch(/^\d{16}$/);
    expect(created.components.map((c) => c['type'])).toEqual(['HEADER', 'BODY', 'FOOTER', 'BUTTONS']);
    expect(created.needs).toEqual({
      header: { format: 'TEXT', parameter: '1' },
      body: ['1', '2'],
      buttons: [{ index: 0, type: 'URL', value: 'url_suffix', required: true }],
    });
    // The simulator got Graph's create body.
    const atSim = w.sim.core.store.findTemplate(w.bizA.wabaId, name, 'en_US');
    expect(atSim?.id).toBe(created.externalId);

    const approved = await w.statusOf(name, 'APPROVED');
    expect(approved.statusReason).toBeNull();
    const audit = await w.app.database.tenant(w.orgA.organizationId, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, w.orgA.organizationId), eq(auditEvents.targetId, created.id))),
    );
    expect(audit.map((a) => a.action)).toEqual(['whatsapp_template.created']);

    // The same name and language again: 409 before Graph is asked.
    const again = await w.create({ name, language: 'en_US', category: 'UTILITY', components: [orderBody] });
    expect(again.statusCode).toBe(409);
  });

  it('a rejected template becomes REJECTED with Meta’s reason', async () => {
    const name = unique('reject_promo');
    const res = await w.create({ name, language: 'es', category: 'MARKETING', components: [orderBody] });
    expect(res.statusCode, res.body).toBe(201);
    const rejected = await w.statusOf(name, 'REJECTED');
    expect(rejected.statusReason).toMatch(/^PROMOTIONAL: The simulator rejects templates/);
    const filtered = await w.list('&status=rejected');
    expect(filtered.map((t) => t.name)).toContain(name);
    expect(filtered.every((t) => t.status === 'REJECTED')).toBe(true);
  });

  it('refuses an invalid definition before Graph, naming the field', async () => {
    const before = w.sim.core.store.templates.size;
    const badName = await w.create({
      name: 'Bad Name',
      language: 'en',
      category: 'UTILITY',
      components: [orderBody],
    });
    expect(badName.statusCode).toBe(400);
    expect(badName.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(['body.name']);
    const cases: [object, string, number][] = [
      [{ parameterFormat: 'named', components: [orderBody] }, 'body.components.0.text', 422],
      [
        { components: [{ type: 'BODY', text: 'Hi {{1}} {{2}}', example: { body_text: [['a']] } }] },
        'body.components.0.example.body_text',
        422,
      ],
      [{ components: [{ type: 'BODY', text: 'Hi {{first}}' }] }, 'body.components.0.text', 422],
      [{ components: [{ type: 'FOOTER', text: 'x' }] }, 'body.components', 422],
      [{ components: [orderBody, { type: 'BODY', text: 'again' }] }, 'body.components.1.type', 422],
      [{ category: 'PROMO', components: [orderBody] }, 'body.category', 400],
    ];
    for (const [patch, path, status] of cases) {
      const res = await w.create({ name: unique('bad'), language: 'en', category: 'UTILITY', ...patch });
      expect(res.statusCode, res.body).toBe(status);
      expect(
        res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path),
        res.body,
      ).toContain(path);
    }
    expect(w.sim.core.store.templates.size).toBe(before);
  });

  it('a name Graph already has (made elsewhere) is a 409 naming Graph’s message', async () => {
    const name = unique('made_elsewhere');
    w.sim.core.store.addTemplate(w.bizA.wabaId, {
      name,
      language: 'en',
      category: 'UTILITY',
      status: 'APPROVED',
      components: [],
    });
    const res = await w.create({ name, language: 'en', category: 'UTILITY', components: [orderBody] });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json<{ detail: string; graphCode: number }>()).toMatchObject({ graphCode: 100 });
    expect(res.json<{ detail: string }>().detail).toMatch(/already exists/);
  });

  it('syncs every page, updates changes and deletes what Graph no longer has', async () => {
    const prefix = unique('bulk');
    for (let i = 0; i < 130; i++) {
      w.sim.core.store.addTemplate(w.bizA.wabaId, {
        name: `${prefix}_${String(i).padStart(3, '0')}`,
        language: 'pt_BR',
        category: 'MARKETING',
        status: i % 2 === 0 ? 'APPROVED' : 'PAUSED',
        parameter_format: 'NAMED',
        components: [{ type: 'BODY', text: 'Olá {{nome}}' }],
      });
    }
    const sync = () => w.orgA.owner.request({ method: 'POST', url: `${w.base(w.numberA)}/sync` });
    const first = await sync();
    expect(first.statusCode, first.body).toBe(200);
    const total = [...w.sim.core.store.templates.values()].filter((t) => t.wabaId === w.bizA.wabaId).length;
    expect(first.json()).toMatchObject({ fetched: total, deleted: 0 });
    expect(first.json<{ created: number }>().created).toBeGreaterThanOrEqual(130);
    const bulk = await w.list(`&q=${prefix}`);
    expect(bulk).toHaveLength(130);
    expect(bulk[0]).toMatchObject({
      parameterFormat: 'named',
      status: 'APPROVED',
      needs: { body: ['nome'] },
    });
    expect(bulk[0]?.syncedAt).not.toBeNull();

    // Graph loses ten, disables one: the second sync follows.
    const atSim = [...w.sim.core.store.templates.values()].filter((t) => t.name.startsWith(prefix));
    for (const t of atSim.slice(0, 10)) w.sim.core.store.templates.delete(t.id);
    atSim[10]!.status = 'DISABLED';
    const second = await sync();
    expect(second.json()).toMatchObject({ fetched: total - 10, created: 0, updated: 1, deleted: 10 });
    expect(await w.list(`&q=${prefix}`)).toHaveLength(120);
    expect((await w.list(`&q=${atSim[10]!.name}`))[0]?.status).toBe('DISABLED');
    const third = await sync();
    expect(third.json()).toMatchObject({ created: 0, updated: 0, deleted: 0 });
  });

  it('pages the list with a cursor', async () => {
    const all = await w.list();
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await w.orgA.owner.request({
        method: 'GET',
        url: `${w.base(w.numberA)}?limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      });
      const page = res.json<{ items: TemplateView[]; nextCursor: string | null }>();
      pages.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.map((t) => t.id));
    const bad = await w.orgA.owner.request({ method: 'GET', url: `${w.base(w.numberA)}?cursor=nonsense` });
    expect(bad.statusCode).toBe(400);
  });

  it('edits only APPROVED, REJECTED or PAUSED templates; an edit goes back to review', async () => {
    const name = unique('edit_me');
    const created = (
      await w.create({ name, language: 'en', category: 'UTILITY', components: [orderBody] })
    ).json<TemplateView>();
    const patch = (payload: object) =>
      w.orgA.owner.request({ method: 'PATCH', url: `${w.base(w.numberA)}/${created.id}`, payload });
    const pending = await patch({
      components: [{ ...orderBody, text: 'Hello {{1}}, order {{2}} shipped.' }],
    });
    expect(pending.statusCode, pending.body).toBe(409);
    expect(pending.json<{ templateStatus: string }>().templateStatus).toBe('PENDING');

    await w.statusOf(name, 'APPROVED');
    const invalid = await patch({ components: [{ type: 'BODY', text: 'Hi {{2}}' }] });
    expect(invalid.statusCode).toBe(422);
    const edited = await patch({ components: [{ ...orderBody, text: 'Hello {{1}}, order {{2}} shipped.' }] });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ status: 'PENDING', statusReason: null });
    expect(w.sim.core.store.findTemplate(w.bizA.wabaId, name, 'en')?.components[0]?.['text']).toBe(
      'Hello {{1}}, order {{2}} shipped.',
    );
    await w.statusOf(name, 'APPROVED');
    const agent = await addUser(w.app, w.orgA, 'agent');
    const refused = await agent.caller.request({
      method: 'PATCH',
      url: `${w.base(w.numberA)}/${created.id}`,
      payload: { category: 'MARKETING' },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('deletes through Graph; DISABLED templates cannot be deleted', async () => {
    const name = unique('delete_me');
    const created = (
      await w.create({ name, language: 'en', category: 'UTILITY', components: [orderBody] })
    ).json<TemplateView>();
    await w.statusOf(name, 'APPROVED');
    const del = await w.orgA.owner.request({ method: 'DELETE', url: `${w.base(w.numberA)}/${created.id}` });
    expect(del.statusCode, del.body).toBe(204);
    expect(w.sim.core.store.findTemplate(w.bizA.wabaId, name, 'en')).toBeUndefined();
    expect((await w.list(`&q=${name}`)).length).toBe(0);
    const again = await w.orgA.owner.request({ method: 'DELETE', url: `${w.base(w.numberA)}/${created.id}` });
    expect(again.statusCode).toBe(404);

    const kept = unique('disabled');
    const row = (
      await w.create({ name: kept, language: 'en', category: 'UTILITY', components: [orderBody] })
    ).json<TemplateView>();
    await w.statusOf(kept, 'APPROVED');
    const atSim = w.sim.core.store.findTemplate(w.bizA.wabaId, kept, 'en')!;
    w.sim.core.templates.setStatus(atSim, 'DISABLED', 'NONE', {
      other_info: { title: 'DISABLED', description: 'Low quality' },
    });
    const disabled = await w.statusOf(kept, 'DISABLED');
    expect(disabled.statusReason).toBe('Low quality');
    const refused = await w.orgA.owner.request({ method: 'DELETE', url: `${w.base(w.numberA)}/${row.id}` });
    expect(refused.statusCode).toBe(409);
  });

  it('a status webhook for a template we do not have queues a sync that brings it in', async () => {
    const name = unique('from_manager');
    const atSim = w.sim.core.store.addTemplate(w.bizA.wabaId, {
      name,
      language: 'fr',
      category: 'UTILITY',
      status: 'PENDING',
      components: [{ type: 'BODY', text: 'Bonjour' }],
    });
    w.sim.core.templates.setStatus(atSim, 'APPROVED', 'NONE');
    const synced = await w.statusOf(name, 'APPROVED');
    expect(synced.externalId).toBe(atSim.id);
  });

  it('the scheduled sync queues one job per connected account, which brings new templates in', async () => {
    const name = unique('scheduled');
    w.sim.core.store.addTemplate(w.bizB.wabaId, {
      name,
      language: 'en',
      category: 'UTILITY',
      status: 'APPROVED',
      components: [{ type: 'BODY', text: 'Hello' }],
    });
    expect(await w.app.services.templateSync.syncAll()).toBe(2);
    await w.statusOf(name, 'APPROVED', w.orgB, w.numberB);
  });

  it('a rejected token (190) is a 422 and flags the number for an admin', async () => {
    const orgC = await createTenant(w.app);
    const bizC = { wabaId: w.bizA.wabaId, phoneNumberId: bigId(), token: 'x' };
    const numberC = await w.connect(orgC, bizC, 'a-token-graph-rejects');
    const res = await orgC.owner.request({ method: 'POST', url: `${w.base(numberC)}/sync` });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json<{ graphCode: number }>().graphCode).toBe(190);
    const [row] = await w.app.database.tenant(orgC.organizationId, (tx) =>
      tx.select().from(whatsappNumbers).where(eq(whatsappNumbers.id, numberC)),
    );
    expect(row?.status).toBe('needs_attention');
  });
});
