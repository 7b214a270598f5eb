import { describe, expect, it } from 'vitest';
import { loadDefaultNetwork } from '../../core/graph/default-network.js';
import { buildCchTopology } from '../../services/routing/cch/topology.js';
import { customize } from '../../services/routing/cch/metric.js';
import { CchQuery } from '../../services/routing/cch/query.js';
import { buildReferenceGraph, referenceSearch } from '../../services/routing/reference.js';
import { DijkstraSearch } from '../../services/routing/dijkstra.js';
import { modeWeights } from '../../services/routing/weights.js';
import { rng } from './grid-city.js';
import { routingFixture } from './service-fixture.js';

// the real OSM network of Mannheim / Ludwigshafen / Heidelberg (fixtures/osm, ODbL)
const network = await loadDefaultNetwork();

describe('Rhein-Neckar (real OSM data)', () => {
  it('CCH equals ngraph.path NBA* and a plain Dijkstra on random car pairs, before and after a live change', () => {
    const topo = buildCchTopology(network);
    const q = new CchQuery(topo);
    const dj = new DijkstraSearch(network);
    const writer = network.liveWriterForTraffic();
    const r = rng(77);
    let compared = 0;
    for (let round = 0; round < 2; round++) {
      if (round === 1) {
        for (let e = 0; e < network.edgeCount; e++) if (r() < 0.05) writer.set(e, network.data.edgeFreeFlowSeconds[e] * (1 + 3 * r()));
        writer.commit();
      }
      const w = modeWeights(network, 'car', network.live.seconds);
      const mt = customize(topo, network, w);
      const g = buildReferenceGraph(network, w);
      for (let i = 0; i < 80; i++) {
        const s = Math.floor(r() * network.nodeCount);
        const t = Math.floor(r() * network.nodeCount);
        const fast = q.query(mt, [{ rank: topo.rank[s], seconds: 0, metres: 0 }], [{ rank: topo.rank[t], seconds: 0, metres: 0 }]);
        const plain = dj.run(w, [{ node: s, seconds: 0, metres: 0 }], [{ node: t, seconds: 0, metres: 0 }]);
        const a = fast?.seconds ?? Infinity;
        const b = plain?.seconds ?? Infinity;
        expect(a === b || Math.abs(a - b) < 1e-6 * b).toBe(true);
        if (i < 20) {
          const ref = referenceSearch(g, [{ node: s, seconds: 0, metres: 0 }], [{ node: t, seconds: 0, metres: 0 }]);
          const c = ref?.seconds ?? Infinity;
          expect(a === c || Math.abs(a - c) < 1e-6 * c).toBe(true);
        }
        compared++;
      }
    }
    expect(compared).toBe(160);
    writer.reset();
  });

  it('Mannheim Wasserturm to Heidelberg Bismarckplatz by car, bike and foot; access=no roads stay closed to cars', () => {
    const { service } = routingFixture(network);
    const from = { lon: 8.4757, lat: 49.4841 };
    const to = { lon: 8.6936, lat: 49.4093 };
    const car = service.route({ from, to });
    const bike = service.route({ from, to, mode: 'bike' });
    const foot = service.route({ from, to, mode: 'foot' });
    if (!car.found || !bike.found || !foot.found) throw new Error('expected routes');
    // 17-25 km by road; a car needs 12-40 minutes, walking takes hours
    expect(car.best.metres).toBeGreaterThan(17_000);
    expect(car.best.metres).toBeLessThan(30_000);
    expect(car.best.seconds).toBeGreaterThan(12 * 60);
    expect(car.best.seconds).toBeLessThan(40 * 60);
    expect(foot.best.seconds).toBeGreaterThan(3 * 3600);
    expect(bike.best.seconds).toBeLessThan(foot.best.seconds);
    for (const e of car.best.edges) expect(network.allows(e, 'car')).toBe(true);
    expect(car.best.instructions.some((i) => /A 656|B 37/.test(i.name))).toBe(true);
    service.close();
  });
});
