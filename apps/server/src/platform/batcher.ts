/**
 * Runs `flush` for items added together: the first starts a flush at once, those added while it
 * runs go in the next one. `flush` answers each item, in order.
 */
export function createBatcher<T, R>(flush: (items: T[]) => Promise<R[]>) {
  let waiting: { item: T; resolve: (r: R) => void; reject: (err: unknown) => void }[] = [];
  let running = false;
  const drain = async () => {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const results = await flush(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results[i] as R));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    running = false;
  };
  return {
    add(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}
