import { describe, expect, it } from 'vitest';
import { generateCity } from '../../core/sim/index.js';
import { buildCchTopology } from '../../services/routing/cch/topology.js';
import { customize } from '../../services/routing/cch/metric.js';
import { CchQuery } from '../../services/routing/cch/query.js';
import { buildReferenceGraph, referenceSearch } from '../../services/routing/reference.js';
import { arcCost, modeWeights } from '../../services/routing/weights.js';
import { DijkstraSearch } from '../../services/routing/dijkstra.js';
import type { ModeName } from '../../core/graph/modes.js';
import { gridCity, rng } from './grid-city.js';
import { routingFixture } from './service-fixture.js';

/** relative float tolerance: the index adds the same edge costs in a different order */
const close = (a: number, b: number) => (a === Infinity && b === Infinity) || Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

describe('CCH equals ngraph.path NBA* (the reference) on random pairs', () => {
  it('2,400 car pairs on the simulated city over 4 rounds of live-weight changes', () => {
    const network = generateCity({ size: 8000, seed: 11 }).network;
    const writer = network.liveWriterForTraffic();
    const topo = buildCchTopology(network);
    const q = new CchQuery(topo);
    const r = rng(42);
    let compared = 0;
    let reachable = 0;
    let metric;
    for (let round = 0; round < 4; round++) {
      if (round > 0) {
        // congest 10 % of edges (never below free flow) and close a few
        for (let e = 0; e < network.edgeCount; e++) {
          const u = r();
          if (u < 0.1) writer.set(e, network.data.edgeFreeFlowSeconds[e] * (1 + 4 * r()));
          else if (u < 0.102) writer.set(e, Infinity);
          else if (u < 0.15) writer.set(e, network.data.edgeFreeFlowSeconds[e]);
        }
        writer.commit();
      }
      const w = modeWeights(network, 'car', network.live.seconds);
      metric = customize(topo, network, w, metric);
      const g = buildReferenceGraph(network, w);
      for (let i = 0; i < 600; i++) {
        const s = Math.floor(r() * network.nodeCount);
        const t = Math.floor(r() * network.nodeCount);
        if (s === t) continue;
        const fast = q.query(metric, [{ rank: topo.rank[s], seconds: 0, metres: 0 }], [{ rank: topo.rank[t], seconds: 0, metres: 0 }]);
        const ref = referenceSearch(g, [{ node: s, seconds: 0, metres: 0 }], [{ node: t, seconds: 0, metres: 0 }]);
        const a = fast ? fast.seconds : Infinity;
        const b = ref ? ref.seconds : Infinity;
        expect(close(a, b), `pair ${s}->${t} round ${round}: fast ${a} reference ${b}`).toBe(true);
        if (fast) {
          // the unpacked path is a real path of that cost from s to t
          reachable++;
          const sum = fast.arcs.reduce((acc, c) => acc + arcCost(w, c), 0);
          expect(close(sum, a)).toBe(true);
          const first = fast.arcs[0];
          const last = fast.arcs[fast.arcs.length - 1];
          expect(network.data.edgeFrom[first >>> 1]).toBe(s);
          expect(network.data.edgeTo[last >>> 1]).toBe(t);
          let len = 0;
          for (const c of fast.arcs) len += network.data.edgeLength[c >>> 1];
          expect(Math.abs(len - fast.metres)).toBeLessThan(1e-6 * Math.max(1, len));
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(2000);
    expect(reachable).toBeGreaterThan(compared * 0.8);
  });

  it.each(['truck', 'bike', 'foot'] as ModeName[])('%s: 400 pairs on a grid city equal the reference (foot may walk against one-ways)', (mode) => {
    const network = gridCity({ cols: 30, rows: 30, seed: 3 });
    const topo = buildCchTopology(network);
    const q = new CchQuery(topo);
    const w = modeWeights(network, mode, network.live.seconds);
    const mt = customize(topo, network, w);
    const g = buildReferenceGraph(network, w);
    const dj = new DijkstraSearch(network);
    const r = rng(7);
    for (let i = 0; i < 400; i++) {
      const s = Math.floor(r() * network.nodeCount);
      const t = Math.floor(r() * network.nodeCount);
      if (s === t) continue;
      const fast = q.query(mt, [{ rank: topo.rank[s], seconds: 0, metres: 0 }], [{ rank: topo.rank[t], seconds: 0, metres: 0 }]);
      const ref = referenceSearch(g, [{ node: s, seconds: 0, metres: 0 }], [{ node: t, seconds: 0, metres: 0 }]);
      const plain = dj.run(w, [{ node: s, seconds: 0, metres: 0 }], [{ node: t, seconds: 0, metres: 0 }]);
      const b = ref ? ref.seconds : Infinity;
      expect(close(fast ? fast.seconds : Infinity, b)).toBe(true);
      expect(close(plain ? plain.seconds : Infinity, b)).toBe(true);
    }
  });

  it('service route(): fast equals reference between random off-node points, live weights changing between rounds', () => {
    const network = generateCity({ size: 6000, seed: 5 }).network;
    const { service, writer } = routingFixture(network);
    const r = rng(9);
    const d = network.data;
    let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
    for (let v = 0; v < d.nodeCount; v++) {
      minLon = Math.min(minLon, d.nodeLon[v]); maxLon = Math.max(maxLon, d.nodeLon[v]);
      minLat = Math.min(minLat, d.nodeLat[v]); maxLat = Math.max(maxLat, d.nodeLat[v]);
    }
    const pt = () => ({ lon: minLon + r() * (maxLon - minLon), lat: minLat + r() * (maxLat - minLat) });
    let found = 0;
    for (let round = 0; round < 3; round++) {
      for (let e = 0; e < network.edgeCount; e++) if (r() < 0.05) writer.set(e, d.edgeFreeFlowSeconds[e] * (1 + 3 * r()));
      writer.commit();
      for (let i = 0; i < 60; i++) {
        const from = pt();
        const to = pt();
        for (const mode of ['car', 'foot'] as const) {
          let fast, ref;
          try {
            fast = service.route({ from, to, mode, maxSnapMetres: 2000 });
            ref = service.route({ from, to, mode, maxSnapMetres: 2000, algorithm: 'reference' });
          } catch (e) {
            expect((e as { code: string }).code).toBe('NOT_ON_NETWORK');
            continue;
          }
          expect(fast.found).toBe(ref.found);
          if (fast.found && ref.found) {
            found++;
            expect(close(fast.best.seconds, ref.best.seconds), `${JSON.stringify({ from, to, mode })}`).toBe(true);
            // the reported time is the sum of the stitched pieces' times
            const sum = fast.best.instructions.reduce((s, x) => s + x.duration, 0);
            expect(Math.abs(sum - fast.best.seconds)).toBeLessThan(0.1 * fast.best.instructions.length + 1e-6);
          }
        }
      }
    }
    expect(found).toBeGreaterThan(250);
    service.close();
  });
});
