import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOsmPbf, type OsmImportReport } from '../../core/graph/osm/osm-import.js';
import { readPbf, listPbfBlocks, type OsmWay } from '../../core/graph/osm/pbf-reader.js';
import { OsmAssembler } from '../../core/graph/osm/osm-assembler.js';
import { keepLargestComponents, stronglyConnectedComponents } from '../../core/graph/components.js';
import { MODE, MODE_NAMES, type RoadNetwork } from '../../core/graph/index.js';
import { DEFAULT_PBF } from '../../core/graph/default-network.js';
import { UrbanflowError } from '../../core/errors/index.js';

let network: RoadNetwork;
let report: OsmImportReport;
const progress: number[] = [];
const ways = new Map<number, OsmWay>();

beforeAll(async () => {
  ({ network, report } = await importOsmPbf(DEFAULT_PBF, { progress: (f) => progress.push(f) }));
  for await (const items of readPbf(DEFAULT_PBF)) for (const it of items) if (it.type === 'way') ways.set(it.id, it);
});

describe('importOsmPbf on the Rhein-Neckar extract', () => {
  it('reads every element of the file', () => {
    expect(report.nodesRead).toBe(164_598);
    expect(report.waysRead).toBe(37_344);
    expect(report.relationsRead).toBe(0);
    expect(report.missingNodeRefs).toBe(0);
    expect(report.warnings).toEqual([]);
  });

  it('splits ways exactly like the DESIGN.md count when access tags are ignored (43,999 junctions)', async () => {
    // DESIGN.md counted the car graph without access rules; strip them to reproduce its junctions
    const asm = new OsmAssembler();
    for await (const items of readPbf(DEFAULT_PBF)) {
      asm.add(items.map((it) => {
        if (it.type !== 'way' || !it.tags) return it;
        const { access, motor_vehicle, vehicle, motorcar, hgv, area, ...tags } = it.tags;
        void access; void motor_vehicle; void vehicle; void motorcar; void hgv; void area;
        return { ...it, tags };
      }));
    }
    const { network: raw } = asm.build();
    expect(raw.nodeCount).toBe(43_999);
    const { stats } = keepLargestComponents(raw, ['car']);
    // DESIGN.md: largest SCC 43,484 vertices, the next has 35
    expect(Math.abs(stats.car!.largestNodes - 43_484)).toBeLessThanOrEqual(5);
    expect(stats.car!.secondNodes).toBe(35);
  });

  it('honouring access keeps a slightly smaller car graph, all in one strongly connected component', () => {
    const car = report.components!.car!;
    expect(car.largestNodes).toBeGreaterThan(0.95 * 43_484);
    expect(car.largestNodes).toBeLessThan(43_484);
    for (const mode of MODE_NAMES) {
      const { sizes } = stronglyConnectedComponents(network, mode);
      expect(sizes.length, mode).toBe(1);
    }
  });

  it('no car or truck edge on a way tagged access=no/private or motor_vehicle=no', () => {
    // the 687 closed ways of DESIGN.md, minus those a more specific tag reopens (e.g. hgv=delivery)
    const closedTo = new Map<number, number>();
    for (const w of ways.values()) {
      const t = w.tags ?? {};
      if (!(['no', 'private'].includes(t.access ?? '') || ['no', 'private'].includes(t.motor_vehicle ?? ''))) continue;
      const motor = t.motor_vehicle ?? t.vehicle;
      let bits = 0;
      if ((t.motorcar ?? motor) === undefined || ['no', 'private'].includes(t.motorcar ?? motor ?? '')) bits |= MODE.car;
      if ((t.hgv ?? motor) === undefined || ['no', 'private'].includes(t.hgv ?? motor ?? '')) bits |= MODE.truck;
      closedTo.set(w.id, bits);
    }
    expect(closedTo.size).toBeGreaterThanOrEqual(660);
    let checked = 0;
    for (let e = 0; e < network.edgeCount; e++) {
      const bits = closedTo.get(network.data.edgeExternalId[e]);
      if (bits === undefined) continue;
      checked++;
      expect(network.data.edgeModes[e] & bits, `edge ${e} of way ${network.data.edgeExternalId[e]}`).toBe(0);
    }
    expect(checked).toBeGreaterThan(0); // some survive as foot/bike edges
  });

  it('oneway=yes ways have car edges in one direction only, following the node order', () => {
    const pos = new Map<number, number>();
    let checked = 0;
    for (let e = 0; e < network.edgeCount; e++) {
      const w = ways.get(network.data.edgeExternalId[e])!;
      if (w.tags?.oneway !== 'yes' || !network.allows(e, 'car')) continue;
      if (new Set(w.refs).size !== w.refs.length) continue; // closed or self-crossing: order is ambiguous
      pos.clear();
      w.refs.forEach((r, i) => pos.set(r, i));
      const a = pos.get(network.data.nodeExternalId[network.data.edgeFrom[e]])!;
      const b = pos.get(network.data.nodeExternalId[network.data.edgeTo[e]])!;
      expect(b).toBeGreaterThan(a);
      checked++;
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('every node has an edge, every edge a mode, geometry starts and ends at its nodes', () => {
    const d = network.data;
    const deg = new Uint32Array(network.nodeCount);
    let noMode = 0;
    for (let e = 0; e < d.edgeCount; e++) {
      if (d.edgeModes[e] === 0) noMode++;
      deg[d.edgeFrom[e]]++;
      deg[d.edgeTo[e]]++;
      const g0 = d.geomOffsets[e];
      const g1 = d.geomOffsets[e + 1] - 1;
      if (d.geomCoords[2 * g0] !== d.nodeLon[d.edgeFrom[e]] || d.geomCoords[2 * g1 + 1] !== d.nodeLat[d.edgeTo[e]]) throw new Error(`edge ${e} geometry`);
    }
    expect(noMode).toBe(0);
    expect(deg.every((x) => x > 0)).toBe(true);
  });

  it('motorways carry no pedestrians or bikes and run at 120-130 km/h where unlimited', () => {
    let n = 0;
    for (let e = 0; e < network.edgeCount; e++) {
      if (network.roadClass(e) !== 'motorway') continue;
      expect(network.data.edgeModes[e] & (MODE.bike | MODE.foot)).toBe(0);
      expect(network.data.edgeSpeedKmh[e]).toBeGreaterThanOrEqual(60);
      n++;
    }
    expect(n).toBeGreaterThan(500);
  });

  it('reports progress from 0 to 1, never going back', () => {
    expect(progress[0]).toBe(0);
    expect(progress[progress.length - 1]).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
  });
});

describe('importOsmPbf bad input', () => {
  const codeOf = async (file: string) => importOsmPbf(file).then(() => 'ok', (e: unknown) => (e instanceof UrbanflowError ? `${e.code}: ${e.message}` : String(e)));
  it('missing, truncated and foreign files are INVALID_FILE, not crashes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'uf-osm-'));
    const pbf = await readFile(DEFAULT_PBF);
    await writeFile(join(dir, 'cut.pbf'), pbf.subarray(0, 1_000_000));
    await writeFile(join(dir, 'cut-header.pbf'), pbf.subarray(0, 10));
    await writeFile(join(dir, 'text.pbf'), 'this is not a pbf file at all');
    const garbled = Buffer.from(pbf);
    for (let i = 200_000; i < 200_400; i++) garbled[i] = 0x55;
    await writeFile(join(dir, 'garbled.pbf'), garbled);
    expect(await codeOf(join(dir, 'none.pbf'))).toMatch(/^INVALID_FILE: .*cannot read \(ENOENT\)/);
    expect(await codeOf(join(dir, 'cut.pbf'))).toMatch(/^INVALID_FILE: .*truncated/);
    expect(await codeOf(join(dir, 'cut-header.pbf'))).toMatch(/^INVALID_FILE: .*truncated/);
    expect(await codeOf(join(dir, 'text.pbf'))).toMatch(/^INVALID_FILE: .*not an OSM PBF file/);
    expect(await codeOf(join(dir, 'garbled.pbf'))).toMatch(/^INVALID_FILE: /);
  });
});

describe('importOsmPbf with nodes missing from the file', () => {
  it('cuts the ways at the gaps, counts them in a warning, and still builds a network', async () => {
    const pbf = await readFile(DEFAULT_PBF);
    const blocks = listPbfBlocks(pbf);
    expect(blocks[0].type).toBe('OSMHeader');
    expect(blocks[blocks.length - 1].end).toBe(pbf.length);
    // drop the second data block (nodes): a real PBF whose ways reference nodes it lacks
    const dropped = blocks[2];
    const dir = await mkdtemp(join(tmpdir(), 'uf-osm-missing-'));
    const file = join(dir, 'holes.osm.pbf');
    await writeFile(file, Buffer.concat([pbf.subarray(0, dropped.start), pbf.subarray(dropped.end)]));
    const { network: n, report: r } = await importOsmPbf(file);
    expect(r.nodesRead).toBeLessThan(164_598);
    expect(r.missingNodeRefs).toBeGreaterThan(0);
    expect(r.waysWithMissingNodes).toBeGreaterThan(0);
    expect(r.warnings.join('\n')).toMatch(/nodes missing from the file/);
    expect(n.edgeCount).toBeGreaterThan(10_000);
  });
});
