import { describe, expect, it } from 'vitest';
import { generateCity, formatTntpTrips } from '../../core/sim/index.js';
import { parseTntpTrips, tripsToTriples } from '../../core/tntp/index.js';
import { MODE } from '../../core/graph/modes.js';
import { allOrNothing, modeNodes, quantile } from './helpers.js';

const city = generateCity({ size: 2000, seed: 1 });

describe('generateCity: zones and demand', () => {
  it('numbers zones 1..n, each on a car node, with people and jobs', () => {
    const car = modeNodes(city.network, MODE.car);
    expect(city.zones.length).toBeGreaterThan(4);
    city.zones.forEach((z, i) => {
      expect(z.id).toBe(i + 1);
      expect(car[z.node]).toBe(1);
      expect(z.lon).toBe(city.network.data.nodeLon[z.node]);
      expect(z.lat).toBe(city.network.data.nodeLat[z.node]);
      expect(z.population).toBeGreaterThan(0);
      expect(z.jobs).toBeGreaterThan(0);
    });
    expect(new Set(city.zones.map((z) => z.node)).size).toBe(city.zones.length);
  });

  it('has positive demand between distinct existing zones, one entry per pair', () => {
    const total = city.demand.reduce((a, x) => a + x.trips, 0);
    expect(total).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const x of city.demand) {
      expect(x.origin).not.toBe(x.destination);
      expect(x.trips).toBeGreaterThan(0);
      expect(x.origin >= 1 && x.origin <= city.zones.length).toBe(true);
      expect(x.destination >= 1 && x.destination <= city.zones.length).toBe(true);
      const k = `${x.origin}-${x.destination}`;
      expect(seen.has(k)).toBe(false);
      seen.add(k);
    }
  });

  it('follows the gravity model: nearer pairs get more trips per job than far ones', () => {
    // for one origin, trips per destination job fall with distance
    const o = city.zones[Math.floor(city.zones.length / 2)];
    const rows = city.demand.filter((x) => x.origin === o.id).map((x) => {
      const z = city.zones[x.destination - 1];
      return { km: Math.hypot(z.lon - o.lon, z.lat - o.lat), perJob: x.trips / z.jobs };
    });
    rows.sort((a, b) => a.km - b.km);
    const third = Math.floor(rows.length / 3);
    const near = rows.slice(0, third).reduce((a, r) => a + r.perJob, 0) / third;
    const far = rows.slice(-third).reduce((a, r) => a + r.perJob, 0) / third;
    expect(near).toBeGreaterThan(2 * far);
  });

  it('loads arterials to congestion but not absurdly (all-or-nothing on free-flow times)', () => {
    const vol = allOrNothing(city);
    const d = city.network.data;
    const arterial: number[] = [];
    for (let e = 0; e < d.edgeCount; e++) {
      const cls = city.network.roadClass(e);
      if ((cls === 'primary' || cls === 'secondary') && d.edgeModes[e] & MODE.car) arterial.push(vol[e] / d.edgeCapacity[e]);
    }
    const p90 = quantile(arterial, 0.9);
    const max = quantile(arterial, 1);
    expect(p90).toBeGreaterThan(0.6);
    expect(p90).toBeLessThan(2.5);
    expect(max).toBeLessThan(6);
    // the bridges are the bottlenecks: the busiest car bridge is at least as loaded as a typical arterial
    const bridgeMax = Math.max(...city.bridges.filter((e) => d.edgeModes[e] & MODE.car).map((e) => vol[e] / d.edgeCapacity[e]));
    expect(bridgeMax).toBeGreaterThan(quantile(arterial, 0.5));
  });

  it('writes a TNTP trips file that core/tntp reads back to the same demand', () => {
    const text = formatTntpTrips(city.zones.length, city.demand, 'a comment');
    const parsed = parseTntpTrips(text, 'demand_trips.tntp');
    expect(parsed.zones).toBe(city.zones.length);
    const back = tripsToTriples(parsed);
    expect(back.length).toBe(city.demand.length);
    const sorted = city.demand.slice().sort((a, b) => a.origin - b.origin || a.destination - b.destination);
    back.forEach((x, i) => {
      expect(x.origin).toBe(sorted[i].origin);
      expect(x.destination).toBe(sorted[i].destination);
      expect(x.trips).toBeCloseTo(sorted[i].trips, 6);
    });
    expect(parsed.totalFlow).toBeCloseTo(city.demand.reduce((a, x) => a + x.trips, 0), 3);
  });
});
