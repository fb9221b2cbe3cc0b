import { describe, expect, it } from 'vitest';
import { checkTemplate, firstName, renderTemplate } from './canned-templates.ts';

describe('canned response templates', () => {
  it('finds known variables once each, with or without spaces and fallbacks', () => {
    const check = checkTemplate(
      'Hi {{contact.first_name}}, {{ agent.name }} here. {{contact.first_name | there}} {{organization.name}}',
    );
    expect(check).toEqual({
      variables: ['contact.first_name', 'agent.name', 'organization.name'],
      unknown: [],
    });
  });

  it('reports unknown names, including misspellings and empty braces', () => {
    expect(checkTemplate('{{contact.email}} {{ Contact.Name }} {{}} {{contact.email}}').unknown).toEqual([
      'contact.email',
      'Contact.Name',
      '',
    ]);
  });

  it('leaves unclosed or single braces as text', () => {
    expect(checkTemplate('{{contact.name and {single} }}')).toEqual({ variables: [], unknown: [] });
    expect(renderTemplate('a {{ b', {}).text).toBe('a {{ b');
  });

  it('fills values, uses fallbacks for missing or blank ones, and renders the rest as nothing', () => {
    const content =
      'Hi {{contact.first_name | there}}, I am {{agent.first_name}} from {{organization.name}}.';
    expect(renderTemplate(content, { 'contact.first_name': 'Ana', 'agent.first_name': 'Bo' })).toEqual({
      text: 'Hi Ana, I am Bo from .',
      missing: ['organization.name'],
    });
    expect(renderTemplate(content, { 'contact.first_name': '  ', 'organization.name': 'Acme' })).toEqual({
      text: 'Hi there, I am  from Acme.',
      missing: ['agent.first_name'],
    });
  });

  it('takes the first word of a name', () => {
    expect(firstName('  Ana  Souza ')).toBe('Ana');
    expect(firstName('')).toBeNull();
    expect(firstName(null)).toBeNull();
  });
});
