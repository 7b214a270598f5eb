import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCity, formatTntpNet, writeCity } from '../../core/sim/index.js';
import { parseTntpNet, parseTntpNodes } from '../../core/tntp/index.js';
import { MODE } from '../../core/graph/modes.js';

const ROOT = join(import.meta.dirname, '..', '..');
const root = mkdtempSync(join(tmpdir(), 'urbanflow-simtntp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('city_net.tntp', () => {
  const city = generateCity({ size: 1200, seed: 2 });
  const d = city.network.data;

  it('lists every car edge as a link, zones first as nodes 1..Z, and core/tntp reads it', () => {
    const files = formatTntpNet(city.network, city.zones, 'test');
    const net = parseTntpNet(files.net, 'city_net.tntp');
    let carEdges = 0;
    for (let e = 0; e < d.edgeCount; e++) if (d.edgeModes[e] & MODE.car) carEdges++;
    expect(net.links.length).toBe(carEdges);
    expect(net.metadata.zones).toBe(city.zones.length);
    expect(net.metadata.firstThruNode).toBe(1);
    for (const z of city.zones) expect(files.tntpNode[z.node]).toBe(z.id);
    net.links.forEach((l, i) => {
      const e = files.linkEdges[i];
      expect(files.tntpNode[d.edgeFrom[e]]).toBe(l.init);
      expect(files.tntpNode[d.edgeTo[e]]).toBe(l.term);
      expect(l.freeFlowTime * 60).toBeCloseTo(d.edgeFreeFlowSeconds[e], 3);
      expect(l.length * 1609.344).toBeCloseTo(d.edgeLength[e], 0);
      expect(l.capacity).toBeCloseTo(d.edgeCapacity[e], 2);
    });
    const nodes = parseTntpNodes(files.nodes, 'city_node.tntp');
    expect(nodes.length).toBe(net.metadata.nodes);
    const z1 = nodes.find((n) => n.node === 1)!;
    expect(z1.x).toBeCloseTo(city.zones[0].lon, 6);
    expect(z1.y).toBeCloseTo(city.zones[0].lat, 6);
  });

  it('runs through urbanflow assign with the city demand and reaches user equilibrium', async () => {
    const dir = join(root, 'a');
    await writeCity(city, dir, { skip: ['city.geojson', 'city.png', 'gtfs.zip'] });
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'urbanflow.mjs'), 'assign', '--net', join(dir, 'city_net.tntp'), '--trips', join(dir, 'demand_trips.tntp'), '--gap', '1e-4', '--json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.converged).toBe(true);
    expect(doc.relative_gap).toBeLessThanOrEqual(1e-4);
    expect(doc.unreachable_trips).toBe(0);
  });
});
