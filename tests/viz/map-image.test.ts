import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { gridNetwork } from '../helpers/grid-network.js';
import type { RoadNetwork } from '../../core/graph/index.js';
import {
  renderCongestionMap, renderRouteMap, renderNetworkMap, routeBbox, congestionCategory,
  CONGESTION_BANDS, CLOSED_COLOUR, NO_DATA_COLOUR, MINOR_FREE_COLOUR, ROUTE_COLOUR, ALTERNATIVE_COLOUR, START_COLOUR, END_COLOUR,
  type MapImage,
} from '../../core/viz/map-image.js';
import { roadClassColour } from '../../core/viz/network-image.js';
import { drawText, textWidth } from '../../core/viz/pixel-font.js';
import { Raster } from '../../core/viz/raster.js';
import { isUrbanflowError } from '../../core/errors/index.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSnapshot } from '../../core/graph/snapshot.js';
import { run as runMap } from '../../app/cli/commands/map.js';
import type { CliIo } from '../../app/cli/cli-io.js';
import { generateCity } from '../../core/sim/index.js';

const N = 5;
const STEP = 0.0015; // grid spacing of gridNetwork
const node = (x: number, y: number) => y * N + x;
const GREEN = CONGESTION_BANDS[0].colour, ORANGE = CONGESTION_BANDS[2].colour, RED = CONGESTION_BANDS[3].colour;

function edgeBetween(net: RoadNetwork, a: number, b: number): number {
  for (let e = 0; e < net.edgeCount; e++) if (net.data.edgeFrom[e] === a && net.data.edgeTo[e] === b) return e;
  throw new Error(`no edge ${a}->${b}`);
}

function midpoint(net: RoadNetwork, e: number): [number, number] {
  const g = net.edgeGeometry(e);
  return [(g[0][0] + g.at(-1)![0]) / 2, (g[0][1] + g.at(-1)![1]) / 2];
}

/** pixel of the decoded PNG (so the encoding is checked too) */
function pngPixel(m: MapImage, lon: number, lat: number): number[] {
  const png = PNG.sync.read(m.png);
  const [x, y] = m.project(lon, lat).map(Math.round);
  const i = 4 * (y * png.width + x);
  return [png.data[i], png.data[i + 1], png.data[i + 2]];
}

