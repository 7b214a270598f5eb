import type { RoadNetwork } from '../graph/road-network.js';
import { MODE, type ModeName } from '../graph/modes.js';
import type { RoadClass } from '../graph/road-classes.js';
import { UrbanflowError } from '../errors/index.js';
import { PNG } from 'pngjs';
import { Raster, type Rgb } from './raster.js';
import { networkExtent, roadClassColour } from './network-image.js';
import { drawText, textWidth, GLYPH_HEIGHT } from './pixel-font.js';

/**
 * Map pictures for people: live congestion, a route with its alternatives, the network by road
 * class or speed. Each is the map (equirectangular, like renderNetworkPng) with a legend strip
 * and a scale bar drawn underneath it, so nothing on the map is hidden by the legend.
 */

export type MapBbox = [number, number, number, number];

export interface MapImage {
  png: Buffer;
  /** the pixels before encoding (tests and callers that post-process) */
  raster: Raster;
  width: number;
  /** whole picture, legend strip included */
  height: number;
  /** height of the map part; the legend strip is below it */
  mapHeight: number;
  /** the area drawn (the requested bbox, widened or cut in latitude when its aspect was extreme) */
  bbox: MapBbox;
  edgesDrawn: number;
  /** pixel position of a point on the map */
  project(lon: number, lat: number): [number, number];
}

export const MIN_MAP_WIDTH = 32;
export const MAX_MAP_WIDTH = 8192;
/** the map part is at most this tall; a taller bbox is cut around its centre */
export const MAX_MAP_HEIGHT = 4096;

/** Congestion colours by speed / free-flow speed (the bands match the traffic service's levels). */
export const CONGESTION_BANDS = [
  { key: 'free', label: 'FREE', min: 0.75, colour: [46, 170, 70] as Rgb },
  { key: 'slow', label: 'SLOW', min: 0.5, colour: [240, 200, 30] as Rgb },
  { key: 'congested', label: 'CONGESTED', min: 0.25, colour: [245, 125, 25] as Rgb },
  { key: 'jammed', label: 'JAMMED', min: 0.1, colour: [215, 25, 30] as Rgb },
  { key: 'standstill', label: 'STANDSTILL', min: 0, colour: [110, 0, 10] as Rgb },
] as const;
export const CLOSED_COLOUR: Rgb = [0, 0, 0];
export const NO_DATA_COLOUR: Rgb = [180, 180, 180];
/** minor streets flowing freely: background, lighter than 'no data' */
export const MINOR_FREE_COLOUR: Rgb = [218, 218, 218];
export const ROUTE_COLOUR: Rgb = [25, 90, 225];
export const ALTERNATIVE_COLOUR: Rgb = [125, 170, 240];
export const START_COLOUR: Rgb = [30, 170, 60];
export const END_COLOUR: Rgb = [220, 30, 30];
const BACKGROUND: Rgb = [250, 248, 242];
const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [40, 40, 40];

const CLASS_RANK: Partial<Record<RoadClass, number>> = {
  motorway: 9, motorway_link: 8, trunk: 7, trunk_link: 6, primary: 5, primary_link: 5, secondary: 4, secondary_link: 4, tertiary: 3, tertiary_link: 3, unclassified: 2,
};
const rankOf = (c: RoadClass) => CLASS_RANK[c] ?? 0;
/** roads that stay grey on a congestion map while they flow freely (they would drown the arterials) */
const isMinor = (c: RoadClass) => rankOf(c) < 3;

// ---------------------------------------------------------------------------------------------
// frame: projection, legend strip, scale bar

export interface LegendItem {
  colour: Rgb;
  label: string;
  /** 'line' (default) a short bar, 'dot' a square; 'none' for plain text (a caption) */
  shape?: 'line' | 'dot' | 'none';
}

