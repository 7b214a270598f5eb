// Road routing: the CCH fast path against ngraph.path NBA* (and a plain typed-array Dijkstra) on
// the same pairs and weights, live-weight intake, and a 100 x 100 matrix against one search per
// source. Rhein-Neckar (default network) and a simulated city of ~1.1M edges.
//   node bin/run-ts.mjs bench/routing.bench.ts [--pairs 200] [--skip-big] [--big-size 1100000]
import { mulberry32 } from '../core/sim/random.js';
import { parseArgs } from 'node:util';
import { loadDefaultNetwork } from '../core/graph/default-network.js';
import { generateCity } from '../core/sim/index.js';
import type { RoadNetwork } from '../core/graph/road-network.js';
import { createMemoryBus } from '../core/bus/index.js';
import { createMemoryStore } from '../core/store/index.js';
import { systemClock } from '../core/clock/clock.js';
import { silentLogger } from '../core/log/index.js';
import { createRoutingService } from '../services/routing/index.js';
import { buildCchTopology } from '../services/routing/cch/topology.js';
import { customize } from '../services/routing/cch/metric.js';
import { CchQuery } from '../services/routing/cch/query.js';
import { buildReferenceGraph, referenceSearch } from '../services/routing/reference.js';
import { DijkstraSearch } from '../services/routing/dijkstra.js';
import { modeWeights } from '../services/routing/weights.js';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '200' },
    'skip-big': { type: 'boolean', default: false },
    'big-size': { type: 'string', default: '1100000' },
    seed: { type: 'string', default: '2026' },
  },
});
const PAIRS = Number(values.pairs);

const rng = mulberry32;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const f = (x: number, d = 3) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(d));
const log = (s: string) => process.stderr.write(`${s}\n`);
const out: string[] = [];
const say = (s: string) => {
  out.push(s);
  process.stdout.write(`${s}\n`);
};

function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

