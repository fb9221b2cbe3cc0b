import { describe, expect, it } from 'vitest';
import { catalogs, createPlural, pluralKey } from './translate';

describe('plural', () => {
  it('picks the one/other form by Intl.PluralRules, in each language', () => {
    expect(createPlural('en')('bulk.done', 1)).toBe('Done for 1 conversation.');
    expect(createPlural('en')('bulk.done', 0)).toBe('Done for 0 conversations.');
    expect(createPlural('en')('message.order', 2)).toBe('Order with 2 items');
    expect(createPlural('es')('message.order', 1)).toBe('Pedido con 1 artículo');
    expect(createPlural('es')('bulk.selected', 3)).toBe('3 seleccionadas');
    expect(createPlural('pt-BR')('bulk.done', 1)).toBe('Feito em 1 conversa.');
    // Portuguese counts 0 as singular; English does not.
    expect(createPlural('pt-BR')('message.order', 0)).toBe('Pedido com 0 item');
  });

  it('formats the count for the language and passes the other placeholders', () => {
    expect(createPlural('en')('bulk.done', 1234)).toBe('Done for 1,234 conversations.');
    expect(createPlural('pt-BR')('bulk.done', 1234)).toBe('Feito em 1.234 conversas.');
    expect(createPlural('en')('bulk.partial', 1, { done: 4 })).toBe(
      'Done for 4; 1 could not be changed and stays selected.',
    );
  });

  it('falls back to the other form for a category a catalog has no message for', () => {
    // Spanish calls a million "many"; the catalogs have no `.many`, so `.other` is used.
    expect(new Intl.PluralRules('es').select(1_000_000)).toBe('many');
    expect(pluralKey('es', 'message.order', 1_000_000)).toBe('message.order.other');
    expect(createPlural('es')('message.order', 1_000_000)).toBe('Pedido con 1.000.000 artículos');
    const custom = {
      ...catalogs,
      en: { ...catalogs.en, 'message.order.one': 'One order line' },
    };
    expect(createPlural('en', custom)('message.order', 1)).toBe('One order line');
  });
});
