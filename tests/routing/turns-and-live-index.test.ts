import { describe, expect, it } from 'vitest';
import { RoadNetworkBuilder } from '../../core/graph/road-network-builder.js';
import { MODE } from '../../core/graph/modes.js';
import { gridCity } from './grid-city.js';
import { nodePoint, routingFixture } from './service-fixture.js';

describe('turn restrictions', () => {
  /** a plus-shaped crossing where cars may not turn left from Weststrasse into Nordstrasse */
  function bannedLeft() {
    const b = new RoadNetworkBuilder();
    const all = MODE.car | MODE.truck | MODE.bike | MODE.foot;
    const c = b.addNode(8.0, 49.0);
    const w = b.addNode(7.99, 49.0);
    const e = b.addNode(8.01, 49.0);
    const n = b.addNode(8.0, 49.0066);
    const road = (a: number, z: number, name: string) => [
      b.addEdge({ from: a, to: z, roadClass: 'residential', modes: all, name }),
      b.addEdge({ from: z, to: a, roadClass: 'residential', modes: all, name }),
    ];
    const [wc] = road(w, c, 'Weststrasse');
    const [ce] = road(c, e, 'Oststrasse');
    const [cn] = road(c, n, 'Nordstrasse');
    b.addTurnRestriction(wc, c, cn, MODE.car);
    return { net: b.build(), ce, cn };
  }

  it('a car goes round (U-turn at the end of Oststrasse) instead of the banned left; pedestrians turn', () => {
    const { net, ce, cn } = bannedLeft();
    const { service } = routingFixture(net);
    const from = { lon: 7.995, lat: 49.0 };
    const to = { lon: 8.0, lat: 49.004 };
    const car = service.route({ from, to });
    if (!car.found) throw new Error('expected a route');
    expect(car.best.edges).toContain(ce);
    expect(car.best.edges).toContain(cn);
    expect(car.best.instructions.some((i) => i.type === 'u-turn')).toBe(true);
    const ref = service.route({ from, to, algorithm: 'reference' });
    expect(ref.found && ref.best.seconds).toBeCloseTo(car.best.seconds, 6);
    const walk = service.route({ from, to, mode: 'foot' });
    if (!walk.found) throw new Error('expected a walk');
    expect(walk.best.edges).not.toContain(ce);
    // the matrix honours the ban too
    const m = service.matrix([[from.lon, from.lat], [to.lon, to.lat]], 'car');
    expect(m.seconds[1]).toBeCloseTo(car.best.seconds, 6);
    expect(m.metres[1]).toBeCloseTo(car.best.metres, 3);
  });
});

describe('live changes on a large index (background re-customisation)', () => {
  it('answers stay exact while the index catches up, and the fast path comes back', async () => {
    const network = gridCity({ cols: 30, rows: 30, seed: 17 });
    // limit 0 ms: every re-customisation after the first runs in slices in the background
    const { service, writer } = routingFixture(network, { syncCustomiseLimitMs: 0 });
    const A = nodePoint(network, 31);
    const B = nodePoint(network, 868);
    const first = service.route({ from: A, to: B });
    if (!first.found) throw new Error('expected a route');
    const closed = first.best.edges[Math.floor(first.best.edges.length / 2)];
    writer.set(closed, Infinity);
    writer.commit();
    const before = service.stats().counters;
    const during = service.route({ from: A, to: B });
    const ref = service.route({ from: A, to: B, algorithm: 'reference' });
    if (!during.found || !ref.found) throw new Error('expected routes');
    expect(during.best.edges).not.toContain(closed);
    expect(during.best.seconds).toBeCloseTo(ref.best.seconds, 6);
    expect(service.stats().counters.staleIndexSearches).toBe(before.staleIndexSearches + 1);
    await service.indexReady();
    const after = service.route({ from: A, to: B });
    const c = service.stats().counters;
    expect(c.backgroundCustomisations).toBeGreaterThanOrEqual(1);
    expect(c.staleIndexSearches).toBe(before.staleIndexSearches + 1);
    expect(c.fastQueries).toBeGreaterThan(before.fastQueries + 1);
    expect(after.found && after.best.seconds).toBeCloseTo(ref.best.seconds, 6);
    service.close();
  });
});

