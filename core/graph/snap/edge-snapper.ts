import Flatbush from 'flatbush';
import type { RoadNetwork } from '../road-network.js';
import { MODE, isModeName, type ModeName } from '../modes.js';
import { haversineMetres } from '../geo.js';
import { UrbanflowError } from '../../errors/index.js';

/** Where a point meets the network: the closest point of one directed edge. */
export interface Snap {
  edge: number;
  /** the projected point on the edge */
  lon: number;
  lat: number;
  /** metres from the query point to the projected point */
  distance: number;
  /** metres from the edge's start along its geometry to the projected point */
  offset: number;
  /** offset / geometric length of the edge, in [0, 1] */
  fraction: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/**
 * Snaps points to the directed edges of a network through a packed R-tree (flatbush) of every
 * geometry segment. A two-way road has two edges with the same shape, so both are indexed and
 * `within` returns both. Distances are great-circle metres to the projected point; the
 * projection onto a segment is done in a local equirectangular plane at the query latitude,
 * which is exact enough for segments of city length.
 */
export class EdgeSnapper {
  private readonly network: RoadNetwork;
  private readonly index: Flatbush | undefined;
  /** segment -> the edge it was indexed for (the lower id of a twin pair), and its first point (point units) */
  private readonly segEdge: Uint32Array;
  private readonly segPoint: Uint32Array;
  /** per edge: its reverse twin (same shape, reversed), or -1 */
  private readonly twin: Int32Array;
  /** per geometry point: metres from its edge's start */
  private readonly pointOffset: Float64Array;
  // the last projection (project() writes them so hot loops allocate nothing)
  private px = 0;
  private py = 0;
  private pt = 0;

  constructor(network: RoadNetwork) {
    this.network = network;
    const { geomOffsets, geomCoords, edgeCount } = network.data;
    const points = geomOffsets[edgeCount] ?? 0;
    this.pointOffset = new Float64Array(points);
    for (let e = 0; e < edgeCount; e++) {
      for (let p = geomOffsets[e]; p < geomOffsets[e + 1] - 1; p++) {
        this.pointOffset[p + 1] = this.pointOffset[p] + haversineMetres(geomCoords[2 * p], geomCoords[2 * p + 1], geomCoords[2 * p + 2], geomCoords[2 * p + 3]);
      }
    }
    // a two-way road is two edges with one shape: index the shape once, for the lower id
    this.twin = findTwins(network);
    let segs = 0;
    for (let e = 0; e < edgeCount; e++) if (this.twin[e] < 0 || this.twin[e] > e) segs += geomOffsets[e + 1] - geomOffsets[e] - 1;
    this.segEdge = new Uint32Array(segs);
    this.segPoint = new Uint32Array(segs);
    this.index = segs > 0 ? new Flatbush(segs) : undefined;
    let s = 0;
    for (let e = 0; e < edgeCount; e++) {
      if (this.twin[e] >= 0 && this.twin[e] < e) continue;
      for (let p = geomOffsets[e]; p < geomOffsets[e + 1] - 1; p++) {
        const x0 = geomCoords[2 * p];
        const y0 = geomCoords[2 * p + 1];
        const x1 = geomCoords[2 * p + 2];
        const y1 = geomCoords[2 * p + 3];
        this.segEdge[s] = e;
        this.segPoint[s] = p;
        this.index!.add(Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1));
        s++;
      }
    }
    this.index?.finish();
  }

  /** Segments indexed (for benchmarks and docs). */
  get segmentCount(): number {
    return this.segEdge.length;
  }

  /** Bytes held by the index and its tables (for benchmarks and docs). */
  get byteLength(): number {
    return (this.index?.data.byteLength ?? 0) + this.segEdge.byteLength + this.segPoint.byteLength + this.twin.byteLength + this.pointOffset.byteLength;
  }

  /** Geometric length of an edge in metres (what `fraction` divides by). */
  geometryLength(edge: number): number {
    return this.pointOffset[this.network.data.geomOffsets[edge + 1] - 1];
  }

