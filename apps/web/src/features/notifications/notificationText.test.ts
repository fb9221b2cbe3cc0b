import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../lib/i18n/translate';
import { notificationText } from './notificationText';

describe('notificationText', () => {
  const en = createTranslator('en');

  it('names the contact and the number of a new conversation, in each language', () => {
    const n = { kind: 'new_conversation', contactName: 'Maria Lima', numberPurpose: 'Pre-sales' };
    expect(notificationText(n, 'Someone', en)).toBe('New conversation from Maria Lima on Pre-sales');
    expect(notificationText(n, 'Alguien', createTranslator('es'))).toBe(
      'Conversación nueva de Maria Lima en Pre-sales',
    );
    expect(notificationText(n, 'Alguém', createTranslator('pt-BR'))).toBe(
      'Nova conversa de Maria Lima em Pre-sales',
    );
  });

  it('falls back to an unknown contact and leaves out a missing number', () => {
    expect(
      notificationText({ kind: 'new_conversation', contactName: null, numberPurpose: null }, 'x', en),
    ).toBe('New conversation from Unknown contact');
  });

  it('keeps mentions, assignments and a generic line for kinds it does not know', () => {
    expect(notificationText({ kind: 'mention' }, 'Ana', en)).toBe(
      en('notifications.mention', { who: 'Ana' }),
    );
    expect(notificationText({ kind: 'assignment' }, 'Ana', en)).toBe(
      en('notifications.assignment', { who: 'Ana' }),
    );
    expect(notificationText({ kind: 'later' }, 'Ana', en)).toBe(en('notifications.other'));
  });
});
