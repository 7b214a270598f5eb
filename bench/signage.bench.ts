/**
 * Signage on the real Rhein-Neckar network (fixtures/osm), each contender beside its baseline
 * in one run:
 *   1. "which signs are upstream of this incident": the edge-based reverse search over the CSR
 *      arrays (services/signage/upstream.ts) vs a node-based reverse Dijkstra on the graphology
 *      model of the same network, both bounded at 5 km, from 300 random car edges;
 *   1b. which of 1000 signs an incident reaches: that one reverse search vs a bounded forward
 *      search from every sign (same answers, checked);
 *   2. MULTI: renderMulti (parse + layout + raster) of typical sign messages vs parseMulti alone.
 *
 *   node bin/run-ts.mjs bench/signage.bench.ts [--write]   (--write updates bench/results/signage.md)
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadDefaultNetwork } from '../core/graph/default-network.js';
import { MODE, type RoadNetwork } from '../core/graph/index.js';
import { parseMulti, renderMulti, type SignFace } from '../core/multi/index.js';
import { upstreamEdges } from '../services/signage/upstream.js';

const write = process.argv.includes('--write');
const lines: string[] = [];
const say = (s: string) => {
  lines.push(s);
  process.stdout.write(s + '\n');
};

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** baseline: node-based reverse Dijkstra on graphology with a binary heap */
function graphologyUpstream(network: RoadNetwork, target: number, maxMetres: number): number {
  const g = network.graph;
  const start = String(network.data.edgeFrom[target]);
  const dist = new Map<string, number>([[start, 0]]);
  const heap = new MinHeap();
  heap.push(0, Number(start));
  const reached = new Set<string>();
  while (heap.size) {
    const m = heap.topKey();
    const v = String(heap.pop());
    if (m > (dist.get(v) ?? Infinity)) continue;
    g.forEachInEdge(v, (edge, attr, source) => {
      if (!attr.modes.includes('car')) return;
      reached.add(edge);
      const next = m + attr.length;
      if (next <= maxMetres && next < (dist.get(source) ?? Infinity)) {
        dist.set(source, next);
        heap.push(next, Number(source));
      }
    });
  }
  return reached.size;
}

/** a plain binary min-heap of (key, value) for the baselines */
class MinHeap {
  private k: number[] = [];
  private v: number[] = [];
  get size(): number {
    return this.k.length;
  }
  topKey(): number {
    return this.k[0];
  }
  push(key: number, value: number): void {
    let i = this.k.length;
    this.k.push(key);
    this.v.push(value);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.k[p] <= key) break;
      this.k[i] = this.k[p];
      this.v[i] = this.v[p];
      i = p;
    }
    this.k[i] = key;
    this.v[i] = value;
  }
  pop(): number {
    const top = this.v[0];
    const lk = this.k.pop()!;
    const lv = this.v.pop()!;
    const n = this.k.length;
    if (n) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && this.k[l + 1] < this.k[l] ? l + 1 : l;
        if (this.k[c] >= lk) break;
        this.k[i] = this.k[c];
        this.v[i] = this.v[c];
        i = c;
      }
      this.k[i] = lk;
      this.v[i] = lv;
    }
    return top;
  }
}

function stats(ms: number[]) {
  const s = ms.slice().sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length / 2)], p90: s[Math.floor(s.length * 0.9)], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

const la = loadavg().map((x) => x.toFixed(1)).join(' / ');
process.stderr.write('loading the Rhein-Neckar network ...\n');
const network = await loadDefaultNetwork();
say('# Benchmark results: signage');
say('');
say(`Machine: 2-core node-svc, Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}. Network: fixtures/osm/rnv-rhein-neckar-2016.osm.pbf (${network.nodeCount} nodes, ${network.edgeCount} edges). Load average at start: ${la} (the machine is shared; ratios are measured side by side in one run).`);
say('');

// ---- 1. upstream search
const rand = rng(20261123);
const cars: number[] = [];
for (let e = 0; e < network.edgeCount; e++) if (network.data.edgeModes[e] & MODE.car) cars.push(e);
const targets = Array.from({ length: 300 }, () => cars[Math.floor(rand() * cars.length)]);
process.stderr.write('building the graphology model ...\n');
const tg = performance.now();
void network.graph;
const graphBuildMs = performance.now() - tg;
// warm-up both
for (const t of targets.slice(0, 20)) {
  upstreamEdges(network, [t], 5000);
  graphologyUpstream(network, t, 5000);
}
const ours: number[] = [];
const base: number[] = [];
let oursEdges = 0;
let baseEdges = 0;
process.stderr.write('upstream searches ...\n');
for (const [i, t] of targets.entries()) {
  let t0 = performance.now();
  oursEdges += upstreamEdges(network, [t], 5000).size;
  ours.push(performance.now() - t0);
  t0 = performance.now();
  baseEdges += graphologyUpstream(network, t, 5000);
  base.push(performance.now() - t0);
  if (i % 50 === 0) process.stderr.write(`  ${i}/${targets.length}\n`);
}
const so = stats(ours);
const sb = stats(base);
say('## Upstream search, 5 km, 300 random car edges');
say('');
say('| search | p50 ms | p90 ms | mean ms | edges reached (mean) |');
say('|---|---|---|---|---|');
say(`| edge-based reverse Dijkstra on CSR arrays, no U-turns (upstream.ts) | ${so.p50.toFixed(2)} | ${so.p90.toFixed(2)} | ${so.mean.toFixed(2)} | ${(oursEdges / targets.length).toFixed(0)} |`);
say(`| baseline: node-based reverse Dijkstra on graphology (U-turns allowed) | ${sb.p50.toFixed(2)} | ${sb.p90.toFixed(2)} | ${sb.mean.toFixed(2)} | ${(baseEdges / targets.length).toFixed(0)} |`);
say(`| ratio baseline / ours | ${(sb.p50 / so.p50).toFixed(1)}x | ${(sb.p90 / so.p90).toFixed(1)}x | ${(sb.mean / so.mean).toFixed(1)}x | |`);
say('');
say(`The graphology model itself took ${graphBuildMs.toFixed(0)} ms to build (not counted above). The baseline reaches more edges because it lets traffic U-turn, so it would also warn the opposite carriageway.`);
say('');

