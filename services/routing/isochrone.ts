import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { IsochroneResult, RoadMode } from '../../core/contracts/routing.js';
import { haversineMetres } from '../../core/graph/geo.js';
import type { RoadRouter, Profile } from './road-router.js';
import type { Snap } from './snap.js';
import { sourceTerminals } from './terminals.js';
import { edgeSlice } from './route-shape.js';

/** Defaults of the isochrone hull, in one place. */
export const ISOCHRONE_DEFAULTS = {
  /** points closer than this (m) are merged before the hull (keeps the triangulation small) */
  cellMetres: 40,
  /** concave hull: longest triangle edge kept = clamp(reach radius / 6, min, max), km */
  minMaxEdgeKm: 0.25,
  maxMaxEdgeKm: 2.5,
};

/**
 * Area reachable within `minutes`: a one-to-all Dijkstra bounded by the budget, the points of
 * every reachable edge (cut where the budget runs out part-way along an edge), thinned on a grid,
 * then turf's concave hull (a Delaunay triangulation with long triangles removed). Concave rather
 * than convex so that rivers, rail lines and motorways without exits stay outside; falls back
 * to the convex hull when the concave one would be empty (very few points).
 */
export function isochrone(router: RoadRouter, p: Profile, from: Snap, minutes: number, mode: RoadMode, o = ISOCHRONE_DEFAULTS): IsochroneResult {
  const net = router.network;
  const d = net.data;
  const w = router.weights(p);
  const budget = minutes * 60;
  const src = sourceTerminals(net, from, w, null);
  const dj = router.dijkstra;
  dj.run(w, src, null, { limit: budget });
  const cells = new Map<string, [number, number]>();
  const cellDeg = o.cellMetres / 111_000;
  const add = (pt: [number, number]) => {
    const key = `${Math.round(pt[0] / cellDeg)}:${Math.round(pt[1] / cellDeg)}`;
    if (!cells.has(key)) cells.set(key, pt);
  };
  add([from.lon, from.lat]);
  // the snapped edge itself, as far as the budget goes from the snap point
  for (const t of src) {
    const c = w.fwd[t.piece.code >>> 1];
    const cost = t.piece.code & 1 ? (w.rev ? w.rev[t.piece.code >>> 1] : Infinity) : c;
    const share = Math.min(Math.abs(t.piece.to - t.piece.from), budget / cost);
    const dir = t.piece.to >= t.piece.from ? 1 : -1;
    for (const pt of edgeSlice(net, t.piece.code >>> 1, t.piece.from, t.piece.from + dir * share)) add(pt);
  }
  let reachable = 0;
  const consider = (u: number, code: number, cost: number) => {
    const du = dj.distance(u);
    if (!(du <= budget) || !(cost < Infinity)) return;
    reachable++;
    const e = code >>> 1;
    const share = Math.min(1, (budget - du) / cost);
    const pts = code & 1 ? edgeSlice(net, e, 1, 1 - share) : edgeSlice(net, e, 0, share);
    for (const pt of pts) add(pt);
  };
  for (let u = 0; u < d.nodeCount; u++) {
    if (!dj.settled(u)) continue;
    for (let i = net.outOffsets[u]; i < net.outOffsets[u + 1]; i++) consider(u, 2 * net.outEdges[i], w.fwd[net.outEdges[i]]);
    if (w.rev) for (let i = net.inOffsets[u]; i < net.inOffsets[u + 1]; i++) consider(u, 2 * net.inEdges[i] + 1, w.rev[net.inEdges[i]]);
  }
  const pts = [...cells.values()];
  let radius = 0;
  for (const pt of pts) radius = Math.max(radius, haversineMetres(from.lon, from.lat, pt[0], pt[1]));
  const fc = turf.featureCollection(pts.map((pt) => turf.point(pt)));
  let hull: Feature<Polygon | MultiPolygon> | null = null;
  let method: IsochroneResult['properties']['method'] = 'none';
  if (pts.length >= 3) {
    const maxEdge = Math.min(o.maxMaxEdgeKm, Math.max(o.minMaxEdgeKm, radius / 1000 / 6));
    try {
      hull = turf.concave(fc, { maxEdge, units: 'kilometers' });
      method = 'concave-hull';
    } catch {
      hull = null;
    }
    if (!hull) {
      hull = turf.convex(fc);
      method = hull ? 'convex-hull' : 'none';
    }
  }
  return {
    type: 'Feature',
    geometry: hull ? (hull.geometry as IsochroneResult['geometry']) : null,
    properties: { minutes, mode, reachableEdges: reachable, points: pts.length, method },
  };
}
