/**
 * Map pictures on the real Rhein-Neckar network (fixtures/osm, 105k edges): renderCongestionMap of
 * the whole network against renderNetworkPng (the plain road-class picture) as the baseline, side
 * by side in one run, alternating, at the CLI default width (1600 px) and the HTTP default (1024 px);
 * plus renderRouteMap for a Mannheim -> Heidelberg line. Times include the PNG encoding.
 *
 * The congestion is a synthetic morning rush hour (deterministic): arterials slower the closer
 * they are to Mannheim, Ludwigshafen and Heidelberg, inbound more than outbound, with noise;
 * one motorway closure with a 3 km queue behind it.
 *
 *   node bin/run-ts.mjs bench/maps.bench.ts [--reps 7] [--pictures]
 *   (--pictures also writes docs/img/congestion-rhein-neckar.png)
 */
import { mulberry32 } from '../core/sim/random.js';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadDefaultNetwork } from '../core/graph/default-network.js';
import { MODE, haversineMetres, type RoadNetwork } from '../core/graph/index.js';
import { renderNetworkPng } from '../core/viz/network-image.js';
import { renderCongestionMap, renderRouteMap } from '../core/viz/map-image.js';

const args = process.argv.slice(2);
const REPS = Number(args[args.indexOf('--reps') + 1]) > 0 && args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 7;
const log = (s: string) => process.stderr.write(`${s}\n`);

const rng = mulberry32;