interface Frame {
  img: Raster;
  width: number;
  mapHeight: number;
  bbox: MapBbox;
  pxPerMetre: number;
  fontScale: number;
  /** legend items placed: row and x of each */
  legend: { item: LegendItem; row: number; x: number }[];
  scaleBar?: { metres: number; label: string; barPx: number };
  X(lon: number): number;
  Y(lat: number): number;
}

function checkWidth(width: number): number {
  if (!Number.isInteger(width) || width < MIN_MAP_WIDTH || width > MAX_MAP_WIDTH) {
    throw new UrbanflowError('INVALID_INPUT', `width must be an integer between ${MIN_MAP_WIDTH} and ${MAX_MAP_WIDTH}, got ${width}`, { field: 'width' });
  }
  return width;
}

function checkBbox(bbox: readonly number[]): MapBbox {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  if (bbox.length !== 4 || !bbox.every(Number.isFinite) || minLon > maxLon || minLat > maxLat || minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
    throw new UrbanflowError('INVALID_INPUT', 'bbox must be minLon,minLat,maxLon,maxLat within -180..180 / -90..90 with min <= max', { field: 'bbox' });
  }
  return [minLon, minLat, maxLon, maxLat];
}

const swatchWidth = (it: LegendItem, s: number) => (it.shape === 'none' ? 0 : it.shape === 'dot' ? 10 * s : 17 * s);
const rowHeight = (s: number) => 13 * s;

function makeFrame(bboxIn: readonly number[], widthIn: number, items: LegendItem[]): Frame {
  const width = checkWidth(widthIn);
  let [minLon, minLat, maxLon, maxLat] = checkBbox(bboxIn);
  // a point-sized bbox still gets a picture (about 100 m across)
  if (maxLon - minLon < 1e-6) [minLon, maxLon] = [minLon - 0.0007, maxLon + 0.0007];
  if (maxLat - minLat < 1e-6) [minLat, maxLat] = [minLat - 0.00045, maxLat + 0.00045];
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = (maxLon - minLon) * kx;
  const scale = width / spanX; // pixels per degree of latitude
  let mapHeight = Math.round((maxLat - minLat) * scale);
  if (mapHeight < 16 || mapHeight > MAX_MAP_HEIGHT) {
    // keep the horizontal scale, widen or cut the latitude span around its centre
    mapHeight = Math.max(16, Math.min(MAX_MAP_HEIGHT, mapHeight));
    const mid = (minLat + maxLat) / 2, half = mapHeight / scale / 2;
    [minLat, maxLat] = [mid - half, mid + half];
  }
  const pxPerMetre = scale / 110_574;
  const s = width >= 1000 ? 2 : 1;
  const pad = 6 * s;

  // scale bar: the largest 1/2/5 x 10^k metres not longer than a sixth of the picture
  const target = width / 6 / pxPerMetre;
  let metres = Math.pow(10, Math.floor(Math.log10(Math.max(1, target))));
  for (const k of [5, 2]) if (metres * k <= target) { metres *= k; break; }
  const barPx = Math.max(4, Math.round(metres * pxPerMetre));
  const label = metres >= 1000 ? `${metres / 1000} KM` : `${metres} M`;
  const scaleWidth = barPx + 4 * s + textWidth(label, s);
  const scaleBar = scaleWidth + 2 * pad < width ? { metres, label, barPx } : undefined;

  // legend items left to right, wrapping; the first row leaves room for the scale bar
  const legend: Frame['legend'] = [];
  let row = 0, x = pad;
  for (const item of items) {
    const need = swatchWidth(item, s) + textWidth(item.label, s);
    const limit = row === 0 && scaleBar ? width - pad - scaleWidth - 2 * pad : width - pad;
    if (x + need > limit && x > pad) { row++; x = pad; }
    if (x + need > (row === 0 && scaleBar ? width - pad - scaleWidth - 2 * pad : width - pad)) continue; // wider than the picture
    legend.push({ item, row, x });
    x += need + 3 * pad;
  }
  const rows = legend.length ? legend.at(-1)!.row + 1 : 1;
  const img = new Raster(width, mapHeight + rows * rowHeight(s) + 5 * s, BACKGROUND);
  return {
    img,
    width,
    mapHeight,
    bbox: [minLon, minLat, maxLon, maxLat],
    pxPerMetre,
    fontScale: s,
    legend,
    scaleBar,
    X: (lon) => (lon - minLon) * kx * scale,
    Y: (lat) => (maxLat - lat) * scale,
  };
}

