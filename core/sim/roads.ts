import { RoadNetworkBuilder, type EdgeInput } from '../graph/road-network-builder.js';
import type { RoadNetwork } from '../graph/road-network.js';
import { MODE } from '../graph/modes.js';
import { metresPerDegree } from '../graph/geo.js';
import { stronglyConnectedComponents } from '../graph/components.js';
import { UrbanflowError } from '../errors/index.js';
import type { Random } from './random.js';
import { STREET, riverYAt, type CityLayout } from './layout.js';

const ALL = MODE.car | MODE.truck | MODE.bike | MODE.foot;
const MOTOR = MODE.car | MODE.truck;
const SOFT = MODE.bike | MODE.foot;

/** Segment kinds of the street grid (one byte per segment). */
const SEG = { removed: 0, street: 1, pedestrian: 2, footbridge: 3 } as const;

/** What the rest of the generator needs to know about the roads it got. */
export interface RoadsResult {
  network: RoadNetwork;
  /** grid node of column c, row r is r * n + c */
  n: number;
  bridges: number[];
  oneWayEdges: number[];
  /** 1 for nodes north of the river */
  northBank: Uint8Array;
  /** arterial junctions and ring-road junctions where motorway ramps join, with the motorway's ref */
  rampNodes: { node: number; ref: string; junction: number }[];
  /** nodes that cars can use (some grid nodes are inside pedestrian zones) */
  carNode: Uint8Array;
  river: [number, number][];
  motorwayCount: number;
  turnRestrictions: number;
  toLonLat(x: number, y: number): [number, number];
}

