import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultNetwork } from '../../core/graph/default-network.js';
import { EdgeSnapper, getSnapper, boxAround, type Snap } from '../../core/graph/snap/index.js';
import { haversineMetres, MODE, MODE_NAMES, RoadNetworkBuilder, type ModeName, type RoadNetwork } from '../../core/graph/index.js';
import { UrbanflowError } from '../../core/errors/index.js';

let net: RoadNetwork;
let snapper: EdgeSnapper;
beforeAll(async () => {
  net = await loadDefaultNetwork();
  snapper = getSnapper(net);
});

/** the linear-scan oracle: project the point onto every edge of the mode, keep those within maxDistance */
function oracleAll(lon: number, lat: number, mode: ModeName, maxDistance = Infinity): Snap[] {
  const out: Snap[] = [];
  let best: Snap | undefined;
  for (let e = 0; e < net.edgeCount; e++) {
    if (!(net.data.edgeModes[e] & MODE[mode])) continue;
    const s = snapper.snapToEdge(lon, lat, e);
    if (s.distance <= maxDistance) out.push(s);
    if (!best || s.distance < best.distance) best = s;
  }
  if (maxDistance === Infinity) return best ? [best] : [];
  return out.sort((a, b) => a.distance - b.distance || a.edge - b.edge);
}

let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

describe('EdgeSnapper on the Rhein-Neckar network', () => {
  it('nearest() equals the linear-scan oracle on random points, for every mode', () => {
    for (let i = 0; i < 40; i++) {
      const lon = 8.15 + rnd() * 0.7;
      const lat = 49.3 + rnd() * 0.35;
      const mode = MODE_NAMES[i % 4];
      const want = oracleAll(lon, lat, mode)[0];
      const got = snapper.nearest(lon, lat, mode)!;
      expect(got.distance).toBe(want.distance);
      expect(got.edge).toBe(want.edge);
      expect([got.lon, got.lat, got.offset, got.fraction]).toEqual([want.lon, want.lat, want.offset, want.fraction]);
      expect(MODE[mode] & net.data.edgeModes[got.edge]).not.toBe(0);
    }
  });

  it('within() returns exactly the snaps the oracle finds inside the radius, closest first, for every mode', () => {
    for (let i = 0; i < 12; i++) {
      const lon = 8.45 + rnd() * 0.25;
      const lat = 49.4 + rnd() * 0.1;
      const mode = MODE_NAMES[i % 4];
      const want = oracleAll(lon, lat, mode, 150);
      const got = snapper.within(lon, lat, 150, mode);
      expect(got.map((s) => s.edge)).toEqual(want.map((s) => s.edge));
      expect(got).toEqual(want);
      expect(snapper.within(lon, lat, 150, mode, 3)).toEqual(got.slice(0, 3));
    }
  });

  it('a point far outside the network still finds the nearest road, and maxDistance cuts it off', () => {
    const want = oracleAll(9.2, 49.9, 'car')[0];
    const got = snapper.nearest(9.2, 49.9, 'car')!;
    expect(got.edge).toBe(want.edge);
    expect(got.distance).toBeGreaterThan(30_000);
    expect(snapper.nearest(9.2, 49.9, 'car', 1000)).toBeUndefined();
  });

  it('a point exactly on a vertex snaps at distance 0 and within() returns both directions of a two-way road', () => {
    // find a two-way car road: an edge whose reverse twin exists
    let e = 0;
    let twin = -1;
    for (; e < net.edgeCount && twin < 0; e++) {
      if (!net.allows(e, 'car')) continue;
      for (let k = net.outOffsets[net.data.edgeTo[e]]; k < net.outOffsets[net.data.edgeTo[e] + 1]; k++) {
        const f = net.outEdges[k];
        if (net.data.edgeTo[f] === net.data.edgeFrom[e] && net.allows(f, 'car') && net.data.edgeExternalId[f] === net.data.edgeExternalId[e]) twin = f;
      }
    }
    e--;
    const g = net.edgeGeometry(e);
    expect(g.length).toBeGreaterThanOrEqual(2);
    // the midpoint of the first segment lies on both edges
    const [lon, lat] = [(g[0][0] + g[1][0]) / 2, (g[0][1] + g[1][1]) / 2];
    const both = snapper.within(lon, lat, 0.5, 'car').map((s) => s.edge);
    expect(both).toContain(e);
    expect(both).toContain(twin);
    // on the start vertex: distance 0, offset 0 on the edge, fraction 1 on its twin
    const at = snapper.within(g[0][0], g[0][1], 0.01, 'car');
    const onE = at.find((s) => s.edge === e)!;
    const onTwin = at.find((s) => s.edge === twin)!;
    expect(onE.distance).toBe(0);
    expect(onE.offset).toBe(0);
    expect(onTwin.fraction).toBeCloseTo(1, 9);
    expect(snapper.nearest(g[0][0], g[0][1], 'car')!.distance).toBe(0);
  });

  it('offset and fraction are measured along the geometry', () => {
    for (let i = 0; i < 20; i++) {
      const s = snapper.nearest(8.45 + rnd() * 0.2, 49.4 + rnd() * 0.1, 'foot')!;
      const g = net.edgeGeometry(s.edge);
      // walk the geometry to the projected point
      let best = Infinity;
      let along = 0;
      let at = 0;
      for (let k = 0; k + 1 < g.length; k++) {
        const seg = haversineMetres(g[k][0], g[k][1], g[k + 1][0], g[k + 1][1]);
        const d1 = haversineMetres(g[k][0], g[k][1], s.lon, s.lat);
        const d2 = haversineMetres(s.lon, s.lat, g[k + 1][0], g[k + 1][1]);
        if (d1 + d2 - seg < best) {
          best = d1 + d2 - seg;
          at = along + d1;
        }
        along += seg;
      }
      expect(s.offset).toBeCloseTo(at, 0);
      expect(s.fraction).toBeCloseTo(at / along, 3);
      expect(s.fraction).toBeGreaterThanOrEqual(0);
      expect(s.fraction).toBeLessThanOrEqual(1);
    }
  });

  it('getSnapper shares one index per network', () => {
    expect(getSnapper(net)).toBe(snapper);
  });

  it('rejects bad coordinates and modes with INVALID_INPUT naming the field', () => {
    const fields = [() => snapper.nearest(NaN, 49, 'car'), () => snapper.nearest(8, 91, 'car'), () => snapper.nearest(8, 49, 'boat' as ModeName), () => snapper.within(8, 49, -1, 'car')].map((f) => {
      try {
        f();
        return 'no error';
      } catch (e) {
        expect(e).toBeInstanceOf(UrbanflowError);
        return (e as UrbanflowError).field;
      }
    });
    expect(fields).toEqual(['lon', 'lat', 'mode', 'radius']);
  });
});

