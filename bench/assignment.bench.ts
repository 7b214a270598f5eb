// Static user equilibrium: Algorithm B (bush-based) against biconjugate Frank-Wolfe, the industry
// baseline, on the same networks in the same run. Time to relative gaps 1e-4, 1e-6, 1e-8 is read
// off one run per algorithm (the iteration at which the gap first falls below each target).
// Both wall-clock and process CPU seconds are recorded: the machine is shared, CPU is the fairer figure.
//
//   node bin/run-ts.mjs bench/assignment.bench.ts [--size 12000] [--no-osm] [--bfw-seconds 300]
import { readFileSync, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseTntpNet, parseTntpTrips } from '../core/tntp/index.js';
import { generateCity } from '../core/sim/index.js';
import type { RoadNetwork } from '../core/graph/road-network.js';
import { stronglyConnectedComponents } from '../core/graph/components.js';
import { haversineMetres } from '../core/graph/geo.js';
import {
  assign,
  assignmentNetworkFromRoad,
  assignmentNetworkFromTntp,
  demandFromTriples,
  type AssignmentAlgorithm,
  type AssignmentDemand,
  type AssignmentNetwork,
  type OdTriple,
  type RoadZone,
} from '../services/traffic/assignment/index.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '12000' },
    'no-osm': { type: 'boolean', default: false },
    'only-osm': { type: 'boolean', default: false },
    /** CPU-second budgets per run (the machine is shared: wall-clock budgets would measure the neighbours) */
    'bfw-seconds': { type: 'string', default: '300' },
    'b-seconds': { type: 'string', default: '600' },
  },
});
const TARGETS = [1e-4, 1e-6, 1e-8];
const bfwSeconds = Number(values['bfw-seconds']);
const bSeconds = Number(values['b-seconds']);

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

interface Row {
  network: string;
  links: number;
  zones: number;
  algorithm: AssignmentAlgorithm;
  /** per target: [wall s, cpu s, iterations] or null when not reached */
  reached: ([number, number, number] | null)[];
  finalGap: number;
  objective: number;
}

function race(name: string, net: AssignmentNetwork, demand: AssignmentDemand, algorithm: AssignmentAlgorithm, limitSeconds: number): Row {
  const reached: ([number, number, number] | null)[] = TARGETS.map(() => null);
  const c0 = cpu();
  const t0 = performance.now();
  let lastNote = 0;
  const r = assign(net, demand, {
    algorithm,
    gap: TARGETS[TARGETS.length - 1],
    shouldStop: () => cpu() - c0 > limitSeconds,
    maxIterations: algorithm === 'b' ? 1000 : 1_000_000,
    onIteration: (i) => {
      const wall = (performance.now() - t0) / 1000;
      TARGETS.forEach((g, k) => {
        if (reached[k] === null && i.relativeGap <= g) reached[k] = [wall, cpu() - c0, i.iteration];
      });
      if (wall - lastNote > 5) {
        lastNote = wall;
        process.stderr.write(`  ${name} ${algorithm}: iteration ${i.iteration}, gap ${i.relativeGap.toExponential(2)}, ${wall.toFixed(1)} s\n`);
      }
    },
  });
  // a run that starts below a target (gap measured before the first iteration) counts at 0
  TARGETS.forEach((g, k) => {
    if (reached[k] === null && r.relativeGap <= g) reached[k] = [r.seconds, cpu() - c0, r.iterations];
  });
  return { network: name, links: net.linkCount, zones: net.zoneCount, algorithm, reached, finalGap: r.relativeGap, objective: r.beckmannObjective };
}

const rows: Row[] = [];
function pair(name: string, net: AssignmentNetwork, demand: AssignmentDemand): void {
  process.stderr.write(`${name}: ${net.linkCount} links, ${net.zoneCount} zones\n`);
  rows.push(race(name, net, demand, 'b', bSeconds));
  rows.push(race(name, net, demand, 'bfw', bfwSeconds));
  const [b, f] = rows.slice(-2);
  TARGETS.forEach((g, k) => {
    const rb = b.reached[k];
    const rf = f.reached[k];
    const ratio = rb && rf ? `${(rf[1] / rb[1]).toFixed(1)}x (cpu), ${(rf[0] / rb[0]).toFixed(1)}x (wall)` : rb ? `> ${(bfwSeconds / rb[1]).toFixed(1)}x (BFW not there in ${bfwSeconds} s cpu)` : 'n/a';
    process.stdout.write(
      `${name.padEnd(28)} gap ${g.toExponential(0)}  B ${rb ? `${rb[1].toFixed(2)} s cpu / ${rb[2]} it` : '—'}   BFW ${rf ? `${rf[1].toFixed(2)} s cpu / ${rf[2]} it` : '—'}   BFW/B ${ratio}\n`,
    );
  });
}