describe('renderCongestionMap', () => {
  const net = gridNetwork(N);
  // avenues (secondary) run north-south: x=1 y0->y1 jammed, x=3 y0->y1 free, x=2 y2->y3 closed,
  // x=0 y1->y2 unknown; street (residential) y=3 x0->x1 congested, y=1 x2->x3 free
  const jammed = edgeBetween(net, node(1, 0), node(1, 1));
  const free = edgeBetween(net, node(3, 0), node(3, 1));
  const closed = edgeBetween(net, node(2, 2), node(2, 3));
  const unknown = edgeBetween(net, node(0, 1), node(0, 2));
  const minorSlow = edgeBetween(net, node(0, 3), node(1, 3));
  const minorFree = edgeBetween(net, node(2, 1), node(3, 1));
  const ratio = (e: number): number | undefined => {
    if (e === jammed) return 0.15;
    if (e === closed) return 0;
    if (e === minorSlow) return 0.3;
    if (e === unknown || e === edgeBetween(net, node(0, 2), node(0, 1))) return undefined;
    return 1;
  };

  it('colours edges by speed ratio: jammed red, free green, closed black, unknown grey, free minor streets light grey', () => {
    const m = renderCongestionMap(net, { width: 400, speedRatio: ratio, directions: 'overlap' });
    expect(pngPixel(m, ...midpoint(net, jammed))).toEqual([...RED]);
    expect(pngPixel(m, ...midpoint(net, free))).toEqual([...GREEN]);
    expect(pngPixel(m, ...midpoint(net, closed))).toEqual([...CLOSED_COLOUR]);
    expect(pngPixel(m, ...midpoint(net, unknown))).toEqual([...NO_DATA_COLOUR]);
    expect(pngPixel(m, ...midpoint(net, minorSlow))).toEqual([...ORANGE]);
    expect(pngPixel(m, ...midpoint(net, minorFree))).toEqual([...MINOR_FREE_COLOUR]);
    // the jammed direction is drawn over its free twin (same geometry, opposite direction)
    expect(ratio(edgeBetween(net, node(1, 1), node(1, 0)))).toBe(1);
    expect(m.counts).toMatchObject({ jammed: 1, closed: 1, congested: 1, unknown: 2 });
    expect(m.edgesDrawn).toBe(net.edgeCount);
  });

  it('decodes to the requested width, keeps the aspect, and has a legend strip with the band colours', () => {
    const m = renderCongestionMap(net, { width: 300, speedRatio: ratio });
    const png = PNG.sync.read(m.png);
    expect(png.width).toBe(300);
    expect(png.height).toBe(m.height);
    expect(m.height).toBeGreaterThan(m.mapHeight);
    // height follows the bbox aspect in metres (lon span scaled by cos(lat))
    const [minLon, minLat, maxLon, maxLat] = m.bbox;
    const expected = (300 * (maxLat - minLat)) / ((maxLon - minLon) * Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180));
    expect(Math.abs(m.mapHeight - expected)).toBeLessThanOrEqual(1);
    const stripColours = new Set<string>();
    for (let y = m.mapHeight; y < png.height; y++) for (let x = 0; x < png.width; x++) {
      const i = 4 * (y * png.width + x);
      stripColours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    }
    for (const c of [GREEN, RED, ORANGE, CLOSED_COLOUR]) expect(stripColours.has(c.join(','))).toBe(true);
  });

  it('crops to a bbox: edges outside are not drawn, those inside land where the bbox puts them', () => {
    // left two columns of the grid only
    const bbox: [number, number, number, number] = [8 - 0.0003, 49 - 0.0003, 8 + STEP + 0.0003, 49 + 4 * STEP + 0.0003];
    const m = renderCongestionMap(net, { width: 200, bbox, speedRatio: ratio, directions: 'overlap' });
    expect(m.width).toBe(200);
    expect(m.edgesDrawn).toBeLessThan(net.edgeCount);
    expect(m.edgesDrawn).toBeGreaterThan(0);
    // the counts are of the edges drawn, not of the whole network
    expect(Object.values(m.counts).reduce((a, b) => a + b, 0)).toBe(m.edgesDrawn);
    const [x, y] = m.project(...midpoint(net, jammed));
    expect(x).toBeCloseTo(200 * ((STEP + 0.0003) / (STEP + 0.0006)), 0);
    expect(y).toBeGreaterThan(m.mapHeight * 0.8);
    expect(pngPixel(m, ...midpoint(net, jammed))).toEqual([...RED]);
    // the free avenue at x=3 is outside: nothing of it in the picture, so no green anywhere on the map
    const png = PNG.sync.read(m.png);
    let green = 0;
    for (let i = 0; i < png.width * m.mapHeight; i++) if (png.data[4 * i] === GREEN[0] && png.data[4 * i + 1] === GREEN[1] && png.data[4 * i + 2] === GREEN[2]) green++;
    // edges at x=0..1 with ratio 1 are green: present, but none beyond x=1's column
    expect(green).toBeGreaterThan(0);
    let greenBeyond = 0;
    for (let yy = 0; yy < m.mapHeight; yy++) for (let xx = Math.ceil(m.project(8 + STEP, 49)[0]) + 10; xx < png.width; xx++) {
      const i = 4 * (yy * png.width + xx);
      if (png.data[i] === GREEN[0] && png.data[i + 1] === GREEN[1] && png.data[i + 2] === GREEN[2]) greenBeyond++;
    }
    expect(greenBeyond).toBe(0);
  });

  it('draws the two directions of a road side by side when zoomed in (right-hand traffic)', () => {
    // jammed runs north (y0 -> y1): its line lies east of the centreline, the free southbound twin west
    const m = renderCongestionMap(net, { width: 400, speedRatio: ratio });
    const [cx, cy] = m.project(...midpoint(net, jammed)).map(Math.round);
    const east = m.raster.get(cx + 3, cy), west = m.raster.get(cx - 3, cy);
    expect(east).toEqual(RED);
    expect(west).toEqual(GREEN);
    // one-way view: without offsets both sides show the worse direction
    const o = renderCongestionMap(net, { width: 400, speedRatio: ratio, directions: 'overlap' });
    expect(o.raster.get(cx - 2, cy)).toEqual(RED);
    // zoomed out (whole city scale) 'auto' does not offset: lines too thin to split
    const far = renderCongestionMap(net, { width: 400, bbox: [7.9, 48.95, 8.1, 49.05], speedRatio: ratio });
    const [fx, fy] = far.project(...midpoint(net, jammed)).map(Math.round);
    expect(far.raster.get(fx, fy)).toEqual(RED);
  });

  it('maps ratios to the bands of the traffic service (0.75 / 0.5 / 0.25) and 0 to closed', () => {
    expect([1.2, 0.75, 0.74, 0.5, 0.3, 0.12, 0.05, 0, -1, undefined, NaN].map(congestionCategory)).toEqual([1, 1, 2, 2, 3, 4, 5, 6, 6, 0, 0]);
  });

  it('rejects a bad width or bbox naming the field', () => {
    const bad = (f: () => unknown, field: string) => {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(isUrbanflowError(e) && e.code === 'INVALID_INPUT' && e.field === field).toBe(true);
      }
    };
    bad(() => renderCongestionMap(net, { width: 10, speedRatio: ratio }), 'width');
    bad(() => renderCongestionMap(net, { width: 100.5, speedRatio: ratio }), 'width');
    bad(() => renderCongestionMap(net, { width: 100, bbox: [9, 49, 8, 50], speedRatio: ratio }), 'bbox');
    bad(() => renderCongestionMap(net, { width: 100, bbox: [8, 49, 8, NaN], speedRatio: ratio }), 'bbox');
  });
});

