import KDBush from 'kdbush';
import type { RoadNetwork } from '../../../core/graph/road-network.js';
import { haversineMetres, metresPerDegree } from '../../../core/graph/geo.js';
import type { GtfsFeed } from './gtfs-feed.js';
import { footpathsFromLinks, type RaptorFootpaths } from './raptor-data.js';
import { Anchor, BoundedSearch, anchorsOf, modeSpeedMs, nearestNodeSnapper, type SnapFn } from './road-search.js';

/**
 * Walking links between nearby stops. With a road network: a bounded one-to-many foot Dijkstra
 * from each stop's snapped position (default 10 min). Without one: straight-line distance times a
 * detour factor at walking speed. transfers.txt links between different stops are added either way
 * (their min_transfer_time wins when given).
 */
export const FOOTPATH_DEFAULTS = {
  /** longest walk between two stops, seconds */
  maxSeconds: 600,
  /** straight-line fallback: detour factor over the crow-fly distance */
  detour: 1.3,
  /** a stop further than this from any walkable road is linked by straight line only */
  maxSnapMetres: 300,
  /**
   * stops this close are also linked in a straight line x detour: the OSM extract has roads only (no
   * footways, squares or pedestrian zones), so the foot graph misses many short walks between platforms
   */
  crowFlyMetres: 400,
};

export interface StopWalkIndex {
  /** kdbush over stop coordinates (ids = stop indexes) */
  index: KDBush;
  /** road-network anchors of each stop for walking (empty when it could not snap) */
  anchors: Anchor[][];
}

export interface Footpaths {
  foot: RaptorFootpaths;
  method: 'network' | 'straight-line';
  /** links computed, and stops that fell back to straight line */
  links: number;
  unsnapped: number;
  stopIndex: StopWalkIndex;
}

export function stopKdIndex(feed: GtfsFeed): KDBush {
  const index = new KDBush(Math.max(1, feed.stopIds.length));
  for (let s = 0; s < feed.stopIds.length; s++) index.add(feed.stopLon[s], feed.stopLat[s]);
  if (feed.stopIds.length === 0) index.add(0, 0);
  index.finish();
  return index;
}

/** stops within `metres` (straight line) of a point */
export function stopsNear(feed: GtfsFeed, index: KDBush, lon: number, lat: number, metres: number): { stop: number; metres: number }[] {
  const k = metresPerDegree(lat);
  const out: { stop: number; metres: number }[] = [];
  for (const s of index.range(lon - metres / k.lon, lat - metres / k.lat, lon + metres / k.lon, lat + metres / k.lat)) {
    if (s >= feed.stopIds.length) continue;
    const d = haversineMetres(lon, lat, feed.stopLon[s], feed.stopLat[s]);
    if (d <= metres) out.push({ stop: s, metres: d });
  }
  return out;
}

function transferLinks(feed: GtfsFeed, walkSpeed: number, detour: number): { from: number; to: number; seconds: number }[] {
  return feed.transfers
    .filter((t) => t.from !== t.to && t.type !== 3)
    .map((t) => ({
      from: t.from, to: t.to,
      seconds: t.minSeconds >= 0 ? t.minSeconds : (haversineMetres(feed.stopLon[t.from], feed.stopLat[t.from], feed.stopLon[t.to], feed.stopLat[t.to]) * detour) / walkSpeed,
    }));
}

function merge(stopCount: number, links: { from: number; to: number; seconds: number }[]): RaptorFootpaths {
  const best = new Map<number, { from: number; to: number; seconds: number }>();
  for (const l of links) {
    const key = l.from * stopCount + l.to;
    const cur = best.get(key);
    if (!cur || l.seconds < cur.seconds) best.set(key, l);
  }
  return footpathsFromLinks(stopCount, [...best.values()]);
}

export function straightLineFootpaths(feed: GtfsFeed, opts: { maxSeconds?: number; maxMetres?: number; detour?: number } = {}): Footpaths {
  const detour = opts.detour ?? FOOTPATH_DEFAULTS.detour;
  const speed = modeSpeedMs('foot');
  const maxMetres = opts.maxMetres ?? ((opts.maxSeconds ?? FOOTPATH_DEFAULTS.maxSeconds) * speed) / detour;
  const index = stopKdIndex(feed);
  const links: { from: number; to: number; seconds: number }[] = [];
  for (let s = 0; s < feed.stopIds.length; s++) {
    for (const n of stopsNear(feed, index, feed.stopLon[s], feed.stopLat[s], maxMetres)) {
      if (n.stop !== s) links.push({ from: s, to: n.stop, seconds: (n.metres * detour) / speed });
    }
  }
  links.push(...transferLinks(feed, speed, detour));
  const foot = merge(feed.stopIds.length, links);
  return { foot, method: 'straight-line', links: foot.to.length, unsnapped: feed.stopIds.length, stopIndex: { index, anchors: feed.stopIds.map(() => []) } };
}

export function networkFootpaths(feed: GtfsFeed, network: RoadNetwork, opts: { maxSeconds?: number; snap?: SnapFn; onProgress?: (f: number) => void } = {}): Footpaths {
  const maxSeconds = opts.maxSeconds ?? FOOTPATH_DEFAULTS.maxSeconds;
  const speed = modeSpeedMs('foot');
  const detour = FOOTPATH_DEFAULTS.detour;
  const index = stopKdIndex(feed);
  const fallback = nearestNodeSnapper(network);
  const S = feed.stopIds.length;
  const anchors = feed.stopIds.map((_, s) => anchorsOf(network, opts.snap, fallback, feed.stopLon[s], feed.stopLat[s], 'foot', FOOTPATH_DEFAULTS.maxSnapMetres));
  const search = new BoundedSearch(network, 'foot');
  const links: { from: number; to: number; seconds: number }[] = [];
  let unsnapped = 0;
  for (let s = 0; s < S; s++) {
    if (opts.onProgress && s % 200 === 0) opts.onProgress(s / S);
    const near = stopsNear(feed, index, feed.stopLon[s], feed.stopLat[s], maxSeconds * speed);
    if (anchors[s].length === 0) {
      unsnapped++;
      for (const n of near) if (n.stop !== s) links.push({ from: s, to: n.stop, seconds: (n.metres * detour) / speed });
      continue;
    }
    search.run(anchors[s], maxSeconds);
    for (const n of near) {
      if (n.stop === s) continue;
      let best = Infinity;
      if (anchors[n.stop].length === 0) best = (n.metres * detour) / speed;
      for (const a of anchors[n.stop]) best = Math.min(best, search.distanceTo(a.node) + a.seconds);
      // short hops also in a straight line: the road-only foot graph overstates (or misses) them
      if (n.metres <= FOOTPATH_DEFAULTS.crowFlyMetres) best = Math.min(best, (n.metres * detour) / speed);
      if (best <= maxSeconds) links.push({ from: s, to: n.stop, seconds: best });
    }
  }
  links.push(...transferLinks(feed, speed, detour));
  const foot = merge(S, links);
  return { foot, method: 'network', links: foot.to.length, unsnapped, stopIndex: { index, anchors } };
}