// ---- 1b. which of 1000 signs does an incident reach: one reverse search vs a forward search per sign
/** baseline: from the sign's edge forward (no U-turns) until the incident's tail, bounded */
function forwardReaches(n: RoadNetwork, sign: number, target: number, maxMetres: number): number | undefined {
  if (sign === target) return 0;
  const d = n.data;
  const dist = new Map<number, number>();
  const heap = new MinHeap();
  const push = (e: number, m: number) => {
    if ((dist.get(e) ?? Infinity) <= m) return;
    dist.set(e, m);
    heap.push(m, e);
  };
  const expand = (e: number, m: number): number | undefined => {
    const v = d.edgeTo[e];
    for (let k = n.outOffsets[v]; k < n.outOffsets[v + 1]; k++) {
      const f = n.outEdges[k];
      if ((d.edgeModes[f] & MODE.car) === 0 || d.edgeTo[f] === d.edgeFrom[e]) continue;
      if (f === target) return m;
      if (m + d.edgeLength[f] <= maxMetres) push(f, m + d.edgeLength[f]);
    }
    return undefined;
  };
  let found = expand(sign, 0);
  while (found === undefined && heap.size) {
    const m = heap.topKey();
    const e = heap.pop();
    if (m > (dist.get(e) ?? Infinity)) continue;
    found = expand(e, m);
  }
  return found;
}
const signEdges = Array.from({ length: 1000 }, () => cars[Math.floor(rand() * cars.length)]);
const incidentsB = targets.slice(0, 20);
let mismatches = 0;
let reachedSigns = 0;
const t1 = performance.now();
const reachSets = incidentsB.map((t) => {
  const reach = upstreamEdges(network, [t], 5000);
  return signEdges.map((e) => reach.get(e));
});
const oursFan = (performance.now() - t1) / incidentsB.length;
process.stderr.write('forward search per sign (20 incidents x 1000 signs) ...\n');
const t2 = performance.now();
for (const [i, t] of incidentsB.entries()) {
  for (const [j, e] of signEdges.entries()) {
    const f = forwardReaches(network, e, t, 5000);
    const r = reachSets[i][j];
    if (r !== undefined) reachedSigns++;
    if ((f === undefined) !== (r === undefined) || (f !== undefined && r !== undefined && Math.abs(f - r) > 1e-6)) mismatches++;
  }
}
const baseFan = (performance.now() - t2) / incidentsB.length;
say('## Which of 1000 signs an incident reaches (5 km upstream), 20 incidents');
say('');
say('| method | ms per incident |');
say('|---|---|');
say(`| one reverse search from the incident (upstream.ts) | ${oursFan.toFixed(1)} |`);
say(`| baseline: a bounded forward search from each sign's edge | ${baseFan.toFixed(1)} |`);
say(`| ratio baseline / ours | ${(baseFan / oursFan).toFixed(0)}x |`);
say('');
say(`Both give the same answer: ${reachedSigns} sign-incident pairs within 5 km, ${mismatches} disagreements (reached or not, or distance).`);
say('');

// ---- 2. MULTI
const face: SignFace = { type: 'full', width: 120, height: 27 };
const messages = [
  '[jl2]CITY CENTRE[jl4]12 MIN[nl][jl2]AIRPORT[jl4]OVER 60 MIN[nl][jl2]A6 SPEYER[jl4]24 MIN',
  'ACCIDENT[nl]A656 IN 2 KM[nl]USE DIVERSION',
  '[pt30o2][cf1]ROAD WORKS[nl][cf7]TONIGHT[np][flt5o5]22:00 - 05:00[/fl][nl]A5 NORTH',
  '[cr1,1,120,9,255,0,0][cf7][jp2]WARNING[nl][cf2][jp4]QUEUE AHEAD',
];
const N = 4000;
const time = (fn: () => void) => {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) fn();
  return (performance.now() - t0) / N;
};
for (const m of messages) {
  renderMulti(m, face);
  parseMulti(m);
}
process.stderr.write('MULTI render ...\n');
say('## MULTI on a 120 x 27 full-matrix sign');
say('');
say('| message | renderMulti µs | parseMulti µs | ratio render / parse |');
say('|---|---|---|---|');
for (const m of messages) {
  const r = time(() => renderMulti(m, face)) * 1000;
  const p = time(() => parseMulti(m)) * 1000;
  say(`| \`${m.replace(/\|/g, '\\|')}\` | ${r.toFixed(1)} | ${p.toFixed(1)} | ${(r / p).toFixed(1)} |`);
}
say('');
if (write) writeFileSync(join(import.meta.dirname, 'results', 'signage.md'), lines.join('\n') + '\n');