async function bench(name: string, network: RoadNetwork, seed: number) {
  const r = rng(seed);
  const d = network.data;
  const writer = network.liveWriterForTraffic();
  say(`\n### ${name}: ${network.nodeCount.toLocaleString('en')} nodes, ${network.edgeCount.toLocaleString('en')} edges\n`);
  // live state: 10 % of edges congested 1-3x free flow (never below free flow)
  for (let e = 0; e < d.edgeCount; e++) if (r() < 0.1) writer.set(e, d.edgeFreeFlowSeconds[e] * (1 + 2 * r()));
  writer.commit();

  log(`${name}: building the CCH topology ...`);
  const [topo, topoMs] = timed(() => buildCchTopology(network));
  const w = modeWeights(network, 'car', network.live.seconds);
  const [metric, custMs] = timed(() => customize(topo, network, w));
  const [, cust2Ms] = timed(() => customize(topo, network, w, metric));
  log(`${name}: building the ngraph.graph ...`);
  const [graph, ngraphMs] = timed(() => buildReferenceGraph(network, w));
  const q = new CchQuery(topo);
  const dj = new DijkstraSearch(network);

  // pairs of car-reachable nodes (rejection-sampled through the fast index)
  const carNodes: number[] = [];
  for (let v = 0; v < d.nodeCount; v++) {
    for (let i = network.outOffsets[v]; i < network.outOffsets[v + 1]; i++) {
      if (network.allows(network.outEdges[i], 'car')) {
        carNodes.push(v);
        break;
      }
    }
  }
  const pairs: [number, number][] = [];
  while (pairs.length < PAIRS) {
    const s = carNodes[Math.floor(r() * carNodes.length)];
    const t = carNodes[Math.floor(r() * carNodes.length)];
    if (s === t) continue;
    if (!q.query(metric, [{ rank: topo.rank[s], seconds: 0, metres: 0 }], [{ rank: topo.rank[t], seconds: 0, metres: 0 }], false)) continue;
    pairs.push([s, t]);
  }
  // warm-up (JIT) on other pairs, then measure each method on the same pairs
  for (let i = 0; i < 20; i++) {
    const [s, t] = pairs[i];
    q.query(metric, [{ rank: topo.rank[t], seconds: 0, metres: 0 }], [{ rank: topo.rank[s], seconds: 0, metres: 0 }]);
    dj.run(w, [{ node: t, seconds: 0, metres: 0 }], [{ node: s, seconds: 0, metres: 0 }]);
  }
  const tFast: number[] = [];
  const tNba: number[] = [];
  const tDij: number[] = [];
  let mismatches = 0;
  log(`${name}: ${PAIRS} queries per method ...`);
  for (const [s, t] of pairs) {
    const [a, ta] = timed(() => q.query(metric, [{ rank: topo.rank[s], seconds: 0, metres: 0 }], [{ rank: topo.rank[t], seconds: 0, metres: 0 }]));
    const [b, tb] = timed(() => referenceSearch(graph, [{ node: s, seconds: 0, metres: 0 }], [{ node: t, seconds: 0, metres: 0 }]));
    const [c, tc] = timed(() => dj.run(w, [{ node: s, seconds: 0, metres: 0 }], [{ node: t, seconds: 0, metres: 0 }]));
    tFast.push(ta);
    tNba.push(tb);
    tDij.push(tc);
    const ca = a?.seconds ?? Infinity;
    if (Math.abs(ca - (b?.seconds ?? Infinity)) > 1e-6 * ca || Math.abs(ca - (c?.seconds ?? Infinity)) > 1e-6 * ca) mismatches++;
  }
  say(`Car queries on ${PAIRS} random pairs, same live weights (10 % of edges congested), path unpacked:\n`);
  say('| method | p50 ms | p95 ms | mean ms | p50 speed-up of CCH |');
  say('|---|---|---|---|---|');
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  say(`| CCH elimination-tree query (fast) | ${f(pct(tFast, 0.5))} | ${f(pct(tFast, 0.95))} | ${f(mean(tFast))} | 1 |`);
  say(`| ngraph.path NBA* (reference) | ${f(pct(tNba, 0.5))} | ${f(pct(tNba, 0.95))} | ${f(mean(tNba))} | **${f(pct(tNba, 0.5) / pct(tFast, 0.5), 1)}x** |`);
  say(`| typed-array Dijkstra, binary heap | ${f(pct(tDij, 0.5))} | ${f(pct(tDij, 0.95))} | ${f(mean(tDij))} | ${f(pct(tDij, 0.5) / pct(tFast, 0.5), 1)}x |`);
  say(`\nCost mismatches between the three: ${mismatches} of ${PAIRS}.`);
  say(`\nPreprocessing: CCH order + contraction ${f(topoMs / 1000, 2)} s (${topo.arcCount.toLocaleString('en')} arcs, ${f(topo.arcCount / network.nodeCount, 1)} per node); first customisation ${f(custMs)} ms, again ${f(cust2Ms)} ms; ngraph.graph build ${f(ngraphMs)} ms.`);

  // live-weight intake through the service: 5 % of edges change, then the next query is exact
  const service = createRoutingService({ network, live: network.live, bus: createMemoryBus(), store: createMemoryStore(), clock: systemClock, logger: silentLogger(), eagerCustomise: false });
  service.warm(['car']);
  const pt = (v: number) => ({ lon: d.nodeLon[v], lat: d.nodeLat[v] });
  const tRoute: number[] = [];
  for (let i = 0; i < Math.min(100, pairs.length); i++) {
    const [s, t] = pairs[i];
    const [, ms] = timed(() => service.route({ from: pt(s), to: pt(t) }));
    tRoute.push(ms);
  }
  const intake: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (let e = 0; e < d.edgeCount; e++) if (r() < 0.05) writer.set(e, d.edgeFreeFlowSeconds[e] * (1 + 3 * r()));
    const [, commitMs] = timed(() => writer.commit());
    const [, firstMs] = timed(() => service.route({ from: pt(pairs[round][0]), to: pt(pairs[round][1]) }));
    intake.push(commitMs + firstMs);
  }
  const [, readyMs] = await (async (): Promise<[void, number]> => {
    const t0 = performance.now();
    await service.indexReady();
    return [undefined, performance.now() - t0];
  })();
  const c = service.stats().counters;
  say(`\nService route() end to end (snap, query, geometry, instructions), ${tRoute.length} pairs: p50 ${f(pct(tRoute, 0.5))} ms, p95 ${f(pct(tRoute, 0.95))} ms.`);
  say(`Live-weight change of 5 % of edges, commit to first exact answer (re-customisation included), 3 rounds: ${intake.map((x) => `${f(x)} ms`).join(', ')}.`);
  say(`Of those, answered while the index was re-customised in the background: ${c.staleIndexSearches}; then waiting for the background customisation to finish: ${f(readyMs)} ms (${c.backgroundCustomisations} background, ${c.customisations} synchronous customisations so far; turn-ban fallbacks: ${c.turnFallbacks}).`);

  // matrix 100 x 100 on the same nodes: bucket many-to-many vs one search per source
  const srcNodes = pairs.slice(0, 100).map(([s]) => s);
  const wNow = modeWeights(network, 'car', network.live.seconds);
  const metricNow = customize(topo, network, wNow);
  const terms = srcNodes.map((v) => [{ rank: topo.rank[v], seconds: 0, metres: 0 }]);
  q.matrix(metricNow, terms.slice(0, 5), terms.slice(0, 5));
  const [m, matrixMs] = timed(() => q.matrix(metricNow, terms, terms));
  const [, dijRowsMs] = timed(() => {
    for (const s of srcNodes) dj.run(wNow, [{ node: s, seconds: 0, metres: 0 }], null);
  });
  const [, pairwiseMs] = timed(() => {
    for (const s of srcNodes) for (const t of srcNodes) if (s !== t) q.query(metricNow, [{ rank: topo.rank[s], seconds: 0, metres: 0 }], [{ rank: topo.rank[t], seconds: 0, metres: 0 }], false);
  });
  let finite = 0;
  for (const x of m.seconds) if (Number.isFinite(x)) finite++;
  say(`\n100 x 100 matrix between nodes (${finite} finite cells): CCH buckets ${f(matrixMs)} ms; 100 one-to-all Dijkstras ${f(dijRowsMs)} ms (**${f(dijRowsMs / matrixMs, 1)}x** slower); 9,900 single CCH queries ${f(pairwiseMs)} ms (${f(pairwiseMs / matrixMs, 1)}x slower).`);
  const bans = (d.turnRestrictions?.length ?? 0) / 4;
  const k = bans > 0 ? 20 : 100;
  const pts = srcNodes.slice(0, k).map((v) => [d.nodeLon[v], d.nodeLat[v]] as [number, number]);
  const [, serviceMs] = timed(() => service.matrix(pts));
  say(`service.matrix() end to end (snapping, partial edges) on ${k} points: ${f(serviceMs)} ms${bans > 0 ? ` (the network has ${bans} turn bans: cells whose path breaks one are recomputed by the turn-aware search)` : ''}.`);
  service.close();
  writer.reset();
}

const seed = Number(values.seed);
const t0 = performance.now();
say(`## Road routing benchmark (${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${process.arch})`);
log('loading the default network (Rhein-Neckar) ...');
const rn = await loadDefaultNetwork();
await bench('Rhein-Neckar (OSM 2016, default network)', rn, seed);
if (!values['skip-big']) {
  const size = Number(values['big-size']);
  log(`generating a simulated city of ~${size} edges ...`);
  const [city, genMs] = timed(() => generateCity({ size, seed }));
  log(`generated in ${f(genMs / 1000, 1)} s`);
  await bench(`Simulated city (generateCity size ${size.toLocaleString('en')}, seed ${seed})`, city.network, seed + 1);
}
log(`done in ${f((performance.now() - t0) / 1000, 1)} s`);
