import type { RoadNetwork } from '../graph/road-network.js';
import type { RoadClass } from '../graph/road-classes.js';
import { Raster, type Rgb } from './raster.js';

export type { Rgb } from './raster.js';

export interface ImageMarker {
  lon: number;
  lat: number;
  colour: Rgb;
  /** pixels; default 9 */
  size?: number;
  shape?: 'square' | 'disc';
  /** drawn as a thin ring of this colour around the marker (helps on busy backgrounds) */
  outline?: Rgb;
}

export interface ImagePolyline {
  coords: readonly (readonly [number, number])[];
  colour: Rgb;
  /** line width in metres (scaled to the picture) or, when widthPx is given, in pixels */
  widthMetres?: number;
  widthPx?: number;
  /** lower bound in pixels for widthMetres (keeps a river visible on a city-wide picture); default 1 */
  minWidthPx?: number;
}

export interface NetworkImageOptions {
  /** picture width in pixels; default 1200. Height follows the network's aspect ratio. */
  width?: number;
  background?: Rgb;
  /** colour of an edge; return null to skip it. Default: by road class (roadClassColour). */
  edgeColour?: (edge: number) => Rgb | null;
  /** width of an edge in pixels; default by road class */
  edgeWidth?: (edge: number) => number;
  /** edges with a higher rank are drawn later (on top); default: bigger roads on top */
  edgeRank?: (edge: number) => number;
  /** drawn before the roads (rivers, zones ...) */
  underlays?: ImagePolyline[];
  /** drawn after the roads (hubs, stops, incidents ...) */
  markers?: ImageMarker[];
  /** [minLon, minLat, maxLon, maxLat]; default: the network's extent with a small margin */
  bbox?: [number, number, number, number];
}

const CLASS_COLOURS: Partial<Record<RoadClass, Rgb>> = {
  motorway: [226, 62, 52],
  motorway_link: [236, 120, 96],
  trunk: [240, 140, 30],
  trunk_link: [240, 170, 90],
  primary: [235, 190, 40],
  primary_link: [235, 200, 90],
  secondary: [150, 170, 60],
  secondary_link: [170, 185, 100],
  tertiary: [110, 110, 200],
  residential: [150, 150, 150],
  living_street: [170, 170, 170],
  service: [190, 190, 190],
  cycleway: [40, 160, 80],
  footway: [60, 170, 110],
  path: [60, 170, 110],
  pedestrian: [60, 190, 140],
  steps: [60, 170, 110],
  connector: [200, 120, 200],
};

const CLASS_RANK: Partial<Record<RoadClass, number>> = {
  motorway: 9, motorway_link: 8, trunk: 7, trunk_link: 6, primary: 5, primary_link: 5, secondary: 4, secondary_link: 4, tertiary: 3,
};

export function roadClassColour(roadClass: RoadClass): Rgb {
  return CLASS_COLOURS[roadClass] ?? [160, 160, 160];
}

export function roadClassWidth(roadClass: RoadClass): number {
  const rank = CLASS_RANK[roadClass] ?? 0;
  return rank >= 7 ? 3 : rank >= 4 ? 2 : 1;
}

/**
 * Colour for a congestion ratio (e.g. live / free-flow travel time, or volume / capacity):
 * green at `low` and below, yellow half way, red at `high` and above.
 */
export function congestionColour(ratio: number, low = 1, high = 2): Rgb {
  if (!Number.isFinite(ratio)) return [90, 0, 0];
  const t = Math.max(0, Math.min(1, (ratio - low) / (high - low)));
  if (t < 0.5) return [Math.round(40 + 430 * t), 180, 40];
  return [250, Math.round(180 - 340 * (t - 0.5)), 30];
}

/** A picture of the road network as PNG bytes (roads by class unless told otherwise). */
export function renderNetworkPng(network: RoadNetwork, opts: NetworkImageOptions = {}): Buffer {
  return renderNetworkRaster(network, opts).toPng();
}

