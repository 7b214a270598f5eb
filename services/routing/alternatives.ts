import type { RoadRouter, Leg, Profile } from './road-router.js';
import type { Snap } from './snap.js';
import { arcCost, type ArcWeights } from './weights.js';
import { pieceShare } from './route-shape.js';
import { sourceTerminals, targetTerminals } from './terminals.js';

/** Defaults of the penalty method, in one place. */
export const ALTERNATIVE_DEFAULTS = {
  /** an alternative may take at most this many times the best route's seconds */
  maxStretch: 1.4,
  /** and share less than this fraction of its length with the best and with every other one */
  maxShare: 0.7,
  /** each round multiplies the cost of the edges found so far by this */
  penalty: 1.5,
  /** rounds per alternative asked for */
  roundsPerAlternative: 4,
};

/**
 * Penalty method: search again with the edges of the routes found so far made dearer, and keep
 * a result when its real cost is within the stretch bound and it overlaps the best and every
 * kept alternative by less than the share bound. Exact searches (Dijkstra) on penalised copies.
 */
export function findAlternatives(
  router: RoadRouter,
  p: Profile,
  from: Snap,
  to: Snap,
  best: Leg,
  count: number,
  blocked: Uint8Array | null,
  o = ALTERNATIVE_DEFAULTS,
): Leg[] {
  const net = router.network;
  const real = router.weights(p);
  const pen: ArcWeights = { fwd: Float64Array.from(real.fwd), rev: real.rev ? Float64Array.from(real.rev) : null };
  const kept: Leg[] = [best];
  const alts: Leg[] = [];
  const edgeMetres = (l: Leg) => {
    const m = new Map<number, number>();
    for (const x of l.pieces) m.set(x.code >>> 1, (m.get(x.code >>> 1) ?? 0) + pieceShare(x) * net.data.edgeLength[x.code >>> 1]);
    return m;
  };
  const keptSets = [edgeMetres(best)];
  const penalise = (l: Leg) => {
    for (const x of l.pieces) {
      const e = x.code >>> 1;
      pen.fwd[e] *= o.penalty;
      if (pen.rev) pen.rev[e] *= o.penalty;
    }
  };
  penalise(best);
  for (let round = 0; round < count * o.roundsPerAlternative && alts.length < count; round++) {
    const src = sourceTerminals(net, from, pen, blocked);
    const dst = targetTerminals(net, to, pen, blocked);
    const r = router.dijkstraLeg(pen, src, dst, blocked);
    if (!r) break;
    const pieces = [src[r.si].piece, ...r.arcs.map((c) => ({ code: c, from: c & 1 ? 1 : 0, to: c & 1 ? 0 : 1 })), dst[r.ti].piece].filter((x) => pieceShare(x) > 0);
    const seconds = pieces.reduce((s, x) => s + pieceShare(x) * arcCost(real, x.code), 0);
    const metres = pieces.reduce((s, x) => s + pieceShare(x) * net.data.edgeLength[x.code >>> 1], 0);
    const cand: Leg = { seconds, metres, pieces };
    penalise(cand);
    if (seconds > o.maxStretch * best.seconds || metres <= 0) continue;
    const set = edgeMetres(cand);
    let ok = true;
    for (const other of keptSets) {
      let shared = 0;
      for (const [e, m] of set) if (other.has(e)) shared += Math.min(m, other.get(e)!);
      if (shared >= o.maxShare * metres) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    kept.push(cand);
    keptSets.push(set);
    alts.push(cand);
  }
  return alts.sort((a, b) => a.seconds - b.seconds);
}