/** The strip under the map: legend items from the left (wrapping), the scale bar on the right of the first row. */
function drawStrip(f: Frame): void {
  const { img, width, mapHeight, fontScale: s } = f;
  for (let y = mapHeight; y < img.height; y++) for (let x = 0; x < width; x++) img.set(x, y, y === mapHeight ? [160, 160, 160] : WHITE);
  const pad = 6 * s;
  const textTop = (row: number) => mapHeight + 4 * s + row * rowHeight(s) + Math.round((rowHeight(s) - GLYPH_HEIGHT * s) / 2);
  if (f.scaleBar) {
    const { label, barPx } = f.scaleBar;
    const textY = textTop(0);
    const barX1 = width - pad, barX0 = barX1 - barPx;
    drawText(img, barX0 - 4 * s - textWidth(label, s), textY, label, INK, s);
    const yb = textY + GLYPH_HEIGHT * s - 2 * s;
    for (let x = barX0; x <= barX1; x++) for (let k = 0; k < 2 * s; k++) img.set(x, yb + k, INK);
    for (let y = textY; y < yb; y++) for (let k = 0; k < s; k++) {
      img.set(barX0 + k, y, INK);
      img.set(barX1 - k, y, INK);
    }
  }
  for (const { item, row, x } of f.legend) {
    const textY = textTop(row);
    const sw = swatchWidth(item, s);
    if (item.shape === 'dot') {
      for (let j = 0; j < 7 * s; j++) for (let i = 0; i < 7 * s; i++) img.set(x + i, textY + j, item.colour);
    } else if (item.shape !== 'none') {
      for (let j = 0; j < 4 * s; j++) for (let i = 0; i < 14 * s; i++) img.set(x + i, textY + Math.round(1.5 * s) + j, item.colour);
    }
    drawText(img, x + sw, textY, item.label, INK, s);
  }
}

/** legend items plus an optional caption (plain text at the end) */
function withCaption(items: LegendItem[], caption?: string): LegendItem[] {
  return caption ? [...items, { colour: INK, label: caption, shape: 'none' }] : items;
}

function finish(f: Frame, edgesDrawn: number): MapImage {
  return {
    png: encodePng(f.img),
    raster: f.img,
    width: f.width,
    height: f.img.height,
    mapHeight: f.mapHeight,
    bbox: f.bbox,
    edgesDrawn,
    project: (lon, lat) => [f.X(lon), f.Y(lat)],
  };
}

/**
 * PNG with the Paeth filter on every row: pngjs' default tries all five filters per row, which
 * took ~5x longer on a city map for a file only a few per cent smaller.
 */
export function encodePng(img: Raster): Buffer {
  const png = new PNG({ width: img.width, height: img.height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(img.pixels.buffer, img.pixels.byteOffset, img.pixels.byteLength);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, filterType: 4 });
}

/** line width for a road of class width `w` (1..3): wider when zoomed in far enough to show it */
function zoomWidth(f: Frame, w: number): number {
  return Math.min(12, Math.max(w, Math.round(w * f.pxPerMetre * 4)));
}

/**
 * Draw the edges whose key is >= 0, lowest key first (counting sort: stable, deterministic, O(E)).
 * Returns how many were drawn.
 */
