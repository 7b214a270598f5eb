import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultNetwork } from '../../core/graph/default-network.js';
import { bearingDegrees, getSnapper, type RoadNetwork } from '../../core/graph/index.js';
import { renderMulti } from '../../core/multi/index.js';
import { upstreamEdges } from '../../services/signage/upstream.js';
import { admin, makeService } from './fixture.js';

/**
 * On the real Rhein-Neckar road network (fixtures/osm): a motorway incident warns the sign
 * about 2 km upstream on the same carriageway and not the sign facing the other way.
 */
let network: RoadNetwork;
beforeAll(async () => {
  network = await loadDefaultNetwork();
}, 120_000);

function edgeBearing(n: RoadNetwork, e: number): number {
  const d = n.data;
  return bearingDegrees(d.nodeLon[d.edgeFrom[e]], d.nodeLat[d.edgeFrom[e]], d.nodeLon[d.edgeTo[e]], d.nodeLat[d.edgeTo[e]]);
}
const angle = (a: number, b: number) => {
  const x = Math.abs(a - b) % 360;
  return Math.min(x, 360 - x);
};

/** walk back along motorway edges (no U-turns) until `metres` are behind the incident */
function motorwayUpstream(n: RoadNetwork, inc: number, metres: number): { edge: number; metres: number } | undefined {
  const d = n.data;
  let e = inc;
  let acc = 0;
  for (let steps = 0; steps < 500; steps++) {
    const v = d.edgeFrom[e];
    let prev = -1;
    for (let k = n.inOffsets[v]; k < n.inOffsets[v + 1]; k++) {
      const p = n.inEdges[k];
      if (n.roadClass(p) === 'motorway' && d.edgeFrom[p] !== d.edgeTo[e]) prev = p;
    }
    if (prev < 0) return undefined;
    e = prev;
    if (acc >= metres) return { edge: e, metres: acc };
    acc += d.edgeLength[e];
  }
  return undefined;
}

function findScene(n: RoadNetwork) {
  const snapper = getSnapper(n);
  const d = n.data;
  for (let inc = 0; inc < n.edgeCount; inc++) {
    if (n.roadClass(inc) !== 'motorway' || !n.edgeRef(inc)) continue;
    const up = motorwayUpstream(n, inc, 2000);
    if (!up) continue;
    const lon = d.nodeLon[d.edgeTo[up.edge]];
    const lat = d.nodeLat[d.edgeTo[up.edge]];
    const b = edgeBearing(n, up.edge);
    const opposite = snapper.within(lon, lat, 80, 'car').find((s) => n.roadClass(s.edge) === 'motorway' && angle(edgeBearing(n, s.edge), b) > 150);
    if (opposite) return { inc, up, opposite: opposite.edge, lon, lat, bearing: b };
  }
  throw new Error('no motorway scene found');
}

describe('signage on the real Rhein-Neckar network', () => {
  it('warns the sign upstream on the same motorway carriageway only', async () => {
    const scene = findScene(network);
    const reach = upstreamEdges(network, [scene.inc], 5000);
    expect(reach.get(scene.up.edge)).toBeCloseTo(scene.up.metres, 0);
    expect(reach.has(scene.opposite)).toBe(false);

    const { service, bus } = makeService({ network });
    await service.start({ schedules: false });
    const base = { name: 'motorway sign', type: 'full' as const, width: 120, height: 27, groups: ['motorway'] };
    // registered by position and bearing: the snapper must pick the right carriageway
    const same = await service.createSign({ ...base, id: 'same', lon: scene.lon, lat: scene.lat, bearing: scene.bearing }, admin);
    const other = await service.createSign({ ...base, id: 'other', lon: scene.lon, lat: scene.lat, bearing: (scene.bearing + 180) % 360 }, admin);
    // the point is where two edges of the carriageway meet: either is the same carriageway
    expect(network.roadClass(same.edge)).toBe('motorway');
    expect(angle(edgeBearing(network, same.edge), scene.bearing)).toBeLessThan(60);
    expect(reach.has(same.edge)).toBe(true);
    expect(angle(edgeBearing(network, other.edge), scene.bearing)).toBeGreaterThan(120);
    expect(reach.has(other.edge)).toBe(false);
    const metres = reach.get(same.edge)!;
    const d = network.data;
    await bus.publish('traffic:incident', {
      action: 'opened',
      incident: { id: 'real-1', edges: [scene.inc], lon: d.nodeLon[d.edgeFrom[scene.inc]], lat: d.nodeLat[d.edgeFrom[scene.inc]], kind: 'accident', severity: 4, closed: false },
    });
    await service.settle();
    const shown = service.getSign('same').state.multi;
    const km = Math.round(metres / 1000);
    expect(shown).toContain('ACCIDENT');
    expect(shown).toContain(`IN ${km} KM`);
    expect(shown).toContain('USE DIVERSION');
    expect(shown.replace(/\s/g, '')).toContain(network.edgeRef(scene.inc).toUpperCase().replace(/\s/g, ''));
    expect(renderMulti(shown, same.face).errors).toEqual([]);
    expect(service.getSign('other').state.multi).toBe('');
    await service.stop();
  });
});
