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
  /** segment -> edge, and segment -> index of its first point in geomCoords (point units) */
  private readonly segEdge: Uint32Array;
  private readonly segPoint: Uint32Array;
  /** per geometry point: metres from its edge's start */
  private readonly pointOffset: Float64Array;
  private readonly bounds: [number, number, number, number];

  constructor(network: RoadNetwork) {
    this.network = network;
    const { geomOffsets, geomCoords, edgeCount } = network.data;
    const points = geomOffsets[edgeCount] ?? 0;
    const segs = points - edgeCount;
    this.segEdge = new Uint32Array(segs);
    this.segPoint = new Uint32Array(segs);
    this.pointOffset = new Float64Array(points);
    this.bounds = [Infinity, Infinity, -Infinity, -Infinity];
    this.index = segs > 0 ? new Flatbush(segs) : undefined;
    let s = 0;
    for (let e = 0; e < edgeCount; e++) {
      const end = geomOffsets[e + 1];
      for (let p = geomOffsets[e]; p < end - 1; p++) {
        const x0 = geomCoords[2 * p];
        const y0 = geomCoords[2 * p + 1];
        const x1 = geomCoords[2 * p + 2];
        const y1 = geomCoords[2 * p + 3];
        this.pointOffset[p + 1] = this.pointOffset[p] + haversineMetres(x0, y0, x1, y1);
        this.segEdge[s] = e;
        this.segPoint[s] = p;
        const minX = Math.min(x0, x1);
        const minY = Math.min(y0, y1);
        const maxX = Math.max(x0, x1);
        const maxY = Math.max(y0, y1);
        this.index!.add(minX, minY, maxX, maxY);
        if (minX < this.bounds[0]) this.bounds[0] = minX;
        if (minY < this.bounds[1]) this.bounds[1] = minY;
        if (maxX > this.bounds[2]) this.bounds[2] = maxX;
        if (maxY > this.bounds[3]) this.bounds[3] = maxY;
        s++;
      }
    }
    this.index?.finish();
  }

  /** Segments indexed (for benchmarks and docs). */
  get segmentCount(): number {
    return this.segEdge.length;
  }

  /** Geometric length of an edge in metres (what `fraction` divides by). */
  geometryLength(edge: number): number {
    return this.pointOffset[this.network.data.geomOffsets[edge + 1] - 1];
  }

  /**
   * The closest edge allowing `mode`, or undefined when none lies within maxDistance metres.
   * Ties (a point on a junction) go to the lowest edge id.
   */
  nearest(lon: number, lat: number, mode: ModeName, maxDistance = Infinity): Snap | undefined {
    const bit = checkQuery(lon, lat, mode);
    if (!this.index || !(maxDistance >= 0)) return undefined;
    // 1. the segment whose box is nearest in degree space: its true distance bounds the answer
    const modes = this.network.data.edgeModes;
    const first = this.index.neighbors(lon, lat, 1, Infinity, (seg) => (modes[this.segEdge[seg]] & bit) !== 0);
    if (first.length === 0) return undefined;
    const bound = this.segmentDistance(lon, lat, first[0]);
    // 2. every segment closer than that bound lies in the box of that radius: search it exactly
    // (a hair wider than the bound, so floating-point rounding cannot drop the bounding segment itself)
    const best = this.bestPerEdge(lon, lat, Math.min(bound * (1 + 1e-9) + 1e-6, maxDistance), bit, true);
    const snap = best[0];
    return snap && snap.distance <= maxDistance ? snap : undefined;
  }

  /** The best snap of every edge allowing `mode` within `radius` metres, closest first. */
  within(lon: number, lat: number, radius: number, mode: ModeName, limit = Infinity): Snap[] {
    const bit = checkQuery(lon, lat, mode);
    if (!(radius >= 0)) throw new UrbanflowError('INVALID_INPUT', `radius must be a number >= 0, got ${radius}`, { field: 'radius' });
    if (!this.index) return [];
    const out = this.bestPerEdge(lon, lat, radius, bit, false).filter((s) => s.distance <= radius);
    return out.length > limit ? out.slice(0, Math.max(0, limit)) : out;
  }

  /** Snap of one given edge (the projection of the point onto that edge's geometry). */
  snapToEdge(lon: number, lat: number, edge: number): Snap {
    const { geomOffsets } = this.network.data;
    let best: Snap | undefined;
    for (let p = geomOffsets[edge]; p < geomOffsets[edge + 1] - 1; p++) {
      const s = this.project(lon, lat, edge, p);
      if (!best || s.distance < best.distance) best = s;
    }
    return best!;
  }

  /** candidates in the box of `radius` metres around the point, best per edge, sorted */
  private bestPerEdge(lon: number, lat: number, radius: number, bit: number, onlyBest: boolean): Snap[] {
    const [minX, minY, maxX, maxY] = boxAround(lon, lat, radius);
    const modes = this.network.data.edgeModes;
    const perEdge = new Map<number, Snap>();
    let bestSeg = -1;
    let bestD = Infinity;
    this.index!.search(minX, minY, maxX, maxY, (seg) => {
      const e = this.segEdge[seg];
      if (!(modes[e] & bit)) return false;
      if (onlyBest) {
        // no allocation per candidate: keep the best segment, build its Snap once at the end
        const d = this.segmentDistance(lon, lat, seg);
        if (d < bestD || (d === bestD && (e < this.segEdge[bestSeg] || (e === this.segEdge[bestSeg] && seg < bestSeg)))) {
          bestD = d;
          bestSeg = seg;
        }
      } else {
        const s = this.project(lon, lat, e, this.segPoint[seg]);
        const prev = perEdge.get(e);
        if (!prev || s.distance < prev.distance || (s.distance === prev.distance && s.offset < prev.offset)) perEdge.set(e, s);
      }
      return false;
    });
    if (onlyBest) return bestSeg >= 0 ? [this.project(lon, lat, this.segEdge[bestSeg], this.segPoint[bestSeg])] : [];
    return [...perEdge.values()].sort((a, b) => a.distance - b.distance || a.edge - b.edge);
  }

  /** distance in metres from the point to segment `seg` (same projection as project()) */
  private segmentDistance(lon: number, lat: number, seg: number): number {
    const c = this.network.data.geomCoords;
    const p = this.segPoint[seg];
    const x0 = c[2 * p];
    const y0 = c[2 * p + 1];
    const x1 = c[2 * p + 2];
    const y1 = c[2 * p + 3];
    const k = Math.cos(lat * RAD);
    const dx = (x1 - x0) * k;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? (((lon - x0) * k) * dx + (lat - y0) * dy) / len2 : 0;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    const px = t === 0 ? x0 : t === 1 ? x1 : x0 + t * (x1 - x0);
    const py = t === 0 ? y0 : t === 1 ? y1 : y0 + t * (y1 - y0);
    return haversineMetres(lon, lat, px, py);
  }

  /** project the point onto segment (p, p+1) of edge e */
  private project(lon: number, lat: number, e: number, p: number): Snap {
    const c = this.network.data.geomCoords;
    const x0 = c[2 * p];
    const y0 = c[2 * p + 1];
    const x1 = c[2 * p + 2];
    const y1 = c[2 * p + 3];
    const k = Math.cos(lat * RAD);
    const dx = (x1 - x0) * k;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? (((lon - x0) * k) * dx + (lat - y0) * dy) / len2 : 0;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    const px = t === 0 ? x0 : t === 1 ? x1 : x0 + t * (x1 - x0);
    const py = t === 0 ? y0 : t === 1 ? y1 : y0 + t * (y1 - y0);
    const offset = this.pointOffset[p] + t * (this.pointOffset[p + 1] - this.pointOffset[p]);
    const total = this.geometryLength(e);
    return { edge: e, lon: px, lat: py, distance: haversineMetres(lon, lat, px, py), offset, fraction: total > 0 ? Math.min(1, offset / total) : 0 };
  }

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
