import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import { generateCity } from '../../core/sim/index.js';
import { DijkstraSearch } from '../../services/routing/dijkstra.js';
import { modeWeights } from '../../services/routing/weights.js';
import { rng } from './grid-city.js';
import { nodePoint, routingFixture } from './service-fixture.js';
import { isUrbanflowError } from '../../core/errors/index.js';

const network = generateCity({ size: 5000, seed: 3 }).network;
const { service, writer } = routingFixture(network);
const d = network.data;

describe('matrix', () => {
  it('equals one route() per pair (seconds and metres), also after live changes', () => {
    const r = rng(4);
    const pts: [number, number][] = [];
    while (pts.length < 14) {
      const e = Math.floor(r() * d.edgeCount);
      if (!network.allows(e, 'car')) continue;
      const g = network.edgeGeometry(e);
      const f = r();
      pts.push([g[0][0] + f * (g[g.length - 1][0] - g[0][0]), g[0][1] + f * (g[g.length - 1][1] - g[0][1])]);
    }
    // two points on the same street, one after the other: the direct stretch counts
    pts.push(pts[0]);
    for (let round = 0; round < 2; round++) {
      if (round === 1) {
        for (let e = 0; e < d.edgeCount; e++) if (r() < 0.2) writer.set(e, d.edgeFreeFlowSeconds[e] * (1 + 2 * r()));
        writer.commit();
      }
      for (const mode of ['car', 'foot'] as const) {
        const m = service.matrix(pts, mode);
        const n = pts.length;
        expect(m.n).toBe(n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const got = m.seconds[i * n + j];
            if (i === j) {
              expect(got).toBe(0);
              continue;
            }
            const one = service.route({ from: { lon: pts[i][0], lat: pts[i][1] }, to: { lon: pts[j][0], lat: pts[j][1] }, mode });
            if (!one.found) {
              expect(got).toBe(Infinity);
              continue;
            }
            expect(got).toBeCloseTo(one.best.seconds, 6);
            expect(Math.abs(m.metres[i * n + j] - one.best.metres)).toBeLessThan(1e-3 + 1e-6 * one.best.metres);
          }
        }
      }
    }
    writer.reset();
  });

  it('names the bad point', () => {
    try {
      service.matrix([[d.nodeLon[0], d.nodeLat[0]], [d.nodeLon[0] + 2, d.nodeLat[0]]], 'car');
      expect.unreachable();
    } catch (e) {
      expect(isUrbanflowError(e) && e.code).toBe('NOT_ON_NETWORK');
      expect(isUrbanflowError(e) && e.field).toBe('points[1]');
    }
    try {
      service.matrix([[d.nodeLon[0], 91]], 'car');
      expect.unreachable();
    } catch (e) {
      expect(isUrbanflowError(e) && e.field).toBe('points[0][1]');
      expect((e as Error).message).toMatch(/must be between -90 and 90/);
    }
  });
});

describe('isochrone', () => {
  it('contains what is reachable within the budget and leaves out what is far beyond it', () => {
    const centre = Math.floor(d.nodeCount / 2);
    const from = nodePoint(network, centre);
    const minutes = 1.5;
    const iso = service.isochrone({ from, minutes, mode: 'car' });
    expect(iso.geometry).not.toBeNull();
    expect(iso.properties.method).toBe('concave-hull');
    const poly = turf.feature(iso.geometry as never);
    // ground truth: node times by a separate Dijkstra from the snapped start
    const w = modeWeights(network, 'car', network.live.seconds);
    const dj = new DijkstraSearch(network);
    dj.run(w, [{ node: centre, seconds: 0, metres: 0 }], null);
    let inside = 0, reach = 0, farOut = 0, far = 0;
    for (let v = 0; v < d.nodeCount; v++) {
      const t = dj.distance(v);
      const p = turf.point([d.nodeLon[v], d.nodeLat[v]]);
      if (t <= minutes * 60 * 0.9) {
        reach++;
        if (turf.booleanPointInPolygon(p, poly)) inside++;
      } else if (t > minutes * 60 * 2.5) {
        far++;
        if (!turf.booleanPointInPolygon(p, poly)) farOut++;
      }
    }
    expect(reach).toBeGreaterThan(20);
    expect(far).toBeGreaterThan(20);
    expect(inside / reach).toBeGreaterThan(0.97);
    expect(farOut / far).toBeGreaterThan(0.95);
    // a longer budget covers more ground
    const bigger = service.isochrone({ from, minutes: 3, mode: 'car' });
    expect(turf.area(turf.feature(bigger.geometry as never))).toBeGreaterThan(turf.area(poly));
    const walk = service.isochrone({ from, minutes, mode: 'foot' });
    expect(turf.area(turf.feature(walk.geometry as never))).toBeLessThan(turf.area(poly));
  });
});
