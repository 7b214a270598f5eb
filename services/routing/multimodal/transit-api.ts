import { UrbanflowError } from '../../../core/errors/index.js';
import type { RoadNetwork } from '../../../core/graph/road-network.js';
import type { EventBus } from '../../../core/bus/event-bus.js';
import type { Store } from '../../../core/store/store.js';
import {
  planRequestSchema, transitRequestSchema,
  type TransitApi, type TransitInfo, type RealtimeSummary, type PlanOption,
} from '../../../core/contracts/routing-transit.js';
import { loadGtfsFile, loadGtfsZip, createTransitPlanner, checkTransitJourney, isoLocal, straightLineFootpaths, type GtfsFeed, type SnapFn, type TransitPlanner } from '../transit/index.js';
import { createMultimodalPlanner, type RoadRouteFn } from './multimodal-planner.js';
import { createTransitWatch, type TransitWatch } from './transit-watch.js';

export interface TransitApiDeps {
  /** a GTFS zip path, its bytes, or a parsed feed */
  gtfs: string | Uint8Array | GtfsFeed;
  /** road network for footpaths between stops and for access/egress legs */
  network?: RoadNetwork;
  /** compute footpaths on the network's foot graph (default true when there is a network) */
  networkFootpaths?: boolean;
  /** the road router for pure walk, bike and car options */
  roadRoute?: RoadRouteFn;
  snap?: SnapFn;
  /** 'gtfs:realtime' is published here after each realtime message; watched journeys listen to it */
  bus?: Pick<EventBus, 'publish' | 'subscribe'>;
  clock?: { now(): number };
  /**
   * where the latest realtime message is kept, so other processes (which hear 'gtfs:realtime' on the
   * bus) and a restarted one apply the same state
   */
  store?: Pick<Store, 'put' | 'get'>;
  onProgress?: (fraction: number, note: string) => void;
}

function zodMessage(e: { issues: { path: PropertyKey[]; message: string }[] }): { field: string; message: string } {
  const i = e.issues[0];
  const field = i.path.map(String).join('.') || 'body';
  return { field, message: `${field} ${i.message}` };
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const { field, message } = zodMessage(r.error);
    throw new UrbanflowError('INVALID_INPUT', message, { field });
  }
  return r.data;
}

/**
 * The routing service's transit side in one object: loads the feed, builds the transit and
 * multimodal planners, validates requests, publishes realtime updates. The routing service
 * exposes it as `service.transit`.
 */
export function createTransitApi(deps: TransitApiDeps): TransitApi & { planner: TransitPlanner; catchUp(): Promise<void> } {
  const feed = typeof deps.gtfs === 'string' ? loadGtfsFile(deps.gtfs, deps.onProgress) : deps.gtfs instanceof Uint8Array ? loadGtfsZip(deps.gtfs, deps.onProgress) : deps.gtfs;
  const useNetwork = deps.network && deps.networkFootpaths !== false;
  const planner = createTransitPlanner({
    feed,
    network: useNetwork ? deps.network : undefined,
    snap: deps.snap,
    footpaths: useNetwork ? undefined : straightLineFootpaths(feed),
    onProgress: deps.onProgress,
  });
  const multimodal = createMultimodalPlanner({ transit: planner, network: deps.network, roadRoute: deps.roadRoute, snap: deps.snap });
  const tz = feed.timezone;
  const date = (d: number) => (d ? `${String(d).slice(0, 4)}-${String(d).slice(4, 6)}-${String(d).slice(6, 8)}` : '');

  let watcher: TransitWatch | undefined;
  const REALTIME = ['transit-realtime', 'latest'] as const;
  let appliedAt = 0;
  const summarise = (s: ReturnType<TransitPlanner['applyRealtime']>): RealtimeSummary => ({
    at: isoLocal(s.timestamp, tz), entities: s.entities, tripsMatched: s.tripsMatched, tripsUnmatched: s.tripsUnmatched,
    stopUpdatesApplied: s.stopUpdatesApplied, tripsDelayed: s.tripsDelayed, cancelled: s.cancelled, skippedStops: s.skippedStops,
  });
  /** applies the stored message when it is newer than ours (another process received it) */
  const catchUp = async (at: number): Promise<void> => {
    if (!deps.store || at <= appliedAt) return;
    const saved = await deps.store.get<{ at: number; pb: string }>(REALTIME[0], REALTIME[1]);
    if (!saved || saved.at <= appliedAt) return;
    appliedAt = saved.at;
    planner.applyRealtime(new Uint8Array(Buffer.from(saved.pb, 'base64')));
  };
  const api: TransitApi & { planner: TransitPlanner; catchUp(): Promise<void> } = {
    planner,
    plan: (request, now) => multimodal.plan(parse(planRequestSchema, request), now ?? deps.clock?.now()),
    transit: (request, now) => planner.stopToStop(parse(transitRequestSchema, request), now ?? deps.clock?.now()),
    async applyGtfsRealtime(bytes) {
      const s = planner.applyRealtime(bytes);
      // a message stamped no later than the one applied still replaces it here; the stored copy keeps a newer one
      appliedAt = Math.max(appliedAt, s.timestamp);
      if (deps.store) await deps.store.put(REALTIME[0], REALTIME[1], { at: s.timestamp, pb: Buffer.from(bytes).toString('base64') });
      await deps.bus?.publish('gtfs:realtime', { at: s.timestamp, tripIds: s.tripIds });
      return summarise(s);
    },
    catchUp: () => catchUp(Number.MAX_SAFE_INTEGER - 1).then(() => undefined),
    checkJourney: (option: PlanOption, now) => checkTransitJourney(planner, option, now ?? deps.clock?.now()),
    watchJourney(option, listener) {
      if (!deps.bus) throw new UrbanflowError('CONFIG', 'watching journeys needs the event bus', { field: 'bus' });
      watcher ??= createTransitWatch(api, deps.bus, deps.clock);
      return watcher.watch(option, listener);
    },
    info(): TransitInfo {
      const rt = planner.realtime;
      return {
        agencies: feed.agencies.map((a) => a.name), timezone: tz,
        stops: feed.stopIds.length, routes: feed.routeIds.length, trips: feed.tripIds.length, stopTimes: feed.stStop.length,
        firstDate: date(feed.firstDate), lastDate: date(feed.lastDate),
        footpaths: { method: planner.footpaths.method, links: planner.footpaths.links, unsnapped: planner.footpaths.unsnapped },
        realtime: { version: rt.version, trips: rt.size, at: rt.lastStats ? isoLocal(rt.lastStats.timestamp, tz) : null },
        notes: feed.notes,
      };
    },
  };
  // other processes' realtime messages: fetch the stored copy when the bus says there is a newer one
  deps.bus?.subscribe?.('gtfs:realtime', (p) => {
    catchUp(p.at).catch(() => undefined);
  });
  // a (re)started process picks up the latest stored message in the background
  if (deps.store) catchUp(Number.MAX_SAFE_INTEGER - 1).catch(() => undefined);
  return api;
}
