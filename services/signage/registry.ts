import { UrbanflowError } from '../../core/errors/index.js';
import { bearingDegrees, getSnapper, type RoadNetwork } from '../../core/graph/index.js';
import { faceProblem, type SignFace } from '../../core/multi/index.js';
import type { SignCreate, SignRecord } from '../../core/contracts/signage.js';
import type { SignageConfig } from './config.js';

/** The pixel face of a sign from its registration: character and line matrices count cells. */
export function faceOf(input: SignCreate, cfg: SignageConfig): SignFace {
  const cellW = cfg.cellWidth;
  const cellH = cfg.cellHeight;
  const face: SignFace = {
    type: input.type,
    width: input.type === 'character' ? input.width * cellW : input.width,
    height: input.type === 'full' ? input.height : input.height * cellH,
    cellWidth: cellW,
    cellHeight: cellH,
    fonts: input.fonts,
    colourScheme: input.colourScheme ?? 'colour24bit',
    maxPages: input.maxPages ?? 6,
  };
  const problem = faceProblem(face);
  if (problem) throw new UrbanflowError('INVALID_INPUT', `${problem.field}: ${problem.message}`, { field: problem.field });
  return face;
}

/**
 * The directed edge the sign faces: given, or the nearest car edge within snapMetres; with a
 * bearing, the candidate whose direction is closest to it (so a sign on the northbound
 * carriageway is not tied to the southbound one).
 */
export function edgeOf(input: SignCreate, network: RoadNetwork, cfg: SignageConfig): number {
  if (input.edge !== undefined) {
    if (input.edge >= network.edgeCount) throw new UrbanflowError('INVALID_INPUT', `edge must be below ${network.edgeCount}, got ${input.edge}`, { field: 'edge' });
    return input.edge;
  }
  const snapper = getSnapper(network);
  if (input.bearing !== undefined) {
    const near = snapper.within(input.lon, input.lat, cfg.snapMetres, 'car', 16);
    if (near.length) {
      const d = network.data;
      const diff = (e: number) => {
        const b = bearingDegrees(d.nodeLon[d.edgeFrom[e]], d.nodeLat[d.edgeFrom[e]], d.nodeLon[d.edgeTo[e]], d.nodeLat[d.edgeTo[e]]);
        const x = Math.abs(b - input.bearing!) % 360;
        return Math.min(x, 360 - x);
      };
      return near.slice().sort((a, b) => diff(a.edge) - diff(b.edge) || a.distance - b.distance)[0].edge;
    }
  } else {
    const snap = snapper.nearest(input.lon, input.lat, 'car', cfg.snapMetres);
    if (snap) return snap.edge;
  }
  throw new UrbanflowError('NOT_ON_NETWORK', `no road usable by cars within ${cfg.snapMetres} m of the sign`, { field: 'lon' });
}

export function signRecord(input: SignCreate, network: RoadNetwork, cfg: SignageConfig, now: number): SignRecord {
  return {
    id: input.id,
    name: input.name,
    lon: input.lon,
    lat: input.lat,
    edge: edgeOf(input, network, cfg),
    groups: [...new Set(input.groups)],
    type: input.type,
    width: input.width,
    height: input.height,
    face: faceOf(input, cfg),
    travelTimes: input.travelTimes,
    createdAt: now,
  };
}
