import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { Store } from '../../core/store/index.js';

/**
 * One behaviour suite for every Store implementation (as graphology runs one spec suite
 * against every graph type). `make` returns a fresh, empty store.
 */
export function storeSpec(name: string, make: () => Promise<Store>, reopen?: (s: Store) => Promise<Store>) {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await store.close();
    });

    it('puts, gets, lists and deletes JSON values', async () => {
      await store.put('orders', 'a', { n: 1, tags: ['x'] });
      await store.put('orders', 'b', { n: 2 });
      await store.put('other', 'a', 'unrelated');
      expect(await store.get('orders', 'a')).toEqual({ n: 1, tags: ['x'] });
      expect(await store.get('orders', 'zzz')).toBeUndefined();
      const listed = (await store.list<{ n: number }>('orders')).map((o) => o.n).sort();
      expect(listed).toEqual([1, 2]);
      expect(await store.delete('orders', 'a')).toBe(true);
      expect(await store.delete('orders', 'a')).toBe(false);
      expect(await store.get('orders', 'a')).toBeUndefined();
      expect(await store.get('other', 'a')).toBe('unrelated');
    });

    it('overwrites on put and returns copies callers cannot mutate', async () => {
      const v = { n: 1 };
      await store.put('c', 'k', v);
      v.n = 99;
      const got = await store.get<{ n: number }>('c', 'k');
      expect(got).toEqual({ n: 1 });
      got!.n = 5;
      expect(await store.get('c', 'k')).toEqual({ n: 1 });
      await store.put('c', 'k', { n: 2 });
      expect(await store.get('c', 'k')).toEqual({ n: 2 });
    });

    it('appends to ordered logs with 1-based sequence numbers, also under concurrency', async () => {
      const seqs = await Promise.all(Array.from({ length: 50 }, (_, i) => store.append('audit', { i })));
      expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const all = await store.readLog<{ i: number }>('audit');
      expect(all.length).toBe(50);
      // each entry sits at the sequence number its append returned
      for (let i = 0; i < 50; i++) expect(all[seqs[i] - 1].entry.i).toBe(i);
      const page = await store.readLog('audit', 11, 5);
      expect(page.map((p) => p.seq)).toEqual([11, 12, 13, 14, 15]);
      expect(await store.readLog('nothing')).toEqual([]);
    });

    it('refuses empty keys', async () => {
      await expect(store.put('', 'a', 1)).rejects.toThrow();
      await expect(store.put('c', '', 1)).rejects.toThrow();
    });

    if (reopen) {
      it('keeps everything acknowledged across a close and reopen', async () => {
        await store.put('orders', 'o1', { size: 3 });
        await store.put('orders', 'o2', { size: 4 });
        await store.delete('orders', 'o2');
        await store.append('audit', 'first');
        await store.flush();
        await store.put('orders', 'o3', { size: 5 });
        await store.append('audit', 'second');
        store = await reopen(store);
        expect(await store.get('orders', 'o1')).toEqual({ size: 3 });
        expect(await store.get('orders', 'o2')).toBeUndefined();
        expect(await store.get('orders', 'o3')).toEqual({ size: 5 });
        expect((await store.readLog('audit')).map((e) => e.entry)).toEqual(['first', 'second']);
      });
    }
  });
}
