import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateCity, buildGtfsZip } from '../../core/sim/index.js';
import { MODE } from '../../core/graph/modes.js';
import { modeNodes, reachable } from './helpers.js';

/** The city's promises, for any seed and small size (the edge cases live in the smallest grids). */
describe('generateCity over random seeds and sizes', () => {
  it('keeps every promise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 2500 }), fc.integer({ min: -1e9, max: 1e9 }), (size, seed) => {
        const city = generateCity({ size, seed });
        const net = city.network;
        const d = net.data;
        expect(d.edgeCount).toBeGreaterThan(size * 0.7);
        expect(d.edgeCount).toBeLessThan(size * 1.3);
        const car = modeNodes(net, MODE.car);
        const start = city.zones[0].node;
        const fwd = reachable(net, start, MODE.car);
        const bwd = reachable(net, start, MODE.car, { reverse: true });
        const north = city.layout.northBank;
        const cut = reachable(net, start, MODE.car, { blocked: new Set(city.bridges) });
        let crossedWithoutBridge = 0, unreachable = 0;
        for (let v = 0; v < d.nodeCount; v++) {
          if (!car[v]) continue;
          if (!fwd[v] || !bwd[v]) unreachable++;
          if (cut[v] && north[v] !== north[start]) crossedWithoutBridge++;
        }
        expect(unreachable).toBe(0);
        expect(crossedWithoutBridge).toBe(0);
        expect(city.hubs.length).toBeGreaterThanOrEqual(2);
        for (const h of city.hubs) expect(fwd[h.node] && bwd[h.node]).toBeTruthy();
        for (const c of city.customers) expect(fwd[c.node] && bwd[c.node]).toBeTruthy();
        expect(city.busLines.length).toBeGreaterThan(0);
        expect(city.demand.length).toBeGreaterThan(0);
        expect(city.demand.every((x) => x.origin !== x.destination && x.trips > 0)).toBe(true);
        expect(buildGtfsZip(city).length).toBeGreaterThan(100);
      }),
      { numRuns: 25, seed: 20261123 },
    );
  });
});
