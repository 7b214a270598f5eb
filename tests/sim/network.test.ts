import { describe, expect, it } from 'vitest';
import { generateCity } from '../../core/sim/index.js';
import { MODE } from '../../core/graph/modes.js';
import { haversineMetres } from '../../core/graph/geo.js';
import { isUrbanflowError } from '../../core/errors/index.js';
import { modeNodes, reachable } from './helpers.js';

const city = generateCity({ size: 2000, seed: 1 });
const net = city.network;
const d = net.data;

function hasEdge(from: number, to: number, bit: number): boolean {
  for (let p = net.outOffsets[from]; p < net.outOffsets[from + 1]; p++) {
    const e = net.outEdges[p];
    if (d.edgeTo[e] === to && d.edgeModes[e] & bit) return true;
  }
  return false;
}

describe('generateCity: determinism', () => {
  it('gives identical columns, zones, demand and lines for the same seed and size', () => {
    const again = generateCity({ size: 2000, seed: 1 });
    const a = again.network.data;
    expect(a.edgeCount).toBe(d.edgeCount);
    expect(Buffer.from(a.edgeFrom.buffer).equals(Buffer.from(d.edgeFrom.buffer))).toBe(true);
    expect(Buffer.from(a.edgeTo.buffer).equals(Buffer.from(d.edgeTo.buffer))).toBe(true);
    expect(Buffer.from(a.nodeLon.buffer).equals(Buffer.from(d.nodeLon.buffer))).toBe(true);
    expect(Buffer.from(a.edgeLength.buffer).equals(Buffer.from(d.edgeLength.buffer))).toBe(true);
    expect(a.strings).toEqual(d.strings);
    expect(again.zones).toEqual(city.zones);
    expect(again.demand).toEqual(city.demand);
    expect(again.busLines).toEqual(city.busLines);
    expect(again.hubs).toEqual(city.hubs);
    expect(again.customers).toEqual(city.customers);
    expect(again.bridges).toEqual(city.bridges);
  });

  it('gives a different city for a different seed', () => {
    const other = generateCity({ size: 2000, seed: 2 });
    const o = other.network.data;
    const sameLon = o.nodeCount === d.nodeCount && Buffer.from(o.nodeLon.buffer).equals(Buffer.from(d.nodeLon.buffer));
    expect(sameLon).toBe(false);
    expect(other.customers.map((c) => c.node)).not.toEqual(city.customers.map((c) => c.node));
  });
});

describe('generateCity: size', () => {
  it.each([300, 2000, 5000])('asks for ~%i edges and gets within 30 %%', (size) => {
    const c = size === 2000 ? city : generateCity({ size, seed: 7 });
    expect(c.network.edgeCount).toBeGreaterThan(size * 0.7);
    expect(c.network.edgeCount).toBeLessThan(size * 1.3);
  });

  it('rejects bad options with INVALID_INPUT naming the field', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ size: 10, seed: 1 }, 'size'],
      [{ size: Number.NaN, seed: 1 }, 'size'],
      [{ size: 1e9, seed: 1 }, 'size'],
      [{ size: 500, seed: Infinity }, 'seed'],
      [{ size: 500, seed: 1, centre: [200, 45] }, 'centre'],
      [{ size: 500, seed: 1, centre: [0, 89] }, 'centre'],
      [{ size: 500, seed: 1, centre: [0] }, 'centre'],
    ];
    for (const [opts, field] of cases) {
      let err: unknown;
      try {
        generateCity(opts as never);
      } catch (e) {
        err = e;
      }
      expect(isUrbanflowError(err), JSON.stringify(opts)).toBe(true);
      expect((err as { code: string }).code).toBe('INVALID_INPUT');
      expect((err as { field: string }).field).toBe(field);
    }
  });
});

