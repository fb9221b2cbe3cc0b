import { describe, expect, it } from 'vitest';
import { checkDefinition } from './template-definition.ts';
import { planSend, textParameterProblem } from './template-render.ts';
import { needsOf, normalizeComponents, shapeOf, type GraphComponents } from './template-shape.ts';

const AT = 'body.template.parameters';

const positional: GraphComponents = [
  { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['A1'] } },
  {
    type: 'BODY',
    text: 'Hi {{1}}, your order {{2}} ships {{3}}. Thanks, {{1}}!',
    example: { body_text: [['Ana', '42', 'today']] },
  },
  { type: 'FOOTER', text: 'Reply STOP to opt out' },
  {
    type: 'BUTTONS',
    buttons: [
      { type: 'QUICK_REPLY', text: 'More' },
      {
        type: 'URL',
        text: 'Track',
        url: 'https://shop.example/track/{{1}}',
        example: ['https://shop.example/track/42'],
      },
      { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+15550100' },
    ],
  },
];

const named: GraphComponents = [
  { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1h'] } },
  {
    type: 'BODY',
    text: 'Thank you, {{first_name}}! Your order number is {{order_number}}.',
    example: {
      body_text_named_params: [
        { param_name: 'first_name', example: 'Pablo' },
        { param_name: 'order_number', example: '860198' },
      ],
    },
  },
  { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'SAVE10' }] },
];

const paths = (r: { issues: { path: string }[] }) => r.issues.map((i) => i.path);

describe('template shape', () => {
  it('reads parameters in number order, once each, and the buttons that take values', () => {
    const shape = shapeOf(positional, 'positional');
    expect(shape.body.parameters).toEqual(['1', '2', '3']);
    expect(shape.header).toEqual({ format: 'TEXT', text: 'Order {{1}}', parameter: '1' });
    expect(needsOf(shape)).toEqual({
      header: { format: 'TEXT', parameter: '1' },
      body: ['1', '2', '3'],
      buttons: [
        { index: 0, type: 'QUICK_REPLY', value: 'payload', required: false },
        { index: 1, type: 'URL', value: 'url_suffix', required: true },
      ],
    });
  });

  it('normalizes component, format and button types to Graph’s UPPERCASE', () => {
    expect(
      normalizeComponents([
        { type: 'header', format: 'image' },
        { type: 'buttons', buttons: [{ type: 'url', text: 'x' }] },
      ]),
    ).toEqual([
      { type: 'HEADER', format: 'IMAGE' },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'x' }] },
    ]);
  });
});

