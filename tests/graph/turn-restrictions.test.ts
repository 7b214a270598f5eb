import { describe, expect, it } from 'vitest';
import { RoadNetworkBuilder, MODE, turnRestrictionLookup, type RoadNetwork, type ModeName } from '../../core/graph/index.js';
import { readSnapshot, writeSnapshot } from '../../core/graph/snapshot.js';
import { keepLargestComponents } from '../../core/graph/components.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 *   0 --e0--> 1 --e1--> 2
 *             |         |
 *            e2        e3
 *             v         v
 *             3 --e4--> 4
 * plus a long way round 0 -> 5 -> 3 (e5, e6). Banning the right turn e0 -> e2 at node 1 forces
 * 0 -> 3 via node 5 for cars; bikes are not bound by this restriction.
 */
function network(): RoadNetwork {
  const b = new RoadNetworkBuilder();
  const pts: [number, number][] = [[8, 49.002], [8.002, 49.002], [8.004, 49.002], [8.002, 49], [8.004, 49], [8, 49]];
  for (const [x, y] of pts) b.addNode(x, y);
  const all = MODE.car | MODE.bike;
  b.addEdge({ from: 0, to: 1, modes: all, roadClass: 'residential' });
  b.addEdge({ from: 1, to: 2, modes: all, roadClass: 'residential' });
  b.addEdge({ from: 1, to: 3, modes: all, roadClass: 'residential' });
  b.addEdge({ from: 2, to: 4, modes: all, roadClass: 'residential' });
  b.addEdge({ from: 3, to: 4, modes: all, roadClass: 'residential' });
  b.addEdge({ from: 0, to: 5, modes: all, roadClass: 'residential' });
  b.addEdge({ from: 5, to: 3, modes: all, roadClass: 'residential' });
  b.addTurnRestriction(0, 1, 2, MODE.car);
  return b.build();
}

/** edge-based Dijkstra (labels on edges) honouring the bans: the way docs/graph.md says to consume them */
function route(n: RoadNetwork, mode: ModeName, from: number, to: number): number[] | undefined {
  const banned = turnRestrictionLookup(n.data, mode);
  const dist = new Float64Array(n.edgeCount).fill(Infinity);
  const prev = new Int32Array(n.edgeCount).fill(-1);
  const done = new Uint8Array(n.edgeCount);
  for (let k = n.outOffsets[from]; k < n.outOffsets[from + 1]; k++) {
    const e = n.outEdges[k];
    if (n.allows(e, mode)) dist[e] = n.data.edgeLength[e];
  }
  for (;;) {
    let e = -1;
    for (let i = 0; i < n.edgeCount; i++) if (!done[i] && dist[i] < Infinity && (e < 0 || dist[i] < dist[e])) e = i;
    if (e < 0) return undefined;
    done[e] = 1;
    if (n.data.edgeTo[e] === to) {
      const path = [];
      for (let x = e; x >= 0; x = prev[x]) path.unshift(x);
      return path;
    }
    const v = n.data.edgeTo[e];
    for (let k = n.outOffsets[v]; k < n.outOffsets[v + 1]; k++) {
      const f = n.outEdges[k];
      if (!n.allows(f, mode) || banned.isBanned(e, f)) continue;
      if (dist[e] + n.data.edgeLength[f] < dist[f]) {
        dist[f] = dist[e] + n.data.edgeLength[f];
        prev[f] = e;
      }
    }
  }
}

describe('turn restrictions', () => {
  it('an edge-based search avoids a banned turn for the modes it binds, not for others', () => {
    const n = network();
    expect(turnRestrictionLookup(n.data, 'car').size).toBe(1);
    expect(turnRestrictionLookup(n.data, 'bike').size).toBe(0);
    expect(route(n, 'bike', 0, 3)).toEqual([0, 2]);
    expect(route(n, 'car', 0, 3)).toEqual([5, 6]);
    // the ban is only for that pair: straight on is still fine
    expect(route(n, 'car', 0, 2)).toEqual([0, 1]);
  });

  it('survive a snapshot round trip and the component filter', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'uf-tr-'));
    const f = join(dir, 'tr.graph');
    await writeSnapshot(network(), f);
    const back = await readSnapshot(f);
    expect(route(back, 'car', 0, 3)).toEqual([5, 6]);
    // node 4 is a sink and 0 a source: the filter leaves no car component with the banned turn
    const { network: kept } = keepLargestComponents(back, ['car', 'bike']);
    expect(turnRestrictionLookup(kept.data, 'car').size).toBe(0);
  });

  it('a network without the column bans nothing', () => {
    const n = network();
    const { turnRestrictions, ...rest } = n.data;
    void turnRestrictions;
    expect(turnRestrictionLookup(rest, 'car').isBanned(0, 2)).toBe(false);
  });
});