function drawEdges(
  f: Frame,
  network: RoadNetwork,
  key: Int16Array,
  colourOf: (edge: number) => Rgb,
  widthOf: (edge: number) => number,
  offsetOf?: (edge: number) => number,
  drawnFlags?: Uint8Array,
): number {
  const d = network.data;
  let maxKey = -1;
  for (let e = 0; e < d.edgeCount; e++) if (key[e] > maxKey) maxKey = key[e];
  if (maxKey < 0) return 0;
  const start = new Uint32Array(maxKey + 2);
  let n = 0;
  for (let e = 0; e < d.edgeCount; e++) if (key[e] >= 0) { start[key[e] + 1]++; n++; }
  for (let k = 0; k <= maxKey; k++) start[k + 1] += start[k];
  const order = new Uint32Array(n);
  for (let e = 0; e < d.edgeCount; e++) if (key[e] >= 0) order[start[key[e]]++] = e;
  const { geomOffsets: go, geomCoords: gc } = d;
  const { img, X, Y } = f;
  let drawn = 0;
  const [minLon, minLat, maxLon, maxLat] = f.bbox;
  const padLon = (maxLon - minLon) * 0.02, padLat = (maxLat - minLat) * 0.02;
  for (let i = 0; i < n; i++) {
    const e = order[i];
    // cheap cull on the end points' box before any projection (zoomed views of a big network)
    const a = go[e], b = go[e + 1];
    let inside = false;
    for (let k = a; k < b && !inside; k++) {
      const lon = gc[2 * k], lat = gc[2 * k + 1];
      inside = lon >= minLon - padLon && lon <= maxLon + padLon && lat >= minLat - padLat && lat <= maxLat + padLat;
    }
    if (!inside && !segmentsCross(gc, a, b, f.bbox)) continue;
    const c = colourOf(e), w = widthOf(e), off = offsetOf ? offsetOf(e) : 0;
    for (let k = a + 1; k < b; k++) {
      const x0 = X(gc[2 * k - 2]), y0 = Y(gc[2 * k - 1]), x1 = X(gc[2 * k]), y1 = Y(gc[2 * k + 1]);
      if (off === 0) img.line(x0, y0, x1, y1, w, c);
      else {
        // shift to the right of the direction of travel (screen y points down: right = (-dy, dx))
        const len = Math.hypot(x1 - x0, y1 - y0) || 1;
        const nx = (-(y1 - y0) / len) * off, ny = ((x1 - x0) / len) * off;
        img.line(x0 + nx, y0 + ny, x1 + nx, y1 + ny, w, c);
      }
    }
    if (drawnFlags) drawnFlags[e] = 1;
    drawn++;
  }
  return drawn;
}

/** an edge with no point inside the box may still cross it (a long motorway segment) */
function segmentsCross(gc: Float64Array, a: number, b: number, [minLon, minLat, maxLon, maxLat]: MapBbox): boolean {
  let lo0 = Infinity, la0 = Infinity, lo1 = -Infinity, la1 = -Infinity;
  for (let k = a; k < b; k++) {
    lo0 = Math.min(lo0, gc[2 * k]); lo1 = Math.max(lo1, gc[2 * k]);
    la0 = Math.min(la0, gc[2 * k + 1]); la1 = Math.max(la1, gc[2 * k + 1]);
  }
  return lo0 <= maxLon && lo1 >= minLon && la0 <= maxLat && la1 >= minLat;
}

/** 1 for an edge u->v when the network also has an edge v->u (a two-way road) */
export function twoWayEdges(network: RoadNetwork): Uint8Array {
  const d = network.data;
  const out = new Uint8Array(d.edgeCount);
  for (let e = 0; e < d.edgeCount; e++) {
    const u = d.edgeFrom[e], v = d.edgeTo[e];
    if (u === v) continue;
    for (let i = network.outOffsets[v]; i < network.outOffsets[v + 1]; i++) {
      if (d.edgeTo[network.outEdges[i]] === u) {
        out[e] = 1;
        break;
      }
    }
  }
  return out;
}

/** the network's extent with a 3 % margin (as renderNetworkPng) */
export function networkBbox(network: RoadNetwork): MapBbox {
  return networkExtent(network, [0, 0, 0.01, 0.01]);
}