/** `progress` gets fractions of the road-building work in [0, 1]. */
export function buildRoads(layout: CityLayout, rnd: Random, centre: [number, number], progress: (fraction: number, note: string) => void = () => {}): RoadsResult {
  const { n, xs, ys, colKind, rowKind, colDir, rowDir, riverRow } = layout;
  const per = metresPerDegree(centre[1]);
  const toLonLat = (x: number, y: number): [number, number] => [centre[0] + x / per.lon, centre[1] + y / per.lat];
  const b = new RoadNetworkBuilder();
  const px: number[] = [];
  const py: number[] = [];
  const addNode = (x: number, y: number): number => {
    const [lon, lat] = toLonLat(x, y);
    px.push(x);
    py.push(y);
    return b.addNode(lon, lat);
  };
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) addNode(xs[c], ys[r]);
  const gid = (c: number, r: number) => r * n + c;

  // ---- the street grid, decided segment by segment before any edge is added
  const hCount = n * (n - 1);
  // horizontal segment (c, r)-(c+1, r) is index r * (n - 1) + c; vertical (c, r)-(c, r+1) is hCount + c * (n - 1) + r
  const segKind = new Uint8Array(2 * hCount).fill(SEG.street);
  const segDir = new Int8Array(2 * hCount);
  const segBridge = new Uint8Array(2 * hCount);
  const hSeg = (c: number, r: number) => r * (n - 1) + c;
  const vSeg = (c: number, r: number) => hCount + c * (n - 1) + r;
  for (let r = 0; r < n; r++) for (let c = 0; c < n - 1; c++) segDir[hSeg(c, r)] = rowDir[r];
  for (let c = 0; c < n; c++) for (let r = 0; r < n - 1; r++) segDir[vSeg(c, r)] = colDir[c];

  const north = (c: number, r: number) => r > riverRow[c];
  // the river: vertical segments across it survive only as bridges; horizontal ones where it bends go
  for (let c = 0; c < n; c++) {
    const s = vSeg(c, riverRow[c]);
    if (layout.bridgeCols.has(c)) segBridge[s] = 1;
    else if (layout.footbridgeCols.has(c)) {
      segKind[s] = SEG.footbridge;
      segBridge[s] = 1;
    } else segKind[s] = SEG.removed;
  }
  for (let r = 0; r < n; r++) for (let c = 0; c < n - 1; c++) if (north(c, r) !== north(c + 1, r)) segKind[hSeg(c, r)] = SEG.removed;

  // pedestrian zones: the four streets meeting at a quiet junction near the centre (and more in big cities)
  const rp = rnd.stream('pedestrian');
  const zones = Math.max(1, Math.round(n / 40));
  const quiet = (c: number, r: number) =>
    c >= 2 && r >= 2 && c <= n - 3 && r <= n - 3 &&
    colKind[c] === STREET.residential && rowKind[r] === STREET.residential &&
    !layout.footbridgeCols.has(c) &&
    Math.abs(r - riverRow[c]) >= 3 && Math.abs(r - riverRow[c - 1]) >= 3 && Math.abs(r - riverRow[c + 1]) >= 3;
  const pedestrianCentres: number[] = [];
  for (let t = 0; t < 200 && pedestrianCentres.length < zones; t++) {
    const spread = pedestrianCentres.length === 0 ? 0.15 : 0.4;
    const c = Math.round((n - 1) / 2 + rp.uniform(-spread, spread) * n);
    const r = Math.round((n - 1) / 2 + rp.uniform(-spread, spread) * n);
    if (!quiet(c, r) || pedestrianCentres.includes(gid(c, r))) continue;
    pedestrianCentres.push(gid(c, r));
    segKind[hSeg(c - 1, r)] = segKind[hSeg(c, r)] = segKind[vSeg(c, r - 1)] = segKind[vSeg(c, r)] = SEG.pedestrian;
  }

  // a one-way street cut by the river or a pedestrian zone may leave a junction with no way in or
  // out by car: open the one-way segments there in both directions until none is left
  repairDeadEnds(n, segKind, segDir, hSeg, vSeg);

  // ---- add grid edges
  const bridges: number[] = [];
  const oneWayEdges: number[] = [];
  const rt = rnd.stream('truck-limits');
  // no left turns at some crossings of two primary arterials (about half of them)
  const turnJunctions = new Map<number, { in: number[]; out: number[] }>();
  const rturn = rnd.stream('turns');
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (colKind[c] === STREET.primary && rowKind[r] === STREET.primary && rturn.chance(0.5)) turnJunctions.set(gid(c, r), { in: [], out: [] });
  }
  const turnEdgeEnds = new Map<number, [number, number]>();
  const noteTurn = (id: number, from: number, to: number, modes: number) => {
    if (!(modes & MODE.car) || !(turnJunctions.has(to) || turnJunctions.has(from))) return;
    turnJunctions.get(to)?.in.push(id);
    turnJunctions.get(from)?.out.push(id);
    turnEdgeEnds.set(id, [from, to]);
  };
  const addStreet = (a: number, z: number, e: Omit<EdgeInput, 'from' | 'to'>, dir: number, isBridge: boolean) => {
    const length = Math.hypot(px[z] - px[a], py[z] - py[a]);
    const fwd = dir >= 0 ? e.modes : e.modes & SOFT;
    const bwd = dir <= 0 ? e.modes : e.modes & SOFT;
    if (fwd) {
      const id = b.addEdge({ ...e, from: a, to: z, modes: fwd, length });
      noteTurn(id, a, z, fwd);
      if (isBridge) bridges.push(id);
      if (dir > 0) oneWayEdges.push(id);
    }
    if (bwd) {
      const id = b.addEdge({ ...e, from: z, to: a, modes: bwd, length });
      noteTurn(id, z, a, bwd);
      if (isBridge) bridges.push(id);
      if (dir < 0) oneWayEdges.push(id);
    }
  };
  const streetEdge = (kind: number, name: string, s: number): Omit<EdgeInput, 'from' | 'to'> => {
    const sk = segKind[s];
    if (sk === SEG.pedestrian) return { roadClass: 'pedestrian', modes: MODE.foot, name };
    if (sk === SEG.footbridge) return { roadClass: 'cycleway', modes: SOFT, name: `${name} Footbridge` };
    const bridgeName = segBridge[s] ? `${name} Bridge` : name;
    switch (kind) {
      case STREET.primary:
        return { roadClass: 'primary', modes: ALL, lanes: 2, speedKmh: 50, name: bridgeName, ...(rt.chance(0.01) ? { maxHeight: 3.5 } : {}) };
      case STREET.secondary:
        return { roadClass: 'secondary', modes: ALL, lanes: 2, speedKmh: 50, name: bridgeName, ...(rt.chance(0.01) ? { maxHeight: 3.8 } : {}) };
      case STREET.oneway:
        return { roadClass: 'tertiary', modes: ALL, lanes: 2, speedKmh: 40, name: bridgeName };
      default:
        return { roadClass: 'residential', modes: ALL, lanes: 1, speedKmh: 30, name: bridgeName, ...(rt.chance(0.03) ? { maxWeight: 7.5 } : {}) };
    }
  };
  let weakBridge = false;
  progress(0.05, 'streets');
  for (let r = 0; r < n; r++) {
    if (r % 64 === 0) progress(0.05 + (0.25 * r) / n, 'streets');
    for (let c = 0; c < n - 1; c++) {
      const s = hSeg(c, r);
      if (segKind[s] === SEG.removed) continue;
      addStreet(gid(c, r), gid(c + 1, r), streetEdge(rowKind[r], layout.rowNames[r], s), segKind[s] === SEG.street ? segDir[s] : 0, false);
    }
  }
  for (let c = 0; c < n; c++) {
    if (c % 64 === 0) progress(0.3 + (0.25 * c) / n, 'avenues');
    for (let r = 0; r < n - 1; r++) {
      const s = vSeg(c, r);
      if (segKind[s] === SEG.removed) continue;
      const e = streetEdge(colKind[c], layout.colNames[c], s);
      // one old road bridge is closed to heavy lorries: trucks must detour to the others
      if (segBridge[s] && segKind[s] === SEG.street && !weakBridge && layout.bridgeCols.size > 1) {
        e.maxWeight = 16;
        weakBridge = true;
      }
      addStreet(gid(c, r), gid(c, r + 1), e, segKind[s] === SEG.street ? segDir[s] : 0, segBridge[s] === 1);
    }
  }

  // left turn = the outgoing direction is counter-clockwise from the incoming one (right-hand traffic)
  let turnRestrictions = 0;
  for (const [v, { in: ins, out: outs }] of turnJunctions) {
    for (const e of ins) {
      const u = turnEdgeEnds.get(e)![0];
      for (const f of outs) {
        const w = turnEdgeEnds.get(f)![1];
        const cross = (px[v] - px[u]) * (py[w] - py[v]) - (py[v] - py[u]) * (px[w] - px[v]);
        if (cross > 1e-6) {
          b.addTurnRestriction(e, v, f, MOTOR);
          turnRestrictions++;
        }
      }
    }
  }
  progress(0.55, 'ring road and motorways');
  // ---- ring road around the grid, joined by every arterial
  const m = layout.ringMargin;
  const xL = xs[0] - m, xR = xs[n - 1] + m, yB = ys[0] - m, yT = ys[n - 1] + m;
  const W = xR - xL, H = yT - yB;
  const rc = 0.8 * m;
  const perimeter = (x: number, y: number): number => {
    if (y === yB) return x - xL;
    if (x === xR) return W + (y - yB);
    if (y === yT) return W + H + (xR - x);
    return 2 * W + H + (yT - y);
  };
  type Attach = { x: number; y: number; s: number; node: number };
  const ring: Attach[] = [];
  const attach = (x: number, y: number): number => {
    const node = addNode(x, y);
    ring.push({ x, y, s: perimeter(x, y), node });
    return node;
  };
  const extension = (kind: number, name: string, gridNode: number, x: number, y: number) => {
    const ringNode = attach(x, y);
    const cls = kind === STREET.primary ? 'primary' : 'secondary';
    addStreet(gridNode, ringNode, { roadClass: cls, modes: ALL, lanes: 2, speedKmh: 50, name }, 0, false);
  };
  for (let c = 0; c < n; c++) {
    if (colKind[c] !== STREET.primary && colKind[c] !== STREET.secondary) continue;
    extension(colKind[c], layout.colNames[c], gid(c, 0), xs[c], yB);
    extension(colKind[c], layout.colNames[c], gid(c, n - 1), xs[c], yT);
  }
  for (let r = 0; r < n; r++) {
    if (rowKind[r] !== STREET.primary && rowKind[r] !== STREET.secondary) continue;
    extension(rowKind[r], layout.rowNames[r], gid(0, r), xL, ys[r]);
    extension(rowKind[r], layout.rowNames[r], gid(n - 1, r), xR, ys[r]);
  }

  // ---- motorways: one carriageway per direction, ramps to arterial junctions and to the ring
  const rampNodes: RoadsResult['rampNodes'] = [];
  const mLanes = n >= 20 ? 3 : 2;
  const motorway = (ref: string, chain: number[]) => {
    for (let i = 0; i + 1 < chain.length; i++) {
      const a = chain[i], z = chain[i + 1];
      b.addEdge({ from: a, to: z, roadClass: 'motorway', modes: MOTOR, lanes: mLanes, speedKmh: 110, ref, name: `Motorway ${ref}`, length: Math.hypot(px[z] - px[a], py[z] - py[a]) });
    }
  };
  const ramp = (ref: string, junction: number, a: number, z: number) => {
    b.addEdge({ from: a, to: z, roadClass: 'motorway_link', modes: MOTOR, lanes: 1, speedKmh: 60, ref, name: `${ref} junction ${junction}`, length: Math.hypot(px[z] - px[a], py[z] - py[a]) });
  };
  const near = (i: number, lo: number, hi: number) => i >= lo - 1 && i <= hi + 2;
  let motorwayCount = 0;
  {
    // A1 runs north-south between columns cm and cm + 1; northbound on the east carriageway
    const ref = 'A1';
    motorwayCount++;
    const cm = layout.motorwayCol;
    const xm = (xs[cm] + xs[cm + 1]) / 2;
    const lo = Math.min(riverRow[cm], riverRow[cm + 1]);
    const hi = Math.max(riverRow[cm], riverRow[cm + 1]);
    const rows: number[] = [];
    const arterialRows: number[] = [];
    for (let r = 0; r < n; r++) if (rowKind[r] === STREET.primary || rowKind[r] === STREET.secondary) arterialRows.push(r);
    const step = arterialRows.length >= 10 ? 2 : 1;
    for (let i = 0; i < arterialRows.length; i += step) if (!near(arterialRows[i], lo, hi)) rows.push(arterialRows[i]);
    const ringS = attach(xm, yB);
    const ringN = attach(xm, yT);
    const nb = [addNode(xm + 12, yB + 100)];
    const sb = [addNode(xm - 12, yT - 100)];
    ramp(ref, 1, ringS, nb[0]);
    ramp(ref, rows.length + 2, ringN, sb[0]);
    rampNodes.push({ node: ringS, ref, junction: 1 }, { node: ringN, ref, junction: rows.length + 2 });
    rows.forEach((r, i) => {
      const j = i + 2;
      const nbOff = addNode(xm + 12, ys[r] - 60), nbOn = addNode(xm + 12, ys[r] + 60);
      nb.push(nbOff, nbOn);
      ramp(ref, j, nbOff, gid(cm + 1, r));
      ramp(ref, j, gid(cm + 1, r), nbOn);
      rampNodes.push({ node: gid(cm + 1, r), ref, junction: j });
    });
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows[i];
      const j = i + 2;
      const sbOff = addNode(xm - 12, ys[r] + 60), sbOn = addNode(xm - 12, ys[r] - 60);
      sb.push(sbOff, sbOn);
      ramp(ref, j, sbOff, gid(cm, r));
      ramp(ref, j, gid(cm, r), sbOn);
      rampNodes.push({ node: gid(cm, r), ref, junction: j });
    }
    nb.push(addNode(xm + 12, yT - 100));
    sb.push(addNode(xm - 12, yB + 100));
    ramp(ref, rows.length + 2, nb[nb.length - 1], ringN);
    ramp(ref, 1, sb[sb.length - 1], ringS);
    motorway(ref, nb);
    motorway(ref, sb);
  }
  if (layout.motorwayRow >= 0) {
    // A2 runs west-east between rows rm and rm + 1; eastbound on the south carriageway
    const ref = 'A2';
    motorwayCount++;
    const rm = layout.motorwayRow;
    const ym = (ys[rm] + ys[rm + 1]) / 2;
    const cm = layout.motorwayCol;
    const arterialCols: number[] = [];
    for (let c = 0; c < n; c++) if ((colKind[c] === STREET.primary || colKind[c] === STREET.secondary) && (c < cm - 1 || c > cm + 2)) arterialCols.push(c);
    const step = arterialCols.length >= 10 ? 2 : 1;
    const cols: number[] = [];
    for (let i = 0; i < arterialCols.length; i += step) cols.push(arterialCols[i]);
    const ringW = attach(xL, ym);
    const ringE = attach(xR, ym);
    const eb = [addNode(xL + 100, ym - 12)];
    const wb = [addNode(xR - 100, ym + 12)];
    ramp(ref, 1, ringW, eb[0]);
    ramp(ref, cols.length + 2, ringE, wb[0]);
    rampNodes.push({ node: ringW, ref, junction: 1 }, { node: ringE, ref, junction: cols.length + 2 });
    cols.forEach((c, i) => {
      const j = i + 2;
      const off = addNode(xs[c] - 60, ym - 12), on = addNode(xs[c] + 60, ym - 12);
      eb.push(off, on);
      ramp(ref, j, off, gid(c, rm));
      ramp(ref, j, gid(c, rm), on);
      rampNodes.push({ node: gid(c, rm), ref, junction: j });
    });
    for (let i = cols.length - 1; i >= 0; i--) {
      const c = cols[i];
      const j = i + 2;
      const off = addNode(xs[c] + 60, ym + 12), on = addNode(xs[c] - 60, ym + 12);
      wb.push(off, on);
      ramp(ref, j, off, gid(c, rm + 1));
      ramp(ref, j, gid(c, rm + 1), on);
      rampNodes.push({ node: gid(c, rm + 1), ref, junction: j });
    }
    eb.push(addNode(xR - 100, ym - 12));
    wb.push(addNode(xL + 100, ym + 12));
    ramp(ref, cols.length + 2, eb[eb.length - 1], ringE);
    ramp(ref, 1, wb[wb.length - 1], ringW);
    motorway(ref, eb);
    motorway(ref, wb);
  }

  // ---- ring segments between consecutive attachment points, rounded at the corners
  ring.sort((p, q) => p.s - q.s);
  const corners: { s: number; arc: [number, number][] }[] = [
    { s: W, arc: arc(xR - rc, yB + rc, rc, -90) },
    { s: W + H, arc: arc(xR - rc, yT - rc, rc, 0) },
    { s: 2 * W + H, arc: arc(xL + rc, yT - rc, rc, 90) },
    { s: 2 * W + 2 * H, arc: arc(xL + rc, yB + rc, rc, 180) },
  ];
  const total = 2 * W + 2 * H;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % ring.length];
    const sEnd = i + 1 < ring.length ? q.s : q.s + total;
    const via: [number, number][] = [];
    const local: [number, number][] = [[p.x, p.y]];
    for (const k of [...corners, ...corners.map((c) => ({ s: c.s + total, arc: c.arc }))]) {
      if (k.s > p.s && k.s < sEnd) for (const pt of k.arc) local.push(pt);
    }
    local.push([q.x, q.y]);
    let length = 0;
    for (let j = 1; j < local.length; j++) length += Math.hypot(local[j][0] - local[j - 1][0], local[j][1] - local[j - 1][1]);
    for (let j = 1; j + 1 < local.length; j++) via.push(toLonLat(local[j][0], local[j][1]));
    const e = { roadClass: 'trunk', modes: ALL, lanes: 2, speedKmh: 80, name: 'Ring Road', ref: 'R1', length };
    b.addEdge({ ...e, from: p.node, to: q.node, ...(via.length ? { via } : {}) });
    b.addEdge({ ...e, from: q.node, to: p.node, ...(via.length ? { via: via.slice().reverse() } : {}) });
  }

  // ---- which bank each node is on; every edge joining the banks is a bridge
  const nodeCount = b.nodeCount;
  const northBank = new Uint8Array(nodeCount);
  for (let v = 0; v < nodeCount; v++) northBank[v] = py[v] > riverYAt(layout, px[v]) ? 1 : 0;

  progress(0.6, 'freezing the network');
  const network = b.build({ source: 'urbanflow simulated city', gridSize: n });
  const d = network.data;
  const bridgeSet = new Set<number>();
  for (let e = 0; e < d.edgeCount; e++) if (northBank[d.edgeFrom[e]] !== northBank[d.edgeTo[e]]) bridgeSet.add(e);
  for (const e of bridges) if (!bridgeSet.has(e)) throw new UrbanflowError('INTERNAL', `simulated city: bridge edge ${e} does not cross the river`, { module: 'core/sim' });

  progress(0.9, 'checking connectivity');
  // every car edge must lie in one strongly connected component
  const { componentOf, sizes } = stronglyConnectedComponents(network, 'car');
  if (sizes.length !== 1) {
    throw new UrbanflowError('INTERNAL', `simulated city: car network has ${sizes.length} strongly connected components`, { module: 'core/sim', details: { sizes: sizes.slice(0, 10) } });
  }
  const carNode = new Uint8Array(nodeCount);
  for (let v = 0; v < nodeCount; v++) carNode[v] = componentOf[v] >= 0 ? 1 : 0;

  const river: [number, number][] = [];
  const riverX = [xL - 2 * m, ...Array.from(xs), xR + 2 * m];
  for (const x of riverX) river.push(toLonLat(x, riverYAt(layout, x)));

  return {
    network, n, bridges: [...bridgeSet].sort((p, q) => p - q), oneWayEdges, northBank, rampNodes, carNode, river, motorwayCount, turnRestrictions, toLonLat,
  };
}

