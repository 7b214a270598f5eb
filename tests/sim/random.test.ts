import { describe, expect, it } from 'vitest';
import { createRandom, normaliseSeed } from '../../core/sim/index.js';

describe('createRandom', () => {
  it('repeats its sequence for a seed and differs between seeds and streams', () => {
    const seq = (seed: number, label?: string) => {
      const r = label ? createRandom(seed).stream(label) : createRandom(seed);
      return Array.from({ length: 20 }, () => r.next());
    };
    expect(seq(1)).toEqual(seq(1));
    expect(seq(1)).not.toEqual(seq(2));
    expect(seq(1, 'a')).toEqual(seq(1, 'a'));
    expect(seq(1, 'a')).not.toEqual(seq(1, 'b'));
    expect(seq(1, 'a')).not.toEqual(seq(1));
  });

  it('draws uniformly in [0, 1) and integers in the closed range', () => {
    const r = createRandom(99);
    const bins = new Array(10).fill(0);
    const seen = new Set<number>();
    for (let i = 0; i < 20000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      bins[Math.floor(x * 10)]++;
      seen.add(r.int(3, 6));
    }
    for (const b of bins) expect(Math.abs(b - 2000)).toBeLessThan(200);
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('maps any finite seed to a 32-bit one, deterministically', () => {
    for (const s of [-1, 0.5, 2 ** 40 + 3, -(2 ** 33)]) {
      const n = normaliseSeed(s);
      expect(Number.isInteger(n) && n >= 0 && n <= 0xffffffff).toBe(true);
      expect(normaliseSeed(s)).toBe(n);
    }
    expect(normaliseSeed(12345)).toBe(12345);
    expect(normaliseSeed(-1)).not.toBe(normaliseSeed(1));
  });
});
