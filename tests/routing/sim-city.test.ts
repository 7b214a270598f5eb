import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import { generateCity } from '../../core/sim/index.js';
import { routingFixture } from './service-fixture.js';

/** The simulated city: a river crossed by a few bridges, hubs and customers on real-looking streets. */
const city = generateCity({ size: 12_000, seed: 41 });
const network = city.network;
const d = network.data;
const { service, writer } = routingFixture(network);

/** latitude of the river at a longitude (centre line is west to east) */
function riverLat(lon: number): number {
  const c = city.river.centreline;
  for (let i = 1; i < c.length; i++) {
    if (c[i][0] >= lon) {
      const t = (lon - c[i - 1][0]) / (c[i][0] - c[i - 1][0] || 1);
      return c[i - 1][1] + t * (c[i][1] - c[i - 1][1]);
    }
  }
  return c[c.length - 1][1];
}

describe('routing on the simulated city', () => {
  // a customer north of the river and one south of it
  const north = city.customers.find((c) => c.lat > riverLat(c.lon) + 0.003)!;
  const south = city.customers.find((c) => c.lat < riverLat(c.lon) - 0.003)!;

  it('crosses the river on a bridge; avoiding that bridge (area) or closing it (live) takes another', () => {
    const r = service.route({ from: north, to: south });
    if (!r.found) throw new Error(r.reason);
    const bridges = new Set(city.bridges);
    const used = r.best.edges.filter((e) => bridges.has(e));
    expect(used.length).toBeGreaterThan(0);
    // a polygon around the bridge actually used
    const g = network.edgeGeometry(used[0]);
    const mid = g[Math.floor(g.length / 2)];
    const area = turf.circle(mid, 0.12, { units: 'kilometers' }).geometry;
    const around = service.route({ from: north, to: south, avoid: { areas: [area] } });
    if (!around.found) throw new Error(around.reason);
    expect(turf.booleanIntersects(turf.lineString(around.best.geometry.coordinates), area)).toBe(false);
    expect(around.best.edges.some((e) => bridges.has(e))).toBe(true);
    expect(around.best.seconds).toBeGreaterThan(r.best.seconds);
    const ref = service.route({ from: north, to: south, avoid: { areas: [area] }, algorithm: 'reference' });
    expect(ref.found && ref.best.seconds).toBeCloseTo(around.best.seconds, 6);
    // live closure of every bridge edge the first route used
    for (const e of used) writer.set(e, Infinity);
    writer.commit();
    const closed = service.route({ from: north, to: south });
    if (!closed.found) throw new Error(closed.reason);
    for (const e of used) expect(closed.best.edges).not.toContain(e);
    writer.reset();
  });

  it('trucks over the limits keep off limited edges; a matrix between hubs and customers equals single routes', () => {
    const limited = Array.from({ length: d.edgeCount }, (_, e) => e).filter((e) => d.edgeMaxWeight[e] > 0 || d.edgeMaxHeight[e] > 0);
    const heavy = { weight: 40, height: 4.2 };
    const pts: [number, number][] = [...city.hubs.slice(0, 2), ...city.customers.slice(0, 6)].map((p) => [p.lon, p.lat]);
    for (let i = 0; i + 1 < pts.length; i++) {
      const r = service.route({ from: { lon: pts[i][0], lat: pts[i][1] }, to: { lon: pts[i + 1][0], lat: pts[i + 1][1] }, mode: 'truck', truck: heavy });
      if (!r.found) continue;
      for (const e of r.best.edges) {
        expect(d.edgeMaxWeight[e] === 0 || d.edgeMaxWeight[e] >= 40).toBe(true);
        expect(d.edgeMaxHeight[e] === 0 || d.edgeMaxHeight[e] >= 4.2).toBe(true);
      }
    }
    expect(limited.length).toBeGreaterThan(0);
    const m = service.matrix(pts, 'truck', { truck: heavy });
    for (let i = 0; i < pts.length; i++) {
      for (let j = 0; j < pts.length; j++) {
        if (i === j) continue;
        const r = service.route({ from: { lon: pts[i][0], lat: pts[i][1] }, to: { lon: pts[j][0], lat: pts[j][1] }, mode: 'truck', truck: heavy });
        expect(m.seconds[i * pts.length + j]).toBeCloseTo(r.found ? r.best.seconds : Infinity, 6);
      }
    }
  });
});
