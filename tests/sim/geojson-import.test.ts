import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCity, writeNetworkGeoJson } from '../../core/sim/index.js';
import { networkFromGeoJson } from '../../core/graph/geojson-import.js';
import { MODE } from '../../core/graph/modes.js';
import type { RoadNetwork } from '../../core/graph/road-network.js';

const root = mkdtempSync(join(tmpdir(), 'urbanflow-simgeo-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const carByClass = (n: RoadNetwork, bit: number) => {
  const m: Record<string, number> = {};
  for (let e = 0; e < n.edgeCount; e++) if (n.data.edgeModes[e] & bit) m[n.roadClass(e)] = (m[n.roadClass(e)] ?? 0) + 1;
  return m;
};

describe('city.geojson through core/graph GeoJSON importer', () => {
  it('gives back the same car, truck and bike network (ring corners aside)', () => {
    const city = generateCity({ size: 1500, seed: 21 });
    const file = join(root, 'city.geojson');
    writeNetworkGeoJson(city.network, file, new Set(city.bridges));
    const { network, report } = networkFromGeoJson(JSON.parse(readFileSync(file, 'utf8')), 'city.geojson');
    expect(report.skipped).toBe(0);
    for (const bit of [MODE.car, MODE.truck, MODE.bike]) {
      const a = carByClass(network, bit), b = carByClass(city.network, bit);
      // the two directions of the ring share their corner points, so the importer splits there
      expect(a.trunk).toBeGreaterThanOrEqual(b.trunk);
      delete a.trunk;
      delete b.trunk;
      expect(a).toEqual(b);
    }
  });
});