describe('planning a send', () => {
  it('renders a positional template and builds Graph’s components', () => {
    const { issues, plan } = planSend(
      shapeOf(positional, 'positional'),
      'positional',
      {
        header: { type: 'text', text: 'A-7' },
        body: ['Ana', '42', 'today'],
        buttons: [{ index: 1, value: '42?x=1' }],
      },
      AT,
    );
    expect(issues).toEqual([]);
    expect(plan?.rendered).toEqual({
      header: { type: 'text', text: 'Order A-7' },
      body: 'Hi Ana, your order 42 ships today. Thanks, Ana!',
      footer: 'Reply STOP to opt out',
      buttons: [
        { index: 0, type: 'QUICK_REPLY', text: 'More' },
        { index: 1, type: 'URL', text: 'Track', url: 'https://shop.example/track/42?x=1' },
        { index: 2, type: 'PHONE_NUMBER', text: 'Call', phoneNumber: '+15550100' },
      ],
    });
    expect(plan?.components).toEqual([
      { type: 'header', parameters: [{ type: 'text', text: 'A-7' }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Ana' },
          { type: 'text', text: '42' },
          { type: 'text', text: 'today' },
        ],
      },
      { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: '42?x=1' }] },
    ]);
  });

  it('names each missing, extra or malformed positional parameter', () => {
    const shape = shapeOf(positional, 'positional');
    const base = { header: { type: 'text' as const, text: 'A' }, buttons: [{ index: 1, value: 'x' }] };
    expect(paths(planSend(shape, 'positional', { ...base, body: ['Ana'] }, AT))).toEqual([
      `${AT}.body.1`,
      `${AT}.body.2`,
    ]);
    expect(paths(planSend(shape, 'positional', { ...base, body: ['a', 'b', 'c', 'd'] }, AT))).toEqual([
      `${AT}.body.3`,
    ]);
    expect(paths(planSend(shape, 'positional', { ...base, body: ['a', 'two\nlines', 'c'] }, AT))).toEqual([
      `${AT}.body.1`,
    ]);
    expect(paths(planSend(shape, 'positional', { ...base, body: ['a', 'b', '   '] }, AT))).toEqual([
      `${AT}.body.2`,
    ]);
    expect(paths(planSend(shape, 'positional', { ...base, body: { first: 'a' } }, AT))).toEqual([
      `${AT}.body`,
    ]);
    expect(
      paths(planSend(shape, 'positional', { body: ['a', 'b', 'c'], buttons: base.buttons }, AT)),
    ).toEqual([`${AT}.header`]);
    expect(paths(planSend(shape, 'positional', { header: base.header, body: ['a', 'b', 'c'] }, AT))).toEqual([
      `${AT}.buttons`,
    ]);
    expect(
      paths(
        planSend(
          shape,
          'positional',
          { ...base, body: ['a', 'b', 'c'], buttons: [{ index: 2, value: 'x' }] },
          AT,
        ),
      ),
    ).toEqual([`${AT}.buttons.0.index`, `${AT}.buttons`]);
  });

  it('checks named parameters by name, the media header and the coupon code', () => {
    const shape = shapeOf(named, 'named');
    const ok = planSend(
      shape,
      'named',
      {
        header: { type: 'image', link: 'https://cdn.example/a.png' },
        body: { first_name: 'Pablo', order_number: '860198' },
        buttons: [{ index: 0, value: 'SAVE10' }],
      },
      AT,
    );
    expect(ok.issues).toEqual([]);
    expect(ok.plan?.headerMedia).toEqual({ type: 'image', link: 'https://cdn.example/a.png' });
    expect(ok.plan?.components).toEqual([
      {
        type: 'body',
        parameters: [
          { type: 'text', parameter_name: 'first_name', text: 'Pablo' },
          { type: 'text', parameter_name: 'order_number', text: '860198' },
        ],
      },
      {
        type: 'button',
        sub_type: 'copy_code',
        index: '0',
        parameters: [{ type: 'coupon_code', coupon_code: 'SAVE10' }],
      },
    ]);
    const bad = planSend(
      shape,
      'named',
      {
        header: { type: 'video', link: 'https://cdn.example/a.mp4' },
        body: { first_name: 'Pablo', nickname: 'P' },
        buttons: [{ index: 0, value: 'WAY-TOO-LONG-COUPON' }],
      },
      AT,
    );
    expect(paths(bad)).toEqual([
      `${AT}.header.type`,
      `${AT}.body.order_number`,
      `${AT}.body.nickname`,
      `${AT}.buttons.0.value`,
    ]);
    expect(
      paths(planSend(shape, 'named', { body: ['Pablo', '1'], buttons: [{ index: 0, value: 'A' }] }, AT)),
    ).toEqual([`${AT}.header`, `${AT}.body`]);
  });

  it('refuses a body longer than 1,024 characters once filled', () => {
    const shape = shapeOf([{ type: 'BODY', text: 'Note: {{1}}' }], 'positional');
    const r = planSend(shape, 'positional', { body: ['x'.repeat(1020)] }, AT);
    expect(paths(r)).toEqual([`${AT}.body`]);
  });

  it('applies Meta’s parameter text rule', () => {
    expect(textParameterProblem('fine   text')).toBeUndefined();
    expect(textParameterProblem('tab\there')).toMatch(/tabs/);
    expect(textParameterProblem('five     spaces')).toMatch(/4 consecutive/);
    expect(textParameterProblem('')).toMatch(/empty/);
  });
});

describe('checking a definition', () => {
  it('accepts well-formed positional and named templates', () => {
    expect(checkDefinition(positional, 'positional')).toEqual([]);
    expect(checkDefinition(named, 'named')).toEqual([]);
  });

  it('names the component at fault', () => {
    const issues = checkDefinition(
      [
        { type: 'BODY', text: 'Hi {{1}} and {{3}}', example: { body_text: [['a']] } },
        { type: 'FOOTER', text: 'Bye {{1}}' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go', url: 'https://x.example/{{1}}/y' }] },
      ],
      'positional',
    );
    expect(issues.map((i) => i.path)).toEqual([
      'body.components.0.text',
      'body.components.0.example.body_text',
      'body.components.1.text',
      'body.components.2.buttons.0.url',
    ]);
  });

  it('refuses names in a positional template, numbers in a named one, and missing examples', () => {
    expect(checkDefinition([{ type: 'BODY', text: 'Hi {{name}}' }], 'positional')[0]?.message).toMatch(
      /named parameter/,
    );
    expect(checkDefinition([{ type: 'BODY', text: 'Hi {{1}}' }], 'named')[0]?.message).toMatch(/positional/);
    expect(
      checkDefinition(
        [
          {
            type: 'BODY',
            text: 'Hi {{name}}',
            example: { body_text_named_params: [{ param_name: 'other', example: 'x' }] },
          },
        ],
        'named',
      ).map((i) => i.message),
    ).toEqual(['No example for {{name}}', '{{other}} is not a parameter of the text']);
    expect(
      checkDefinition(
        [
          { type: 'HEADER', format: 'IMAGE' },
          { type: 'BODY', text: 'x' },
        ],
        'positional',
      )[0]?.path,
    ).toBe('body.components.0.example.header_handle');
    expect(checkDefinition([{ type: 'FOOTER', text: 'x' }], 'positional').map((i) => i.path)).toEqual([
      'body.components',
    ]);
  });
});
