import type { RoadNetworkData } from './road-network-data.js';
import { TURN_RESTRICTION_STRIDE } from './road-network-data.js';
import { MODE, type ModeName } from './modes.js';

/** Answers "may a vehicle in this mode go from edge a onto edge b?" for a network's turn restrictions. */
export interface TurnRestrictionLookup {
  /** number of bans for the mode */
  readonly size: number;
  isBanned(fromEdge: number, toEdge: number): boolean;
}

/**
 * The bans of one mode as a lookup for edge-based searches (labels on edges): before relaxing
 * `toEdge` out of `fromEdge`, skip it when `isBanned(fromEdge, toEdge)`. A network without
 * restrictions gives a lookup that bans nothing at no cost.
 */
export function turnRestrictionLookup(data: RoadNetworkData, mode: ModeName): TurnRestrictionLookup {
  const t = data.turnRestrictions;
  const bit = MODE[mode];
  const banned = new Map<number, number[]>();
  let size = 0;
  if (t) {
    for (let k = 0; k + TURN_RESTRICTION_STRIDE <= t.length; k += TURN_RESTRICTION_STRIDE) {
      if (!(t[k + 3] & bit)) continue;
      const list = banned.get(t[k]);
      if (list) list.push(t[k + 2]);
      else banned.set(t[k], [t[k + 2]]);
      size++;
    }
  }
  return {
    size,
    isBanned: size === 0 ? () => false : (fromEdge, toEdge) => banned.get(fromEdge)?.includes(toEdge) ?? false,
  };
}
