import Flatbush from 'flatbush';
import { MODE, metresPerDegree, type RoadNetwork } from '../../../core/graph/index.js';
import { getSnapper, type Snap } from '../../../core/graph/snap/index.js';

/** A position on an edge: core/graph/snap's `Snap` (offset is metres from the edge's start). */
export type Candidate = Snap;

/** Where candidate roads for a ping come from. */
export interface CandidateFinder {
  /** car edges within `radius` metres, nearest first, at most `max` */
  within(lon: number, lat: number, radius: number, max: number): Candidate[];
}

/**
 * Candidates from the shared snapper of core/graph/snap (one R-tree per network for every
 * service). Offsets are rescaled to edgeLength so they add up with the lengths the route
 * search uses (they differ only when an importer set a length other than the shape's).
 */
export function snapperCandidateFinder(network: RoadNetwork): CandidateFinder {
  const snapper = getSnapper(network);
  const len = network.data.edgeLength;
  return {
    within(lon, lat, radius, max) {
      const snaps = snapper.within(lon, lat, radius, 'car', max);
      for (const s of snaps) s.offset = s.fraction * len[s.edge];
      return snaps;
    },
  };
}

/**
 * Car edges near a point through a packed R-tree of shape segments (one box per segment,
 * so long curved edges do not flood the query), with a local planar projection for distances.
 * Our own because map matching asks this for every ping: it must answer in microseconds and
 * return the projection (offset along the edge) that the HMM transition needs.
 */
export class SegmentCandidateFinder implements CandidateFinder {
  private readonly index: Flatbush;
  private readonly segEdge: Uint32Array;
  /** index of the segment's first shape point in geomCoords (pairs) */
  private readonly segPoint: Uint32Array;
  /** number of indexed segments */
  private readonly count: number;

  constructor(private readonly network: RoadNetwork) {
    const d = network.data;
    let n = 0;
    for (let e = 0; e < d.edgeCount; e++) {
      if ((d.edgeModes[e] & MODE.car) === 0) continue;
      n += d.geomOffsets[e + 1] - d.geomOffsets[e] - 1;
    }
    this.count = n;
    this.segEdge = new Uint32Array(n);
    this.segPoint = new Uint32Array(n);
    this.index = new Flatbush(Math.max(1, n));
    let s = 0;
    const c = d.geomCoords;
    for (let e = 0; e < d.edgeCount; e++) {
      if ((d.edgeModes[e] & MODE.car) === 0) continue;
      for (let i = d.geomOffsets[e]; i < d.geomOffsets[e + 1] - 1; i++) {
        const x1 = c[2 * i], y1 = c[2 * i + 1], x2 = c[2 * i + 2], y2 = c[2 * i + 3];
        this.index.add(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2));
        this.segEdge[s] = e;
        this.segPoint[s] = i;
        s++;
      }
    }
    if (n === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  within(lon: number, lat: number, radius: number, max: number): Candidate[] {
    if (this.count === 0) return [];
    const m = metresPerDegree(lat);
    const dLon = radius / m.lon;
    const dLat = radius / m.lat;
    const hits = this.index.search(lon - dLon, lat - dLat, lon + dLon, lat + dLat);
    if (hits.length === 0) return [];
    const best = new Map<number, Candidate>();
    for (const s of hits) {
      const e = this.segEdge[s];
      if (best.has(e)) continue; // whole edge projected once below
      const cand = projectOnEdge(this.network, e, lon, lat);
      if (cand.distance <= radius) best.set(e, cand);
    }
    const out = [...best.values()].sort((a, b) => a.distance - b.distance);
    if (out.length > max) out.length = max;
    return out;
  }
}

/**
 * Nearest point of an edge's shape to (lon, lat): an equirectangular projection around the
 * query latitude (exact to well under a metre over the few hundred metres that matter here).
 * The offset is scaled so that the edge's end lies at edgeLength.
 */
export function projectOnEdge(network: RoadNetwork, edge: number, lon: number, lat: number): Candidate {
  const d = network.data;
  const c = d.geomCoords;
  const m = metresPerDegree(lat);
  const first = d.geomOffsets[edge];
  const last = d.geomOffsets[edge + 1] - 1;
  let bestDist2 = Infinity;
  let bestAlong = 0;
  let bestX = c[2 * first];
  let bestY = c[2 * first + 1];
  let along = 0;
  for (let i = first; i < last; i++) {
    const ax = (c[2 * i] - lon) * m.lon;
    const ay = (c[2 * i + 1] - lat) * m.lat;
    const bx = (c[2 * i + 2] - lon) * m.lon;
    const by = (c[2 * i + 3] - lat) * m.lat;
    const vx = bx - ax;
    const vy = by - ay;
    const len2 = vx * vx + vy * vy;
    let t = len2 > 0 ? -(ax * vx + ay * vy) / len2 : 0;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    const px = ax + t * vx;
    const py = ay + t * vy;
    const dist2 = px * px + py * py;
    const segLen = Math.sqrt(len2);
    if (dist2 < bestDist2) {
      bestDist2 = dist2;
      bestAlong = along + t * segLen;
      bestX = c[2 * i] + t * (c[2 * i + 2] - c[2 * i]);
      bestY = c[2 * i + 1] + t * (c[2 * i + 3] - c[2 * i + 1]);
    }
    along += segLen;
  }
  const fraction = along > 0 ? bestAlong / along : 0;
  return { edge, lon: bestX, lat: bestY, distance: Math.sqrt(bestDist2), offset: fraction * d.edgeLength[edge], fraction };
}

const cache = new WeakMap<RoadNetwork, SegmentCandidateFinder>();

export function getSegmentCandidateFinder(network: RoadNetwork): SegmentCandidateFinder {
  let f = cache.get(network);
  if (!f) {
    f = new SegmentCandidateFinder(network);
    cache.set(network, f);
  }
  return f;
}
