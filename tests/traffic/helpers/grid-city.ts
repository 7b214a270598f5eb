import { mulberry32 } from '../../../core/sim/random.js';
import { MODE, RoadNetworkBuilder, bearingDegrees, metresPerDegree, type RoadNetwork } from '../../../core/graph/index.js';

/**
 * A small grid city for tests until core/sim lands: n x n junctions `spacing` metres apart
 * around Mannheim, two-way streets (each direction its own edge), the middle row and column
 * primary roads (50 km/h, 2 lanes), the rest residential (30 km/h).
 */
export function gridCity(n = 10, spacing = 120, origin: [number, number] = [8.46, 49.48]): RoadNetwork {
  const b = new RoadNetworkBuilder();
  const m = metresPerDegree(origin[1]);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) b.addNode(origin[0] + (c * spacing) / m.lon, origin[1] + (r * spacing) / m.lat);
  }
  const id = (r: number, c: number) => r * n + c;
  const mid = Math.floor(n / 2);
  const add = (from: number, to: number, primary: boolean) => {
    const cls = primary ? 'primary' : 'residential';
    const modes = MODE.car | MODE.truck | MODE.bike | MODE.foot;
    b.addEdge({ from, to, roadClass: cls, modes, lanes: primary ? 2 : 1, name: primary ? 'Hauptstrasse' : '' });
    b.addEdge({ from: to, to: from, roadClass: cls, modes, lanes: primary ? 2 : 1, name: primary ? 'Hauptstrasse' : '' });
  };
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (c + 1 < n) add(id(r, c), id(r, c + 1), r === mid);
      if (r + 1 < n) add(id(r, c), id(r + 1, c), c === mid);
    }
  }
  return b.build({ source: 'test grid' });
}

/** seeded PRNG (mulberry32, shared with the simulated city) */
export const rng = mulberry32;

export function gaussian(rand: () => number): () => number {
  return () => {
    const u = Math.max(1e-12, rand());
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** A random drive of `count` edges: no U-turns, no edge twice, car edges only. */
export function randomPath(network: RoadNetwork, count: number, rand: () => number, startEdge?: number): number[] {
  const d = network.data;
  let e = startEdge ?? Math.floor(rand() * d.edgeCount);
  const path = [e];
  const used = new Set(path);
  while (path.length < count) {
    const v = d.edgeTo[e];
    const options: number[] = [];
    for (let k = network.outOffsets[v]; k < network.outOffsets[v + 1]; k++) {
      const f = network.outEdges[k];
      if (d.edgeTo[f] === d.edgeFrom[e] || used.has(f) || (d.edgeModes[f] & MODE.car) === 0) continue;
      options.push(f);
    }
    if (options.length === 0) break;
    e = options[Math.floor(rand() * options.length)];
    path.push(e);
    used.add(e);
  }
  return path;
}

export interface SimulatedDrive {
  pings: { vehicleId: string; time: number; lon: number; lat: number; heading?: number; speed?: number }[];
  /** true seconds spent on each edge of the path */
  truth: Map<number, number>;
}

/**
 * Drive `path` at `speedOf(edge)` m/s starting at `start` ms, one GPS fix every `interval` s with
 * Gaussian noise of `noise` metres per axis. Starts half-way along the first edge and stops half-way
 * along the last, so only the inner edges are fully traversed.
 */
export function drive(
  network: RoadNetwork,
  path: number[],
  opts: { vehicleId: string; start: number; interval?: number; noise?: number; speedOf: (edge: number) => number; rand: () => number; headingNoiseDeg?: number },
): SimulatedDrive {
  const d = network.data;
  const interval = opts.interval ?? 1;
  const noise = gaussian(opts.rand);
  // heading noise from its own generator, so drives with and without headings share their positions
  const headingNoise = gaussian(rng(opts.start % 2147483647));
  const truth = new Map<number, number>();
  // timeline: for each edge the time its start is passed
  const legs: { edge: number; t0: number; t1: number; from: number; to: number }[] = [];
  let t = 0;
  for (let i = 0; i < path.length; i++) {
    const e = path[i];
    const len = d.edgeLength[e];
    const v = opts.speedOf(e);
    const from = i === 0 ? len / 2 : 0;
    const to = i === path.length - 1 ? len / 2 : len;
    const dur = (to - from) / v;
    legs.push({ edge: e, t0: t, t1: t + dur, from, to });
    if (i > 0 && i < path.length - 1) truth.set(e, dur);
    t += dur;
  }
  const pings: SimulatedDrive['pings'] = [];
  let leg = 0;
  for (let s = 0; s <= t; s += interval) {
    while (leg < legs.length - 1 && s > legs[leg].t1) leg++;
    const L = legs[leg];
    const f = L.t1 > L.t0 ? (s - L.t0) / (L.t1 - L.t0) : 0;
    const along = L.from + f * (L.to - L.from);
    const [lon, lat] = pointAlong(network, L.edge, along);
    const m = metresPerDegree(lat);
    const ping: SimulatedDrive['pings'][number] = {
      vehicleId: opts.vehicleId,
      time: opts.start + Math.round(s * 1000),
      lon: lon + (noise() * (opts.noise ?? 0)) / m.lon,
      lat: lat + (noise() * (opts.noise ?? 0)) / m.lat,
    };
    if (opts.headingNoiseDeg !== undefined) {
      // the GPS course over ground: direction of travel with some noise, and the speed
      const [x2, y2] = pointAlong(network, L.edge, Math.min(d.edgeLength[L.edge], along + 1));
      const [x1, y1] = pointAlong(network, L.edge, Math.max(0, along - 1));
      ping.heading = (bearingDegrees(x1, y1, x2, y2) + headingNoise() * opts.headingNoiseDeg + 360) % 360;
      ping.speed = opts.speedOf(L.edge);
    }
    pings.push(ping);
  }
  return { pings, truth };
}

/** The point `along` metres from the start of an edge's shape (scaled to edgeLength). */
export function pointAlong(network: RoadNetwork, edge: number, along: number): [number, number] {
  const g = network.edgeGeometry(edge);
  const m = metresPerDegree(g[0][1]);
  const seg: number[] = [];
  let total = 0;
  for (let i = 1; i < g.length; i++) {
    const l = Math.hypot((g[i][0] - g[i - 1][0]) * m.lon, (g[i][1] - g[i - 1][1]) * m.lat);
    seg.push(l);
    total += l;
  }
  let target = (along / Math.max(1e-9, network.data.edgeLength[edge])) * total;
  for (let i = 1; i < g.length; i++) {
    if (target <= seg[i - 1] || i === g.length - 1) {
      const f = seg[i - 1] > 0 ? Math.min(1, target / seg[i - 1]) : 0;
      return [g[i - 1][0] + f * (g[i][0] - g[i - 1][0]), g[i - 1][1] + f * (g[i][1] - g[i - 1][1])];
    }
    target -= seg[i - 1];
  }
  return g[g.length - 1];
}
