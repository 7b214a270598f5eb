import type { RoadNetwork } from '../../core/graph/road-network.js';
import { haversineMetres } from '../../core/graph/geo.js';

/**
 * A stretch of one edge on a route: the arc code (2e, or 2e+1 walked backwards) and the
 * fractions along the edge AS DRAWN where the stretch starts and ends (from > to when backwards).
 * Whole edges are {from: 0, to: 1}; the first and last pieces are usually partial (snapping).
 */
export interface Piece {
  code: number;
  from: number;
  to: number;
}

/** Points of edge e between fractions a and b of its length, in travel order. */
export function edgeSlice(network: RoadNetwork, e: number, a: number, b: number): [number, number][] {
  const pts = network.edgeGeometry(e);
  if (a > b) return edgeSlice(network, e, b, a).reverse();
  if (a <= 0 && b >= 1) return pts;
  const cum = [0];
  for (let i = 1; i < pts.length; i++) cum.push(cum[i - 1] + haversineMetres(pts[i - 1][0], pts[i - 1][1], pts[i][0], pts[i][1]));
  const total = cum[cum.length - 1];
  const at = (f: number): [number, number] => {
    const target = f * total;
    for (let i = 1; i < pts.length; i++) {
      if (cum[i] >= target || i === pts.length - 1) {
        const seg = cum[i] - cum[i - 1];
        const t = seg > 0 ? Math.min(1, Math.max(0, (target - cum[i - 1]) / seg)) : 0;
        return [pts[i - 1][0] + t * (pts[i][0] - pts[i - 1][0]), pts[i - 1][1] + t * (pts[i][1] - pts[i - 1][1])];
      }
    }
    return pts[pts.length - 1];
  };
  const out: [number, number][] = [at(a)];
  for (let i = 1; i < pts.length - 1; i++) {
    const f = total > 0 ? cum[i] / total : 0;
    if (f > a && f < b) out.push(pts[i]);
  }
  out.push(at(b));
  return out;
}

/** Stitch pieces into one LineString coordinate list, dropping repeated joints. */
export function stitch(slices: [number, number][][]): [number, number][] {
  const out: [number, number][] = [];
  for (const s of slices) {
    for (const p of s) {
      const last = out[out.length - 1];
      if (last && Math.abs(last[0] - p[0]) < 1e-9 && Math.abs(last[1] - p[1]) < 1e-9) continue;
      out.push(p);
    }
  }
  if (out.length === 1) out.push([out[0][0], out[0][1]]);
  return out;
}

export function pieceShare(p: Piece): number {
  return Math.abs(p.to - p.from);
}
