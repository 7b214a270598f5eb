import { describe, expect, it } from 'vitest';
import { upstreamEdges } from '../../services/signage/upstream.js';
import { east, lineNetwork, west } from './fixture.js';

describe('upstreamEdges', () => {
  const network = lineNetwork();
  const len = (e: number) => network.data.edgeLength[e];

  it('finds the edges that lead into the target, with distances from their heads', () => {
    const up = upstreamEdges(network, [east(4)], 10_000);
    expect(up.get(east(4))).toBe(0);
    expect(up.get(east(3))).toBe(0); // its head is the incident's start
    expect(up.get(east(2))).toBeCloseTo(len(east(3)), 6);
    expect(up.get(east(0))).toBeCloseTo(len(east(1)) + len(east(2)) + len(east(3)), 6);
    // downstream edges are not upstream
    expect(up.has(east(5))).toBe(false);
  });

  it('does not warn the other carriageway (no U-turns)', () => {
    const up = upstreamEdges(network, [east(4)], 10_000);
    for (let i = 0; i < 7; i++) expect(up.has(west(i))).toBe(false);
  });

  it('stops at the distance limit', () => {
    const limit = len(east(3)) + 1; // reaches edge 2, not edge 1
    const up = upstreamEdges(network, [east(4)], limit);
    expect(up.has(east(2))).toBe(true);
    expect(up.has(east(1))).toBe(false);
  });

  it('ignores edge ids outside the network', () => {
    expect(upstreamEdges(network, [-1, 99999, 1.5], 1000).size).toBe(0);
  });
});
