import { createTemplateRequestSchema } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../lib/i18n/translate';
import {
  buildCreateRequest,
  emptyButton,
  emptyTemplateForm,
  fieldErrorsOf,
  fieldOfIssue,
  fillParameters,
  parametersOf,
  previewOf,
  templateFormFrom,
  type TemplateFormState,
} from './templateForm';
import { checkTemplateForm } from './templateValidation';

const t = createTranslator('en');

const order: TemplateFormState = {
  ...emptyTemplateForm(),
  name: 'order_shipped',
  language: 'en_US',
  category: 'UTILITY',
  headerFormat: 'TEXT',
  headerText: 'Order {{1}}',
  headerExample: '42',
  body: 'Hi {{1}}, your order {{2}} has shipped.',
  bodyExamples: { '1': 'Ana', '2': '42' },
  footer: 'Thanks for buying',
  buttons: [
    {
      ...emptyButton('URL'),
      text: 'Track',
      url: 'https://shop.example/track/{{1}}',
      example: 'https://shop.example/track/42',
    },
    { ...emptyButton('QUICK_REPLY'), text: 'Stop' },
  ],
};

describe('template parameters', () => {
  it('lists positional parameters once each, in numeric order', () => {
    expect(parametersOf('{{2}} and {{1}} then {{10}} and {{2}}', 'positional')).toEqual(['1', '2', '10']);
  });

  it('lists named parameters as written', () => {
    expect(parametersOf('Hi {{first_name}}, order {{order_id}}', 'named')).toEqual([
      'first_name',
      'order_id',
    ]);
  });

  it('fills what has a value and leaves the rest visible', () => {
    expect(fillParameters('Hi {{1}}, order {{2}}', { '1': 'Ana', '2': ' ' })).toBe('Hi Ana, order {{2}}');
  });
});

describe('the create request', () => {
  it('builds Graph components with the examples Meta requires, accepted by the contract', () => {
    const { request, layout } = buildCreateRequest(order);
    expect(layout).toEqual(['header', 'body', 'footer', 'buttons']);
    expect(request.components).toEqual([
      { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['42'] } },
      {
        type: 'BODY',
        text: 'Hi {{1}}, your order {{2}} has shipped.',
        example: { body_text: [['Ana', '42']] },
      },
      { type: 'FOOTER', text: 'Thanks for buying' },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Track',
            url: 'https://shop.example/track/{{1}}',
            example: ['https://shop.example/track/42'],
          },
          { type: 'QUICK_REPLY', text: 'Stop' },
        ],
      },
    ]);
    expect(createTemplateRequestSchema.safeParse(request).success).toBe(true);
  });

  it('gives named parameters their examples by name, and a media header its sample handle', () => {
    const { request, layout } = buildCreateRequest({
      ...emptyTemplateForm(),
      parameterFormat: 'named',
      headerFormat: 'IMAGE',
      headerHandle: '4::aW1hZ2U=',
      body: 'Hi {{first_name}}',
      bodyExamples: { first_name: 'Ana' },
    });
    expect(layout).toEqual(['header', 'body']);
    expect(request.components).toEqual([
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2U='] } },
      {
        type: 'BODY',
        text: 'Hi {{first_name}}',
        example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] },
      },
    ]);
  });

  it('reads an existing template back into the same form', () => {
    const { request } = buildCreateRequest(order);
    expect(templateFormFrom(request)).toEqual(order);
  });
});

describe('the preview', () => {
  it('shows the examples in place of the parameters', () => {
    expect(previewOf(order)).toEqual({
      header: { kind: 'text', text: 'Order 42' },
      body: 'Hi Ana, your order 42 has shipped.',
      footer: 'Thanks for buying',
      buttons: [
        { type: 'URL', text: 'Track' },
        { type: 'QUICK_REPLY', text: 'Stop' },
      ],
    });
  });
});

describe('where the server’s issues belong', () => {
  const layout = ['header', 'body', 'footer', 'buttons'] as const;

  it('maps component paths to the form’s fields by the layout the request was built with', () => {
    expect(fieldOfIssue('body.name', layout)).toBe('name');
    expect(fieldOfIssue('body.components.1.example.body_text', layout)).toBe('body.examples');
    expect(fieldOfIssue('components.1.text', layout)).toBe('body.text');
    expect(fieldOfIssue('body.components.0.text', layout)).toBe('header.text');
    expect(fieldOfIssue('body.components.0.example.header_handle', layout)).toBe('header.handle');
    expect(fieldOfIssue('body.components.2.text', layout)).toBe('footer.text');
    expect(fieldOfIssue('body.components.3.buttons.0.url', layout)).toBe('buttons.0.url');
    expect(fieldOfIssue('body.components.3.buttons.1.phone_number', layout)).toBe('buttons.1.phoneNumber');
    expect(fieldOfIssue('body.components.3.buttons', layout)).toBe('buttons');
    expect(fieldOfIssue('body.components.0.text', ['body'])).toBe('body.text');
    expect(fieldOfIssue('body', layout)).toBe('');
  });

  it('keeps the first message per field', () => {
    expect(
      fieldErrorsOf(
        [
          { path: 'body.components.1.text', message: 'first' },
          { path: 'body.components.1.text', message: 'second' },
          { path: 'body.parameterFormat', message: 'format' },
        ],
        ['body'],
      ),
    ).toEqual({ 'body.text': 'first', parameterFormat: 'format' });
  });
});

describe('checks before sending', () => {
  it('accepts a complete form', () => {
    expect(checkTemplateForm(order, 'create', t)).toEqual({});
  });

  it('asks for every example, the URL and the button text, in the user’s words', () => {
    const errors = checkTemplateForm(
      {
        ...order,
        name: 'Order Shipped',
        bodyExamples: { '1': 'Ana' },
        buttons: [{ ...emptyButton('URL'), url: 'shop.example' }],
      },
      'create',
      t,
    );
    expect(errors).toEqual({
      name: t('templatesAdmin.nameInvalid'),
      'body.examples.2': t('templatesAdmin.exampleRequired'),
      'buttons.0.text': t('validation.required'),
      'buttons.0.url': t('templatesAdmin.urlInvalid'),
    });
  });

  it('leaves the fixed name and language alone when editing, and checks lengths with the contract', () => {
    const errors = checkTemplateForm({ ...order, name: 'BAD NAME', footer: 'x'.repeat(61) }, 'edit', t);
    expect(errors).toEqual({ 'footer.text': t('validation.tooLong', { max: 60 }) });
  });
});
