import { describe, expect, it } from 'vitest';
import { EMOJI, insertAt, searchEmoji } from './emoji';

describe('emoji picker model', () => {
  it('finds emoji by their name in the locale or in English, ignoring accents and case', () => {
    expect(searchEmoji('thumbs', 'en').map((e) => e.char)).toEqual(['👍', '👎']);
    expect(searchEmoji('Corazon roto', 'es').map((e) => e.char)).toEqual(['💔']);
    expect(searchEmoji('cafe', 'pt-BR').map((e) => e.char)).toEqual(['☕']);
    expect(searchEmoji('heart', 'pt-BR').map((e) => e.char)).toContain('❤️');
    expect(searchEmoji('  ', 'en')).toBe(EMOJI);
    expect(searchEmoji('zzzz', 'en')).toEqual([]);
  });

  it('names every emoji in every language, each once', () => {
    expect(new Set(EMOJI.map((e) => e.char)).size).toBe(EMOJI.length);
    for (const emoji of EMOJI) expect(Object.values(emoji.names).every((n) => n.length > 0)).toBe(true);
  });

  it('inserts at the caret or over the selection, with the caret after the insertion', () => {
    expect(insertAt('Hi there', 2, 2, ' 👋')).toEqual({ text: 'Hi 👋 there', caret: 5 });
    expect(insertAt('Hi there', 3, 8, '🙂')).toEqual({ text: 'Hi 🙂', caret: 5 });
    expect(insertAt('', 4, 9, '✅')).toEqual({ text: '✅', caret: 1 });
  });
});