// 1. SiouxFalls
if (!values['only-osm']) {
  const dir = 'fixtures/tntp/SiouxFalls';
  const net = assignmentNetworkFromTntp(parseTntpNet(readFileSync(`${dir}/SiouxFalls_net.tntp`, 'utf8'), 'SiouxFalls_net.tntp'));
  const trips = parseTntpTrips(readFileSync(`${dir}/SiouxFalls_trips.tntp`, 'utf8'), 'SiouxFalls_trips.tntp');
  pair('SiouxFalls', net, { zoneCount: trips.zones, classes: [{ vehicleClass: { name: 'car' }, od: trips.od }] });
}

// 2. simulated city with its own zones and demand
if (!values['only-osm']) {
  const size = Number(values.size);
  const city = generateCity({ size, seed: 1 });
  const zones = city.zones.map((z) => ({ id: z.id, node: z.node }));
  const net = assignmentNetworkFromRoad(city.network, zones);
  pair(`simulated city (size ${size})`, net, demandFromTriples(net, city.demand));
}

// 3. the real OSM city, synthetic gravity demand between ~50 zones
if (!values['no-osm']) {
  const mod = existsSync('core/graph/default-network.ts') ? await import('../core/graph/default-network.js') : null;
  if (!mod) process.stderr.write('core/graph/default-network.ts not present: OSM city skipped\n');
  else {
    process.stderr.write('loading the default OSM network ...\n');
    const network: RoadNetwork = await mod.loadDefaultNetwork();
    const { zones, trips } = gravityDemand(network, 50, 60_000);
    const net = assignmentNetworkFromRoad(network, zones);
    pair('Rhein-Neckar OSM (50 zones)', net, demandFromTriples(net, trips));
  }
}

/**
 * ~k zones on a grid over the network's extent: each at the junction of the largest car
 * component nearest its cell centre, weighted by the junctions in its cell; trips between
 * zones by a gravity model (weights over an exponential of the distance, 8 km scale).
 */
function gravityDemand(network: RoadNetwork, k: number, totalTrips: number): { zones: RoadZone[]; trips: OdTriple[] } {
  const d = network.data;
  const scc = stronglyConnectedComponents(network, 'car');
  let big = 0;
  scc.sizes.forEach((s, i) => (s > scc.sizes[big] ? (big = i) : 0));
  let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
  for (let v = 0; v < d.nodeCount; v++) {
    if (scc.componentOf[v] !== big) continue;
    minLon = Math.min(minLon, d.nodeLon[v]); maxLon = Math.max(maxLon, d.nodeLon[v]);
    minLat = Math.min(minLat, d.nodeLat[v]); maxLat = Math.max(maxLat, d.nodeLat[v]);
  }
  const side = Math.ceil(Math.sqrt(k));
  const cells = new Map<number, { best: number; bestD: number; weight: number; cx: number; cy: number }>();
  for (let v = 0; v < d.nodeCount; v++) {
    if (scc.componentOf[v] !== big) continue;
    const cx = Math.min(side - 1, Math.floor(((d.nodeLon[v] - minLon) / (maxLon - minLon)) * side));
    const cy = Math.min(side - 1, Math.floor(((d.nodeLat[v] - minLat) / (maxLat - minLat)) * side));
    const key = cy * side + cx;
    const centreLon = minLon + ((cx + 0.5) / side) * (maxLon - minLon);
    const centreLat = minLat + ((cy + 0.5) / side) * (maxLat - minLat);
    const dist = haversineMetres(d.nodeLon[v], d.nodeLat[v], centreLon, centreLat);
    const c = cells.get(key) ?? { best: v, bestD: Infinity, weight: 0, cx, cy };
    c.weight++;
    if (dist < c.bestD) {
      c.best = v;
      c.bestD = dist;
    }
    cells.set(key, c);
  }
  const chosen = [...cells.values()].filter((c) => c.weight >= 20).sort((a, b) => b.weight - a.weight).slice(0, k);
  const zones = chosen.map((c, i) => ({ id: i + 1, node: c.best }));
  const w: number[] = [];
  for (const a of chosen) for (const b of chosen) {
    if (a === b) { w.push(0); continue; }
    const km = haversineMetres(d.nodeLon[a.best], d.nodeLat[a.best], d.nodeLon[b.best], d.nodeLat[b.best]) / 1000;
    w.push(a.weight * b.weight * Math.exp(-km / 8));
  }
  const sum = w.reduce((s, x) => s + x, 0);
  const trips: OdTriple[] = [];
  const n = chosen.length;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (w[i * n + j] > 0) trips.push({ origin: i + 1, destination: j + 1, trips: (totalTrips * w[i * n + j]) / sum });
  return { zones, trips };
}

process.stdout.write(`\n${JSON.stringify({ machine: '2-core node-svc, Node 20', date: new Date().toISOString(), rows }, null, 0)}\n`);
