import { RoadNetworkBuilder } from '../road-network-builder.js';
import type { RoadNetwork } from '../road-network.js';
import { MODE } from '../modes.js';
import { interpretWay, type WayProfile } from './way-tags.js';
import type { OsmElement, OsmRelation } from './pbf-reader.js';

/** Counts an import reports (and warns about). */
export interface OsmAssemblyReport {
  nodesRead: number;
  waysRead: number;
  /** ways with a routable highway tag */
  waysKept: number;
  relationsRead: number;
  /** way node references with no node in the file (the way is cut there) */
  missingNodeRefs: number;
  waysWithMissingNodes: number;
  /** ways left with fewer than two usable nodes */
  waysDropped: number;
  restrictionsApplied: number;
  /** restriction relations we could not apply (via-way, members missing, not meeting at the via node) */
  restrictionsSkipped: number;
  /** directed edges and nodes before the component filter */
  edges: number;
  nodes: number;
}

interface KeptWay {
  id: number;
  refs: number[];
  profile: WayProfile;
}

const VEHICLES = MODE.car | MODE.truck | MODE.bike;
const RESTRICTION_KEYS: Record<string, number> = {
  restriction: VEHICLES,
  'restriction:motorcar': MODE.car,
  'restriction:motor_vehicle': MODE.car | MODE.truck,
  'restriction:hgv': MODE.truck,
  'restriction:bicycle': MODE.bike,
};
const EXCEPT_MODES: Record<string, number> = { motorcar: MODE.car, motor_vehicle: MODE.car | MODE.truck, hgv: MODE.truck, bicycle: MODE.bike };

/**
 * Turns OSM nodes, ways and restriction relations into a RoadNetwork: ways are split at
 * junctions (a node used twice or more by kept ways, or a way's end), the nodes in between
 * become the edge's shape, and each piece becomes up to two directed edges (one per direction
 * that allows at least one mode). Elements may arrive in any order; the work happens in build().
 */
export class OsmAssembler {
  private nodeIndex = new Map<number, number>();
  private lon: number[] = [];
  private lat: number[] = [];
  private nodeIds: number[] = [];
  private ways: KeptWay[] = [];
  private relations: OsmRelation[] = [];
  private waysRead = 0;
  private relationsRead = 0;

  add(items: Iterable<OsmElement>): void {
    for (const it of items) {
      if (it.type === 'node') {
        if (!this.nodeIndex.has(it.id)) {
          this.nodeIndex.set(it.id, this.lon.length);
          this.lon.push(it.lon);
          this.lat.push(it.lat);
          this.nodeIds.push(it.id);
        }
      } else if (it.type === 'way') {
        this.waysRead++;
        const profile = it.tags ? interpretWay(it.tags) : undefined;
        if (profile) this.ways.push({ id: it.id, refs: it.refs, profile });
      } else if (it.type === 'relation') {
        this.relationsRead++;
        const t = it.tags?.type;
        if (t === 'restriction' || t?.startsWith('restriction:')) this.relations.push(it);
      }
    }
  }

