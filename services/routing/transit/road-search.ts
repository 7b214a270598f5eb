import { MinHeap } from '../../../core/graph/min-heap.js';
import KDBush from 'kdbush';
import type { RoadNetwork } from '../../../core/graph/road-network.js';
import { MODE, type ModeName } from '../../../core/graph/modes.js';
import { FOOT_SPEED_KMH, BIKE_SPEED_KMH } from '../../../core/graph/road-classes.js';
import { haversineMetres, metresPerDegree } from '../../../core/graph/geo.js';
import { getSnapper, type Snap } from '../../../core/graph/snap/index.js';

/**
 * Bounded one-to-many searches on the road network for transit access, egress and footpaths:
 * a plain Dijkstra on the CSR adjacency with network.modeSeconds(edge, mode), stopped at a time
 * limit. Our own (not the road router's) because access legs need many-target, time-limited,
 * forward and backward searches and nothing else.
 */

/** A start (or end) of a search: a node and the seconds to get there from the exact point. */
export interface Anchor {
  node: number;
  seconds: number;
}

/** Where a point meets an edge: core/graph/snap's Snap. */
export type EdgeSnap = Snap;

/** Snaps a point to the network for a mode; null when nothing usable is near. */
export type SnapFn = (lon: number, lat: number, mode: ModeName) => EdgeSnap | null;

export function modeSpeedMs(mode: ModeName): number {
  if (mode === 'foot') return FOOT_SPEED_KMH / 3.6;
  if (mode === 'bike') return BIKE_SPEED_KMH / 3.6;
  return 30 / 3.6;
}

/**
 * Fallback snapping when no snapper is injected: the nearest node that has an edge usable by the
 * mode (kdbush over nodes), reached in a straight line.
 */
export function nearestNodeSnapper(network: RoadNetwork): (lon: number, lat: number, mode: ModeName, maxMetres: number) => Anchor[] {
  const indexes = new Map<ModeName, { index: KDBush; nodes: Uint32Array }>();
  const build = (mode: ModeName) => {
    const bit = MODE[mode];
    const d = network.data;
    const ok = new Uint8Array(d.nodeCount);
    for (let e = 0; e < d.edgeCount; e++) if ((d.edgeModes[e] & bit) !== 0) ok[d.edgeFrom[e]] = ok[d.edgeTo[e]] = 1;
    const nodes: number[] = [];
    for (let v = 0; v < d.nodeCount; v++) if (ok[v]) nodes.push(v);
    const index = new KDBush(Math.max(1, nodes.length));
    for (const v of nodes) index.add(d.nodeLon[v], d.nodeLat[v]);
    if (nodes.length === 0) index.add(0, 0);
    index.finish();
    return { index, nodes: Uint32Array.from(nodes) };
  };
  return (lon, lat, mode, maxMetres) => {
    let ix = indexes.get(mode);
    if (!ix) indexes.set(mode, (ix = build(mode)));
    const k = metresPerDegree(lat);
    const ids = ix.index.range(lon - maxMetres / k.lon, lat - maxMetres / k.lat, lon + maxMetres / k.lon, lat + maxMetres / k.lat);
    let best = -1;
    let bestD = Infinity;
    for (const i of ids) {
      const v = ix.nodes[i];
      if (v === undefined) continue;
      const dist = haversineMetres(lon, lat, network.data.nodeLon[v], network.data.nodeLat[v]);
      if (dist < bestD) {
        bestD = dist;
        best = v;
      }
    }
    return best < 0 || bestD > maxMetres ? [] : [{ node: best, seconds: bestD / modeSpeedMs('foot') }];
  };
}

/**
 * Anchors of a point: both ends of the snapped edge (partial edge at the mode's speed) plus the
 * straight approach at walking speed; with no snapper, the nearest usable node.
 */
export function anchorsOf(network: RoadNetwork, snap: SnapFn | undefined, fallback: ReturnType<typeof nearestNodeSnapper>, lon: number, lat: number, mode: ModeName, maxMetres: number): Anchor[] {
  if (snap) {
    const s = snap(lon, lat, mode);
    if (!s || s.distance > maxMetres) return [];
    const approach = s.distance / modeSpeedMs('foot');
    const full = network.modeSeconds(s.edge, mode);
    const f = Math.max(0, Math.min(1, s.fraction));
    return [
      { node: network.data.edgeFrom[s.edge], seconds: approach + full * f },
      { node: network.data.edgeTo[s.edge], seconds: approach + full * (1 - f) },
    ];
  }
  return fallback(lon, lat, mode, maxMetres);
}

