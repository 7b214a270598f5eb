import type { RoadNetwork } from '../../../core/graph/road-network.js';
import type { TransitPlanner, SnapFn } from '../transit/index.js';

const MAJOR = new Set(['motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link']);

/** GTFS route types of rail-bound services (basic and extended codes) */
function isRail(type: number): boolean {
  return type === 0 || type === 1 || type === 2 || type === 5 || type === 7 || type === 12 || (type >= 100 && type < 200) || (type >= 400 && type < 500) || (type >= 900 && type < 1000) || type === 1400;
}

/**
 * Park-and-ride candidates (the feed has no car parks): stops served by rail or tram whose
 * nearest car-usable road is a major road (motorway..secondary) within 300 m, plus the first
 * and last stops of every tram/rail pattern (termini usually have space to park). Without
 * rail, bus termini near major roads.
 */
export function parkAndRideStops(transit: TransitPlanner, network: RoadNetwork, snap: SnapFn | undefined): number[] {
  const feed = transit.feed;
  const pat = transit.patterns;
  const rail = new Uint8Array(feed.stopIds.length);
  const terminus = new Uint8Array(feed.stopIds.length);
  let anyRail = false;
  for (let p = 0; p < pat.patternRoute.length; p++) anyRail ||= isRail(feed.routeTypes[pat.patternRoute[p]]);
  for (let p = 0; p < pat.patternRoute.length; p++) {
    const r = isRail(feed.routeTypes[pat.patternRoute[p]]);
    const s0 = pat.patternStopOffsets[p];
    const s1 = pat.patternStopOffsets[p + 1];
    for (let i = s0; i < s1; i++) if (r) rail[pat.patternStops[i]] = 1;
    if (r || !anyRail) {
      terminus[pat.patternStops[s0]] = 1;
      terminus[pat.patternStops[s1 - 1]] = 1;
    }
  }
  const out: number[] = [];
  for (let s = 0; s < feed.stopIds.length; s++) {
    if (anyRail && !rail[s]) continue;
    if (terminus[s] && (anyRail || !snap)) {
      out.push(s);
      continue;
    }
    const hit = snap?.(feed.stopLon[s], feed.stopLat[s], 'car');
    if (hit && hit.distance <= 300 && MAJOR.has(network.roadClass(hit.edge))) out.push(s);
  }
  return out;
}
