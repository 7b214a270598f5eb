import { describe, expect, it } from 'vitest';
import { parseTntpNet, parseTntpTrips } from '../../../core/tntp/index.js';
import { assign, assignmentNetworkFromTntp, createAssignmentNetwork, demandFromTriples } from '../../../services/traffic/assignment/index.js';

/**
 * Zones 1, 2, 3 and junctions 4, 5. Through zone 2 (1 -> 2 -> 3) costs 2; round it
 * (1 -> 4 -> 5 -> 3) costs 30 at free flow. With FIRST THRU NODE 4 the short way is forbidden
 * for 1 -> 3 but allowed for trips that start at 2.
 */
function handMade(firstThru: number): string {
  const links = [
    [1, 2, 1],
    [2, 3, 1],
    [1, 4, 10],
    [4, 5, 10],
    [5, 3, 10],
    [3, 1, 5],
  ];
  return [
    '<NUMBER OF ZONES> 3',
    '<NUMBER OF NODES> 5',
    `<FIRST THRU NODE> ${firstThru}`,
    `<NUMBER OF LINKS> ${links.length}`,
    '<END OF METADATA>',
    '~ init term capacity length fft b power speed toll type ;',
    ...links.map(([i, j, t]) => `\t${i}\t${j}\t1000\t1\t${t}\t0.15\t4\t0\t0\t1\t;`),
    '',
  ].join('\n');
}
const TRIPS = ['<NUMBER OF ZONES> 3', '<TOTAL OD FLOW> 150.0', '<END OF METADATA>', '', 'Origin 1', '3 : 100.0;', 'Origin 2', '3 : 50.0;', ''].join('\n');

describe('first-thru-node rule', () => {
  const trips = parseTntpTrips(TRIPS, 'trips.tntp');
  const demand = { zoneCount: 3, classes: [{ vehicleClass: { name: 'car' }, od: trips.od }] };
  for (const algorithm of ['b', 'bfw'] as const) {
    it(`${algorithm}: zones below FIRST THRU NODE are not passed through`, () => {
      const net = assignmentNetworkFromTntp(parseTntpNet(handMade(4), 'net.tntp'));
      const r = assign(net, demand, { algorithm, gap: 1e-9 });
      // 1 -> 3 goes round (100 on 1-4, 4-5, 5-3); 2 -> 3 uses its own out-link
      expect(r.volumes[0]).toBeCloseTo(0, 9); // 1-2
      expect(r.volumes[1]).toBeCloseTo(50, 9); // 2-3
      expect(r.volumes[2]).toBeCloseTo(100, 9); // 1-4
      expect(r.volumes[4]).toBeCloseTo(100, 9); // 5-3
      expect(r.unreachableTrips).toBe(0);
    });
  }
  it('with FIRST THRU NODE 1 the short way through zone 2 is taken', () => {
    const net = assignmentNetworkFromTntp(parseTntpNet(handMade(1), 'net.tntp'));
    const r = assign(net, demand, { gap: 1e-9 });
    expect(r.volumes[0]).toBeCloseTo(100, 9);
    expect(r.volumes[1]).toBeCloseTo(150, 9);
    expect(r.volumes[2]).toBeCloseTo(0, 9);
  });
  it('trips that cannot reach their destination are reported, not assigned', () => {
    // no link into zone 1: 3 -> 1 exists, so drop it and ask for 2 -> 1
    const net = assignmentNetworkFromTntp(parseTntpNet(handMade(4).replace(/^\t3\t1\t.*$/m, '').replace('<NUMBER OF LINKS> 6', '<NUMBER OF LINKS> 5'), 'net.tntp'));
    const t = parseTntpTrips(TRIPS.replace('<TOTAL OD FLOW> 150.0', '<TOTAL OD FLOW> 160.0').replace('3 : 50.0;', '3 : 50.0; 1 : 10.0;'), 'trips.tntp');
    for (const algorithm of ['b', 'bfw'] as const) {
      const r = assign(net, { zoneCount: 3, classes: [{ vehicleClass: { name: 'car' }, od: t.od }] }, { algorithm, gap: 1e-8 });
      expect(r.unreachableTrips).toBe(10);
      expect(r.relativeGap).toBeLessThan(1e-8);
      expect(r.volumes[2]).toBeCloseTo(100, 6);
    }
  });
});

describe('several vehicle classes', () => {
  // two parallel routes 0 -> 1 (direct, tolled) and 0 -> 2 -> 1; trucks may not use the detour's first link
  const net = createAssignmentNetwork({
    nodeCount: 3,
    linkFrom: [0, 0, 2],
    linkTo: [1, 2, 1],
    freeFlowTime: [10, 6, 6],
    capacity: [100, 100, 100],
    toll: [4, 0, 0],
    zoneNode: [0, 1],
  });
  const cars = { name: 'car', tollFactor: 1 };
  const trucks = { name: 'truck', pce: 2.5, tollFactor: 0, allowedLinks: Uint8Array.from([1, 0, 1]) };
  const od = (n: number) => Float64Array.from([0, n, 0, 0]);
  const demand = { zoneCount: 2, classes: [{ vehicleClass: cars, od: od(150) }, { vehicleClass: trucks, od: od(20) }] };

  for (const algorithm of ['b', 'bfw'] as const) {
    it(`${algorithm}: each class is at its own equilibrium with its own generalized cost`, () => {
      const r = assign(net, demand, { algorithm, gap: 1e-10, maxIterations: 20000 });
      expect(r.relativeGap).toBeLessThan(1e-10);
      const [car, truck] = r.classVolumes;
      expect(truck[0]).toBeCloseTo(20, 6);
      expect(truck[1]).toBeCloseTo(0, 9);
      // total flow counts trucks in pce
      expect(r.volumes[0]).toBeCloseTo(car[0] + 2.5 * truck[0], 6);
      // cars split so that both of their routes cost the same (time + toll)
      expect(car[0]).toBeGreaterThan(1);
      expect(car[1]).toBeGreaterThan(1);
      expect(r.costs[0] + 4).toBeCloseTo(r.costs[1] + r.costs[2], 6);
    });
  }

  it('demand from triples names zones by id and rejects unknown zones', () => {
    const d = demandFromTriples(net, [{ origin: 1, destination: 2, trips: 5 }]);
    expect(Array.from(d.classes[0].od)).toEqual([0, 5, 0, 0]);
    expect(() => demandFromTriples(net, [{ origin: 1, destination: 9, trips: 5 }])).toThrow(/unknown zone '9'/);
    expect(() => demandFromTriples(net, [{ origin: 1, destination: 2, trips: -1 }])).toThrow(/non-negative/);
  });
});