  /**
   * The closest edge allowing `mode`, or undefined when none lies within maxDistance metres.
   * Ties (a point on a junction, both directions of a road) go to the lowest edge id.
   */
  nearest(lon: number, lat: number, mode: ModeName, maxDistance = Infinity): Snap | undefined {
    const bit = checkQuery(lon, lat, mode);
    if (!this.index || !(maxDistance >= 0)) return undefined;
    // 1. the segment whose box is nearest in degree space: its true distance bounds the answer
    const first = this.index.neighbors(lon, lat, 1, Infinity, (seg) => this.segmentEdgeFor(seg, bit) >= 0);
    if (first.length === 0) return undefined;
    const bound = this.project(lon, lat, this.segPoint[first[0]]);
    // 2. every segment closer than that bound lies in the box of that radius: search it exactly
    // (a hair wider than the bound, so floating-point rounding cannot drop the bounding segment itself)
    const [minX, minY, maxX, maxY] = boxAround(lon, lat, Math.min(bound * (1 + 1e-9) + 1e-6, maxDistance));
    let bestEdge = -1;
    let bestPoint = -1;
    let bestD = Infinity;
    this.index.search(minX, minY, maxX, maxY, (seg) => {
      const e = this.segmentEdgeFor(seg, bit);
      if (e < 0) return false;
      const d = this.project(lon, lat, this.segPoint[seg]);
      if (d < bestD || (d === bestD && e < bestEdge)) {
        bestD = d;
        bestEdge = e;
        bestPoint = this.segPoint[seg];
      }
      return false;
    });
    if (bestEdge < 0 || bestD > maxDistance) return undefined;
    const twinOfIndexed = this.segEdgeOfPoint(bestEdge, bestPoint);
    return this.snapOf(lon, lat, bestEdge, twinOfIndexed === bestEdge ? bestPoint : this.twinPoint(twinOfIndexed, bestPoint));
  }

  /** The best snap of every edge allowing `mode` within `radius` metres, closest first. */
  within(lon: number, lat: number, radius: number, mode: ModeName, limit = Infinity): Snap[] {
    const bit = checkQuery(lon, lat, mode);
    if (!(radius >= 0)) throw new UrbanflowError('INVALID_INPUT', `radius must be a number >= 0, got ${radius}`, { field: 'radius' });
    if (!this.index) return [];
    const [minX, minY, maxX, maxY] = boxAround(lon, lat, radius);
    const modes = this.network.data.edgeModes;
    const bestD = new Map<number, number>();
    const bestP = new Map<number, number>();
    const consider = (e: number, p: number, d: number) => {
      const prev = bestD.get(e);
      if (prev === undefined || d < prev || (d === prev && p < bestP.get(e)!)) {
        bestD.set(e, d);
        bestP.set(e, p);
      }
    };
    this.index.search(minX, minY, maxX, maxY, (seg) => {
      const e = this.segEdge[seg];
      const f = this.twin[e];
      const useE = (modes[e] & bit) !== 0;
      const useF = f >= 0 && (modes[f] & bit) !== 0;
      if (!useE && !useF) return false;
      const p = this.segPoint[seg];
      const d = this.project(lon, lat, p);
      if (d > radius) return false;
      if (useE) consider(e, p, d);
      if (useF) consider(f, this.twinPoint(e, p), d);
      return false;
    });
    const out: Snap[] = [];
    for (const [e, p] of bestP) out.push(this.snapOf(lon, lat, e, p));
    out.sort((a, b) => a.distance - b.distance || a.edge - b.edge);
    return out.length > limit ? out.slice(0, Math.max(0, limit)) : out;
  }

  /** Snap of one given edge (the projection of the point onto that edge's geometry). */
  snapToEdge(lon: number, lat: number, edge: number): Snap {
    const { geomOffsets } = this.network.data;
    let bestP = geomOffsets[edge];
    let bestD = Infinity;
    for (let p = geomOffsets[edge]; p < geomOffsets[edge + 1] - 1; p++) {
      const d = this.project(lon, lat, p);
      if (d < bestD) {
        bestD = d;
        bestP = p;
      }
    }
    return this.snapOf(lon, lat, edge, bestP);
  }

  /** the edge to report for an indexed segment in this mode: the indexed edge if it allows it, else its twin, else -1 */
  private segmentEdgeFor(seg: number, bit: number): number {
    const e = this.segEdge[seg];
    const modes = this.network.data.edgeModes;
    if (modes[e] & bit) return e;
    const f = this.twin[e];
    return f >= 0 && modes[f] & bit ? f : -1;
  }

  /** which edge owns geometry point p (e or its twin) */
  private segEdgeOfPoint(e: number, p: number): number {
    const { geomOffsets } = this.network.data;
    return p >= geomOffsets[e] && p < geomOffsets[e + 1] ? e : this.twin[e];
  }

  /** the first point of the twin's segment that retraces segment (p, p+1) of edge e */
  private twinPoint(e: number, p: number): number {
    const { geomOffsets } = this.network.data;
    const f = this.twin[e];
    const k = p - geomOffsets[e];
    const n = geomOffsets[e + 1] - geomOffsets[e];
    return geomOffsets[f] + n - 2 - k;
  }