describe('EdgeSnapper edge cases', () => {
  it('an empty network snaps nothing', () => {
    const s = new EdgeSnapper(new RoadNetworkBuilder().build());
    expect(s.nearest(8, 49, 'car')).toBeUndefined();
    expect(s.within(8, 49, 100, 'car')).toEqual([]);
  });
  it('a network without the mode snaps nothing for it', () => {
    const b = new RoadNetworkBuilder();
    b.addNode(8, 49);
    b.addNode(8.01, 49);
    b.addEdge({ from: 0, to: 1, modes: MODE.foot, roadClass: 'footway' });
    const s = new EdgeSnapper(b.build());
    expect(s.nearest(8.005, 49.001, 'car')).toBeUndefined();
    expect(s.nearest(8.005, 49.001, 'foot')!.fraction).toBeCloseTo(0.5, 2);
  });
  it('boxAround contains every point at the radius', () => {
    for (const lat of [0, 49, 70, -60]) {
      const [minX, minY, maxX, maxY] = boxAround(10, lat, 5000);
      for (let b = 0; b < 360; b += 5) {
        // the point 5 km away in bearing b
        const d = 5000 / 6_371_008.8;
        const la1 = (lat * Math.PI) / 180;
        const br = (b * Math.PI) / 180;
        const la2 = Math.asin(Math.sin(la1) * Math.cos(d) + Math.cos(la1) * Math.sin(d) * Math.cos(br));
        const lo2 = 10 + (Math.atan2(Math.sin(br) * Math.sin(d) * Math.cos(la1), Math.cos(d) - Math.sin(la1) * Math.sin(la2)) * 180) / Math.PI;
        expect(lo2).toBeGreaterThanOrEqual(minX - 1e-12);
        expect(lo2).toBeLessThanOrEqual(maxX + 1e-12);
        expect((la2 * 180) / Math.PI).toBeGreaterThanOrEqual(minY - 1e-12);
        expect((la2 * 180) / Math.PI).toBeLessThanOrEqual(maxY + 1e-12);
      }
    }
  });
});