/** Reusable bounded Dijkstra (forward on out-edges, or backward on in-edges). */
export class BoundedSearch {
  readonly network: RoadNetwork;
  readonly mode: ModeName;
  readonly dist: Float64Array;
  /** edge by which each node was reached (-1 for anchors) */
  readonly pred: Int32Array;
  private readonly stamp: Uint32Array;
  private round = 0;
  private readonly heap = new MinHeap(1024);
  private readonly edgeSecs: Float64Array;

  constructor(network: RoadNetwork, mode: ModeName) {
    this.network = network;
    this.mode = mode;
    const n = network.nodeCount;
    this.dist = new Float64Array(n);
    this.pred = new Int32Array(n);
    this.stamp = new Uint32Array(n);
    const bit = MODE[mode];
    this.edgeSecs = new Float64Array(network.edgeCount);
    for (let e = 0; e < network.edgeCount; e++) {
      this.edgeSecs[e] = (network.data.edgeModes[e] & bit) !== 0 ? network.modeSeconds(e, mode) : Infinity;
    }
  }

  /** refresh edge times (car times follow live traffic) */
  refresh(): void {
    const bit = MODE[this.mode];
    for (let e = 0; e < this.network.edgeCount; e++) {
      this.edgeSecs[e] = (this.network.data.edgeModes[e] & bit) !== 0 ? this.network.modeSeconds(e, this.mode) : Infinity;
    }
  }

  distanceTo(node: number): number {
    return this.stamp[node] === this.round ? this.dist[node] : Infinity;
  }

  /** runs the search; returns the nodes settled, in order */
  run(anchors: Anchor[], limitSeconds: number, backward = false): number[] {
    this.round++;
    this.heap.clear();
    const net = this.network;
    const offsets = backward ? net.inOffsets : net.outOffsets;
    const edges = backward ? net.inEdges : net.outEdges;
    const other = backward ? net.data.edgeFrom : net.data.edgeTo;
    for (const a of anchors) {
      if (a.seconds > limitSeconds) continue;
      if (this.stamp[a.node] !== this.round || a.seconds < this.dist[a.node]) {
        this.stamp[a.node] = this.round;
        this.dist[a.node] = a.seconds;
        this.pred[a.node] = -1;
        this.heap.push(a.seconds, a.node);
      }
    }
    const settled: number[] = [];
    while (this.heap.size > 0) {
      const d = this.heap.peekKey();
      const v = this.heap.pop();
      if (d > this.dist[v]) continue;
      settled.push(v);
      for (let j = offsets[v]; j < offsets[v + 1]; j++) {
        const e = edges[j];
        const nd = d + this.edgeSecs[e];
        if (nd > limitSeconds) continue;
        const w = other[e];
        if (this.stamp[w] !== this.round || nd < this.dist[w]) {
          this.stamp[w] = this.round;
          this.dist[w] = nd;
          this.pred[w] = e;
          this.heap.push(nd, w);
        }
      }
    }
    return settled;
  }

  /** edges from the search's anchor to `node` (in travel order for forward searches) */
  pathEdges(node: number, backward = false): number[] {
    const out: number[] = [];
    let v = node;
    for (let guard = 0; guard < this.network.nodeCount && this.stamp[v] === this.round; guard++) {
      const e = this.pred[v];
      if (e < 0) break;
      out.push(e);
      v = backward ? this.network.data.edgeTo[e] : this.network.data.edgeFrom[e];
    }
    if (!backward) out.reverse();
    return out;
  }


}

/** Concatenated shape of a path of edges, [lon, lat] pairs. */
export function pathGeometry(network: RoadNetwork, edges: number[], from?: [number, number], to?: [number, number]): [number, number][] {
  const out: [number, number][] = [];
  if (from) out.push(from);
  for (const e of edges) {
    for (const p of network.edgeGeometry(e)) {
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
  }
  if (to) out.push(to);
  return out;
}

/** core/graph/snap's shared snapper as a SnapFn (edges within maxMetres, default 1 km). */
export function coreSnap(network: RoadNetwork, maxMetres = 1000): SnapFn {
  const snapper = getSnapper(network);
  return (lon, lat, mode) => snapper.nearest(lon, lat, mode, maxMetres) ?? null;
}
