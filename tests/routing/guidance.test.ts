import { describe, expect, it } from 'vitest';
import { gridCity } from './grid-city.js';
import { alongEdge, nodePoint, routingFixture } from './service-fixture.js';
import type { GuidanceEta, GuidanceProgress, GuidanceReroute } from '../../core/contracts/routing.js';
import type { BusEvents } from '../../core/contracts/bus-events.js';

function recorder() {
  const events: { eta: GuidanceEta[]; reroute: GuidanceReroute[]; progress: GuidanceProgress[] } = { eta: [], reroute: [], progress: [] };
  return {
    events,
    listener: {
      eta: (p: GuidanceEta) => events.eta.push(p),
      reroute: (p: GuidanceReroute) => events.reroute.push(p),
      progress: (p: GuidanceProgress) => events.progress.push(p),
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('live guidance sessions (service level)', () => {
  const network = gridCity({ cols: 24, rows: 24, seed: 12, oneway: 0.05 });
  const A = nodePoint(network, 1 * 24 + 2);
  const B = nodePoint(network, 21 * 24 + 20);

  it('an incident closing the route brings guidance:reroute onto a route that avoids it', async () => {
    const { service, writer, bus } = routingFixture(network);
    const rec = recorder();
    const { session, route } = service.openGuidance({ from: A, to: B }, rec.listener);
    const closed = route.edges[Math.floor(route.edges.length / 2)];
    writer.set(closed, Infinity);
    writer.commit();
    const incident: BusEvents['traffic:incident'] = {
      action: 'opened',
      incident: { id: 'inc-1', edges: [closed], lon: A.lon, lat: A.lat, kind: 'accident', severity: 4, closed: true },
    };
    await bus.publish('traffic:incident', incident);
    await tick();
    expect(rec.events.reroute.length).toBe(1);
    const rr = rec.events.reroute[0];
    expect(rr.cause).toBe('traffic:incident');
    expect(rr.previousSeconds).toBeNull();
    expect(rr.route.edges).not.toContain(closed);
    expect(session.route.edges).not.toContain(closed);
    expect(rr.route.seconds).toBeGreaterThanOrEqual(route.seconds);
    session.close();
    service.close();
    writer.reset();
  });

  it('a small slowdown on the route gives guidance:eta; a large one a reroute; events elsewhere nothing', async () => {
    const { service, writer, bus, clock } = routingFixture(network);
    const rec = recorder();
    const { session, route } = service.openGuidance({ from: A, to: B }, rec.listener);
    const d = network.data;
    const onRoute = route.edges[3];
    // an edge far from the route
    const off = Array.from({ length: d.edgeCount }, (_, e) => e).find((e) => !route.edges.includes(e) && network.allows(e, 'car'))!;
    const update = (edges: number[]): BusEvents['traffic:update'] => ({
      version: network.live.version,
      at: clock.now(),
      edges: edges.map((edge) => ({ edge, seconds: network.live.seconds[edge], speedKmh: 10, level: 'slow' })),
    });
    writer.set(off, d.edgeFreeFlowSeconds[off] * 3);
    writer.commit();
    await bus.publish('traffic:update', update([off]));
    await tick();
    expect(rec.events.eta.length + rec.events.reroute.length).toBe(0);

    writer.set(onRoute, d.edgeFreeFlowSeconds[onRoute] + 20);
    writer.commit();
    await bus.publish('traffic:update', update([onRoute]));
    await tick();
    expect(rec.events.reroute.length).toBe(0);
    expect(rec.events.eta.length).toBe(1);
    expect(rec.events.eta[0].remainingSeconds).toBeCloseTo(route.seconds + 20, 3);
    expect(rec.events.eta[0].arriveAt).toBe(clock.now() + Math.round(rec.events.eta[0].remainingSeconds * 1000));

    // a jam of +600 s on every remaining edge: any other way saves far more than 120 s and 10 %
    const jam = route.edges.slice(2, -2);
    for (const e of jam) writer.set(e, d.edgeFreeFlowSeconds[e] + 600);
    writer.commit();
    await bus.publish('traffic:update', update(jam));
    await tick();
    expect(rec.events.reroute.length).toBe(1);
    const rr = rec.events.reroute[0];
    expect(rr.cause).toBe('traffic:update');
    expect(rr.savedSeconds!).toBeGreaterThan(120);
    expect(rr.savedSeconds!).toBeGreaterThan(0.1 * rr.previousSeconds!);
    session.close();
    await bus.publish('traffic:update', update(rr.route.edges));
    await tick();
    expect(rec.events.reroute.length).toBe(1);
    expect(service.stats().guidanceSessions).toBe(0);
    service.close();
    writer.reset();
  });

  it('positions advance along the route; a position off the route reroutes from there', () => {
    const { service } = routingFixture(network);
    const rec = recorder();
    const { session, route } = service.openGuidance({ from: A, to: B }, rec.listener);
    const k = Math.min(4, route.edges.length - 2);
    session.position(alongEdge(network, route.edges[k], 0.5));
    const p = rec.events.progress.at(-1)!;
    expect(p.offRoute).toBe(false);
    expect(p.edgeIndex).toBe(k);
    expect(p.remainingSeconds).toBeLessThan(route.seconds);
    expect(p.remainingSeconds).toBeGreaterThan(0);
    // jump to a street nowhere near the remaining route
    const far = nodePoint(network, 23 * 24 + 1);
    session.position(far);
    expect(rec.events.progress.at(-1)!.offRoute).toBe(true);
    expect(rec.events.reroute.at(-1)?.cause).toBe('off-route');
    session.close();
    service.close();
  });
});
