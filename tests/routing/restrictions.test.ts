import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import { gridCity } from './grid-city.js';
import { nodePoint, routingFixture } from './service-fixture.js';
import { isUrbanflowError } from '../../core/errors/index.js';
import type { RouteResult } from '../../core/contracts/routing.js';

const network = gridCity({ cols: 30, rows: 30, seed: 21, limited: 0.08 });
const { service, writer } = routingFixture(network);
const d = network.data;
const A = nodePoint(network, 2 * 30 + 2);
const B = nodePoint(network, 27 * 30 + 26);

function best(r: RouteResult) {
  if (!r.found) throw new Error(`expected a route: ${r.reason}`);
  return r.best;
}

describe('closures, avoided areas and truck limits', () => {
  it('avoided edges are not used and the answer still equals the reference', () => {
    const base = best(service.route({ from: A, to: B }));
    const avoid = base.edges.slice(3, base.edges.length - 3);
    const r = service.route({ from: A, to: B, avoid: { edges: avoid } });
    const ref = service.route({ from: A, to: B, avoid: { edges: avoid }, algorithm: 'reference' });
    const b = best(r);
    for (const e of avoid) expect(b.edges).not.toContain(e);
    expect(b.seconds).toBeGreaterThanOrEqual(base.seconds);
    expect(b.seconds).toBeCloseTo(best(ref).seconds, 6);
  });

  it('an avoided polygon is not entered', () => {
    const base = best(service.route({ from: A, to: B }));
    const mid = base.geometry.coordinates[Math.floor(base.geometry.coordinates.length / 2)];
    const area = turf.circle(mid, 0.35, { units: 'kilometers', steps: 24 }).geometry;
    expect(turf.booleanIntersects(turf.lineString(base.geometry.coordinates), area)).toBe(true);
    const r = best(service.route({ from: A, to: B, avoid: { areas: [area] } }));
    expect(turf.booleanIntersects(turf.lineString(r.geometry.coordinates), area)).toBe(false);
    const ref = best(service.route({ from: A, to: B, avoid: { areas: [area] }, algorithm: 'reference' }));
    expect(r.seconds).toBeCloseTo(ref.seconds, 6);
  });

  it('a live closure (Infinity) on the best route moves the route', () => {
    const base = best(service.route({ from: A, to: B }));
    const closed = base.edges[Math.floor(base.edges.length / 2)];
    writer.set(closed, Infinity);
    writer.commit();
    const r = best(service.route({ from: A, to: B }));
    expect(r.edges).not.toContain(closed);
    expect(r.seconds).toBeCloseTo(best(service.route({ from: A, to: B, algorithm: 'reference' })).seconds, 6);
    writer.reset();
  });

  it('truck weight and height limits are honoured', () => {
    const heavy = best(service.route({ from: A, to: B, mode: 'truck', truck: { weight: 12, height: 4 } }));
    for (const e of heavy.edges) {
      expect(d.edgeMaxWeight[e] === 0 || d.edgeMaxWeight[e] >= 12).toBe(true);
      expect(d.edgeMaxHeight[e] === 0 || d.edgeMaxHeight[e] >= 4).toBe(true);
    }
    const ref = best(service.route({ from: A, to: B, mode: 'truck', truck: { weight: 12, height: 4 }, algorithm: 'reference' }));
    expect(heavy.seconds).toBeCloseTo(ref.seconds, 6);
    // the limits bite somewhere on this network: an unladen van takes at least one limited edge on some trip
    let limitedUsed = 0;
    for (let k = 0; k < 20; k++) {
      const from = nodePoint(network, (k * 37) % 900);
      const to = nodePoint(network, 899 - ((k * 53) % 900));
      const r = service.route({ from, to, mode: 'truck' });
      const h = service.route({ from, to, mode: 'truck', truck: { weight: 12, height: 4 } });
      if (r.found) limitedUsed += r.best.edges.filter((e) => d.edgeMaxWeight[e] > 0 || d.edgeMaxHeight[e] > 0).length;
      if (h.found) for (const e of h.best.edges) expect(d.edgeMaxWeight[e] === 0 || d.edgeMaxWeight[e] >= 12).toBe(true);
    }
    expect(limitedUsed).toBeGreaterThan(0);
  });

  it('foot may walk against a one-way street that cars must go around', () => {
    // a one-way edge between two junctions with no edge back
    let oneway = -1;
    for (let e = 0; e < d.edgeCount && oneway < 0; e++) {
      if (!network.allows(e, 'car') || !network.allows(e, 'foot')) continue;
      const back = Array.from(network.outEdges.subarray(network.outOffsets[d.edgeTo[e]], network.outOffsets[d.edgeTo[e] + 1])).some((x) => d.edgeTo[x] === d.edgeFrom[e]);
      if (!back) oneway = e;
    }
    expect(oneway).toBeGreaterThanOrEqual(0);
    const from = nodePoint(network, d.edgeTo[oneway]);
    const to = nodePoint(network, d.edgeFrom[oneway]);
    const walk = best(service.route({ from, to, mode: 'foot' }));
    expect(walk.edges).toContain(oneway);
    expect(walk.reversed[walk.edges.indexOf(oneway)]).toBe(true);
    expect(walk.metres).toBeCloseTo(d.edgeLength[oneway], 0);
    const drive = best(service.route({ from, to, mode: 'car' }));
    expect(drive.metres).toBeGreaterThan(walk.metres * 1.5);
    expect(drive.reversed.every((x) => !x)).toBe(true);
  });

  it('a point far from any road is NOT_ON_NETWORK naming the field; no route is a result', () => {
    try {
      service.route({ from: A, to: { lon: B.lon + 1, lat: B.lat } });
      expect.unreachable();
    } catch (e) {
      expect(isUrbanflowError(e) && e.code).toBe('NOT_ON_NETWORK');
      expect(isUrbanflowError(e) && e.field).toBe('to');
    }
    const area = turf.circle([B.lon, B.lat], 0.5, { units: 'kilometers' }).geometry;
    const r = service.route({ from: A, to: B, avoid: { areas: [area] } });
    expect(r.found).toBe(false);
    if (!r.found) expect(r.reason).toMatch(/no car route/);
  });

  it('bad input is INVALID_INPUT naming the field', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ from: { lon: 8, lat: 95 }, to: B }, 'from.lat', /from\.lat must be between -90 and 90/],
      [{ from: A, to: { lon: 'x', lat: 1 } }, 'to.lon', /to\.lon must be a number/],
      [{ from: A, to: B, mode: 'plane' }, 'mode', /mode must be one of car, truck, bike, foot/],
      [{ from: A, to: B, alternatives: 7 }, 'alternatives', /between 0 and 3/],
      [{ from: A, to: B, avoid: { edges: [d.edgeCount + 5] } }, 'avoid.edges[0]', /edge id/],
    ];
    for (const [input, field, msg] of cases) {
      try {
        service.route(input as never);
        expect.unreachable();
      } catch (e) {
        expect(isUrbanflowError(e) && e.code).toBe('INVALID_INPUT');
        expect(isUrbanflowError(e) && e.field).toBe(field);
        expect((e as Error).message).toMatch(msg);
      }
    }
  });
});
