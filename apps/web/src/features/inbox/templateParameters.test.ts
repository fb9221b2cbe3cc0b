import { templateParametersSchema, type TemplateView } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { buildTemplateParameters, headerKind, missingTemplateValues } from './templateParameters';

const needs = (n: Partial<TemplateView['needs']>): Pick<TemplateView, 'needs' | 'parameterFormat'> => ({
  needs: { header: null, body: [], buttons: [], ...n },
  parameterFormat: 'positional',
});

describe('template parameters', () => {
  it('builds positional body parameters in order, with a text header and button values', () => {
    const template = needs({
      header: { format: 'TEXT', parameter: '1' },
      body: ['1', '2'],
      buttons: [{ index: 0, type: 'URL', value: 'url_suffix', required: true }],
    });
    const values = { header: 'Order', body: { '1': 'Ana', '2': ' 123 ' }, buttons: { 0: 'abc' } };
    const parameters = buildTemplateParameters(template, values);
    expect(parameters).toEqual({
      header: { type: 'text', text: 'Order' },
      body: ['Ana', '123'],
      buttons: [{ index: 0, value: 'abc' }],
    });
    expect(templateParametersSchema.safeParse(parameters).success).toBe(true);
    expect(missingTemplateValues(template, values)).toEqual([]);
  });

  it('builds named parameters and a media header link', () => {
    const template = {
      ...needs({ header: { format: 'IMAGE', parameter: null }, body: ['first_name'] }),
      parameterFormat: 'named' as const,
    };
    expect(
      buildTemplateParameters(template, {
        header: 'https://x.test/a.png',
        body: { first_name: 'Jo' },
        buttons: {},
      }),
    ).toEqual({
      header: { type: 'image', link: 'https://x.test/a.png' },
      body: { first_name: 'Jo' },
    });
  });

  it('says what is still missing, and which headers it can send', () => {
    const template = needs({
      header: { format: 'DOCUMENT', parameter: null },
      body: ['1'],
      buttons: [{ index: 1, type: 'QUICK_REPLY', value: 'payload', required: false }],
    });
    expect(missingTemplateValues(template, { header: '', body: {}, buttons: {} })).toEqual([
      'header',
      'body.1',
    ]);
    expect(headerKind(needs({ header: { format: 'LOCATION', parameter: null } }))).toBe('unsupported');
    expect(headerKind(needs({ header: { format: 'TEXT', parameter: null } }))).toBe('none');
  });
});
