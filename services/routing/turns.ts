import type { RoadNetwork } from '../../core/graph/road-network.js';
import { TURN_RESTRICTION_STRIDE } from '../../core/graph/road-network-data.js';
import { MinHeap } from '../../core/graph/min-heap.js';
import type { ArcWeights } from './weights.js';
import type { EndTerminal } from './terminals.js';
import { DijkstraSearch } from './dijkstra.js';

/** Banned turns by incoming edge: toEdge -> MODE bits the ban applies to. */
export type TurnTable = Map<number, Map<number, number>>;

export function turnTable(network: RoadNetwork): TurnTable | null {
  const tr = network.data.turnRestrictions;
  if (!tr || tr.length === 0) return null;
  const table: TurnTable = new Map();
  for (let i = 0; i + TURN_RESTRICTION_STRIDE <= tr.length; i += TURN_RESTRICTION_STRIDE) {
    const from = tr[i];
    const to = tr[i + 2];
    const modes = tr[i + 3];
    let m = table.get(from);
    if (!m) table.set(from, (m = new Map()));
    m.set(to, (m.get(to) ?? 0) | modes);
  }
  return table;
}

/** Restrictions bind vehicles on edges as drawn; a pedestrian walking against an edge is not turning off it. */
export function isBanned(table: TurnTable, modeBit: number, fromCode: number, toCode: number): boolean {
  if (fromCode & 1 || toCode & 1) return false;
  const m = table.get(fromCode >>> 1);
  if (!m) return false;
  return ((m.get(toCode >>> 1) ?? 0) & modeBit) !== 0;
}

export function bannedTurnIn(table: TurnTable, modeBit: number, codes: number[]): boolean {
  for (let i = 0; i + 1 < codes.length; i++) if (isBanned(table, modeBit, codes[i], codes[i + 1])) return true;
  return false;
}

/**
 * Edge-based A* (labels on arcs, not nodes) so that turn bans are exact. Only used when the
 * network has restrictions and the node-based answer would break one. The heuristic is the
 * node-based distance to the target, ignoring bans (bans only lengthen paths, so it is a lower
 * bound): a backward Dijkstra run until it settles a source; nodes it did not settle get its
 * final radius, which is still a lower bound and keeps the heuristic consistent.
 */
export class TurnSearch {
  private readonly dist: Float64Array;
  private readonly pred: Int32Array;
  private readonly stamp: Uint32Array;
  private round = 0;
  private readonly heap = new MinHeap(4096);
  private readonly toTarget: DijkstraSearch;

  constructor(private readonly network: RoadNetwork) {
    this.toTarget = new DijkstraSearch(network);
    const m = 2 * network.edgeCount;
    this.dist = new Float64Array(m);
    this.pred = new Int32Array(m);
    this.stamp = new Uint32Array(m);
  }

  run(
    w: ArcWeights,
    table: TurnTable,
    modeBit: number,
    src: EndTerminal[],
    dst: EndTerminal[],
    blocked: Uint8Array | null,
    costAt?: (code: number, t: number) => number,
  ): { seconds: number; arcs: number[]; sourceIndex: number; targetIndex: number } | null {
    const net = this.network;
    const d = net.data;
    const { dist, pred, stamp, heap } = this;
    const round = ++this.round;
    heap.clear();
    const head = (c: number) => (c & 1 ? d.edgeFrom[c >>> 1] : d.edgeTo[c >>> 1]);
    // lower bounds to the target (time-dependent costs: no bound, plain Dijkstra order)
    const lb = this.toTarget;
    let radius = 0;
    if (!costAt) {
      const hit = lb.run(w, dst, src, { blocked, backward: true });
      if (!hit) return null;
      radius = hit.seconds;
    }
    const h = (v: number) => (costAt ? 0 : lb.settled(v) ? lb.distance(v) : radius);
    const srcOf = new Map<number, number>();
    src.forEach((t, i) => {
      const c = t.piece.code;
      if (stamp[c] !== round || t.seconds < dist[c]) {
        stamp[c] = round;
        dist[c] = t.seconds;
        pred[c] = -1;
        srcOf.set(c, i);
        heap.push(t.seconds + h(head(c)), c);
      }
    });
    const byNode = new Map<number, number[]>();
    dst.forEach((t, i) => {
      const l = byNode.get(t.node) ?? [];
      l.push(i);
      byNode.set(t.node, l);
    });
    let best = Infinity;
    let bestState = -1;
    let bestTarget = -1;
    while (heap.size > 0) {
      const key = heap.peekKey();
      const c = heap.pop();
      const v = head(c);
      const k = dist[c];
      if (key > k + h(v) + 1e-9) continue; // stale entry
      if (key >= best) break;
      const ends = byNode.get(v);
      if (ends) {
        for (const i of ends) {
          if (isBanned(table, modeBit, c, dst[i].piece.code)) continue;
          if (k + dst[i].seconds < best) {
            best = k + dst[i].seconds;
            bestState = c;
            bestTarget = i;
          }
        }
      }
      const relax = (c2: number, base: number) => {
        if (!(base < Infinity) || isBanned(table, modeBit, c, c2)) return;
        const nd = k + (costAt ? costAt(c2, k) : base);
        if (stamp[c2] !== round || nd < dist[c2]) {
          stamp[c2] = round;
          dist[c2] = nd;
          pred[c2] = c;
          heap.push(nd + h(head(c2)), c2);
        }
      };
      for (let i = net.outOffsets[v]; i < net.outOffsets[v + 1]; i++) {
        const e = net.outEdges[i];
        if (blocked && blocked[e]) continue;
        relax(2 * e, w.fwd[e]);
      }
      if (w.rev) {
        for (let i = net.inOffsets[v]; i < net.inOffsets[v + 1]; i++) {
          const e = net.inEdges[i];
          if (blocked && blocked[e]) continue;
          relax(2 * e + 1, w.rev[e]);
        }
      }
    }
    if (bestState < 0) return null;
    const arcs: number[] = [];
    let c = bestState;
    while (pred[c] >= 0) {
      arcs.push(c);
      c = pred[c];
    }
    arcs.reverse();
    return { seconds: best, arcs, sourceIndex: srcOf.get(c)!, targetIndex: bestTarget };
  }
}