describe('renderRouteMap', () => {
  const net = gridNetwork(N);
  // along avenue x=2 from the bottom to the top, alternative via avenue x=4
  const route: [number, number][] = [0, 1, 2, 3, 4].map((y) => [8 + 2 * STEP, 49 + y * STEP]);
  const alt: [number, number][] = [[8 + 2 * STEP, 49], [8 + 4 * STEP, 49], [8 + 4 * STEP, 49 + 4 * STEP], [8 + 2 * STEP, 49 + 4 * STEP]];

  it('draws the route blue along its length, the alternative light blue, start green, end red, roads grey', () => {
    const m = renderRouteMap(net, { width: 500, route, alternatives: [alt] });
    const png = PNG.sync.read(m.png);
    expect(png.width).toBe(500);
    expect(pngPixel(m, ...route[0])).toEqual([...START_COLOUR]);
    expect(pngPixel(m, ...route[4])).toEqual([...END_COLOUR]);
    for (let i = 1; i < route.length; i++) {
      const mid: [number, number] = [(route[i - 1][0] + route[i][0]) / 2, (route[i - 1][1] + route[i][1]) / 2];
      expect(pngPixel(m, ...mid)).toEqual([...ROUTE_COLOUR]);
    }
    expect(pngPixel(m, 8 + 4 * STEP, 49 + 2 * STEP)).toEqual([...ALTERNATIVE_COLOUR]);
    // a road far from both lines is grey (r = g = b)
    const [r, g, b] = pngPixel(m, 8, 49 + 2.5 * STEP);
    expect(r === g && g === b && r < 240).toBe(true);
  });

  it('defaults to the lines bbox padded 15 % (all of the route and the alternative inside, off the edges)', () => {
    const m = renderRouteMap(net, { width: 400, route, alternatives: [alt] });
    for (const p of [...route, ...alt]) {
      const [x, y] = m.project(...p);
      expect(x).toBeGreaterThan(0.05 * m.width);
      expect(x).toBeLessThan(0.95 * m.width);
      expect(y).toBeGreaterThan(0.05 * m.mapHeight);
      expect(y).toBeLessThan(0.95 * m.mapHeight);
    }
    const bb = routeBbox([route]);
    // a straight north-south route gets a picture at most 1.25 as tall as wide, not a sliver
    const kx = Math.cos((49.003 * Math.PI) / 180);
    expect((bb[3] - bb[1]) / ((bb[2] - bb[0]) * kx)).toBeCloseTo(1.25, 5);
    expect(bb[1]).toBeCloseTo(49 - 0.15 * 4 * STEP, 9);
  });

  it('honours an explicit bbox', () => {
    const bbox: [number, number, number, number] = [8 + 1.5 * STEP, 49 + 1.5 * STEP, 8 + 2.5 * STEP, 49 + 2.5 * STEP];
    const m = renderRouteMap(net, { width: 200, route, bbox });
    expect(m.bbox[0]).toBe(bbox[0]);
    expect(pngPixel(m, 8 + 2 * STEP, 49 + 2 * STEP)).toEqual([...ROUTE_COLOUR]);
    const [x, y] = m.project(8 + 2 * STEP, 49 + 2 * STEP);
    expect(x).toBeCloseTo(100, 0);
    expect(y).toBeCloseTo(m.mapHeight / 2, 0);
  });
});

