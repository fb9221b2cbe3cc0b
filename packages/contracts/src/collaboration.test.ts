import { describe, expect, it } from 'vitest';
import { cannedShortCodeSchema, createNoteRequestSchema, typingFrameSchema } from './collaboration.ts';

describe('collaboration contracts', () => {
  it('lower-cases short codes and refuses anything but a-z, 0-9, _ and -', () => {
    expect(cannedShortCodeSchema.parse(' Refund_EU-2 ')).toBe('refund_eu-2');
    for (const bad of ['', 'a b', 'ç', '/x', 'x'.repeat(51)]) {
      expect(cannedShortCodeSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('trims note bodies, defaults mentions to none and refuses ids that are not UUIDs', () => {
    expect(createNoteRequestSchema.parse({ body: ' hi ' })).toEqual({ body: 'hi', mentions: [] });
    const bad = createNoteRequestSchema.safeParse({ body: ' ', mentions: ['x'] });
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['body', 'mentions.0']);
  });

  it('takes typing frames with isTyping defaulting to true, and nothing else', () => {
    const conversationId = '01900000-0000-7000-8000-000000000000';
    expect(typingFrameSchema.parse({ type: 'typing', conversationId })).toEqual({
      type: 'typing',
      conversationId,
      isTyping: true,
    });
    expect(typingFrameSchema.safeParse({ type: 'typing', conversationId, extra: 1 }).success).toBe(false);
  });
});