  private snapOf(lon: number, lat: number, e: number, p: number): Snap {
    const distance = this.project(lon, lat, p);
    // at a shape vertex two segments tie; reading the vertex's own offset makes both give the same number
    const t = this.pt;
    const offset = t === 1 ? this.pointOffset[p + 1] : t === 0 ? this.pointOffset[p] : this.pointOffset[p] + t * (this.pointOffset[p + 1] - this.pointOffset[p]);
    const total = this.geometryLength(e);
    return { edge: e, lon: this.px, lat: this.py, distance, offset, fraction: total > 0 ? Math.min(1, offset / total) : 0 };
  }

  /**
   * Distance in metres from the point to segment (p, p+1); leaves the projected point in px/py
   * and its parameter along p -> p+1 in pt. The segment is projected in a canonical orientation
   * (lower end first) so both directions of a road give bit-identical results.
   */
  private project(lon: number, lat: number, p: number): number {
    const c = this.network.data.geomCoords;
    let x0 = c[2 * p];
    let y0 = c[2 * p + 1];
    let x1 = c[2 * p + 2];
    let y1 = c[2 * p + 3];
    const swap = x1 < x0 || (x1 === x0 && y1 < y0);
    if (swap) {
      [x0, x1] = [x1, x0];
      [y0, y1] = [y1, y0];
    }
    const k = Math.cos(lat * RAD);
    const dx = (x1 - x0) * k;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? (((lon - x0) * k) * dx + (lat - y0) * dy) / len2 : 0;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    this.px = t === 0 ? x0 : t === 1 ? x1 : x0 + t * (x1 - x0);
    this.py = t === 0 ? y0 : t === 1 ? y1 : y0 + t * (y1 - y0);
    this.pt = swap ? 1 - t : t;
    return haversineMetres(lon, lat, this.px, this.py);
  }
}

/** per edge, its reverse twin: from/to swapped and the same shape point for point, reversed */
function findTwins(network: RoadNetwork): Int32Array {
  const { edgeFrom, edgeTo, geomOffsets, geomCoords, edgeCount } = network.data;
  const twin = new Int32Array(edgeCount).fill(-1);
  for (let e = 0; e < edgeCount; e++) {
    if (twin[e] >= 0) continue;
    const v = edgeTo[e];
    const n = geomOffsets[e + 1] - geomOffsets[e];
    for (let k = network.outOffsets[v]; k < network.outOffsets[v + 1]; k++) {
      const f = network.outEdges[k];
      if (f === e || twin[f] >= 0 || edgeTo[f] !== edgeFrom[e] || geomOffsets[f + 1] - geomOffsets[f] !== n) continue;
      let same = true;
      for (let i = 0; i < n && same; i++) {
        const a = geomOffsets[e] + i;
        const b = geomOffsets[f] + n - 1 - i;
        same = geomCoords[2 * a] === geomCoords[2 * b] && geomCoords[2 * a + 1] === geomCoords[2 * b + 1];
      }
      if (same) {
        twin[e] = f;
        twin[f] = e;
        break;
      }
    }
  }
  return twin;
}

/**
 * A lon/lat box that contains every point within r metres of (lon, lat): latitude from the
 * meridian distance, longitude from the haversine bound at the box's most poleward latitude.
 */
export function boxAround(lon: number, lat: number, r: number): [number, number, number, number] {
  if (!Number.isFinite(r)) return [-180, -90, 180, 90];
  const dLat = r / (EARTH_RADIUS_M * RAD);
  const c = Math.cos(Math.min(90, Math.abs(lat) + dLat) * RAD);
  const s = Math.sin(r / (2 * EARTH_RADIUS_M));
  if (c <= s) return [-180, Math.max(-90, lat - dLat), 180, Math.min(90, lat + dLat)];
  const dLon = (2 * Math.asin(Math.min(1, s / c))) / RAD;
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}

function checkQuery(lon: number, lat: number, mode: ModeName): number {
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) throw new UrbanflowError('INVALID_INPUT', `lon must be a number between -180 and 180, got ${lon}`, { field: 'lon' });
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new UrbanflowError('INVALID_INPUT', `lat must be a number between -90 and 90, got ${lat}`, { field: 'lat' });
  if (!isModeName(mode)) throw new UrbanflowError('INVALID_INPUT', `mode must be one of car, truck, bike, foot, got '${String(mode)}'`, { field: 'mode' });
  return MODE[mode];
}

const cache = new WeakMap<RoadNetwork, EdgeSnapper>();

/** The one snapper per network, built on first use and shared by every service. */
export function getSnapper(network: RoadNetwork): EdgeSnapper {
  let s = cache.get(network);
  if (!s) {
    s = new EdgeSnapper(network);
    cache.set(network, s);
  }
  return s;
}
