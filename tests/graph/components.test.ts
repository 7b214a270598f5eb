import { describe, expect, it } from 'vitest';
import { RoadNetworkBuilder, MODE, TURN_RESTRICTION_STRIDE } from '../../core/graph/index.js';
import { keepLargestComponents, stronglyConnectedComponents } from '../../core/graph/components.js';

const { car, foot } = MODE;

function small() {
  const b = new RoadNetworkBuilder();
  for (let i = 0; i < 6; i++) b.addNode(8 + i * 0.001, 49 + (i % 2) * 0.001, 100 + i);
  const e = (from: number, to: number, modes: number) => b.addEdge({ from, to, modes, roadClass: 'residential', externalId: 1000 + b.edgeCount, via: [[8.0005 + from * 0.001, 49.0005]] });
  e(0, 1, car | foot); // e0
  e(1, 2, car | foot); // e1
  e(2, 0, car | foot); // e2
  e(2, 3, car | foot); // e3: car dead end into 3
  e(3, 2, foot); // e4
  e(4, 5, car); // e5: a separate car island
  e(5, 4, car); // e6
  b.addTurnRestriction(0, 1, 1, car);
  b.addTurnRestriction(5, 5, 6, car);
  return b.build({ source: 'hand' });
}

describe('keepLargestComponents', () => {
  it('clears each mode outside its largest SCC, drops empty edges and nodes, renumbers', () => {
    const before = small();
    const { network: n, stats } = keepLargestComponents(before);
    expect(stats.car).toEqual({ edgesBefore: 6, components: 3, largestNodes: 3, largestEdges: 3, secondNodes: 2 });
    expect(stats.foot!.largestNodes).toBe(4);
    expect(n.nodeCount).toBe(4);
    expect(n.edgeCount).toBe(5);
    expect(Array.from(n.data.nodeExternalId)).toEqual([100, 101, 102, 103]);
    expect(Array.from(n.data.edgeExternalId)).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(Array.from(n.data.edgeModes)).toEqual([car | foot, car | foot, car | foot, foot, foot]);
    // geometry and other columns follow their edge
    for (let e = 0; e < n.edgeCount; e++) expect(n.edgeGeometry(e)).toEqual(before.edgeGeometry(e));
    // the restriction inside the kept component survives, the island's is gone
    expect(Array.from(n.data.turnRestrictions!)).toEqual([0, 1, 1, car]);
    expect(n.data.meta.components).toEqual(stats);
  });
});

describe('stronglyConnectedComponents', () => {
  it('agrees with mutual reachability on random graphs', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 20; round++) {
      const nodes = 40;
      const b = new RoadNetworkBuilder();
      for (let i = 0; i < nodes; i++) b.addNode(8 + rnd() * 0.1, 49 + rnd() * 0.1);
      const adj: number[][] = Array.from({ length: nodes }, () => []);
      for (let k = 0; k < 70; k++) {
        const from = Math.floor(rnd() * nodes);
        const to = Math.floor(rnd() * nodes);
        const modes = rnd() < 0.8 ? car : foot;
        b.addEdge({ from, to, modes, roadClass: 'residential' });
        if (modes === car) adj[from].push(to);
      }
      const net = b.build();
      const { componentOf } = stronglyConnectedComponents(net, 'car');
      const reach = adj.map((_, s) => {
        const seen = new Set([s]);
        const stack = [s];
        while (stack.length) for (const w of adj[stack.pop()!]) if (!seen.has(w)) { seen.add(w); stack.push(w); }
        return seen;
      });
      const touched = new Set(adj.flatMap((out, v) => (out.length ? [v, ...out] : [])));
      for (let u = 0; u < nodes; u++) {
        expect(componentOf[u] >= 0).toBe(touched.has(u));
        for (let v = 0; v < nodes; v++) {
          if (!touched.has(u) || !touched.has(v)) continue;
          expect(componentOf[u] === componentOf[v]).toBe(reach[u].has(v) && reach[v].has(u));
        }
      }
    }
  });

  it('handles a 100k-node chain without overflowing the stack', () => {
    const b = new RoadNetworkBuilder();
    const n = 100_000;
    for (let i = 0; i < n; i++) b.addNode(8 + (i % 1000) * 1e-4, 49 + Math.floor(i / 1000) * 1e-4);
    for (let i = 0; i + 1 < n; i++) b.addEdge({ from: i, to: i + 1, modes: car, roadClass: 'residential', length: 1 });
    b.addEdge({ from: n - 1, to: 0, modes: car, roadClass: 'residential', length: 1 });
    const { sizes } = stronglyConnectedComponents(b.build(), 'car');
    expect(sizes).toEqual([n]);
  });
});

describe('TURN_RESTRICTION_STRIDE', () => {
  it('is 4: from, via, to, modes', () => expect(TURN_RESTRICTION_STRIDE).toBe(4));
});

describe('RoadNetwork.graph (graphology model)', () => {
  it('builds with parallel edges and self-loops, as OSM networks have', () => {
    const b = new RoadNetworkBuilder();
    b.addNode(8, 49);
    b.addNode(8.001, 49);
    b.addEdge({ from: 0, to: 1, modes: car, roadClass: 'residential' });
    b.addEdge({ from: 0, to: 1, modes: car, roadClass: 'primary', via: [[8.0005, 49.0005]] });
    b.addEdge({ from: 1, to: 1, modes: foot, roadClass: 'residential', via: [[8.002, 49.001], [8.002, 49]] });
    const g = b.build().graph;
    expect(g.order).toBe(2);
    expect(g.size).toBe(3);
    expect(g.edges('0', '1').sort()).toEqual(['0', '1']);
    expect(g.getEdgeAttribute('1', 'roadClass')).toBe('primary');
    expect(g.getEdgeAttribute('2', 'modes')).toEqual(['foot']);
  });
});
