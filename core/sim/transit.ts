import type { RoadNetwork } from '../graph/road-network.js';
import { MODE } from '../graph/modes.js';
import type { Random } from './random.js';
import { STREET, type CityLayout } from './layout.js';
import type { SimBusLine, SimBusStop, SimHeadway } from './types.js';

/** Bus lines along the arterials: a stop every other junction, headways by time of day. */

const MAX_LINES = 40;
/** junctions per line at most (about 30 stops), so huge cities do not get absurd timetables */
const MAX_LINE_NODES = 61;
const BUS_KMH = 22;
const DWELL = 20;

const h = (hh: number, mm = 0) => hh * 3600 + mm * 60;

function headways(main: boolean): SimHeadway[] {
  const f = (m: number) => Math.round(main ? m : m * 1.5);
  return [
    { service: 'weekday', start: h(5), end: h(6, 30), headwayMinutes: f(15) },
    { service: 'weekday', start: h(6, 30), end: h(9), headwayMinutes: f(6) },
    { service: 'weekday', start: h(9), end: h(15, 30), headwayMinutes: f(10) },
    { service: 'weekday', start: h(15, 30), end: h(18, 30), headwayMinutes: f(6) },
    { service: 'weekday', start: h(18, 30), end: h(21), headwayMinutes: f(15) },
    // night service past midnight: GTFS times beyond 24:00:00 belong to the same service day
    { service: 'weekday', start: h(21), end: h(24, 30), headwayMinutes: 30 },
    { service: 'weekend', start: h(6), end: h(10), headwayMinutes: f(20) },
    { service: 'weekend', start: h(10), end: h(20), headwayMinutes: f(15) },
    { service: 'weekend', start: h(20), end: h(24), headwayMinutes: 30 },
  ];
}

export function edgeBetween(network: RoadNetwork, a: number, b: number, modeBit: number = MODE.car): number {
  const { outOffsets, outEdges } = network;
  const { edgeTo, edgeModes } = network.data;
  for (let p = outOffsets[a]; p < outOffsets[a + 1]; p++) {
    const e = outEdges[p];
    if (edgeTo[e] === b && edgeModes[e] & modeBit) return e;
  }
  return -1;
}

export function buildBusLines(layout: CityLayout, network: RoadNetwork, rnd: Random): SimBusLine[] {
  const { n, colKind, rowKind } = layout;
  const d = network.data;
  const r = rnd.stream('transit');
  // candidate runs: maximal stretches of an arterial drivable both ways, cut into pieces of MAX_LINE_NODES
  type Run = { nodes: number[]; main: boolean; name: string };
  const runs: Run[] = [];
  const collect = (nodes: number[], main: boolean, name: string) => {
    let cur: number[] = [nodes[0]];
    const flush = () => {
      for (let i = 0; i + 2 < cur.length; i += MAX_LINE_NODES - 1) {
        const piece = cur.slice(i, i + MAX_LINE_NODES);
        if (piece.length >= 3) runs.push({ nodes: piece, main, name });
      }
    };
    for (let i = 1; i < nodes.length; i++) {
      if (edgeBetween(network, nodes[i - 1], nodes[i]) >= 0 && edgeBetween(network, nodes[i], nodes[i - 1]) >= 0) cur.push(nodes[i]);
      else {
        flush();
        cur = [nodes[i]];
      }
    }
    flush();
  };
  for (let c = 0; c < n; c++) {
    if (colKind[c] !== STREET.primary && colKind[c] !== STREET.secondary) continue;
    collect(Array.from({ length: n }, (_, rr) => rr * n + c), colKind[c] === STREET.primary, layout.colNames[c]);
  }
  for (let rr = 0; rr < n; rr++) {
    if (rowKind[rr] !== STREET.primary && rowKind[rr] !== STREET.secondary) continue;
    collect(Array.from({ length: n }, (_, c) => rr * n + c), rowKind[rr] === STREET.primary, layout.rowNames[rr]);
  }
  // keep at most MAX_LINES, spread evenly over the candidates
  let chosen = runs;
  if (runs.length > MAX_LINES) {
    const offset = r.int(0, Math.floor(runs.length / MAX_LINES) - 1);
    chosen = Array.from({ length: MAX_LINES }, (_, i) => runs[Math.min(runs.length - 1, Math.floor((i * runs.length) / MAX_LINES) + offset)]);
  }

  const stopName = (v: number) => `${layout.colNames[v % n]} / ${layout.rowNames[Math.floor(v / n)]}`;
  const lines: SimBusLine[] = [];
  chosen.forEach((run, li) => {
    const stopIdx: number[] = [];
    for (let i = 0; i < run.nodes.length; i += 2) stopIdx.push(i);
    if (stopIdx[stopIdx.length - 1] !== run.nodes.length - 1) stopIdx.push(run.nodes.length - 1);
    const stops: SimBusStop[] = stopIdx.map((i) => {
      const v = run.nodes[i];
      return { id: `S${v}`, name: stopName(v), node: v, lon: d.nodeLon[v], lat: d.nodeLat[v] };
    });
    const fwd: number[] = [];
    const bwd: number[] = [];
    for (let i = 1; i < run.nodes.length; i++) fwd.push(edgeBetween(network, run.nodes[i - 1], run.nodes[i]));
    for (let i = run.nodes.length - 1; i > 0; i--) bwd.push(edgeBetween(network, run.nodes[i], run.nodes[i - 1]));
    const segmentSeconds: number[] = [];
    for (let s = 1; s < stopIdx.length; s++) {
      let metres = 0;
      for (let i = stopIdx[s - 1]; i < stopIdx[s]; i++) metres += d.edgeLength[fwd[i]];
      segmentSeconds.push(Math.max(30, Math.round(metres / (BUS_KMH / 3.6))));
    }
    const number = li + 1;
    lines.push({
      id: `L${number}`,
      shortName: String(number),
      longName: `${run.name}: ${stops[0].name} - ${stops[stops.length - 1].name}`,
      stops,
      edges: [fwd, bwd],
      segmentSeconds,
      dwellSeconds: DWELL,
      headways: headways(run.main),
    });
  });
  return lines;
}
