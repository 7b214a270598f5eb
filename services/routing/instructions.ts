import type { RoadNetwork } from '../../core/graph/road-network.js';
import { bearingDegrees } from '../../core/graph/geo.js';
import type { Instruction, TurnDirection } from '../../core/contracts/routing.js';
import type { Piece } from './route-shape.js';

/** Turn classes by the absolute angle between the incoming and outgoing bearing, degrees. */
export const TURN_LIMITS = { straight: 20, slight: 50, normal: 125, sharp: 170 } as const;

export function classifyTurn(angle: number): TurnDirection {
  const a = Math.abs(angle);
  if (a < TURN_LIMITS.straight) return 'straight';
  if (a >= TURN_LIMITS.sharp) return 'u-turn';
  const side = angle > 0 ? 'right' : 'left';
  if (a < TURN_LIMITS.slight) return `slight-${side}`;
  if (a < TURN_LIMITS.normal) return side;
  return `sharp-${side}`;
}

/** Signed angle from bearing `inB` to `outB` in (-180, 180]: negative = left, positive = right. */
export function turnAngle(inB: number, outB: number): number {
  let a = (outB - inB) % 360;
  if (a > 180) a -= 360;
  if (a <= -180) a += 360;
  return a;
}

const COMPASS = ['north', 'north-east', 'east', 'south-east', 'south', 'south-west', 'west', 'north-west'];

function bearingAtEnd(pts: [number, number][]): number | null {
  for (let i = pts.length - 1; i > 0; i--) {
    const [x0, y0] = pts[i - 1];
    const [x1, y1] = pts[pts.length - 1];
    if (x0 !== x1 || y0 !== y1) return bearingDegrees(x0, y0, x1, y1);
  }
  return null;
}

function bearingAtStart(pts: [number, number][]): number | null {
  for (let i = 1; i < pts.length; i++) {
    const [x0, y0] = pts[0];
    const [x1, y1] = pts[i];
    if (x0 !== x1 || y0 !== y1) return bearingDegrees(x0, y0, x1, y1);
  }
  return null;
}

function onto(name: string): string {
  return name ? ` onto ${name}` : '';
}

function sentence(type: TurnDirection, name: string, extra?: string): string {
  switch (type) {
    case 'depart': return `Head ${extra ?? ''}${name ? ` on ${name}` : ''}`.replace('Head  ', 'Head ');
    case 'arrive': return 'Arrive at your destination';
    case 'via': return 'Reach the via point and continue';
    case 'straight': return `Continue straight${onto(name)}`;
    case 'u-turn': return `Make a U-turn${onto(name)}`;
    case 'roundabout': return `At the roundabout take exit ${extra}${onto(name)}`;
    default: {
      const [a, b] = type.split('-');
      const words = b ? `${a === 'slight' ? 'slightly' : 'sharp'} ${b}` : a;
      return `Turn ${words}${onto(name)}`;
    }
  }
}

/**
 * Turn-by-turn from the route's pieces: one instruction where the route turns at a real
 * junction (a node with more than two neighbours) or the street name changes, with the metres
 * and seconds to the next one. Bends of a single street produce nothing.
 */
export function buildInstructions(
  network: RoadNetwork,
  pieces: Piece[],
  slices: [number, number][][],
  pieceSeconds: number[],
  pieceMetres: number[],
  viaAfter: Set<number>,
): Instruction[] {
  const out: Instruction[] = [];
  if (pieces.length === 0) return out;
  const d = network.data;
  const first = slices[0];
  const b0 = bearingAtStart(first) ?? 0;
  const label = (e: number) => network.edgeName(e) || network.edgeRef(e);
  const name0 = label(pieces[0].code >>> 1);
  out.push({
    type: 'depart',
    name: name0,
    ref: network.edgeRef(pieces[0].code >>> 1) || undefined,
    text: sentence('depart', name0, COMPASS[Math.round(b0 / 45) % 8]),
    lon: first[0][0],
    lat: first[0][1],
    distance: 0,
    duration: 0,
  });
  let cur = out[0];
  for (let k = 0; k < pieces.length; k++) {
    if (k > 0) {
      const prevEdge = pieces[k - 1].code >>> 1;
      const edge = pieces[k].code >>> 1;
      const joint = slices[k][0];
      const name = label(edge);
      const prevName = label(prevEdge);
      if (viaAfter.has(k - 1)) {
        cur = { type: 'via', name, text: sentence('via', name), lon: joint[0], lat: joint[1], distance: 0, duration: 0 };
        out.push(cur);
      } else {
        const bin = bearingAtEnd(slices[k - 1]);
        const bout = bearingAtStart(slices[k]);
        const angle = bin === null || bout === null ? 0 : turnAngle(bin, bout);
        const type = classifyTurn(angle);
        const node = pieces[k - 1].code & 1 ? d.edgeFrom[prevEdge] : d.edgeTo[prevEdge];
        const junction = neighbourCount(network, node) > 2;
        // going straight onto an unnamed stretch (a link, a crossing) is not worth a word
        const renamed = name !== prevName && !(type === 'straight' && name === '');
        if (type === 'u-turn' || (junction && type !== 'straight') || renamed) {
          cur = {
            type,
            name,
            ref: network.edgeRef(edge) || undefined,
            text: sentence(type, name),
            lon: joint[0],
            lat: joint[1],
            distance: 0,
            duration: 0,
            angle: Math.round(angle),
          };
          out.push(cur);
        }
      }
    }
    cur.distance += pieceMetres[k];
    cur.duration += pieceSeconds[k];
  }
  const lastSlice = slices[slices.length - 1];
  const end = lastSlice[lastSlice.length - 1];
  out.push({ type: 'arrive', name: label(pieces[pieces.length - 1].code >>> 1), text: sentence('arrive', ''), lon: end[0], lat: end[1], distance: 0, duration: 0 });
  for (const i of out) {
    i.distance = Math.round(i.distance * 10) / 10;
    i.duration = Math.round(i.duration * 10) / 10;
  }
  return out;
}

function neighbourCount(network: RoadNetwork, v: number): number {
  const seen = new Set<number>();
  const d = network.data;
  for (let i = network.outOffsets[v]; i < network.outOffsets[v + 1]; i++) seen.add(d.edgeTo[network.outEdges[i]]);
  for (let i = network.inOffsets[v]; i < network.inOffsets[v + 1]; i++) seen.add(d.edgeFrom[network.inEdges[i]]);
  seen.delete(v);
  return seen.size;
}
