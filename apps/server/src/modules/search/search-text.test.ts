import { describe, expect, it } from 'vitest';
import { containsPattern, phoneDigits, prefixQuery, snippetOf, wordsOf } from './search-text.ts';

describe('prefixQuery', () => {
  it('requires every lexeme, the last as a prefix, once each', () => {
    expect(prefixQuery(['acao', 'promocional', 'acao'])).toBe("'acao' & 'promocional':*");
    expect(prefixQuery(['joa'])).toBe("'joa':*");
    expect(prefixQuery([])).toBeUndefined();
    expect(prefixQuery([''])).toBeUndefined();
  });

  it('quotes lexemes so no character becomes tsquery syntax', () => {
    expect(prefixQuery(["it's", 'a\\b', '&|!():*<->'])).toBe("'it''s' & 'a\\\\b' & '&|!():*<->':*");
  });
});

describe('contact matching helpers', () => {
  it('escapes LIKE wildcards', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });

  it('splits words and keeps the digits of phone-like queries only', () => {
    expect(wordsOf('  maria   da silva ')).toEqual(['maria', 'da', 'silva']);
    expect(phoneDigits('+55 (11) 9-8')).toBe('551198');
    expect(phoneDigits('maria 11')).toBeUndefined();
    expect(phoneDigits('( - )')).toBeUndefined();
  });
});

describe('snippetOf', () => {
  it('finds words accent- and case-insensitively and highlights them as written', () => {
    const s = snippetOf('Olá,  João!\nPreciso de INFORMAÇÃO sobre a ação.', ['joa', 'informacao', 'acao']);
    expect(s.text).toBe('Olá, João! Preciso de INFORMAÇÃO sobre a ação.');
    expect(s.highlights.map((h) => s.text.slice(h.start, h.start + h.length))).toEqual([
      'João',
      'INFORMAÇÃO',
      'ação',
    ]);
  });

  it('matches at the start of words only, and folds ß and æ as unaccent does', () => {
    const s = snippetOf('transação Straße Æsir', ['acao', 'strasse', 'aesir']);
    expect(s.highlights.map((h) => s.text.slice(h.start, h.start + h.length))).toEqual(['Straße', 'Æsir']);
  });

  it('cuts a window around the first match at a word, marking the cuts', () => {
    const before = 'lorem ipsum '.repeat(30);
    const after = ' dolor sit amet'.repeat(30);
    const s = snippetOf(`${before}reembolso${after}`, ['reembolso'], 80);
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    expect(s.text.length).toBeLessThanOrEqual(82);
    expect(s.text.slice(1, 6)).toMatch(/^(lorem|ipsum)/);
    const [h] = s.highlights;
    expect(s.text.slice(h!.start, h!.start + h!.length)).toBe('reembolso');
  });

  it('starts at the beginning when nothing is found', () => {
    expect(snippetOf('short text', ['zzz'])).toEqual({ text: 'short text', highlights: [] });
  });
});
