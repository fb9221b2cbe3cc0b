import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.ts';

describe('createBatcher', () => {
  it('flushes the first item at once and those added meanwhile together, answering each in order', async () => {
    const flushes: number[][] = [];
    let release: () => void = () => undefined;
    const batcher = createBatcher(async (items: number[]) => {
      flushes.push(items);
      if (flushes.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((i) => i * 10);
    });
    const first = batcher.add(1);
    const later = [batcher.add(2), batcher.add(3)];
    release();
    expect(await first).toBe(10);
    expect(await Promise.all(later)).toEqual([20, 30]);
    expect(flushes).toEqual([[1], [2, 3]]);
  });

  it('rejects every item of a failed flush, and goes on with the next', async () => {
    let calls = 0;
    const batcher = createBatcher((items: string[]) => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve(items);
    });
    await expect(batcher.add('a')).rejects.toThrow('down');
    expect(await batcher.add('b')).toBe('b');
  });
});
