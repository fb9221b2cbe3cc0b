import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../lib/i18n/translate';
import {
  displayPreview,
  groupByDay,
  localizedPreviewOf,
  messageTypeLabel,
  normalizeMessage,
  previewOf,
} from './messageModel';

describe('normalizeMessage', () => {
  it('reads a realtime message and fills what the event leaves out', () => {
    const m = normalizeMessage({
      id: 'm1',
      conversationId: 'c1',
      direction: 'note',
      type: 'text',
      content: { body: 'hi', mentions: [] },
      senderUserId: 'u1',
      occurredAt: '2026-01-01T10:00:00.000Z',
    });
    expect(m).toMatchObject({
      id: 'm1',
      direction: 'note',
      status: 'received',
      reactions: {},
      forwarded: false,
    });
  });

  it('refuses what is not a message', () => {
    expect(normalizeMessage({ id: 'x' })).toBeUndefined();
    expect(
      normalizeMessage({ id: 'x', direction: 'sideways', occurredAt: '2026-01-01T00:00:00Z' }),
    ).toBeUndefined();
  });
});

describe('groupByDay', () => {
  it('groups consecutive messages of one local day', () => {
    const at = (d: number, h: number) => new Date(2026, 0, d, h).toISOString();
    const m = (id: string, occurredAt: string) => normalizeMessage({ id, direction: 'inbound', occurredAt })!;
    const groups = groupByDay([m('a', at(1, 9)), m('b', at(1, 23)), m('c', at(2, 0))]);
    expect(groups.map((g) => [g.day, g.messages.map((x) => x.id)])).toEqual([
      ['2026-01-01', ['a', 'b']],
      ['2026-01-02', ['c']],
    ]);
  });
});

describe('previewOf', () => {
  it('picks the line the list shows for each type', () => {
    expect(previewOf('text', { body: 'Olá' })).toBe('Olá');
    expect(previewOf('image', { caption: 'receipt' })).toBe('receipt');
    expect(previewOf('document', { filename: 'a.pdf' })).toBe('a.pdf');
    expect(previewOf('sticker', {})).toBe('[sticker]');
    expect(previewOf('text', { body: 'x'.repeat(200) })).toHaveLength(120);
  });
});

describe('localized previews', () => {
  const es = createTranslator('es');
  const pt = createTranslator('pt-BR');

  it('shows the type of a message without text in the user’s language, never [type]', () => {
    expect(localizedPreviewOf('image', {}, es)).toBe('Imagen');
    expect(localizedPreviewOf('sticker', {}, pt)).toBe('Figurinha');
    expect(localizedPreviewOf('image', { caption: 'recibo' }, es)).toBe('recibo');
    expect(messageTypeLabel('something_new', pt)).toBe('Mensagem');
  });

  it('replaces the server’s placeholder in list previews only', () => {
    expect(displayPreview('audio', '[audio]', es)).toBe('Mensaje de audio');
    expect(displayPreview('document', '', pt)).toBe('Documento');
    expect(displayPreview('text', '[audio]', es)).toBe('[audio]');
  });
});
