import { describe, expect, it } from 'vitest';
import { RoadNetworkBuilder } from '../../core/graph/road-network-builder.js';
import { MODE } from '../../core/graph/modes.js';
import { classifyTurn, turnAngle } from '../../services/routing/instructions.js';
import { gridCity } from './grid-city.js';
import { nodePoint, routingFixture } from './service-fixture.js';
import type { RouteResult } from '../../core/contracts/routing.js';

function best(r: RouteResult) {
  if (!r.found) throw new Error(`expected a route: ${r.reason}`);
  return r.best;
}

/** A plus-shaped crossing: Weststrasse comes in from the west, Nord/Sued/Oststrasse leave. */
function crossing() {
  const b = new RoadNetworkBuilder();
  const all = MODE.car | MODE.truck | MODE.bike | MODE.foot;
  const c = b.addNode(8.0, 49.0);
  const w = b.addNode(7.99, 49.0);
  const e = b.addNode(8.01, 49.0);
  const n = b.addNode(8.0, 49.0066);
  const s = b.addNode(8.0, 48.9934);
  const road = (a: number, z: number, name: string) => {
    b.addEdge({ from: a, to: z, roadClass: 'residential', modes: all, name });
    b.addEdge({ from: z, to: a, roadClass: 'residential', modes: all, name });
  };
  road(w, c, 'Weststrasse');
  road(c, e, 'Oststrasse');
  road(c, n, 'Nordstrasse');
  road(c, s, 'Suedstrasse');
  return b.build();
}

describe('turn-by-turn instructions', () => {
  it('classifies angles', () => {
    expect(classifyTurn(0)).toBe('straight');
    expect(classifyTurn(90)).toBe('right');
    expect(classifyTurn(-90)).toBe('left');
    expect(classifyTurn(30)).toBe('slight-right');
    expect(classifyTurn(-150)).toBe('sharp-left');
    expect(classifyTurn(178)).toBe('u-turn');
    expect(turnAngle(350, 80)).toBe(90);
    expect(turnAngle(80, 350)).toBe(-90);
  });

  it('heading east, turning south is a right turn onto Suedstrasse; north is left', () => {
    const net = crossing();
    const { service } = routingFixture(net);
    const from = { lon: 7.993, lat: 49.0 };
    const right = best(service.route({ from, to: { lon: 8.0, lat: 48.996 } }));
    const types = right.instructions.map((i) => i.type);
    expect(types[0]).toBe('depart');
    expect(right.instructions[0].text).toMatch(/Head east on Weststrasse/);
    expect(types).toContain('right');
    const turn = right.instructions.find((i) => i.type === 'right')!;
    expect(turn.name).toBe('Suedstrasse');
    expect(turn.text).toBe('Turn right onto Suedstrasse');
    expect(turn.lon).toBeCloseTo(8.0, 6);
    expect(types[types.length - 1]).toBe('arrive');
    const left = best(service.route({ from, to: { lon: 8.0, lat: 49.004 } }));
    expect(left.instructions.find((i) => i.type === 'left')?.name).toBe('Nordstrasse');
    const straight = best(service.route({ from, to: { lon: 8.006, lat: 49.0 } }));
    expect(straight.instructions.find((i) => i.name === 'Oststrasse')?.type).toBe('straight');
    // instruction distances add up to the route's metres; geometry starts and ends at the snapped points
    const sum = right.instructions.reduce((s, i) => s + i.distance, 0);
    expect(Math.abs(sum - right.metres)).toBeLessThan(1);
    expect(right.geometry.coordinates[0][0]).toBeCloseTo(7.993, 6);
    expect(right.geometry.coordinates.at(-1)![1]).toBeCloseTo(48.996, 6);
    // starts part-way along the edge: shorter than the whole west arm plus the south arm
    expect(right.metres).toBeLessThan(net.data.edgeLength[0] + net.data.edgeLength[6]);
    expect(right.metres).toBeGreaterThan(0.5 * net.data.edgeLength[0]);
  });
});

