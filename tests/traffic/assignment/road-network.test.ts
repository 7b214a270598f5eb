import { describe, expect, it } from 'vitest';
import { generateCity } from '../../../core/sim/index.js';
import { MODE } from '../../../core/graph/index.js';
import { assignRoadNetwork, assignmentNetworkFromRoad } from '../../../services/traffic/assignment/index.js';

const city = generateCity({ size: 3000, seed: 7 });
const network = city.network;
const d = network.data;
const zones = city.zones.map((z) => ({ id: z.id, node: z.node }));
const demand = { zones, trips: city.demand };

function imbalance(volumes: Float64Array, zoneNodes: Set<number>): number {
  const bal = new Float64Array(network.nodeCount);
  for (let e = 0; e < d.edgeCount; e++) {
    bal[d.edgeFrom[e]] += volumes[e];
    bal[d.edgeTo[e]] -= volumes[e];
  }
  let worst = 0;
  for (let v = 0; v < network.nodeCount; v++) if (!zoneNodes.has(v)) worst = Math.max(worst, Math.abs(bal[v]));
  return worst;
}

describe('assignment on the simulated city (RoadNetwork)', () => {
  const cold = assignRoadNetwork(network, demand, { gap: 1e-6 });
  const zoneNodes = new Set(city.zones.map((z) => z.node));

  it('converges, loads only car edges and conserves flow at every junction', () => {
    expect(cold.converged).toBe(true);
    expect(cold.gap).toBeLessThan(1e-6);
    expect(cold.unreachableTrips).toBe(0);
    let carEdges = 0;
    for (let e = 0; e < d.edgeCount; e++) {
      if ((d.edgeModes[e] & MODE.car) === 0) expect(cold.volumes[e]).toBe(0);
      else carEdges++;
      expect(cold.costs[e]).toBeGreaterThanOrEqual(d.edgeFreeFlowSeconds[e] - 1e-9);
    }
    expect(carEdges).toBeGreaterThan(0);
    expect(imbalance(cold.volumes, zoneNodes)).toBeLessThan(1e-6);
    const total = city.demand.reduce((s, x) => s + x.trips, 0);
    expect(cold.totalSystemTravelTime).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(0);
  });

  it('re-assigns after a capacity cut, warm-started, in fewer iterations than cold', () => {
    let busiest = 0;
    for (let e = 1; e < d.edgeCount; e++) if (cold.volumes[e] > cold.volumes[busiest]) busiest = e;
    const caps = Float64Array.from(d.edgeCapacity);
    caps[busiest] /= 4;
    const warm = assignRoadNetwork(network, demand, { gap: 1e-6, capacities: caps, warmStart: cold.warmStart });
    const fresh = assignRoadNetwork(network, demand, { gap: 1e-6, capacities: caps });
    expect(warm.gap).toBeLessThan(1e-6);
    expect(warm.volumes[busiest]).toBeLessThan(cold.volumes[busiest]);
    expect(warm.iterations).toBeLessThan(fresh.iterations);
    // both reach the same equilibrium (link flows of a strictly increasing cost UE are unique)
    expect(Math.abs(warm.volumes[busiest] - fresh.volumes[busiest])).toBeLessThan(1 + 1e-3 * fresh.volumes[busiest]);
  });

  it('a closed edge (capacity 0) carries nothing and costs Infinity', () => {
    let busiest = 0;
    for (let e = 1; e < d.edgeCount; e++) if (cold.volumes[e] > cold.volumes[busiest]) busiest = e;
    const caps = Float64Array.from(d.edgeCapacity);
    caps[busiest] = 0;
    const r = assignRoadNetwork(network, demand, { gap: 1e-5, capacities: caps, warmStart: cold.warmStart });
    expect(r.volumes[busiest]).toBe(0);
    expect(r.costs[busiest]).toBe(Infinity);
    expect(r.gap).toBeLessThan(1e-5);
    expect(imbalance(r.volumes, zoneNodes)).toBeLessThan(1e-6);
  });

  it('centroid zones with connectors: trips enter and leave through the listed nodes, never through a centroid', () => {
    const z2 = city.zones.slice(0, 6).map((z) => {
      const around = [z.node];
      for (let k = network.outOffsets[z.node]; k < network.outOffsets[z.node + 1]; k++) around.push(d.edgeTo[network.outEdges[k]]);
      return { id: `z${z.id}`, nodes: around };
    });
    const trips = [];
    for (const a of z2) for (const b of z2) if (a !== b) trips.push({ origin: a.id, destination: b.id, trips: 30 });
    const net = assignmentNetworkFromRoad(network, z2);
    expect(net.nodeCount).toBe(network.nodeCount + 6);
    expect(Array.from(net.zoneNode).every((v) => net.noThrough[v] === 1)).toBe(true);
    const r = assignRoadNetwork(network, { zones: z2, trips }, { gap: 1e-8 });
    expect(r.gap).toBeLessThan(1e-8);
    // every connected junction is balanced except the listed zone nodes
    expect(imbalance(r.volumes, new Set(z2.flatMap((z) => z.nodes)))).toBeLessThan(1e-6);
    let loaded = 0;
    for (let e = 0; e < d.edgeCount; e++) loaded += r.volumes[e];
    expect(loaded).toBeGreaterThan(0);
  });

  it('bad zones and capacities are INVALID_INPUT', () => {
    expect(() => assignRoadNetwork(network, { zones: [{ id: 1, node: -3 }], trips: [] })).toThrow(/not a node/);
    expect(() => assignRoadNetwork(network, { zones: [{ id: 1 }], trips: [] })).toThrow(/needs a node/);
    expect(() => assignRoadNetwork(network, demand, { capacities: new Float64Array(3) })).toThrow(/one entry per edge/);
    expect(() => assignRoadNetwork(network, { zones, trips: [{ origin: 1, destination: 999999, trips: 1 }] })).toThrow(/unknown zone/);
  });
});