// ---------------------------------------------------------------------------------------------
// congestion

export interface CongestionMapOptions {
  /** default: the whole network */
  bbox?: MapBbox;
  width: number;
  /**
   * live speed / free-flow speed of an edge (1 = free flow, 0.3 = at 30 % of it); 0 or less = closed;
   * undefined or not finite = unknown (drawn grey)
   */
  speedRatio: (edge: number) => number | undefined;
  /** only edges open to this mode are drawn; default car */
  mode?: ModeName;
  /** text in the legend strip, e.g. a time stamp */
  caption?: string;
  /**
   * two-way roads: 'offset' draws each direction on its own side (right-hand traffic), 'overlap'
   * one line with the worse direction on top; 'auto' (default) offsets once zoomed in far enough
   * for the lines to be at least 3 px wide
   */
  directions?: 'auto' | 'offset' | 'overlap';
}

export interface CongestionMapImage extends MapImage {
  /** edges drawn per band ('free' .. 'standstill', 'closed', 'unknown'; free minor roads count as 'free') */
  counts: Record<string, number>;
}

/** category of an edge: 0 unknown, 1 free .. 5 standstill, 6 closed */
export function congestionCategory(ratio: number | undefined): number {
  if (ratio === undefined || Number.isNaN(ratio)) return 0;
  if (ratio <= 0) return 6;
  for (let i = 0; i < CONGESTION_BANDS.length; i++) if (ratio >= CONGESTION_BANDS[i].min) return i + 1;
  return 5;
}

/**
 * Live congestion: each edge coloured by its speed ratio (green free, yellow slow, orange
 * congested, red jammed, dark red below 10 %), closed edges black and a little wider. Minor
 * streets flowing freely and edges without data stay grey. Worse edges are drawn on top; zoomed in,
 * the two directions of a two-way road are drawn side by side (see `directions`).
 */
export function renderCongestionMap(network: RoadNetwork, opts: CongestionMapOptions): CongestionMapImage {
  const legend = withCaption(
    [...CONGESTION_BANDS.map((b) => ({ colour: b.colour, label: b.label })), { colour: CLOSED_COLOUR, label: 'CLOSED' }, { colour: NO_DATA_COLOUR, label: 'NO DATA' }],
    opts.caption,
  );
  const f = makeFrame(opts.bbox ?? networkBbox(network), opts.width, legend);
  const d = network.data;
  const modeBit = MODE[opts.mode ?? 'car'];
  const cat = new Uint8Array(d.edgeCount);
  const key = new Int16Array(d.edgeCount);
  const classW = new Uint8Array(d.edgeCount);
  const counts: Record<string, number> = { unknown: 0, closed: 0 };
  for (const b of CONGESTION_BANDS) counts[b.key] = 0;
  const widthByRank = [1, 1, 1, 2, 2, 2, 3, 3, 3, 3].map((w) => zoomWidth(f, w));
  for (let e = 0; e < d.edgeCount; e++) {
    if ((d.edgeModes[e] & modeBit) === 0) { key[e] = -1; continue; }
    const rc = network.roadClass(e);
    const rank = rankOf(rc);
    let c = congestionCategory(opts.speedRatio(e));
    // a free minor street is background; an unknown one too
    const grey = c === 0 || (c === 1 && isMinor(rc));
    cat[e] = c;
    if (grey) c = 0;
    classW[e] = c >= 2 ? Math.max(2, widthByRank[rank]) + (c === 6 ? 1 : 0) : widthByRank[rank];
    key[e] = (grey ? 0 : c) * 10 + rank;
  }
  const colours: Rgb[] = [NO_DATA_COLOUR, ...CONGESTION_BANDS.map((b) => b.colour), CLOSED_COLOUR];
  const mode = opts.directions ?? 'auto';
  const offset = mode === 'offset' || (mode === 'auto' && widthByRank[4] >= 3);
  const twin = offset ? twoWayEdges(network) : undefined;
  const drawnFlags = new Uint8Array(d.edgeCount);
  const drawn = drawEdges(
    f,
    network,
    key,
    (e) => (cat[e] === 1 && key[e] < 10 ? MINOR_FREE_COLOUR : colours[cat[e]]),
    (e) => classW[e],
    // half a width plus half a pixel: the two directions side by side with a thin gap between
    twin ? (e) => (twin[e] ? classW[e] / 2 + 0.5 : 0) : undefined,
    drawnFlags,
  );
  // count what was drawn (cheap second pass over the categories only)
  for (let e = 0; e < d.edgeCount; e++) {
    if (!drawnFlags[e]) continue;
    const c = cat[e];
    if (c === 0) counts.unknown++;
    else if (c === 6) counts.closed++;
    else counts[CONGESTION_BANDS[c - 1].key]++;
  }
  drawStrip(f);
  return { ...finish(f, drawn), counts };
}