describe('alternatives, via points and departure times', () => {
  const network = gridCity({ cols: 24, rows: 24, seed: 8, oneway: 0.05 });
  const A = nodePoint(network, 1 * 24 + 1);
  const B = nodePoint(network, 22 * 24 + 21);

  it('up to 3 alternatives that differ meaningfully and stay within stretch 1.4', () => {
    const { service } = routingFixture(network);
    const r = service.route({ from: A, to: B, alternatives: 3 });
    if (!r.found) throw new Error('no route');
    expect(r.alternatives.length).toBeGreaterThanOrEqual(1);
    expect(r.alternatives.length).toBeLessThanOrEqual(3);
    const routes = [r.best, ...r.alternatives];
    const metresOf = (x: typeof r.best) => {
      const m = new Map<number, number>();
      x.edges.forEach((e) => m.set(e, (m.get(e) ?? 0) + network.data.edgeLength[e]));
      return m;
    };
    for (let i = 1; i < routes.length; i++) {
      expect(routes[i].seconds).toBeGreaterThanOrEqual(r.best.seconds - 1e-9);
      expect(routes[i].seconds).toBeLessThanOrEqual(1.4 * r.best.seconds + 1e-9);
      for (let j = 0; j < i; j++) {
        const a = metresOf(routes[i]);
        const b = metresOf(routes[j]);
        let shared = 0;
        for (const [e, m] of a) if (b.has(e)) shared += m;
        expect(shared / routes[i].metres).toBeLessThan(0.7 + 0.05);
      }
    }
  });

  it('via points: two legs whose sum is the two separate routes', () => {
    const { service } = routingFixture(network);
    const V = nodePoint(network, 20 * 24 + 3);
    const r = best(service.route({ from: A, to: B, via: [V] }));
    expect(r.legs.length).toBe(2);
    const a = best(service.route({ from: A, to: V }));
    const b = best(service.route({ from: V, to: B }));
    expect(r.seconds).toBeCloseTo(a.seconds + b.seconds, 6);
    expect(r.instructions.some((i) => i.type === 'via')).toBe(true);
    expect(r.seconds).toBeGreaterThan(best(service.route({ from: A, to: B })).seconds);
  });

  it('departures: forecast within the hour, free flow beyond, live now', () => {
    const calls: number[] = [];
    const slowArterials = (edge: number, minutesAhead: number) => {
      calls.push(minutesAhead);
      const ff = network.data.edgeFreeFlowSeconds[edge];
      return network.roadClass(edge) === 'primary' ? ff * 5 : ff;
    };
    const { service, clock, writer } = routingFixture(network, { forecast: slowArterials });
    const now = clock.now();
    const live = best(service.route({ from: A, to: B }));
    expect(live.weights).toBe('live');
    const soon = best(service.route({ from: A, to: B, departAt: now + 30 * 60_000 }));
    expect(soon.weights).toBe('forecast');
    expect(calls.length).toBeGreaterThan(0);
    expect(Math.min(...calls)).toBeGreaterThanOrEqual(30);
    expect(soon.seconds).toBeGreaterThan(live.seconds);
    expect(soon.arriveAt).toBe(now + 30 * 60_000 + Math.round(soon.seconds * 1000));
    // forecast route avoids the slowed arterials where it can: fewer primary edges than the live one
    const primaries = (x: typeof live) => x.edges.filter((e) => network.roadClass(e) === 'primary').length;
    expect(primaries(soon)).toBeLessThanOrEqual(primaries(live));
    // congest everything now: a departure in 3 hours uses free flow, so it is faster than now
    for (let e = 0; e < network.edgeCount; e++) writer.set(e, network.data.edgeFreeFlowSeconds[e] * 2);
    writer.commit();
    const jammed = best(service.route({ from: A, to: B }));
    const later = best(service.route({ from: A, to: B, departAt: now + 3 * 3600_000 }));
    expect(later.weights).toBe('free-flow');
    expect(jammed.seconds).toBeCloseTo(2 * later.seconds, 6);
    writer.reset();
  });
});