export function renderNetworkRaster(network: RoadNetwork, opts: NetworkImageOptions = {}): Raster {
  const d = network.data;
  const bbox = opts.bbox ?? networkExtent(network);
  const [minLon, minLat, maxLon, maxLat] = bbox;
  const midLat = (minLat + maxLat) / 2;
  const kx = Math.cos((midLat * Math.PI) / 180);
  const spanX = Math.max(1e-9, (maxLon - minLon) * kx);
  const spanY = Math.max(1e-9, maxLat - minLat);
  const width = Math.max(16, Math.round(opts.width ?? 1200));
  const height = Math.max(16, Math.round((width * spanY) / spanX));
  const scale = width / spanX; // pixels per degree of latitude
  const X = (lon: number) => (lon - minLon) * kx * scale;
  const Y = (lat: number) => (maxLat - lat) * scale;
  const pxPerMetre = scale / 110_574;
  const img = new Raster(width, height, opts.background ?? [250, 248, 242]);

  for (const u of opts.underlays ?? []) {
    const w = u.widthPx ?? Math.max(u.minWidthPx ?? 1, (u.widthMetres ?? 1) * pxPerMetre);
    for (let i = 1; i < u.coords.length; i++) img.line(X(u.coords[i - 1][0]), Y(u.coords[i - 1][1]), X(u.coords[i][0]), Y(u.coords[i][1]), w, u.colour);
  }

  const colour = opts.edgeColour ?? ((e: number) => roadClassColour(network.roadClass(e)));
  const widthOf = opts.edgeWidth ?? ((e: number) => roadClassWidth(network.roadClass(e)));
  const rankOf = opts.edgeRank ?? ((e: number) => CLASS_RANK[network.roadClass(e)] ?? 0);
  // counting sort by rank so the bigger roads end up on top, in a stable, deterministic order
  const ranks = new Int32Array(d.edgeCount);
  let maxRank = 0;
  for (let e = 0; e < d.edgeCount; e++) {
    ranks[e] = Math.max(0, Math.min(1000, Math.round(rankOf(e))));
    if (ranks[e] > maxRank) maxRank = ranks[e];
  }
  const start = new Uint32Array(maxRank + 2);
  for (let e = 0; e < d.edgeCount; e++) start[ranks[e] + 1]++;
  for (let r = 0; r <= maxRank; r++) start[r + 1] += start[r];
  const order = new Uint32Array(d.edgeCount);
  for (let e = 0; e < d.edgeCount; e++) order[start[ranks[e]]++] = e;

  const { geomOffsets, geomCoords } = d;
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    const c = colour(e);
    if (!c) continue;
    const w = widthOf(e);
    for (let k = geomOffsets[e] + 1; k < geomOffsets[e + 1]; k++) {
      img.line(X(geomCoords[2 * k - 2]), Y(geomCoords[2 * k - 1]), X(geomCoords[2 * k]), Y(geomCoords[2 * k + 1]), w, c);
    }
  }

  for (const m of opts.markers ?? []) {
    const size = m.size ?? 9;
    const x = X(m.lon), y = Y(m.lat);
    if (m.outline) {
      if (m.shape === 'disc') img.disc(x, y, size / 2 + 1.5, m.outline);
      else img.square(x, y, size + 3, m.outline);
    }
    if (m.shape === 'disc') img.disc(x, y, size / 2, m.colour);
    else img.square(x, y, size, m.colour);
  }
  return img;
}

/** The network's extent with a 3 % margin; `empty` is the box of a network without nodes. */
export function networkExtent(network: RoadNetwork, empty: [number, number, number, number] = [0, 0, 1, 1]): [number, number, number, number] {
  const { nodeLon, nodeLat, nodeCount } = network.data;
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (let v = 0; v < nodeCount; v++) {
    if (nodeLon[v] < minLon) minLon = nodeLon[v];
    if (nodeLon[v] > maxLon) maxLon = nodeLon[v];
    if (nodeLat[v] < minLat) minLat = nodeLat[v];
    if (nodeLat[v] > maxLat) maxLat = nodeLat[v];
  }
  if (!Number.isFinite(minLon)) return empty;
  const padLon = (maxLon - minLon) * 0.03 || 0.001;
  const padLat = (maxLat - minLat) * 0.03 || 0.001;
  return [minLon - padLon, minLat - padLat, maxLon + padLon, maxLat + padLat];
}
