import type { RoadNetwork } from '../../core/graph/road-network.js';
import type { Snap } from './snap.js';
import { arcCost, type ArcWeights } from './weights.js';
import type { Piece } from './route-shape.js';

/**
 * A way onto (or off) the network from a snapped point: the partial arc to travel, the node it
 * reaches (or leaves from) and its cost. A point on edge e can leave forwards along e, backwards
 * along e (foot), or along e's twin (the other direction of a two-way street).
 */
export interface EndTerminal {
  node: number;
  seconds: number;
  metres: number;
  piece: Piece;
}

/** The other direction of a two-way street: an edge from e's head back to e's tail of about the same length. */
export function twinEdge(network: RoadNetwork, e: number): number {
  const d = network.data;
  const a = d.edgeFrom[e];
  const b = d.edgeTo[e];
  let best = -1;
  let bestDiff = Infinity;
  for (let i = network.outOffsets[b]; i < network.outOffsets[b + 1]; i++) {
    const e2 = network.outEdges[i];
    if (e2 === e || d.edgeTo[e2] !== a) continue;
    const diff = Math.abs(d.edgeLength[e2] - d.edgeLength[e]);
    if (diff <= Math.max(1, 0.02 * d.edgeLength[e]) && diff < bestDiff) {
      best = e2;
      bestDiff = diff;
    }
  }
  return best;
}

function usable(w: ArcWeights, code: number, blocked: Uint8Array | null): number {
  if (blocked && blocked[code >>> 1]) return Infinity;
  return arcCost(w, code);
}

function term(network: RoadNetwork, w: ArcWeights, blocked: Uint8Array | null, code: number, from: number, to: number, node: number): EndTerminal | null {
  const c = usable(w, code, blocked);
  if (!(c < Infinity)) return null;
  const share = Math.abs(to - from);
  return { node, seconds: share * c, metres: share * network.data.edgeLength[code >>> 1], piece: { code, from, to } };
}

export function sourceTerminals(network: RoadNetwork, snap: Snap, w: ArcWeights, blocked: Uint8Array | null): EndTerminal[] {
  const d = network.data;
  const e = snap.edge;
  const f = snap.fraction;
  const out: (EndTerminal | null)[] = [term(network, w, blocked, 2 * e, f, 1, d.edgeTo[e])];
  if (w.rev) out.push(term(network, w, blocked, 2 * e + 1, f, 0, d.edgeFrom[e]));
  const t = twinEdge(network, e);
  if (t >= 0) out.push(term(network, w, blocked, 2 * t, 1 - f, 1, d.edgeTo[t]));
  return out.filter((x): x is EndTerminal => x !== null);
}

export function targetTerminals(network: RoadNetwork, snap: Snap, w: ArcWeights, blocked: Uint8Array | null): EndTerminal[] {
  const d = network.data;
  const e = snap.edge;
  const f = snap.fraction;
  const out: (EndTerminal | null)[] = [term(network, w, blocked, 2 * e, 0, f, d.edgeFrom[e])];
  if (w.rev) out.push(term(network, w, blocked, 2 * e + 1, 1, f, d.edgeTo[e]));
  const t = twinEdge(network, e);
  if (t >= 0) out.push(term(network, w, blocked, 2 * t, 0, 1 - f, d.edgeFrom[t]));
  return out.filter((x): x is EndTerminal => x !== null);
}

/** Staying on the snapped street: origin and destination on the same edge (or its twin). */
export function directPiece(network: RoadNetwork, from: Snap, to: Snap, w: ArcWeights, blocked: Uint8Array | null): { seconds: number; metres: number; piece: Piece } | null {
  const cands: (EndTerminal | null)[] = [];
  const fo = from.fraction;
  if (from.edge === to.edge) {
    const e = from.edge;
    const fd = to.fraction;
    if (fd >= fo) cands.push(term(network, w, blocked, 2 * e, fo, fd, -1));
    if (fd <= fo && w.rev) cands.push(term(network, w, blocked, 2 * e + 1, fo, fd, -1));
    const t = twinEdge(network, e);
    if (t >= 0 && fd <= fo) cands.push(term(network, w, blocked, 2 * t, 1 - fo, 1 - fd, -1));
  } else if (twinEdge(network, from.edge) === to.edge) {
    // destination snapped to the twin: fractions are measured from opposite ends
    const t = to.edge;
    const fd = 1 - to.fraction;
    const e = from.edge;
    if (fd >= fo) cands.push(term(network, w, blocked, 2 * e, fo, fd, -1));
    if (fd <= fo) cands.push(term(network, w, blocked, 2 * t, 1 - fo, to.fraction, -1));
    if (fd <= fo && w.rev) cands.push(term(network, w, blocked, 2 * e + 1, fo, fd, -1));
  }
  let best: EndTerminal | null = null;
  for (const c of cands) if (c && (!best || c.seconds < best.seconds)) best = c;
  return best ? { seconds: best.seconds, metres: best.metres, piece: best.piece } : null;
}