  build(meta: Record<string, unknown> = {}): { network: RoadNetwork; report: OsmAssemblyReport } {
    const nodeCount = this.lon.length;
    const report: OsmAssemblyReport = {
      nodesRead: nodeCount, waysRead: this.waysRead, waysKept: this.ways.length, relationsRead: this.relationsRead,
      missingNodeRefs: 0, waysWithMissingNodes: 0, waysDropped: 0, restrictionsApplied: 0, restrictionsSkipped: 0, edges: 0, nodes: 0,
    };

    // 1. resolve references and count how often kept ways use each node
    const resolved: Int32Array[] = [];
    const uses = new Uint8Array(nodeCount);
    for (const w of this.ways) {
      const idx = new Int32Array(w.refs.length);
      let missing = 0;
      for (let k = 0; k < w.refs.length; k++) {
        const i = this.nodeIndex.get(w.refs[k]);
        idx[k] = i ?? -1;
        if (i === undefined) missing++;
        // a node repeated back to back is one position, not a junction
        else if (k === 0 || idx[k - 1] !== i) uses[i] = Math.min(255, uses[i] + 1);
      }
      if (missing > 0) {
        report.missingNodeRefs += missing;
        report.waysWithMissingNodes++;
      }
      resolved.push(idx);
    }

    // 2. split at junctions; graph nodes are created only for junctions and ends
    const b = new RoadNetworkBuilder();
    const graphNode = new Int32Array(nodeCount).fill(-1);
    const gnode = (i: number): number => {
      if (graphNode[i] < 0) graphNode[i] = b.addNode(this.lon[i], this.lat[i], this.nodeIds[i]);
      return graphNode[i];
    };
    const wantWays = new Set<number>();
    for (const r of this.relations) for (const m of r.members) if (m.type === 'way') wantWays.add(m.ref);
    const edgesOfWay = new Map<number, number[]>();
    const edgeFrom: number[] = [];
    const edgeTo: number[] = [];

    const emit = (w: KeptWay, from: number, to: number, via: [number, number][]) => {
      const p = w.profile;
      const list = wantWays.has(w.id) ? (edgesOfWay.get(w.id) ?? edgesOfWay.set(w.id, []).get(w.id)!) : undefined;
      const f = gnode(from);
      const t = gnode(to);
      // object literals of one shape (no spreads): the builder reads 100k of them in one loop
      if (p.forward.modes) {
        const d = p.forward;
        const e = b.addEdge({
          from: f, to: t, roadClass: p.roadClass, modes: d.modes, speedKmh: d.speedKmh, lanes: d.lanes, capacity: d.capacity,
          maxWeight: p.maxWeight, maxHeight: p.maxHeight, name: p.name, ref: p.ref, externalId: w.id, via,
        });
        edgeFrom.push(f); edgeTo.push(t); list?.push(e);
      }
      if (p.backward.modes) {
        const d = p.backward;
        const e = b.addEdge({
          from: t, to: f, roadClass: p.roadClass, modes: d.modes, speedKmh: d.speedKmh, lanes: d.lanes, capacity: d.capacity,
          maxWeight: p.maxWeight, maxHeight: p.maxHeight, name: p.name, ref: p.ref, externalId: w.id, via: via.length ? via.slice().reverse() : via,
        });
        edgeFrom.push(t); edgeTo.push(f); list?.push(e);
      }
    };

    for (let wi = 0; wi < this.ways.length; wi++) {
      const w = this.ways[wi];
      // drop back-to-back repeats of a node so the run logic below sees each position once
      const raw = resolved[wi];
      const idx: number[] = [];
      for (let k = 0; k < raw.length; k++) if (k === 0 || raw[k] !== raw[k - 1]) idx.push(raw[k]);
      let pieces = 0;
      let k = 0;
      while (k < idx.length) {
        // one run of consecutive present nodes; a missing node cuts the way
        while (k < idx.length && idx[k] < 0) k++;
        let start = -1;
        let via: [number, number][] = [];
        for (; k < idx.length && idx[k] >= 0; k++) {
          const i = idx[k];
          if (start < 0) { start = i; continue; }
          const last = k + 1 >= idx.length || idx[k + 1] < 0;
          if (uses[i] >= 2 || last) {
            emit(w, start, i, via);
            pieces++;
            start = i;
            via = [];
          } else {
            const prev = via[via.length - 1];
            if (!prev || prev[0] !== this.lon[i] || prev[1] !== this.lat[i]) via.push([this.lon[i], this.lat[i]]);
          }
        }
      }
      if (pieces === 0) report.waysDropped++;
    }

    // 3. turn restrictions, resolved to the split edges meeting at the via node
    const outOf = new Map<number, number[]>();
    if (this.relations.length) {
      for (let e = 0; e < edgeFrom.length; e++) (outOf.get(edgeFrom[e]) ?? outOf.set(edgeFrom[e], []).get(edgeFrom[e])!).push(e);
    }
    for (const r of this.relations) {
      if (this.applyRestriction(r, b, graphNode, edgesOfWay, edgeFrom, edgeTo, outOf)) report.restrictionsApplied++;
      else report.restrictionsSkipped++;
    }

    report.edges = b.edgeCount;
    report.nodes = b.nodeCount;
    return { network: b.build({ ...meta, osm: report }), report };
  }

  private applyRestriction(
    r: OsmRelation, b: RoadNetworkBuilder, graphNode: Int32Array, edgesOfWay: Map<number, number[]>,
    edgeFrom: number[], edgeTo: number[], outOf: Map<number, number[]>,
  ): boolean {
    const tags = r.tags ?? {};
    let kind: string | undefined;
    let modes = 0;
    for (const [key, bits] of Object.entries(RESTRICTION_KEYS)) {
      if (tags[key]) { kind = tags[key]; modes = bits; break; }
    }
    if (!kind) return false;
    for (const ex of (tags.except ?? '').split(';')) modes &= ~(EXCEPT_MODES[ex.trim()] ?? 0);
    if (!modes) return false;
    const from = r.members.filter((m) => m.role === 'from' && m.type === 'way');
    const to = r.members.filter((m) => m.role === 'to' && m.type === 'way');
    const via = r.members.filter((m) => m.role === 'via');
    if (from.length !== 1 || to.length !== 1 || via.length !== 1 || via[0].type !== 'node') return false;
    const vi = this.nodeIndex.get(via[0].ref);
    if (vi === undefined || graphNode[vi] < 0) return false;
    const v = graphNode[vi];
    const fromEdges = (edgesOfWay.get(from[0].ref) ?? []).filter((e) => edgeTo[e] === v);
    const toEdges = (edgesOfWay.get(to[0].ref) ?? []).filter((e) => edgeFrom[e] === v);
    if (fromEdges.length === 0 || toEdges.length === 0) return false;
    if (kind.startsWith('only_')) {
      for (const f of fromEdges) for (const o of outOf.get(v) ?? []) if (!toEdges.includes(o)) b.addTurnRestriction(f, v, o, modes);
    } else if (kind.startsWith('no_')) {
      for (const f of fromEdges) for (const t of toEdges) b.addTurnRestriction(f, v, t, modes);
    } else return false;
    return true;
  }
}