/** A synthetic morning rush hour as speed / free-flow speed per edge (0 = closed). */
export function rushHour(network: RoadNetwork): Float64Array {
  const d = network.data;
  const ratio = new Float64Array(d.edgeCount).fill(1);
  const centres = [
    { lon: 8.466, lat: 49.488, r: 4500, a: 0.8 }, // Mannheim
    { lon: 8.435, lat: 49.479, r: 3000, a: 0.6 }, // Ludwigshafen
    { lon: 8.69, lat: 49.408, r: 3500, a: 0.75 }, // Heidelberg
  ];
  const rand = rng(7);
  const major = new Set(['motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link', 'tertiary']);
  for (let e = 0; e < d.edgeCount; e++) {
    const noise = rand();
    if ((d.edgeModes[e] & MODE.car) === 0) continue;
    const a = d.edgeFrom[e], b = d.edgeTo[e];
    let slow = 0;
    for (const c of centres) {
      const da = haversineMetres(d.nodeLon[a], d.nodeLat[a], c.lon, c.lat);
      const db = haversineMetres(d.nodeLon[b], d.nodeLat[b], c.lon, c.lat);
      const inbound = db < da;
      const k = Math.exp(-(((da + db) / 2 / c.r) ** 2)) * c.a * (inbound ? 1 : 0.35);
      slow = Math.max(slow, k);
    }
    const cls = network.roadClass(e);
    // minor streets barely notice; arterials get the full effect, with +-15 % noise
    const weight = major.has(cls) ? 1 : 0.3;
    ratio[e] = Math.min(1.1, Math.max(0.05, 1 - slow * weight + (noise - 0.5) * 0.3 * weight));
  }
  // an incident: close the motorway edge nearest to a point on the A656 and queue 3 km behind it
  const at = { lon: 8.585, lat: 49.447 };
  let closed = -1, best = Infinity;
  for (let e = 0; e < d.edgeCount; e++) {
    if (network.roadClass(e) !== 'motorway') continue;
    const v = d.edgeTo[e];
    const m = haversineMetres(d.nodeLon[v], d.nodeLat[v], at.lon, at.lat);
    if (m < best) [best, closed] = [m, e];
  }
  if (closed >= 0) {
    ratio[closed] = 0;
    let e = closed, back = 0;
    while (back < 3000) {
      const u = d.edgeFrom[e];
      let prev = -1;
      for (let i = network.inOffsets[u]; i < network.inOffsets[u + 1]; i++) {
        const p = network.inEdges[i];
        if (network.roadClass(p) === 'motorway' && d.edgeFrom[p] !== d.edgeTo[e]) { prev = p; break; }
      }
      if (prev < 0) break;
      back += d.edgeLength[prev];
      ratio[prev] = 0.06 + 0.3 * (back / 3000);
      e = prev;
    }
  }
  return ratio;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

log('loading the Rhein-Neckar network ...');
const network = await loadDefaultNetwork();
log(`  ${network.nodeCount} nodes, ${network.edgeCount} edges`);
const ratio = rushHour(network);
const speedRatio = (e: number) => ratio[e];

const rows: string[] = [];
// whole city at the CLI and HTTP default widths; Mannheim centre zoomed in (directions side by side)
const MANNHEIM: [number, number, number, number] = [8.445, 49.475, 8.49, 49.5];
for (const [width, bbox] of [[1600, undefined], [1024, undefined], [1200, MANNHEIM]] as const) {
  const cong: number[] = [], base: number[] = [];
  let bytes = [0, 0], height = 0, drawn = 0;
  // one warm-up each, then alternate so both see the same machine load
  renderCongestionMap(network, { width, bbox, speedRatio });
  renderNetworkPng(network, { width, bbox });
  for (let r = 0; r < REPS; r++) {
    let t = performance.now();
    const m = renderCongestionMap(network, { width, bbox, speedRatio });
    cong.push(performance.now() - t);
    t = performance.now();
    const p = renderNetworkPng(network, { width, bbox });
    base.push(performance.now() - t);
    bytes = [m.png.length, p.length];
    height = m.height;
    drawn = m.edgesDrawn;
    log(`  width ${width} rep ${r + 1}/${REPS}: congestion ${cong.at(-1)!.toFixed(0)} ms, baseline ${base.at(-1)!.toFixed(0)} ms`);
  }
  const mc = median(cong), mb = median(base);
  rows.push(`| ${bbox ? 'Mannheim centre' : 'whole network'}, ${width} x ${height} | ${drawn} | ${mc.toFixed(0)} (min ${Math.min(...cong).toFixed(0)}) | ${mb.toFixed(0)} (min ${Math.min(...base).toFixed(0)}) | ${(mc / mb).toFixed(2)} | ${(bytes[0] / 1024).toFixed(0)} / ${(bytes[1] / 1024).toFixed(0)} |`);
}

// a route picture: the cost is the grey network underneath plus encoding
const line: [number, number][] = Array.from({ length: 200 }, (_, i) => [8.466 + (0.224 * i) / 199, 49.488 - (0.08 * i) / 199]);
const routeMs: number[] = [];
let routeEdges = 0;
for (let r = 0; r < REPS; r++) {
  const t = performance.now();
  routeEdges = renderRouteMap(network, { route: line, width: 1200 }).edgesDrawn;
  routeMs.push(performance.now() - t);
}

const counts = renderCongestionMap(network, { width: 1600, speedRatio }).counts;
const out = [
  `Machine: 2-core node-svc, Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}; load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (shared machine: ratios are measured side by side, alternating).`,
  `Median of ${REPS} runs after one warm-up, PNG encoding included.`,
  '',
  '| picture | edges drawn | renderCongestionMap ms | renderNetworkPng ms (baseline) | ratio | PNG KB (congestion / baseline) |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  `renderRouteMap, 1200 px wide, Mannheim -> Heidelberg (default bbox, ${routeEdges} edges drawn): median ${median(routeMs).toFixed(0)} ms (min ${Math.min(...routeMs).toFixed(0)}).`,
  `Synthetic rush hour, edges per band: ${JSON.stringify(counts)}.`,
].join('\n');
process.stdout.write(`${out}\n`);

if (args.includes('--pictures')) {
  const file = join(import.meta.dirname, '..', 'docs', 'img', 'congestion-rhein-neckar.png');
  const m = renderCongestionMap(network, { width: 1400, speedRatio, caption: 'SYNTHETIC RUSH HOUR' });
  writeFileSync(file, m.png);
  log(`wrote ${file} (${(m.png.length / 1024).toFixed(0)} KB, ${m.width}x${m.height})`);
}
