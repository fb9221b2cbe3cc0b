// Template previews and the checks of a template send (`prepareTemplateSend`, called by the
// outbound engine) against templates the simulator approved; and another organization kept out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemplateView } from '@switchboard/contracts';
import { addUser, engine } from '../../../test/harness.ts';
import { AppError } from '../../platform/errors.ts';
import { orderBody, setupTemplateWorld, unique, type TemplateWorld } from './template-sim-support.ts';

describe(`template previews and send checks (${engine})`, () => {
  let w: TemplateWorld;
  beforeAll(async () => {
    w = await setupTemplateWorld();
  });
  afterAll(async () => w.close());

  it('previews with parameters, and names each bad parameter in a 422', async () => {
    const name = unique('preview');
    const created = (
      await w.create({
        name,
        language: 'en',
        category: 'MARKETING',
        parameterFormat: 'named',
        components: [
          { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aGFuZGxl'] } },
          {
            type: 'BODY',
            text: 'Hi {{first_name}}, use {{code}} today.',
            example: {
              body_text_named_params: [
                { param_name: 'first_name', example: 'Ana' },
                { param_name: 'code', example: 'X1' },
              ],
            },
          },
          {
            type: 'BUTTONS',
            buttons: [
              { type: 'QUICK_REPLY', text: 'Stop' },
              { type: 'COPY_CODE', example: 'SAVE10' },
            ],
          },
        ],
      })
    ).json<TemplateView>();
    const preview = (parameters: object, caller = w.orgA.owner) =>
      caller.request({
        method: 'POST',
        url: `${w.base(w.numberA)}/${created.id}/preview`,
        payload: { parameters },
      });
    const good = {
      header: { type: 'image', link: 'https://cdn.example/p.png' },
      body: { first_name: 'Ana', code: 'SAVE10' },
      buttons: [{ index: 1, value: 'SAVE10' }],
    };
    const agent = await addUser(w.app, w.orgA, 'agent');
    const ok = await preview(good, agent.caller);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({
      header: { type: 'image', link: 'https://cdn.example/p.png' },
      body: 'Hi Ana, use SAVE10 today.',
      footer: null,
      buttons: [
        { index: 0, type: 'QUICK_REPLY', text: 'Stop' },
        { index: 1, type: 'COPY_CODE', text: '', code: 'SAVE10' },
      ],
    });
    const bad: [object, string][] = [
      [{ ...good, body: { first_name: 'Ana' } }, 'body.parameters.body.code'],
      [{ ...good, body: { first_name: 'Ana', code: 'X', extra: 'Y' } }, 'body.parameters.body.extra'],
      [{ ...good, body: ['Ana', 'X'] }, 'body.parameters.body'],
      [{ ...good, body: { first_name: 'Ana\nB', code: 'X' } }, 'body.parameters.body.first_name'],
      [{ ...good, body: { first_name: 'A      B', code: 'X' } }, 'body.parameters.body.first_name'],
      [{ ...good, body: { first_name: ' ', code: 'X' } }, 'body.parameters.body.first_name'],
      [{ ...good, header: undefined }, 'body.parameters.header'],
      [{ ...good, header: { type: 'text', text: 'Hi' } }, 'body.parameters.header.type'],
      [{ ...good, buttons: [] }, 'body.parameters.buttons'],
      [{ ...good, buttons: [{ index: 1, value: 'FAR-TOO-LONG-A-CODE' }] }, 'body.parameters.buttons.0.value'],
      [
        {
          ...good,
          buttons: [
            { index: 1, value: 'A' },
            { index: 5, value: 'B' },
          ],
        },
        'body.parameters.buttons.1.index',
      ],
    ];
    for (const [parameters, path] of bad) {
      const res = await preview(parameters);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(422);
      expect(
        res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path),
        path,
      ).toEqual([path]);
    }
  });

  it('prepareTemplateSend: Graph’s template object, or a 422 naming the field', async () => {
    const name = unique('send_me');
    await w.create({ name, language: 'en', category: 'MARKETING', components: [orderBody] });
    const send = (input: object, resolve?: (id: string) => Promise<{ id: string }>) =>
      w.app.services.templates.prepareTemplateSend(
        w.orgA.organizationId,
        w.numberA,
        { name, language: 'en', parameters: {}, ...input },
        resolve,
      );
    const refusal = async (input: object) => {
      const err = await send(input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('unprocessable_content');
      return (err as AppError).errors?.map((e) => e.path);
    };
    expect(await refusal({ parameters: { body: ['Ana', '42'] } })).toEqual(['body.template.name']); // PENDING
    await w.statusOf(name, 'APPROVED');
    expect(await refusal({ name: 'no_such_template' })).toEqual(['body.template.name']);
    expect(await refusal({ language: 'de' })).toEqual(['body.template.language']);
    expect(await refusal({ parameters: { body: ['Ana'] } })).toEqual(['body.template.parameters.body.1']);
    expect(await refusal({ parameters: { body: ['Ana', '42', 'x'] } })).toEqual([
      'body.template.parameters.body.2',
    ]);
    const prepared = await send({ parameters: { body: ['Ana', '42'] } });
    expect(prepared.marketing).toBe(true);
    expect(prepared.template.name).toBe(name);
    expect(prepared.rendered.body).toBe('Hi Ana, your order 42 has shipped.');
    expect(prepared.graphTemplate).toEqual({
      name,
      language: { code: 'en' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ana' },
            { type: 'text', text: '42' },
          ],
        },
      ],
    });
    // Another organization's number cannot reach it.
    await expect(
      w.app.services.templates.prepareTemplateSend(w.orgB.organizationId, w.numberA, {
        name,
        language: 'en',
        parameters: {},
      }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('another organization can neither see nor touch the templates', async () => {
    const name = unique('private');
    const created = (
      await w.create({ name, language: 'en', category: 'UTILITY', components: [orderBody] })
    ).json<TemplateView>();
    await w.statusOf(name, 'APPROVED');
    const attempts = [
      { method: 'GET' as const, url: w.base(w.numberA) },
      { method: 'POST' as const, url: `${w.base(w.numberA)}/sync` },
      {
        method: 'PATCH' as const,
        url: `${w.base(w.numberA)}/${created.id}`,
        payload: { category: 'MARKETING' },
      },
      { method: 'DELETE' as const, url: `${w.base(w.numberA)}/${created.id}` },
      {
        method: 'POST' as const,
        url: `${w.base(w.numberA)}/${created.id}/preview`,
        payload: { parameters: { body: ['a', 'b'] } },
      },
      // Through its own number, with A's template id.
      {
        method: 'PATCH' as const,
        url: `${w.base(w.numberB)}/${created.id}`,
        payload: { category: 'MARKETING' },
      },
      { method: 'DELETE' as const, url: `${w.base(w.numberB)}/${created.id}` },
      {
        method: 'POST' as const,
        url: `${w.base(w.numberB)}/${created.id}/preview`,
        payload: { parameters: { body: ['a', 'b'] } },
      },
    ];
    for (const a of attempts) {
      const res = await w.orgB.owner.request(a);
      expect(res.statusCode, `${a.method} ${a.url}: ${res.body}`).toBe(404);
    }
    expect(await w.list('', w.orgB, w.numberB)).not.toContainEqual(
      expect.objectContaining({ id: created.id }),
    );
    expect((await w.list(`&q=${name}`))[0]).toMatchObject({ status: 'APPROVED', category: 'UTILITY' });
    expect(w.sim.core.store.findTemplate(w.bizA.wabaId, name, 'en')).toBeDefined();
  });
});