describe('renderNetworkMap and the pixel font', () => {
  it('colours roads by class', () => {
    const net = gridNetwork(N);
    const m = renderNetworkMap(net, { width: 300 });
    expect(pngPixel(m, ...midpoint(net, edgeBetween(net, node(1, 0), node(1, 1))))).toEqual([...roadClassColour('secondary')]);
    expect(pngPixel(m, ...midpoint(net, edgeBetween(net, node(1, 2), node(2, 2))))).toEqual([...roadClassColour('residential')]);
  });

  it('draws text exactly textWidth pixels wide and 7 tall', () => {
    const img = new Raster(80, 20, [255, 255, 255]);
    const end = drawText(img, 2, 3, 'Km 5', [0, 0, 0]);
    let minX = Infinity, maxX = -1, minY = Infinity, maxY = -1;
    for (let y = 0; y < 20; y++) for (let x = 0; x < 80; x++) if (img.get(x, y)[0] === 0) {
      minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    }
    expect(minX).toBe(2);
    expect(maxX).toBe(2 + textWidth('KM 5') - 1);
    expect(end).toBe(2 + textWidth('KM 5'));
    expect([minY, maxY]).toEqual([3, 9]);
  });
});

describe('urbanflow map (CLI) on a snapshot', () => {
  const captured = () => {
    const out: string[] = [];
    const io: CliIo = { stdout: (t) => void out.push(t), stderr: () => undefined, progress: () => ({ update: () => undefined, done: () => undefined }) };
    return { io, out };
  };

  it('draws a route through the routing service and reports it as one JSON document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uf-map-'));
    try {
      const net = gridNetwork(N);
      const graph = join(dir, 'grid.graph');
      await writeSnapshot(net, graph);
      const file = join(dir, 'route.png');
      const { io, out } = captured();
      const from = [8 + 0.1 * STEP, 49 + 0.02 * STEP], to = [8 + 3.9 * STEP, 49 + 3.98 * STEP];
      const status = await runMap(['--graph', graph, '--route', `${from}:${to}`, '--width', '320', '--out', file, '--json'], io);
      expect(status).toBe(0);
      expect(out).toHaveLength(1);
      const report = JSON.parse(out[0]);
      expect(report).toMatchObject({ file, width: 320, edgesDrawn: net.edgeCount });
      // at least the Manhattan distance between the snapped ends (3.8 blocks east, 3.96 north)
      expect(report.route.metres).toBeGreaterThan(0.9 * (3.8 * 109 + 3.96 * 167));
      const png = PNG.sync.read(readFileSync(file));
      expect([png.width, png.height]).toEqual([report.width, report.height]);
      let blue = 0;
      for (let i = 0; i < png.width * png.height; i++) if (png.data[4 * i] === ROUTE_COLOUR[0] && png.data[4 * i + 1] === ROUTE_COLOUR[1] && png.data[4 * i + 2] === ROUTE_COLOUR[2]) blue++;
      expect(blue).toBeGreaterThan(200);
      // the network picture of the same snapshot, cropped
      const { io: io2, out: out2 } = captured();
      expect(await runMap(['--graph', graph, '--bbox', `8,49,${8 + STEP},${49 + STEP}`, '--width', '100', '--out', join(dir, 'net.png'), '--json'], io2)).toBe(0);
      expect(JSON.parse(out2[0]).edgesDrawn).toBeLessThan(net.edgeCount);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad arguments with INVALID_INPUT naming the option, before loading anything', async () => {
    const { io } = captured();
    for (const [argv, field] of [
      [['--width', '10', '--out', 'x.png'], 'width'],
      [['--bbox', '1,2,3', '--out', 'x.png'], 'bbox'],
      [['--route', '8,49', '--out', 'x.png'], 'route'],
      [['--route', '8,49:8,99', '--out', 'x.png'], 'route'],
      [['--mode', 'boat', '--out', 'x.png'], 'mode'],
      [['--colour', 'pink', '--out', 'x.png'], 'colour'],
      [['--width', '100'], 'out'],
      [['--out', 'x.jpg'], 'out'],
    ] as const) {
      await expect(runMap([...argv], io), argv.join(' ')).rejects.toSatisfy((e) => isUrbanflowError(e) && e.code === 'INVALID_INPUT' && e.field === field);
    }
  });
});