// ---------------------------------------------------------------------------------------------
// route

export type LonLatPair = readonly [number, number];

export interface RouteMapOptions {
  route: readonly LonLatPair[];
  alternatives?: readonly (readonly LonLatPair[])[];
  /** default: the first and last point of the route */
  markers?: { from?: LonLatPair; to?: LonLatPair };
  /** default: the route's (and alternatives') bbox padded 15 %, widened to a pleasant aspect */
  bbox?: MapBbox;
  width: number;
  /** text in the legend strip, e.g. "23.4 KM 21 MIN" */
  caption?: string;
}

/** bbox of the lines padded by `pad` of their span (at least ~300 m), widened to height/width in 0.5..1.25 */
export function routeBbox(lines: readonly (readonly LonLatPair[])[], pad = 0.15): MapBbox {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const l of lines) for (const [lon, lat] of l) {
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  if (!Number.isFinite(minLon)) throw new UrbanflowError('INVALID_INPUT', 'route must hold at least one [lon, lat] point', { field: 'route' });
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const cx = (minLon + maxLon) / 2, cy = (minLat + maxLat) / 2;
  // half spans in "latitude degrees" so both axes compare
  let hx = Math.max(((maxLon - minLon) * kx) / 2 * (1 + 2 * pad), 0.0014);
  let hy = Math.max(((maxLat - minLat) / 2) * (1 + 2 * pad), 0.0014);
  if (hy < hx * 0.5) hy = hx * 0.5;
  if (hy > hx * 1.25) hx = hy / 1.25;
  return [cx - hx / kx, cy - hy, cx + hx / kx, cy + hy];
}

/**
 * A route on a grey road network: the route thick in blue (white casing), alternatives thinner
 * in light blue under it, the start a green dot and the end a red one.
 */
