import type { RoadNetworkData } from './road-network-data.js';
import { RoadNetwork } from './road-network.js';
import { roadClassDefaults, roadClassIndex, ROAD_CLASSES, type RoadClass } from './road-classes.js';
import { haversineMetres } from './geo.js';

export interface EdgeInput {
  from: number;
  to: number;
  roadClass: RoadClass | string;
  modes: number;
  /** metres; measured along the geometry when omitted */
  length?: number;
  speedKmh?: number;
  /** seconds; length / speed when omitted */
  freeFlowSeconds?: number;
  lanes?: number;
  /** vehicles per hour for the whole edge; lanes x per-class default when omitted */
  capacity?: number;
  maxWeight?: number;
  maxHeight?: number;
  name?: string;
  ref?: string;
  bprAlpha?: number;
  bprBeta?: number;
  toll?: number;
  externalId?: number;
  /** shape points between the end points, as [lon, lat] */
  via?: [number, number][];
}

/**
 * Accumulates nodes and edges and freezes them into a RoadNetwork. All importers (OSM, TNTP,
 * GeoJSON, the simulated city) go through this one door, so the defaults live in one place.
 */
export class RoadNetworkBuilder {
  private lon: number[] = [];
  private lat: number[] = [];
  private nodeExt: number[] = [];
  private edges: EdgeInput[] = [];
  private stringIndex = new Map<string, number>([['', 0]]);
  private strings: string[] = [''];
  private restrictions: number[] = [];

  get nodeCount(): number {
    return this.lon.length;
  }

  get edgeCount(): number {
    return this.edges.length;
  }

  addNode(lon: number, lat: number, externalId = -1): number {
    if (!Number.isFinite(lon) || lon < -180 || lon > 180) throw new RangeError(`node lon must be between -180 and 180, got ${lon}`);
    if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new RangeError(`node lat must be between -90 and 90, got ${lat}`);
    this.lon.push(lon);
    this.lat.push(lat);
    this.nodeExt.push(externalId);
    return this.lon.length - 1;
  }

  nodePosition(node: number): [number, number] {
    return [this.lon[node], this.lat[node]];
  }

  addEdge(edge: EdgeInput): number {
    if (edge.from < 0 || edge.from >= this.lon.length) throw new RangeError(`edge.from ${edge.from} is not a node`);
    if (edge.to < 0 || edge.to >= this.lon.length) throw new RangeError(`edge.to ${edge.to} is not a node`);
    this.edges.push(edge);
    return this.edges.length - 1;
  }

  /** Forbid turning from edge `fromEdge` onto `toEdge` at `viaNode` for the given MODE bits. */
  addTurnRestriction(fromEdge: number, viaNode: number, toEdge: number, modes: number): void {
    const e = this.edges[fromEdge];
    const t = this.edges[toEdge];
    if (!e || !t) throw new RangeError(`turn restriction edges ${fromEdge} -> ${toEdge} must exist`);
    if (e.to !== viaNode || t.from !== viaNode) throw new RangeError(`turn restriction ${fromEdge} -> ${toEdge} does not meet at node ${viaNode}`);
    this.restrictions.push(fromEdge, viaNode, toEdge, modes);
  }

  private intern(s: string | undefined): number {
    if (!s) return 0;
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  buildData(meta: Record<string, unknown> = {}): RoadNetworkData {
    const n = this.lon.length;
    const m = this.edges.length;
    let shapeCount = 0;
    for (const e of this.edges) shapeCount += 2 + (e.via?.length ?? 0);
    const d: RoadNetworkData = {
      nodeCount: n,
      edgeCount: m,
      nodeLon: Float64Array.from(this.lon),
      nodeLat: Float64Array.from(this.lat),
      nodeExternalId: Float64Array.from(this.nodeExt),
      edgeFrom: new Uint32Array(m),
      edgeTo: new Uint32Array(m),
      edgeLength: new Float64Array(m),
      edgeFreeFlowSeconds: new Float64Array(m),
      edgeSpeedKmh: new Float32Array(m),
      edgeLanes: new Uint8Array(m),
      edgeCapacity: new Float64Array(m),
      edgeModes: new Uint8Array(m),
      edgeRoadClass: new Uint8Array(m),
      edgeMaxWeight: new Float32Array(m),
      edgeMaxHeight: new Float32Array(m),
      edgeName: new Uint32Array(m),
      edgeRef: new Uint32Array(m),
      edgeBprAlpha: new Float32Array(m),
      edgeBprBeta: new Float32Array(m),
      edgeToll: new Float32Array(m),
      edgeExternalId: new Float64Array(m),
      geomOffsets: new Uint32Array(m + 1),
      geomCoords: new Float64Array(2 * shapeCount),
      turnRestrictions: Uint32Array.from(this.restrictions),
      strings: this.strings,
      meta,
    };
    let g = 0;
    for (let i = 0; i < m; i++) {
      const e = this.edges[i];
      const cls = roadClassIndex(e.roadClass);
      const defaults = roadClassDefaults(ROAD_CLASSES[cls]);
      d.edgeFrom[i] = e.from;
      d.edgeTo[i] = e.to;
      d.geomOffsets[i] = g;
      const push = (lon: number, lat: number) => {
        d.geomCoords[2 * g] = lon;
        d.geomCoords[2 * g + 1] = lat;
        g++;
      };
      push(this.lon[e.from], this.lat[e.from]);
      for (const [x, y] of e.via ?? []) push(x, y);
      push(this.lon[e.to], this.lat[e.to]);
      let length = e.length;
      if (length === undefined) {
        length = 0;
        for (let k = d.geomOffsets[i] + 1; k < g; k++) {
          length += haversineMetres(d.geomCoords[2 * k - 2], d.geomCoords[2 * k - 1], d.geomCoords[2 * k], d.geomCoords[2 * k + 1]);
        }
      }
      const speed = e.speedKmh && e.speedKmh > 0 ? e.speedKmh : defaults.speedKmh;
      const lanes = e.lanes && e.lanes > 0 ? Math.min(255, Math.round(e.lanes)) : defaults.lanes;
      d.edgeLength[i] = length;
      d.edgeSpeedKmh[i] = speed;
      // a zero-length edge would give a zero travel time, which searches and BPR treat badly
      d.edgeFreeFlowSeconds[i] = e.freeFlowSeconds ?? Math.max(length, 0.1) / (speed / 3.6);
      d.edgeLanes[i] = lanes;
      d.edgeCapacity[i] = e.capacity ?? lanes * defaults.capacityPerLane;
      d.edgeModes[i] = e.modes;
      d.edgeRoadClass[i] = cls;
      d.edgeMaxWeight[i] = e.maxWeight ?? 0;
      d.edgeMaxHeight[i] = e.maxHeight ?? 0;
      d.edgeName[i] = this.intern(e.name);
      d.edgeRef[i] = this.intern(e.ref);
      d.edgeBprAlpha[i] = e.bprAlpha ?? 0.15;
      d.edgeBprBeta[i] = e.bprBeta ?? 4;
      d.edgeToll[i] = e.toll ?? 0;
      d.edgeExternalId[i] = e.externalId ?? -1;
    }
    d.geomOffsets[m] = g;
    return d;
  }

  build(meta: Record<string, unknown> = {}): RoadNetwork {
    return new RoadNetwork(this.buildData(meta));
  }
}
