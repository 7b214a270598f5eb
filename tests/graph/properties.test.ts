import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { interpretWay } from '../../core/graph/osm/way-tags.js';
import { OsmAssembler } from '../../core/graph/osm/osm-assembler.js';
import { encodeSnapshot, decodeSnapshot } from '../../core/graph/snapshot.js';
import { keepLargestComponents } from '../../core/graph/components.js';
import { RoadNetwork, MODE, haversineMetres, type RoadNetworkData } from '../../core/graph/index.js';
import type { OsmElement } from '../../core/graph/osm/pbf-reader.js';

const tagValue = fc.constantFrom(undefined, 'yes', 'no', 'private', 'destination', '-1', 'designated', 'use_sidepath', 'agricultural;forestry', 'weird');
const tagsArb = fc.record({
  highway: fc.constantFrom('motorway', 'motorway_link', 'trunk', 'primary', 'residential', 'living_street', 'service', 'track', 'cycleway', 'footway', 'path', 'construction'),
  oneway: fc.constantFrom(undefined, 'yes', 'no', '-1', '1', 'true', 'reversible'),
  access: tagValue, motor_vehicle: tagValue, vehicle: tagValue, hgv: tagValue, bicycle: tagValue, foot: tagValue,
  junction: fc.constantFrom(undefined, 'roundabout'),
  'oneway:bicycle': fc.constantFrom(undefined, 'no', 'yes'),
  maxspeed: fc.constantFrom(undefined, '30', '50 mph', 'none', 'walk', 'DE:urban', 'garbage'),
  lanes: fc.constantFrom(undefined, '1', '2', '3', '0', 'x'),
}, { requiredKeys: ['highway'] });

const clean = (t: Record<string, string | undefined>) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as Record<string, string>;

describe('interpretWay invariants', () => {
  it('oneway never constrains pedestrians; it removes motor vehicles from the other direction', () => {
    fc.assert(fc.property(tagsArb, (raw) => {
      const tags = clean(raw);
      const p = interpretWay(tags);
      if (!p) return;
      // foot is symmetric unless oneway:foot (never generated here)
      expect(p.forward.modes & MODE.foot).toBe(p.backward.modes & MODE.foot);
      const oneway = tags.oneway ?? (tags.highway.startsWith('motorway') || tags.junction === 'roundabout' ? 'yes' : 'no');
      if (['yes', '1', 'true'].includes(oneway)) expect(p.backward.modes & (MODE.car | MODE.truck)).toBe(0);
      if (oneway === '-1') expect(p.forward.modes & (MODE.car | MODE.truck)).toBe(0);
      expect(p.forward.speedKmh).toBeGreaterThan(0);
      expect(p.forward.lanes).toBeGreaterThanOrEqual(1);
      expect(p.forward.capacity).toBeGreaterThanOrEqual(0);
      expect(p.forward.modes | p.backward.modes).not.toBe(0);
    }), { numRuns: 2000 });
  });

  it('access=no/private with no more specific tag closes every mode', () => {
    fc.assert(fc.property(tagsArb, fc.constantFrom('no', 'private'), (raw, closed) => {
      const tags = clean({ ...raw, access: closed, motor_vehicle: undefined, vehicle: undefined, hgv: undefined, bicycle: undefined, foot: undefined });
      expect(interpretWay(tags)).toBeUndefined();
    }), { numRuns: 300 });
  });
});

/** random small OSM data: nodes on a grid, ways over random node sequences */
const osmArb = fc.record({
  ways: fc.array(fc.record({
    refs: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 2, maxLength: 8 }),
    tags: tagsArb,
  }), { minLength: 1, maxLength: 25 }),
});

function assemble(ways: { refs: number[]; tags: Record<string, string | undefined> }[]) {
  const elements: OsmElement[] = [];
  for (let id = 1; id <= 30; id++) elements.push({ type: 'node', id, lon: 8 + (id % 6) * 0.001, lat: 49 + Math.floor(id / 6) * 0.001 });
  ways.forEach((w, i) => elements.push({ type: 'way', id: 100 + i, refs: w.refs, tags: clean(w.tags) }));
  const a = new OsmAssembler();
  a.add(elements);
  return a.build().network;
}

describe('assembler, component filter and snapshot on random OSM data', () => {
  it('edges join at junctions only, geometry ends at the edge nodes, and the snapshot round-trips', () => {
    fc.assert(fc.property(osmArb, ({ ways }) => {
      const n = assemble(ways);
      const d = n.data;
      for (let e = 0; e < d.edgeCount; e++) {
        const a = d.geomOffsets[e];
        const b = d.geomOffsets[e + 1] - 1;
        expect([d.geomCoords[2 * a], d.geomCoords[2 * a + 1]]).toEqual([d.nodeLon[d.edgeFrom[e]], d.nodeLat[d.edgeFrom[e]]]);
        expect([d.geomCoords[2 * b], d.geomCoords[2 * b + 1]]).toEqual([d.nodeLon[d.edgeTo[e]], d.nodeLat[d.edgeTo[e]]]);
        expect(d.edgeModes[e]).not.toBe(0);
      }
      // splitting conserves length: a way's edges add up to its length once per open direction
      ways.forEach((w, i) => {
        const p = interpretWay(clean(w.tags));
        let total = 0;
        for (let e = 0; e < d.edgeCount; e++) if (d.edgeExternalId[e] === 100 + i) total += d.edgeLength[e];
        if (!p) return expect(total).toBe(0);
        const pos = (id: number) => [8 + (id % 6) * 0.001, 49 + Math.floor(id / 6) * 0.001];
        let len = 0;
        for (let k = 1; k < w.refs.length; k++) len += haversineMetres(...(pos(w.refs[k - 1]) as [number, number]), ...(pos(w.refs[k]) as [number, number]));
        const dirs = (p.forward.modes ? 1 : 0) + (p.backward.modes ? 1 : 0);
        expect(total).toBeCloseTo(dirs * len, 6);
      });
      const back = new RoadNetwork(decodeSnapshot(encodeSnapshot(n)));
      for (const key of Object.keys(d) as (keyof RoadNetworkData)[]) {
        const v = d[key];
        if (ArrayBuffer.isView(v)) expect(Array.from(back.data[key] as Uint8Array)).toEqual(Array.from(v as Uint8Array));
      }
      // after the filter, every mode's edges form one strongly connected component (or none)
      const { network: kept } = keepLargestComponents(n);
      const again = keepLargestComponents(kept);
      expect(again.network.edgeCount).toBe(kept.edgeCount);
      expect(again.network.nodeCount).toBe(kept.nodeCount);
    }), { numRuns: 200 });
  });
});
