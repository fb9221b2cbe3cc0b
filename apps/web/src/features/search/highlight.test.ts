import { describe, expect, it } from 'vitest';
import { highlightSegments } from './highlight';

describe('highlightSegments', () => {
  it('marks the matching words and keeps the rest', () => {
    expect(highlightSegments('Olá João, tudo bem', [{ start: 4, length: 4 }])).toEqual([
      { text: 'Olá ', match: false },
      { text: 'João', match: true },
      { text: ', tudo bem', match: false },
    ]);
  });

  it('ignores overlapping and out-of-range highlights', () => {
    expect(
      highlightSegments('abc', [
        { start: 0, length: 2 },
        { start: 1, length: 1 },
        { start: 2, length: 5 },
      ]),
    ).toEqual([
      { text: 'ab', match: true },
      { text: 'c', match: false },
    ]);
  });
});
