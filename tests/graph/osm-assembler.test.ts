import { describe, expect, it } from 'vitest';
import { OsmAssembler } from '../../core/graph/osm/osm-assembler.js';
import type { OsmElement } from '../../core/graph/osm/pbf-reader.js';
import { MODE, TURN_RESTRICTION_STRIDE, type RoadNetwork } from '../../core/graph/index.js';

/** nodes on a small grid: id -> [lon, lat] */
function nodes(coords: Record<number, [number, number]>): OsmElement[] {
  return Object.entries(coords).map(([id, [lon, lat]]) => ({ type: 'node', id: Number(id), lon, lat }));
}
function way(id: number, refs: number[], tags: Record<string, string> = { highway: 'residential' }): OsmElement {
  return { type: 'way', id, refs, tags };
}
function build(elements: OsmElement[]) {
  const a = new OsmAssembler();
  a.add(elements);
  return a.build();
}
const ext = (n: RoadNetwork, v: number) => n.data.nodeExternalId[v];
/** edges as "fromOsm>toOsm" strings for readable assertions */
function edgeList(n: RoadNetwork): string[] {
  const out: string[] = [];
  for (let e = 0; e < n.edgeCount; e++) out.push(`${ext(n, n.data.edgeFrom[e])}>${ext(n, n.data.edgeTo[e])}`);
  return out.sort();
}

const grid = nodes({ 1: [8.0, 49.0], 2: [8.001, 49.0], 3: [8.002, 49.0], 4: [8.003, 49.0], 5: [8.001, 49.001], 6: [8.001, 49.002], 7: [8.002, 49.001] });

describe('OsmAssembler: splitting ways at junctions', () => {
  it('splits where another way uses a node, folds the rest into geometry', () => {
    // way 10 runs 1-2-3-4; way 11 runs 2-5-6 (meets way 10 at node 2); node 3 is a shape point
    const { network, report } = build([...grid, way(10, [1, 2, 3, 4]), way(11, [2, 5, 6])]);
    expect(network.nodeCount).toBe(4); // 1, 2, 4, 6 are junctions or ends; 3 and 5 are shape
    expect(edgeList(network)).toEqual(['1>2', '2>1', '2>4', '2>6', '4>2', '6>2']);
    const e24 = edgeList(network).indexOf('2>4');
    const e = [...Array(network.edgeCount).keys()].find((i) => `${ext(network, network.data.edgeFrom[i])}>${ext(network, network.data.edgeTo[i])}` === '2>4')!;
    expect(e24).toBeGreaterThanOrEqual(0);
    expect(network.edgeGeometry(e)).toEqual([[8.001, 49.0], [8.002, 49.0], [8.003, 49.0]]);
    expect(network.data.edgeExternalId[e]).toBe(10);
    // length follows the geometry: two segments of 0.001 degrees of longitude at 49 N
    expect(network.data.edgeLength[e]).toBeCloseTo(2 * 72.95, 0);
    expect(report.waysKept).toBe(2);
  });

  it('a oneway way gives one car edge per piece, plus foot edges back', () => {
    const { network } = build([...grid, way(10, [1, 2, 3], { highway: 'residential', oneway: 'yes' })]);
    expect(network.edgeCount).toBe(2);
    const fwd = network.data.edgeFrom[0] === 0 ? 0 : 1;
    expect(network.data.edgeModes[fwd]).toBe(MODE.car | MODE.truck | MODE.bike | MODE.foot);
    expect(network.data.edgeModes[1 - fwd]).toBe(MODE.foot);
    expect(network.edgeGeometry(1 - fwd)).toEqual([[8.002, 49.0], [8.001, 49.0], [8.0, 49.0]]);
  });

  it('cuts ways at nodes missing from the file and counts them instead of crashing', () => {
    // node 99 does not exist: way 10 becomes 1-2 and 3-4
    const { network, report } = build([...grid, way(10, [1, 2, 99, 3, 4]), way(12, [98, 97])]);
    expect(report.missingNodeRefs).toBe(3);
    expect(report.waysWithMissingNodes).toBe(2);
    expect(report.waysDropped).toBe(1);
    expect(edgeList(network)).toEqual(['1>2', '2>1', '3>4', '4>3']);
  });

  it('ignores a node repeated back to back and keeps the way end', () => {
    const { network } = build([...grid, way(10, [1, 2, 2, 3])]);
    expect(edgeList(network)).toEqual(['1>3', '3>1']);
  });

  it('a closed way meeting nothing becomes a loop at its first node', () => {
    const { network } = build([...grid, way(10, [2, 3, 7, 5, 2], { highway: 'residential', junction: 'roundabout' })]);
    // a roundabout is one way for vehicles; pedestrians may walk it both ways
    expect(network.edgeCount).toBe(2);
    expect(network.data.edgeModes[0]).toBe(MODE.car | MODE.truck | MODE.bike | MODE.foot);
    expect(network.data.edgeModes[1]).toBe(MODE.foot);
    expect(network.data.edgeFrom[0]).toBe(network.data.edgeTo[0]);
    expect(network.edgeGeometry(0)).toHaveLength(5);
  });

  it('skips ways with no routable highway tag and ways closed to every mode', () => {
    const { network, report } = build([...grid, way(10, [1, 2]), way(11, [2, 3], { building: 'yes' }), way(12, [3, 4], { highway: 'service', access: 'private' })]);
    expect(report.waysKept).toBe(1);
    expect(edgeList(network)).toEqual(['1>2', '2>1']);
  });
});