/** Quarter circle (local metres) around a centre, from angle start (degrees) 90 degrees on, inner points only. */
function arc(cx: number, cy: number, radius: number, start: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i <= 6; i++) {
    const a = ((start + (90 * i) / 6) * Math.PI) / 180;
    out.push([cx + radius * Math.cos(a), cy + radius * Math.sin(a)]);
  }
  return out;
}

function repairDeadEnds(n: number, segKind: Uint8Array, segDir: Int8Array, hSeg: (c: number, r: number) => number, vSeg: (c: number, r: number) => number): void {
  for (let pass = 0; pass < 10; pass++) {
    let changed = false;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        // incident car segments with the direction (+1 leaves this node in segment direction)
        const inc: { s: number; out: number }[] = [];
        if (c > 0) inc.push({ s: hSeg(c - 1, r), out: -1 });
        if (c < n - 1) inc.push({ s: hSeg(c, r), out: 1 });
        if (r > 0) inc.push({ s: vSeg(c, r - 1), out: -1 });
        if (r < n - 1) inc.push({ s: vSeg(c, r), out: 1 });
        let ins = 0, outs = 0, any = false;
        for (const { s, out } of inc) {
          if (segKind[s] !== SEG.street) continue;
          any = true;
          const d = segDir[s];
          if (d === 0 || d === out) outs++;
          if (d === 0 || d === -out) ins++;
        }
        if (!any || (ins > 0 && outs > 0)) continue;
        for (const { s } of inc) {
          if (segKind[s] === SEG.street && segDir[s] !== 0) {
            segDir[s] = 0;
            changed = true;
          }
        }
      }
    }
    if (!changed) return;
  }
}
