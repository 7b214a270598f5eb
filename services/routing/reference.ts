import createGraph, { type Graph } from 'ngraph.graph';
import ngraphPath from 'ngraph.path';
import type { RoadNetwork } from '../../core/graph/road-network.js';
import type { ArcWeights } from './weights.js';
import type { Terminal } from './dijkstra.js';

interface LinkData {
  /** arc code, or -1 for the virtual links of the terminals */
  code: number;
  cost: number;
  term: number;
}

export type ReferenceGraph = Graph<unknown, LinkData>;

const SOURCE = -1;
const TARGET = -2;

/**
 * ngraph.graph of a mode's usable arcs. ngraph keeps only the last of two parallel links, so
 * parallels are deduplicated first, keeping the cheaper (DESIGN.md pitfall).
 */
export function buildReferenceGraph(network: RoadNetwork, w: ArcWeights, blocked: Uint8Array | null = null): ReferenceGraph {
  const g = createGraph<unknown, LinkData>();
  const d = network.data;
  const best = new Map<number, LinkData>();
  const add = (a: number, b: number, code: number, cost: number) => {
    if (a === b || !(cost < Infinity)) return;
    const key = a * d.nodeCount + b;
    const old = best.get(key);
    if (!old || cost < old.cost) best.set(key, { code, cost, term: -1 });
  };
  for (let e = 0; e < d.edgeCount; e++) {
    if (blocked && blocked[e]) continue;
    add(d.edgeFrom[e], d.edgeTo[e], 2 * e, w.fwd[e]);
    if (w.rev) add(d.edgeTo[e], d.edgeFrom[e], 2 * e + 1, w.rev[e]);
  }
  for (let v = 0; v < d.nodeCount; v++) g.addNode(v);
  for (const [key, data] of best) g.addLink(Math.floor(key / d.nodeCount), key % d.nodeCount, data);
  return g;
}

export interface ReferencePath {
  seconds: number;
  arcs: number[];
  sourceIndex: number;
  targetIndex: number;
}

/**
 * ngraph.path NBA* between terminal sets: two virtual nodes are linked to the terminals for the
 * search and removed afterwards. find() returns the path from target back to source.
 */
export function referenceSearch(g: ReferenceGraph, sources: Terminal[], targets: Terminal[]): ReferencePath | null {
  const link = (a: number, b: number, cost: number, term: number) => {
    const old = g.getLink(a, b);
    if (old && old.data.cost <= cost) return;
    if (old) g.removeLink(old);
    g.addLink(a, b, { code: -1, cost, term });
  };
  g.addNode(SOURCE);
  g.addNode(TARGET);
  sources.forEach((s, i) => {
    if (s.seconds < Infinity) link(SOURCE, s.node, s.seconds, i);
  });
  targets.forEach((t, i) => {
    if (t.seconds < Infinity) link(t.node, TARGET, t.seconds, i);
  });
  try {
    const finder = ngraphPath.nba<unknown, LinkData>(g, { oriented: true, distance: (_f, _t, l) => l.data.cost });
    const nodes = finder.find(SOURCE, TARGET).reverse();
    if (nodes.length < 2) return null;
    const arcs: number[] = [];
    let seconds = 0;
    let sourceIndex = -1;
    let targetIndex = -1;
    for (let i = 0; i + 1 < nodes.length; i++) {
      const l = g.getLink(nodes[i].id, nodes[i + 1].id)!;
      seconds += l.data.cost;
      if (l.data.code >= 0) arcs.push(l.data.code);
      else if (i === 0) sourceIndex = l.data.term;
      else targetIndex = l.data.term;
    }
    return { seconds, arcs, sourceIndex, targetIndex };
  } finally {
    g.removeNode(SOURCE);
    g.removeNode(TARGET);
  }
}
