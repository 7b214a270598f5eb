import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { importTntp, networkFromTntp } from '../../core/graph/tntp-import.js';
import { networkFromGeoJson } from '../../core/graph/geojson-import.js';
import { parseTntpNet } from '../../core/tntp/index.js';
import { MODE } from '../../core/graph/index.js';
import { UrbanflowError } from '../../core/errors/index.js';

const dir = fileURLToPath(new URL('../../fixtures/tntp/SiouxFalls/', import.meta.url));

describe('TNTP import (SiouxFalls)', () => {
  it('edge i is link i of the file with its capacity, free-flow time in seconds, b, power and toll', async () => {
    const text = await readFile(`${dir}SiouxFalls_net.tntp`, 'utf8');
    const net = parseTntpNet(text, 'SiouxFalls_net.tntp');
    const n = await importTntp(`${dir}SiouxFalls_net.tntp`, `${dir}SiouxFalls_node.tntp`);
    expect(n.nodeCount).toBe(24);
    expect(n.edgeCount).toBe(76);
    net.links.forEach((l, i) => {
      expect(n.data.nodeExternalId[n.data.edgeFrom[i]]).toBe(l.init);
      expect(n.data.nodeExternalId[n.data.edgeTo[i]]).toBe(l.term);
      expect(n.data.edgeCapacity[i]).toBe(l.capacity);
      expect(n.data.edgeFreeFlowSeconds[i]).toBe(l.freeFlowTime * 60);
      expect(n.data.edgeBprAlpha[i]).toBeCloseTo(l.b, 6);
      expect(n.data.edgeBprBeta[i]).toBe(l.power);
      expect(n.data.edgeToll[i]).toBe(l.toll);
      expect(n.data.edgeExternalId[i]).toBe(i);
      expect(n.data.edgeLength[i]).toBeCloseTo(l.length * 1609.344, 6);
      expect(n.data.edgeModes[i]).toBe(MODE.car | MODE.truck);
    });
    // link 1 -> 2: 25900.20064 veh/h, 6 minutes
    expect(n.data.edgeCapacity[0]).toBeCloseTo(25900.20064, 5);
    expect(n.data.edgeFreeFlowSeconds[0]).toBe(360);
    // node 1 sits where the node file puts it
    expect([n.data.nodeLon[0], n.data.nodeLat[0]]).toEqual([-96.77041974, 43.61282792]);
    expect(n.data.meta.layout).toBe('lonlat');
  });

  it('without a node file the nodes get a placeholder grid of distinct positions', async () => {
    const net = parseTntpNet(await readFile(`${dir}SiouxFalls_net.tntp`, 'utf8'), 'SiouxFalls_net.tntp');
    const n = networkFromTntp(net);
    const seen = new Set<string>();
    for (let v = 0; v < n.nodeCount; v++) seen.add(`${n.data.nodeLon[v]},${n.data.nodeLat[v]}`);
    expect(seen.size).toBe(24);
    expect(n.data.meta.layout).toBe('placeholder-grid');
    // free-flow times come from the file, not from the placeholder lengths
    expect(n.data.edgeFreeFlowSeconds[0]).toBe(360);
  });

  it('planar node coordinates are scaled into a small box', () => {
    const net = parseTntpNet(['<NUMBER OF ZONES> 1', '<NUMBER OF NODES> 2', '<FIRST THRU NODE> 2', '<NUMBER OF LINKS> 1', '<END OF METADATA>', '~ init term cap len fft b power speed toll type ;', '1 2 1000 1 2 0.15 4 0 0 1 ;'].join('\n'), 'tiny_net.tntp');
    const n = networkFromTntp(net, [{ node: 1, x: 1_000_000, y: 2_000_000 }, { node: 2, x: 1_010_000, y: 2_000_000 }]);
    expect(n.data.meta.layout).toBe('planar-scaled');
    expect(n.data.nodeLon[1] - n.data.nodeLon[0]).toBeCloseTo(0.2, 9);
    expect(n.roadClass(0)).toBe('connector'); // leaves zone 1 (below FIRST THRU NODE 2)
  });

  it('a missing file is INVALID_FILE', async () => {
    const err = await importTntp(`${dir}nope.tntp`).catch((e: unknown) => e);
    expect((err as UrbanflowError).code).toBe('INVALID_FILE');
  });
});

const line = (coords: unknown[][], properties: Record<string, unknown> = {}) => ({ type: 'Feature', properties, geometry: { type: 'LineString', coordinates: coords } });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

describe('GeoJSON import', () => {
  it('joins lines at shared end points and splits a line where another ends on its vertex', () => {
    const { network, report } = networkFromGeoJson(fc(
      line([[8, 49], [8.001, 49], [8.002, 49]], { highway: 'residential', name: 'A' }),
      line([[8.001, 49], [8.001, 49.001]], { highway: 'residential', name: 'B', oneway: 'yes' }),
      line([[8.002, 49], [8.003, 49]], { highway: 'primary', maxspeed: 70, lanes: 4 }),
    ));
    expect(report).toEqual({ features: 3, lines: 3, skipped: 0 });
    // junctions: 8/49, 8.001/49 (B starts there), 8.002/49 (C starts there), 8.003/49, 8.001/49.001
    expect(network.nodeCount).toBe(5);
    // A -> 2 pieces x 2 directions, B oneway: 1 car edge + 1 foot edge back, C: 2
    expect(network.edgeCount).toBe(8);
    const c = [...Array(network.edgeCount).keys()].filter((e) => network.data.edgeExternalId[e] === 2);
    expect(c.map((e) => network.data.edgeSpeedKmh[e])).toEqual([70, 70]);
    expect(c.map((e) => network.data.edgeLanes[e])).toEqual([2, 2]);
    const b = [...Array(network.edgeCount).keys()].filter((e) => network.data.edgeExternalId[e] === 1);
    expect(b.map((e) => network.data.edgeModes[e]).sort()).toEqual([MODE.foot, MODE.car | MODE.truck | MODE.bike | MODE.foot].sort());
  });

  it('reads MultiLineStrings and skips points', () => {
    const { network, report } = networkFromGeoJson(fc(
      { type: 'Feature', properties: { highway: 'footway' }, geometry: { type: 'MultiLineString', coordinates: [[[8, 49], [8.001, 49]], [[8.001, 49], [8.001, 49.001]]] } },
      { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [8, 49] } },
    ));
    expect(report.lines).toBe(2);
    expect(report.skipped).toBe(1);
    expect(network.nodeCount).toBe(3);
    expect(network.allows(0, 'car')).toBe(false);
    expect(network.allows(0, 'foot')).toBe(true);
  });

  it('a bad coordinate is INVALID_FILE naming the feature index', () => {
    const bad = [
      [fc(line([[8, 49], [8.001, 49]]), line([[8, 49], ['x', 49]])), 'features[1]', /features\[1\]\.geometry\.coordinates\[1\]/],
      [fc(line([[8, 49], [8, 95]])), 'features[0]', /out of range/],
      [fc(line([[8, 49]])), 'features[0]', /at least 2 positions/],
      [{ type: 'Feature' }, 'roads.geojson', /not a GeoJSON FeatureCollection/],
    ] as const;
    for (const [doc, field, msg] of bad) {
      try {
        networkFromGeoJson(doc, 'roads.geojson');
        throw new Error('no error');
      } catch (e) {
        expect(e).toBeInstanceOf(UrbanflowError);
        expect((e as UrbanflowError).code).toBe('INVALID_FILE');
        expect((e as UrbanflowError).field).toBe(field);
        expect((e as UrbanflowError).message).toMatch(msg);
      }
    }
  });
});
