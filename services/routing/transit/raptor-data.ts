/**
 * The flat arrays RAPTOR reads (Delling et al., "Round-Based Public Transit Routing").
 * A route is a trip pattern whose trips never overtake one another, sorted by departure.
 * Trip slot t of route r (routeTripOffsets[r] <= t < routeTripOffsets[r+1]) has its time at
 * the route's i-th stop at index routeTimeBase[r] + (t - routeTripOffsets[r]) * nStops(r) + i.
 * Times are seconds after the query day's service origin (noon minus 12 h).
 * This file and raptor*.ts import nothing outside this folder except core/errors.
 */
export interface RaptorTimetable {
  stopCount: number;
  routeCount: number;
  routeStopOffsets: Uint32Array;
  routeStops: Uint32Array;
  routeTripOffsets: Uint32Array;
  routeTimeBase: Uint32Array;
  arr: Int32Array;
  dep: Int32Array;
  /** 1 where boarding is not allowed (pickup_type 1, skipped stop) */
  noBoard: Uint8Array;
  /** 1 where alighting is not allowed (drop_off_type 1, skipped stop) */
  noAlight: Uint8Array;
  /** routes serving stop s: stopRoutes[stopRouteOffsets[s] ..), with the stop's position in each */
  stopRouteOffsets: Uint32Array;
  stopRoutes: Uint32Array;
  stopRoutePos: Uint32Array;
}

/** Walking links between stops (one hop; not assumed transitively closed), each stop's links shortest first. */
export interface RaptorFootpaths {
  offsets: Uint32Array;
  to: Uint32Array;
  seconds: Uint32Array;
}

export interface StopOffset {
  stop: number;
  /** walking seconds from the origin to the stop (access) or from the stop to the destination (egress) */
  seconds: number;
}

export const NO_TIME = 0x7fffffff;

/** Builds a footpath CSR from a list of [from, to, seconds] links. */
export function footpathsFromLinks(stopCount: number, linksIn: { from: number; to: number; seconds: number }[]): RaptorFootpaths {
  // each stop's links shortest first, so a scan can stop at the first one past a bound
  const links = [...linksIn].sort((x, y) => x.from - y.from || x.seconds - y.seconds);
  const offsets = new Uint32Array(stopCount + 1);
  for (const l of links) offsets[l.from + 1]++;
  for (let s = 0; s < stopCount; s++) offsets[s + 1] += offsets[s];
  const cursor = offsets.slice(0, stopCount);
  const to = new Uint32Array(links.length);
  const seconds = new Uint32Array(links.length);
  for (const l of links) {
    const i = cursor[l.from]++;
    to[i] = l.to;
    seconds[i] = Math.max(0, Math.round(l.seconds));
  }
  return { offsets, to, seconds };
}
