import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../app/cli/main.js';
import { captureIo } from '../helpers/capture-io.js';
import { DEFAULT_PBF } from '../../core/graph/default-network.js';
import { readSnapshot } from '../../core/graph/snapshot.js';


let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'uf-cli-graph-'));
});
afterEach(() => {
  process.exitCode = 0;
});

describe('urbanflow import / info', () => {
  it('imports the Rhein-Neckar PBF into a snapshot and describes it', async () => {
    const out = join(dir, 'rn.graph');
    const imp = captureIo();
    expect(await main(['import', '--osm', DEFAULT_PBF, '--out', out, '--json'], imp.io)).toBe(0);
    expect(imp.out).toHaveLength(1);
    const r = JSON.parse(imp.out[0]);
    const n = await readSnapshot(out);
    expect(r.nodes).toBe(n.nodeCount);
    expect(r.edges).toBe(n.edgeCount);
    expect(r.components.car.largestNodes).toBeGreaterThan(40_000);
    expect(r.edgesPerMode.car).toBe(r.components.car.largestEdges);

    const info = captureIo();
    expect(await main(['info', '--graph', out, '--json'], info.io)).toBe(0);
    expect(info.out).toHaveLength(1);
    const i = JSON.parse(info.out[0]);
    expect(i.nodes).toBe(n.nodeCount);
    expect(i.perMode.car.edges).toBe(r.edgesPerMode.car);
    const [minLon, minLat, maxLon, maxLat] = i.bbox;
    expect(minLon).toBeGreaterThan(8.1);
    expect(maxLon).toBeLessThan(8.9);
    expect(minLat).toBeGreaterThan(49.3);
    expect(maxLat).toBeLessThan(49.7);
    const classEdges = Object.values(i.roadClasses as Record<string, { edges: number }>).reduce((s, c) => s + c.edges, 0);
    expect(classEdges).toBe(n.edgeCount);
    expect(i.totalLengthKm).toBeGreaterThan(5000);

    const text = captureIo();
    expect(await main(['info', '--graph', out], text.io)).toBe(0);
    expect(text.out.join('\n')).toMatch(/road classes:/);
  });

  it('imports TNTP and GeoJSON sources too', async () => {
    const tntp = captureIo();
    const fx = new URL('../../fixtures/tntp/SiouxFalls/', import.meta.url).pathname;
    expect(await main(['import', '--tntp', `${fx}SiouxFalls_net.tntp`, '--nodes', `${fx}SiouxFalls_node.tntp`, '--out', join(dir, 'sf.graph'), '--json'], tntp.io)).toBe(0);
    expect(JSON.parse(tntp.out[0])).toMatchObject({ nodes: 24, edges: 76 });
    const gj = join(dir, 'roads.geojson');
    await writeFile(gj, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: [[8, 49], [8.001, 49]] } }] }));
    const g = captureIo();
    expect(await main(['import', '--geojson', gj, '--out', join(dir, 'gj.graph'), '--json'], g.io)).toBe(0);
    expect(JSON.parse(g.out[0])).toMatchObject({ nodes: 2, edges: 2 });
  });

  it('a PBF whose ways reference missing nodes imports with a warning, status 0', async () => {
    const { listPbfBlocks } = await import('../../core/graph/osm/pbf-reader.js');
    const pbf = await readFile(DEFAULT_PBF);
    const b = listPbfBlocks(pbf)[1];
    const file = join(dir, 'holes.pbf');
    await writeFile(file, Buffer.concat([pbf.subarray(0, b.start), pbf.subarray(b.end)]));
    const c = captureIo();
    expect(await main(['import', '--osm', file, '--out', join(dir, 'holes.graph')], c.io)).toBe(0);
    expect(c.err.join('\n')).toMatch(/^warning: \d+ ways reference \d+ nodes missing from the file/);
    expect(c.out[0]).toMatch(/^wrote .*holes\.graph: \d+ nodes, \d+ edges/);
  });

  it('bad input exits 2 with one line on stderr', async () => {
    const pbf = await readFile(DEFAULT_PBF);
    await writeFile(join(dir, 'cut.pbf'), pbf.subarray(0, 500_000));
    await writeFile(join(dir, 'text.pbf'), 'hello');
    await writeFile(join(dir, 'bad.graph'), 'hello');
    const cases: [string[], RegExp][] = [
      [['import', '--osm', join(dir, 'missing.pbf'), '--out', join(dir, 'x.graph')], /cannot read \(ENOENT\)/],
      [['import', '--osm', join(dir, 'cut.pbf'), '--out', join(dir, 'x.graph')], /truncated/],
      [['import', '--osm', join(dir, 'text.pbf'), '--out', join(dir, 'x.graph')], /not an OSM PBF file/],
      [['import', '--osm', DEFAULT_PBF], /--out is required/],
      [['import', '--out', join(dir, 'x.graph')], /exactly one of/],
      [['import', '--osm', DEFAULT_PBF, '--bogus'], /bogus/],
      [['info'], /--graph is required/],
      [['info', '--graph', join(dir, 'missing.graph')], /cannot read/],
      [['info', '--graph', join(dir, 'bad.graph')], /not an urbanflow graph snapshot/],
    ];
    for (const [argv, msg] of cases) {
      const c = captureIo();
      expect(await main(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.err, argv.join(' ')).toHaveLength(1);
      expect(c.err[0]).toMatch(msg);
      expect(c.out).toHaveLength(0);
    }
  });
});