describe('truck profiles on a large index', () => {
  it('a new truck profile is searched on the plain truck index with its limits blocked, and still honours them', () => {
    const network = gridCity({ cols: 26, rows: 26, seed: 23, limited: 0.1 });
    const d = network.data;
    const { service } = routingFixture(network, { syncCustomiseLimitMs: 0 });
    const A = nodePoint(network, 27);
    const B = nodePoint(network, 26 * 26 - 28);
    service.route({ from: A, to: B, mode: 'truck' });
    const before = service.stats().counters.customisations;
    const heavy = { weight: 20, height: 4 };
    const r = service.route({ from: A, to: B, mode: 'truck', truck: heavy });
    const ref = service.route({ from: A, to: B, mode: 'truck', truck: heavy, algorithm: 'reference' });
    if (!r.found || !ref.found) throw new Error('expected routes');
    // no customisation for the new profile on the fast path
    expect(service.stats().counters.customisations).toBe(before);
    for (const e of r.best.edges) {
      expect(d.edgeMaxWeight[e] === 0 || d.edgeMaxWeight[e] >= 20).toBe(true);
      expect(d.edgeMaxHeight[e] === 0 || d.edgeMaxHeight[e] >= 4).toBe(true);
    }
    expect(r.best.seconds).toBeCloseTo(ref.best.seconds, 6);
    service.close();
  });
});

describe('edge-based A* for turn bans', () => {
  it('equals the edge-based Dijkstra (no heuristic) on random pairs of a grid with many bans, and breaks none', async () => {
    const { TurnSearch, turnTable, bannedTurnIn } = await import('../../services/routing/turns.js');
    const { sourceTerminals, targetTerminals } = await import('../../services/routing/terminals.js');
    const { modeWeights, arcCost } = await import('../../services/routing/weights.js');
    const { rng } = await import('./grid-city.js');
    const base = gridCity({ cols: 18, rows: 18, seed: 5 });
    // rebuild with a ban on ~30 % of left/right turn pairs at random junctions
    const b = new RoadNetworkBuilder();
    const d0 = base.data;
    for (let v = 0; v < d0.nodeCount; v++) b.addNode(d0.nodeLon[v], d0.nodeLat[v]);
    for (let e = 0; e < d0.edgeCount; e++) b.addEdge({ from: d0.edgeFrom[e], to: d0.edgeTo[e], roadClass: 'residential', modes: d0.edgeModes[e], speedKmh: d0.edgeSpeedKmh[e] });
    const r = rng(99);
    for (let e = 0; e < d0.edgeCount; e++) {
      const v = d0.edgeTo[e];
      for (let i = base.outOffsets[v]; i < base.outOffsets[v + 1]; i++) {
        const e2 = base.outEdges[i];
        if (d0.edgeTo[e2] !== d0.edgeFrom[e] && r() < 0.3) b.addTurnRestriction(e, v, e2, MODE.car);
      }
    }
    const net = b.build();
    const table = turnTable(net)!;
    const w = modeWeights(net, 'car', net.live.seconds);
    const search = new TurnSearch(net);
    const snap = (e: number, f: number) => ({ edge: e, fraction: f, offset: 0, lon: 0, lat: 0, distance: 0 });
    let found = 0;
    for (let k = 0; k < 150; k++) {
      const a = snap(Math.floor(r() * net.edgeCount), r());
      const z = snap(Math.floor(r() * net.edgeCount), r());
      const src = sourceTerminals(net, a, w, null);
      const dst = targetTerminals(net, z, w, null);
      if (!src.length || !dst.length) continue;
      const astar = search.run(w, table, MODE.car, src, dst, null);
      const plain = search.run(w, table, MODE.car, src, dst, null, (code) => arcCost(w, code));
      expect(astar?.seconds ?? Infinity).toBeCloseTo(plain?.seconds ?? Infinity, 6);
      if (astar) {
        found++;
        const codes = [src[astar.sourceIndex].piece.code, ...astar.arcs, dst[astar.targetIndex].piece.code];
        expect(bannedTurnIn(table, MODE.car, codes)).toBe(false);
      }
    }
    expect(found).toBeGreaterThan(100);
  });
});