describe('renderCongestionMap on the simulated city', () => {
  it('shows jammed motorways red, closed bridges black and free arterials green at their midpoints', () => {
    const city = generateCity({ size: 2000, seed: 1 });
    const net = city.network;
    const carBridges = new Set(city.bridges.filter((e) => net.allows(e, 'car') && net.roadClass(e) !== 'motorway'));
    const isMotorway = (e: number) => net.roadClass(e) === 'motorway';
    const ratio = (e: number) => (carBridges.has(e) ? 0 : isMotorway(e) ? 0.15 : 1);
    const m = renderCongestionMap(net, { width: 1000, speedRatio: ratio });
    const at = (e: number) => {
      const [x, y] = m.project(...midpoint(net, e)).map(Math.round);
      return m.raster.get(x, y).join();
    };
    const share = (edges: number[], colour: readonly number[]) => edges.filter((e) => at(e) === colour.join()).length / edges.length;
    const all = Array.from({ length: net.edgeCount }, (_, e) => e).filter((e) => net.allows(e, 'car') && net.data.edgeLength[e] > 60);
    const motorways = all.filter(isMotorway);
    const arterials = all.filter((e) => ['primary', 'secondary', 'trunk'].includes(net.roadClass(e)) && !carBridges.has(e));
    const bridges = [...carBridges].filter((e) => net.data.edgeLength[e] > 60);
    expect(motorways.length).toBeGreaterThan(10);
    expect(arterials.length).toBeGreaterThan(10);
    expect(bridges.length).toBeGreaterThan(0);
    // crossings and interchanges hide a few midpoints under other roads; the rest must be right
    expect(share(motorways, RED)).toBeGreaterThan(0.9);
    expect(share(arterials, GREEN)).toBeGreaterThan(0.8);
    expect(share(bridges, CLOSED_COLOUR)).toBeGreaterThan(0.9);
    expect(m.counts.closed).toBe(carBridges.size);
  });
});
