import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { RoadNetworkBuilder } from '../../core/graph/road-network-builder.js';
import { MODE } from '../../core/graph/modes.js';
import { renderNetworkPng, renderNetworkRaster, congestionColour } from '../../core/viz/index.js';

function twoRoads() {
  const b = new RoadNetworkBuilder();
  const a = b.addNode(0, 0), c = b.addNode(0.01, 0), d = b.addNode(0.01, 0.01);
  b.addEdge({ from: a, to: c, roadClass: 'residential', modes: MODE.car }); // along the bottom
  b.addEdge({ from: c, to: d, roadClass: 'motorway', modes: MODE.car }); // up the right side
  return b.build();
}

describe('renderNetworkPng', () => {
  it('draws each edge in the colour the caller chooses, and skips edges given null', () => {
    const net = twoRoads();
    const img = renderNetworkRaster(net, { width: 200, edgeColour: (e) => (e === 0 ? [255, 0, 0] : null), edgeWidth: () => 3 });
    // the picture keeps the network's aspect (square here)
    expect(Math.abs(img.height - img.width)).toBeLessThanOrEqual(2);
    let red = 0, nonBackground = 0;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const [r, g, b] = img.get(x, y);
        if (r === 255 && g === 0 && b === 0) red++;
        if (!(r === 250 && g === 248 && b === 242)) nonBackground++;
      }
    }
    expect(red).toBeGreaterThan(150 * 3 * 0.8);
    expect(nonBackground).toBe(red);
    // red runs along the bottom of the picture, not the right side
    const [r0] = img.get(Math.floor(img.width / 2), img.height - 1 - Math.round(img.height * 0.03));
    expect(r0).toBe(255);
  });

  it('draws markers and underlays, and encodes a PNG of the stated size', () => {
    const net = twoRoads();
    const buf = renderNetworkPng(net, {
      width: 120,
      underlays: [{ coords: [[0, 0.005], [0.01, 0.005]], colour: [0, 0, 255], widthPx: 2 }],
      markers: [{ lon: 0.005, lat: 0.005, colour: [0, 200, 0], size: 7 }],
    });
    const png = PNG.sync.read(buf);
    expect(png.width).toBe(120);
    const at = (x: number, y: number) => Array.from(png.data.subarray(4 * (y * png.width + x), 4 * (y * png.width + x) + 3));
    expect(at(Math.round(png.width / 2), Math.round(png.height / 2))).toEqual([0, 200, 0]);
    let blue = 0;
    for (let i = 0; i < png.width * png.height; i++) if (png.data[4 * i] === 0 && png.data[4 * i + 1] === 0 && png.data[4 * i + 2] === 255) blue++;
    expect(blue).toBeGreaterThan(50);
  });

  it('grades congestion from green through yellow to red', () => {
    const g = congestionColour(1), y = congestionColour(1.5), r = congestionColour(2.5);
    expect(g[1]).toBeGreaterThan(g[0]);
    expect(y[0]).toBeGreaterThan(200);
    expect(y[1]).toBeGreaterThan(150);
    expect(r[0]).toBeGreaterThan(200);
    expect(r[1]).toBeLessThan(50);
  });
});