export function renderRouteMap(network: RoadNetwork, opts: RouteMapOptions): MapImage {
  const alts = opts.alternatives ?? [];
  const items: LegendItem[] = [{ colour: ROUTE_COLOUR, label: 'ROUTE' }];
  if (alts.length) items.push({ colour: ALTERNATIVE_COLOUR, label: 'ALTERNATIVE' });
  items.push({ colour: START_COLOUR, label: 'START', shape: 'dot' }, { colour: END_COLOUR, label: 'END', shape: 'dot' });
  const f = makeFrame(opts.bbox ?? routeBbox([opts.route, ...alts]), opts.width, withCaption(items, opts.caption));
  const d = network.data;
  const key = new Int16Array(d.edgeCount);
  const widthByRank = [1, 1, 1, 1, 2, 2, 2, 3, 3, 3].map((w) => zoomWidth(f, w));
  for (let e = 0; e < d.edgeCount; e++) key[e] = rankOf(network.roadClass(e));
  const minorGrey: Rgb = [214, 214, 214], majorGrey: Rgb = [168, 168, 168];
  const drawn = drawEdges(f, network, key, (e) => (key[e] >= 3 ? majorGrey : minorGrey), (e) => widthByRank[key[e]]);

  const { img, X, Y } = f;
  const w = Math.max(4, Math.min(14, Math.round(f.width / 220)));
  const poly = (pts: readonly LonLatPair[], width: number, c: Rgb) => {
    for (let i = 1; i < pts.length; i++) img.line(X(pts[i - 1][0]), Y(pts[i - 1][1]), X(pts[i][0]), Y(pts[i][1]), width, c);
    if (pts.length === 1) img.square(X(pts[0][0]), Y(pts[0][1]), width, c);
  };
  for (const a of alts) poly(a, Math.max(2, w - 2) + 2, WHITE);
  for (const a of alts) poly(a, Math.max(2, w - 2), ALTERNATIVE_COLOUR);
  poly(opts.route, w + 2, WHITE);
  poly(opts.route, w, ROUTE_COLOUR);
  const from = opts.markers?.from ?? opts.route[0];
  const to = opts.markers?.to ?? opts.route.at(-1);
  const r = w + 3;
  for (const [p, c] of [[from, START_COLOUR], [to, END_COLOUR]] as const) {
    if (!p) continue;
    img.disc(X(p[0]), Y(p[1]), r + 2, WHITE);
    img.disc(X(p[0]), Y(p[1]), r, c);
  }
  drawStrip(f);
  return finish(f, drawn);
}

// ---------------------------------------------------------------------------------------------
// the network itself

export interface NetworkMapOptions {
  bbox?: MapBbox;
  width: number;
  /** 'class' (default): by road class; 'speed': by free-flow speed */
  colourBy?: 'class' | 'speed';
  /** only edges open to this mode; default all */
  mode?: ModeName;
  caption?: string;
}

export const SPEED_BANDS = [
  { max: 30, label: '<=30', colour: [120, 120, 200] as Rgb },
  { max: 50, label: '50', colour: [60, 160, 170] as Rgb },
  { max: 70, label: '70', colour: [90, 185, 80] as Rgb },
  { max: 100, label: '100', colour: [235, 170, 30] as Rgb },
  { max: Infinity, label: '>100 KM/H', colour: [220, 50, 40] as Rgb },
] as const;

/** The road network by road class or free-flow speed, with a legend and a scale bar. */
export function renderNetworkMap(network: RoadNetwork, opts: NetworkMapOptions): MapImage {
  const bySpeed = opts.colourBy === 'speed';
  const items: LegendItem[] = bySpeed
    ? SPEED_BANDS.map((b) => ({ colour: b.colour, label: b.label }))
    : (['motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'residential'] as const).map((c) => ({ colour: roadClassColour(c), label: c.toUpperCase() }));
  const f = makeFrame(opts.bbox ?? networkBbox(network), opts.width, withCaption(items, opts.caption));
  const d = network.data;
  const modeBit = opts.mode ? MODE[opts.mode] : 0xff;
  const key = new Int16Array(d.edgeCount);
  const widthByRank = [1, 1, 1, 2, 2, 2, 3, 3, 3, 3].map((w) => zoomWidth(f, w));
  const speedBand = (e: number) => {
    const kmh = d.edgeSpeedKmh[e] || (d.edgeLength[e] / d.edgeFreeFlowSeconds[e]) * 3.6;
    return SPEED_BANDS.findIndex((b) => kmh <= b.max + 0.5);
  };
  for (let e = 0; e < d.edgeCount; e++) {
    if ((d.edgeModes[e] & modeBit) === 0) { key[e] = -1; continue; }
    key[e] = bySpeed ? Math.max(0, speedBand(e)) * 10 + rankOf(network.roadClass(e)) : rankOf(network.roadClass(e));
  }
  const drawn = drawEdges(
    f,
    network,
    key,
    bySpeed ? (e) => SPEED_BANDS[Math.floor(key[e] / 10)].colour : (e) => roadClassColour(network.roadClass(e)),
    (e) => widthByRank[key[e] % 10],
  );
  drawStrip(f);
  return finish(f, drawn);
}