describe('OsmAssembler: turn restrictions', () => {
  // a crossroads at node 2: west arm 1-2, east arm 2-3, north arm 2-5
  const cross = [...grid, way(20, [1, 2]), way(21, [2, 3]), way(22, [2, 5])];
  const restriction = (id: number, kind: string, from: number, via: number, to: number, extra: Record<string, string> = {}): OsmElement => ({
    type: 'relation', id,
    members: [{ type: 'way', ref: from, role: 'from' }, { type: 'node', ref: via, role: 'via' }, { type: 'way', ref: to, role: 'to' }],
    tags: { type: 'restriction', restriction: kind, ...extra },
  });
  const triples = (n: RoadNetwork) => {
    const t = n.data.turnRestrictions!;
    const out: string[] = [];
    for (let k = 0; k < t.length; k += TURN_RESTRICTION_STRIDE) {
      out.push(`${ext(n, n.data.edgeFrom[t[k]])}>${ext(n, t[k + 1])}>${ext(n, n.data.edgeTo[t[k + 2]])}:${t[k + 3]}`);
    }
    return out.sort();
  };

  it('no_left_turn becomes one ban for vehicles (from edge into the via node, to edge out of it)', () => {
    const { network, report } = build([...cross, restriction(1, 'no_left_turn', 20, 2, 22)]);
    expect(report.restrictionsApplied).toBe(1);
    expect(triples(network)).toEqual([`1>2>5:${MODE.car | MODE.truck | MODE.bike}`]);
  });

  it('only_straight_on bans every other exit, U-turn included', () => {
    const { network } = build([...cross, restriction(1, 'only_straight_on', 20, 2, 21)]);
    const v = MODE.car | MODE.truck | MODE.bike;
    expect(triples(network)).toEqual([`1>2>1:${v}`, `1>2>5:${v}`]);
  });

  it('except=bicycle and restriction:hgv narrow the modes', () => {
    expect(triples(build([...cross, restriction(1, 'no_left_turn', 20, 2, 22, { except: 'bicycle' })]).network)).toEqual([`1>2>5:${MODE.car | MODE.truck}`]);
    const hgv: OsmElement = { ...restriction(2, 'x', 20, 2, 22), tags: { type: 'restriction', 'restriction:hgv': 'no_left_turn' } } as OsmElement;
    expect(triples(build([...cross, hgv]).network)).toEqual([`1>2>5:${MODE.truck}`]);
  });

  it('counts restrictions it cannot apply (via way, members that do not meet)', () => {
    const viaWay: OsmElement = { type: 'relation', id: 3, members: [{ type: 'way', ref: 20, role: 'from' }, { type: 'way', ref: 21, role: 'via' }, { type: 'way', ref: 22, role: 'to' }], tags: { type: 'restriction', restriction: 'no_u_turn' } };
    const { report, network } = build([...cross, viaWay, restriction(4, 'no_left_turn', 20, 3, 22)]);
    expect(report.restrictionsSkipped).toBe(2);
    expect(network.data.turnRestrictions!.length).toBe(0);
  });
});
