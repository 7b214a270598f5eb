import { MultiDirectedGraph } from 'graphology';
import type { RoadNetworkData } from './road-network-data.js';
import { ROAD_CLASSES, type RoadClass, FOOT_SPEED_KMH, BIKE_SPEED_KMH } from './road-classes.js';
import { MODE, modesToNames, type ModeName } from './modes.js';
import { createLiveWeights, type LiveWeightsWriter, type ReadonlyLiveWeights } from './live-weights.js';

export interface NodeAttributes {
  id: number;
  lon: number;
  lat: number;
  externalId: number;
}

export interface EdgeAttributes {
  id: number;
  length: number;
  freeFlowSeconds: number;
  roadClass: RoadClass;
  speedKmh: number;
  lanes: number;
  capacity: number;
  modes: ModeName[];
  maxWeight: number;
  maxHeight: number;
  name: string;
  ref: string;
  geometry: [number, number][];
}

/** Multi: OSM has parallel edges (two ways between the same junctions) and self-loops (closed ways). */
export type RoadGraph = MultiDirectedGraph<NodeAttributes, EdgeAttributes>;

/**
 * One city's road network, loaded once per process. The columns (RoadNetworkData) are the
 * compact form every hot loop reads; `graph` is the graphology model of the same network
 * (node key = String(node id), edge key = String(edge id)), materialised on first use so that
 * loading a snapshot stays fast. Adjacency is CSR: the edges leaving node v are
 * outEdges[outOffsets[v] .. outOffsets[v+1]), those entering it inEdges[inOffsets[v] ..).
 */
export class RoadNetwork {
  readonly data: RoadNetworkData;
  readonly outOffsets: Uint32Array;
  readonly outEdges: Uint32Array;
  readonly inOffsets: Uint32Array;
  readonly inEdges: Uint32Array;
  private readonly liveWriter: LiveWeightsWriter;
  private graphCache: RoadGraph | undefined;

  constructor(data: RoadNetworkData) {
    this.data = data;
    [this.outOffsets, this.outEdges] = buildCsr(data.nodeCount, data.edgeFrom);
    [this.inOffsets, this.inEdges] = buildCsr(data.nodeCount, data.edgeTo);
    this.liveWriter = createLiveWeights(data.edgeFreeFlowSeconds);
  }

  get nodeCount(): number {
    return this.data.nodeCount;
  }

  get edgeCount(): number {
    return this.data.edgeCount;
  }

  /** What every service but traffic sees of live travel times. */
  get live(): ReadonlyLiveWeights {
    return this.liveWriter;
  }

  /** Handed to the traffic service only (the composition root decides). */
  liveWriterForTraffic(): LiveWeightsWriter {
    return this.liveWriter;
  }

  allows(edge: number, mode: ModeName): boolean {
    return (this.data.edgeModes[edge] & MODE[mode]) !== 0;
  }

  edgeName(edge: number): string {
    return this.data.strings[this.data.edgeName[edge]] ?? '';
  }

  edgeRef(edge: number): string {
    return this.data.strings[this.data.edgeRef[edge]] ?? '';
  }

  roadClass(edge: number): RoadClass {
    return ROAD_CLASSES[this.data.edgeRoadClass[edge]] ?? 'other';
  }

  /** Shape of an edge as [lon, lat] pairs, end points included. */
  edgeGeometry(edge: number): [number, number][] {
    const { geomOffsets, geomCoords } = this.data;
    const out: [number, number][] = [];
    for (let i = geomOffsets[edge]; i < geomOffsets[edge + 1]; i++) {
      out.push([geomCoords[2 * i], geomCoords[2 * i + 1]]);
    }
    return out;
  }

  /**
   * Travel time of an edge for a mode: live time for car and truck, length over a
   * walking or cycling speed for foot and bike (capped by the road's own speed).
   */
  modeSeconds(edge: number, mode: ModeName): number {
    const d = this.data;
    if (mode === 'foot') return d.edgeLength[edge] / (FOOT_SPEED_KMH / 3.6);
    if (mode === 'bike') return d.edgeLength[edge] / (Math.min(BIKE_SPEED_KMH, d.edgeSpeedKmh[edge] || BIKE_SPEED_KMH) / 3.6);
    return this.liveWriter.seconds[edge];
  }

  edgeAttributes(edge: number): EdgeAttributes {
    const d = this.data;
    return {
      id: edge,
      length: d.edgeLength[edge],
      freeFlowSeconds: d.edgeFreeFlowSeconds[edge],
      roadClass: this.roadClass(edge),
      speedKmh: d.edgeSpeedKmh[edge],
      lanes: d.edgeLanes[edge],
      capacity: d.edgeCapacity[edge],
      modes: modesToNames(d.edgeModes[edge]),
      maxWeight: d.edgeMaxWeight[edge],
      maxHeight: d.edgeMaxHeight[edge],
      name: this.edgeName(edge),
      ref: this.edgeRef(edge),
      geometry: this.edgeGeometry(edge),
    };
  }

  /** The graphology model of this network, built on first use. */
  get graph(): RoadGraph {
    if (!this.graphCache) this.graphCache = this.buildGraph();
    return this.graphCache;
  }

  private buildGraph(): RoadGraph {
    const d = this.data;
    // DirectedGraph with { multi: true } throws ('inconsistent indication'); the multi class is the way
    const g: RoadGraph = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>({ allowSelfLoops: true });
    for (let v = 0; v < d.nodeCount; v++) {
      g.addNode(String(v), { id: v, lon: d.nodeLon[v], lat: d.nodeLat[v], externalId: d.nodeExternalId[v] });
    }
    for (let e = 0; e < d.edgeCount; e++) {
      g.addDirectedEdgeWithKey(String(e), String(d.edgeFrom[e]), String(d.edgeTo[e]), this.edgeAttributes(e));
    }
    return g;
  }
}

function buildCsr(nodeCount: number, endpoint: Uint32Array): [Uint32Array, Uint32Array] {
  const offsets = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < endpoint.length; e++) offsets[endpoint[e] + 1]++;
  for (let v = 0; v < nodeCount; v++) offsets[v + 1] += offsets[v];
  const cursor = offsets.slice(0, nodeCount);
  const edges = new Uint32Array(endpoint.length);
  for (let e = 0; e < endpoint.length; e++) edges[cursor[endpoint[e]]++] = e;
  return [offsets, edges];
}
