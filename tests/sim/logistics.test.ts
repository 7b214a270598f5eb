import { describe, expect, it } from 'vitest';
import { generateCity } from '../../core/sim/index.js';
import { MODE } from '../../core/graph/modes.js';
import { reachable } from './helpers.js';

describe.each([[2000, 1], [300, 4], [6000, 8]])('generateCity(size %i, seed %i): hubs and customers', (size, seed) => {
  const city = generateCity({ size, seed });
  const net = city.network;
  const d = net.data;
  const from = reachable(net, city.zones[0].node, MODE.car);
  const to = reachable(net, city.zones[0].node, MODE.car, { reverse: true });
  const truckFrom = reachable(net, city.zones[0].node, MODE.truck);

  it('puts hubs on car- and truck-reachable nodes next to motorway ramps', () => {
    expect(city.hubs.length).toBeGreaterThanOrEqual(2);
    for (const h of city.hubs) {
      expect(from[h.node] && to[h.node] && truckFrom[h.node], h.id).toBeTruthy();
      // the ramp junction has a motorway_link, and the hub is at most one block from it
      let ramps = 0;
      for (let p = net.outOffsets[h.rampNode]; p < net.outOffsets[h.rampNode + 1]; p++) if (net.roadClass(net.outEdges[p]) === 'motorway_link') ramps++;
      expect(ramps, h.id).toBeGreaterThan(0);
      const metres = Math.hypot((d.nodeLon[h.node] - d.nodeLon[h.rampNode]) * 78_800, (d.nodeLat[h.node] - d.nodeLat[h.rampNode]) * 111_000);
      expect(metres).toBeLessThanOrEqual(210);
      expect(h.docks).toBeGreaterThan(0);
      expect(h.opening.length).toBeGreaterThan(0);
      for (const o of h.opening) {
        expect(o.open).toBeLessThan(o.close);
        expect(o.days.every((x) => x >= 1 && x <= 7)).toBe(true);
      }
      expect(h.openingHours).toMatch(/\d\d:\d\d|24\/7/);
    }
    expect(new Set(city.hubs.map((h) => h.id)).size).toBe(city.hubs.length);
  });

  it('puts customers on distinct car-reachable nodes with demands, windows and a hub', () => {
    expect(city.customers.length).toBeGreaterThanOrEqual(20);
    const hubIds = new Set(city.hubs.map((h) => h.id));
    const nodes = new Set<number>();
    for (const c of city.customers) {
      expect(from[c.node] && to[c.node], c.id).toBeTruthy();
      expect(nodes.has(c.node)).toBe(false);
      nodes.add(c.node);
      expect(c.lon).toBe(d.nodeLon[c.node]);
      expect(c.demandKg).toBeGreaterThan(0);
      expect(c.serviceSeconds).toBeGreaterThan(0);
      expect(c.timeWindow[0]).toBeLessThan(c.timeWindow[1]);
      expect(hubIds.has(c.hub)).toBe(true);
      expect(c.address).toMatch(/^\d+ \S/);
      // the nearest hub really is the nearest
      const dist = (id: string) => {
        const h = city.hubs.find((x) => x.id === id)!;
        return Math.hypot(h.lon - c.lon, h.lat - c.lat);
      };
      for (const h of city.hubs) expect(dist(c.hub)).toBeLessThanOrEqual(dist(h.id));
    }
  });
});