describe('generateCity: roads', () => {
  it('is strongly connected for cars (every car node reaches and is reached by every other)', () => {
    const car = modeNodes(net, MODE.car);
    const start = city.zones[0].node;
    const fwd = reachable(net, start, MODE.car);
    const bwd = reachable(net, start, MODE.car, { reverse: true });
    let carCount = 0;
    for (let v = 0; v < d.nodeCount; v++) {
      if (!car[v]) continue;
      carCount++;
      expect(fwd[v] && bwd[v], `node ${v}`).toBeTruthy();
    }
    expect(carCount).toBeGreaterThan(0.9 * d.nodeCount);
  });

  it('stays strongly connected for cars over many seeds and sizes', () => {
    for (const [size, seed] of [[300, 3], [300, 11], [800, 5], [1500, 42], [3000, 9], [4000, 123]]) {
      const c = generateCity({ size, seed });
      const car = modeNodes(c.network, MODE.car);
      const start = c.zones[0].node;
      const fwd = reachable(c.network, start, MODE.car);
      const bwd = reachable(c.network, start, MODE.car, { reverse: true });
      for (let v = 0; v < c.network.nodeCount; v++) if (car[v]) expect(fwd[v] && bwd[v], `size ${size} seed ${seed} node ${v}`).toBeTruthy();
    }
  });

  it('crosses the river only on the bridge edges: without them the banks are apart', () => {
    const north = city.layout.northBank;
    const bridges = new Set(city.bridges);
    expect(bridges.size).toBeGreaterThan(0);
    for (const e of city.bridges) expect(north[d.edgeFrom[e]]).not.toBe(north[d.edgeTo[e]]);
    const car = modeNodes(net, MODE.car);
    const south = city.zones.find((z) => !north[z.node])!.node;
    const without = reachable(net, south, MODE.car, { blocked: bridges });
    const withThem = reachable(net, south, MODE.car);
    let northCar = 0;
    for (let v = 0; v < d.nodeCount; v++) {
      if (!car[v] || !north[v]) continue;
      northCar++;
      expect(without[v], `north node ${v} reached without a bridge`).toBe(0);
      expect(withThem[v]).toBe(1);
    }
    expect(northCar).toBeGreaterThan(0);
    // few bridges: only some arterials continue across (bridges are counted per direction)
    const carBridges = city.bridges.filter((e) => d.edgeModes[e] & MODE.car).length;
    expect(carBridges).toBeLessThan(city.layout.gridSize);
    // one carries the motorway, some are foot and cycle only
    expect(city.bridges.some((e) => net.roadClass(e) === 'motorway')).toBe(true);
    expect(city.bridges.some((e) => net.roadClass(e) === 'cycleway' && !(d.edgeModes[e] & MODE.car))).toBe(true);
  });

  it('makes one-way pairs: car one way, the parallel street the other way, bikes and walkers both ways', () => {
    const ow = city.layout.oneWayEdges;
    expect(ow.length).toBeGreaterThan(0);
    let east = 0, west = 0, north = 0, south = 0;
    for (const e of ow) {
      const a = d.edgeFrom[e], b = d.edgeTo[e];
      expect(d.edgeModes[e] & MODE.car).toBeTruthy();
      expect(hasEdge(b, a, MODE.car), `edge ${e} has a car edge back`).toBe(false);
      expect(hasEdge(b, a, MODE.bike) && hasEdge(b, a, MODE.foot)).toBe(true);
      const dx = d.nodeLon[b] - d.nodeLon[a], dy = d.nodeLat[b] - d.nodeLat[a];
      if (Math.abs(dx) > Math.abs(dy)) {
        if (dx > 0) east++;
        else west++;
      } else if (dy > 0) north++;
      else south++;
    }
    // pairs: both directions occur on the one-way streets of each orientation
    expect(east > 0 === west > 0).toBe(true);
    expect(north > 0 === south > 0).toBe(true);
    expect(east + north).toBeGreaterThan(0);
  });

  it('lets cars onto motorways only through ramps joining arterials or the ring', () => {
    const mw = new Set<number>();
    for (let e = 0; e < d.edgeCount; e++) if (net.roadClass(e) === 'motorway') mw.add(d.edgeFrom[e]).add(d.edgeTo[e]);
    expect(mw.size).toBeGreaterThan(0);
    for (const v of mw) {
      for (let p = net.inOffsets[v]; p < net.inOffsets[v + 1]; p++) {
        const cls = net.roadClass(net.inEdges[p]);
        expect(['motorway', 'motorway_link']).toContain(cls);
      }
      for (let p = net.outOffsets[v]; p < net.outOffsets[v + 1]; p++) expect(['motorway', 'motorway_link']).toContain(net.roadClass(net.outEdges[p]));
    }
    let ramps = 0;
    for (let e = 0; e < d.edgeCount; e++) {
      if (net.roadClass(e) !== 'motorway_link') continue;
      ramps++;
      expect(d.edgeModes[e] & (MODE.bike | MODE.foot)).toBe(0);
      // one end on the motorway, the other on an arterial junction or the ring road
      const a = d.edgeFrom[e], b = d.edgeTo[e];
      expect(mw.has(a) !== mw.has(b)).toBe(true);
      const street = mw.has(a) ? b : a;
      const classes = new Set<string>();
      for (let p = net.outOffsets[street]; p < net.outOffsets[street + 1]; p++) classes.add(net.roadClass(net.outEdges[p]));
      expect([...classes].some((c) => ['primary', 'secondary', 'trunk'].includes(c)), `ramp ${e} joins ${[...classes]}`).toBe(true);
    }
    expect(ramps).toBeGreaterThanOrEqual(4);
    // motorway carriageways are one way and closed to bikes and walkers
    for (let e = 0; e < d.edgeCount; e++) {
      if (net.roadClass(e) !== 'motorway') continue;
      expect(d.edgeModes[e]).toBe(MODE.car | MODE.truck);
      expect(hasEdge(d.edgeTo[e], d.edgeFrom[e], MODE.car)).toBe(false);
    }
  });

  it('opens every non-motorway road to bikes and walkers in both directions', () => {
    for (let e = 0; e < d.edgeCount; e++) {
      const cls = net.roadClass(e);
      if (cls === 'motorway' || cls === 'motorway_link' || !(d.edgeModes[e] & MODE.car)) continue;
      expect(d.edgeModes[e] & MODE.bike && d.edgeModes[e] & MODE.foot, `edge ${e}`).toBeTruthy();
      expect(hasEdge(d.edgeTo[e], d.edgeFrom[e], MODE.bike | MODE.foot), `edge ${e} back`).toBe(true);
    }
  });

  it('has realistic blocks, faster and wider arterials, a named ring road, truck limits and car-free streets', () => {
    const byClass = new Map<string, { speed: number; lanes: number; n: number }>();
    for (let e = 0; e < d.edgeCount; e++) {
      const cls = net.roadClass(e);
      if (cls === 'residential') {
        expect(d.edgeLength[e]).toBeGreaterThanOrEqual(100);
        expect(d.edgeLength[e]).toBeLessThanOrEqual(200);
        // the stored length agrees with the coordinates
        const geo = haversineMetres(d.nodeLon[d.edgeFrom[e]], d.nodeLat[d.edgeFrom[e]], d.nodeLon[d.edgeTo[e]], d.nodeLat[d.edgeTo[e]]);
        expect(Math.abs(geo - d.edgeLength[e])).toBeLessThan(0.01 * d.edgeLength[e]);
      }
      const s = byClass.get(cls) ?? { speed: 0, lanes: 0, n: 0 };
      s.speed += d.edgeSpeedKmh[e];
      s.lanes += d.edgeLanes[e];
      s.n++;
      byClass.set(cls, s);
    }
    const avg = (c: string, k: 'speed' | 'lanes') => byClass.get(c)![k] / byClass.get(c)!.n;
    expect(avg('primary', 'speed')).toBeGreaterThan(avg('residential', 'speed'));
    expect(avg('primary', 'lanes')).toBeGreaterThan(avg('residential', 'lanes'));
    expect(avg('trunk', 'speed')).toBeGreaterThan(avg('primary', 'speed'));
    expect(avg('motorway', 'speed')).toBeGreaterThan(avg('trunk', 'speed'));
    const names = new Set<string>();
    for (let e = 0; e < d.edgeCount; e++) {
      if (net.roadClass(e) === 'trunk') expect(net.edgeName(e)).toBe('Ring Road');
      names.add(net.edgeName(e));
    }
    expect([...names].some((n) => /^\d+(st|nd|rd|th) Avenue$/.test(n))).toBe(true);
    expect([...names].some((n) => /^\d+(st|nd|rd|th) Street$/.test(n))).toBe(true);
    let weight = 0, height = 0, pedestrian = 0;
    for (let e = 0; e < d.edgeCount; e++) {
      if (d.edgeMaxWeight[e] > 0) weight++;
      if (d.edgeMaxHeight[e] > 0) height++;
      if (net.roadClass(e) === 'pedestrian') {
        pedestrian++;
        expect(d.edgeModes[e]).toBe(MODE.foot);
      }
    }
    expect(weight).toBeGreaterThan(0);
    expect(height + weight).toBeGreaterThan(2);
    expect(pedestrian).toBeGreaterThan(0);
  });

  it('forbids some left turns at primary crossings and every car edge still reaches every other', () => {
    for (const c of [city, generateCity({ size: 5000, seed: 17 })]) {
      const n = c.network;
      const dd = n.data;
      const tr = dd.turnRestrictions ?? new Uint32Array(0);
      expect(tr.length / 4).toBe(c.layout.turnRestrictions);
      expect(c.layout.turnRestrictions).toBeGreaterThan(0);
      const banned = new Set<number>();
      for (let k = 0; k < tr.length; k += 4) {
        const [e, v, f, modes] = [tr[k], tr[k + 1], tr[k + 2], tr[k + 3]];
        expect(dd.edgeTo[e]).toBe(v);
        expect(dd.edgeFrom[f]).toBe(v);
        expect(n.roadClass(e)).toBe('primary');
        expect(n.roadClass(f)).toBe('primary');
        expect(modes & MODE.car).toBeTruthy();
        // a left turn: counter-clockwise from the incoming direction
        const u = dd.edgeFrom[e], w = dd.edgeTo[f];
        const cross = (dd.nodeLon[v] - dd.nodeLon[u]) * (dd.nodeLat[w] - dd.nodeLat[v]) - (dd.nodeLat[v] - dd.nodeLat[u]) * (dd.nodeLon[w] - dd.nodeLon[v]);
        expect(cross).toBeGreaterThan(0);
        banned.add(e * dd.edgeCount + f);
      }
      // edge-based search honouring the restrictions, forwards and backwards from one car edge
      const carEdges: number[] = [];
      for (let e = 0; e < dd.edgeCount; e++) if (dd.edgeModes[e] & MODE.car) carEdges.push(e);
      const sweep = (reverse: boolean) => {
        const seen = new Uint8Array(dd.edgeCount);
        const stack = [carEdges[0]];
        seen[carEdges[0]] = 1;
        while (stack.length) {
          const e = stack.pop()!;
          const v = reverse ? dd.edgeFrom[e] : dd.edgeTo[e];
          const offs = reverse ? n.inOffsets : n.outOffsets;
          const list = reverse ? n.inEdges : n.outEdges;
          for (let p = offs[v]; p < offs[v + 1]; p++) {
            const f = list[p];
            if (seen[f] || !(dd.edgeModes[f] & MODE.car)) continue;
            if (banned.has(reverse ? f * dd.edgeCount + e : e * dd.edgeCount + f)) continue;
            seen[f] = 1;
            stack.push(f);
          }
        }
        return seen;
      };
      const fwd = sweep(false), bwd = sweep(true);
      expect(carEdges.filter((e) => !fwd[e] || !bwd[e])).toEqual([]);
    }
  });

  it('places the city around the centre it is given', () => {
    const c = generateCity({ size: 500, seed: 3, centre: [8.47, 49.49] });
    const { nodeLon, nodeLat, nodeCount } = c.network.data;
    let lon = 0, lat = 0;
    for (let v = 0; v < nodeCount; v++) {
      lon += nodeLon[v];
      lat += nodeLat[v];
    }
    expect(Math.abs(lon / nodeCount - 8.47)).toBeLessThan(0.02);
    expect(Math.abs(lat / nodeCount - 49.49)).toBeLessThan(0.02);
    expect(c.centre).toEqual([8.47, 49.49]);
    expect(city.centre).toEqual([0, 45]);
  });
});
