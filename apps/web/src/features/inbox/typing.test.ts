import { describe, expect, it } from 'vitest';
import { applyTyping, TYPING_EXPIRY_MS, typersOf, type TypingState } from './typing';

describe('typing', () => {
  it('shows a colleague typing until they stop or the expiry passes', () => {
    let state: TypingState = new Map();
    state = applyTyping(state, 'c1', 'u1', true, 1000);
    state = applyTyping(state, 'c1', 'u2', true, 2000);
    expect(typersOf(state, 'c1', 2500)).toEqual(['u1', 'u2']);
    expect(typersOf(state, 'c1', 1000 + TYPING_EXPIRY_MS)).toEqual(['u2']);
    state = applyTyping(state, 'c1', 'u2', false, 3000);
    expect(typersOf(state, 'c1', 3000)).toEqual(['u1']);
    expect(typersOf(state, 'c2', 3000)).toEqual([]);
  });
});
