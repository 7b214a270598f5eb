import { UrbanflowError } from '../../../core/errors/index.js';
import type { RoadNetwork } from '../../../core/graph/road-network.js';
import type { ModeName } from '../../../core/graph/modes.js';
import { haversineMetres } from '../../../core/graph/geo.js';
import type { PlanLeg, PlanMode, PlanOption, PlanPlace, PlanRequest, PlanResult } from '../../../core/contracts/routing-transit.js';
import {
  BoundedSearch, FOOTPATH_DEFAULTS, anchorsOf, coreSnap, nearestNodeSnapper, pathGeometry, modeSpeedMs, stopsNear, makeLeg, optionFromLegs, stopPlace, toPlanOption, isoLocal,
  type Anchor, type SnapFn, type StopOffset, type TransitPlanner, type LegBuilders,
} from '../transit/index.js';
import { parkAndRideStops } from './park-and-ride.js';

/** A road route as the routing service answers it (only what a plan leg needs). */
export interface RoadLeg {
  seconds: number;
  metres: number;
  coordinates: [number, number][];
}

/** Injected by the routing service: its road router for pure car, bike and walk options. */
export type RoadRouteFn = (from: { lon: number; lat: number }, to: { lon: number; lat: number }, mode: 'car' | 'bike' | 'foot', departAt: number) => Promise<RoadLeg | null> | RoadLeg | null;

export interface MultimodalDeps {
  transit: TransitPlanner;
  /** road network for access/egress legs; without it walks are straight lines x detour */
  network?: RoadNetwork;
  roadRoute?: RoadRouteFn;
  snap?: SnapFn;
}

export const MULTIMODAL_DEFAULTS = {
  /** longest bike ride to a station, seconds */
  bikeAccessSeconds: 15 * 60,
  /** longest drive to a park-and-ride stop, seconds */
  carAccessSeconds: 30 * 60,
  /** parking the car or bike and reaching the platform, seconds */
  parkSeconds: 5 * 60,
  bikeParkSeconds: 2 * 60,
  /** straight-line detour factor when there is no network */
  detour: 1.3,
  /** pure walking is offered up to this many seconds */
  maxWalkOnlySeconds: 2 * 3600,
  maxSnapMetres: 1000,
  /** a walk the road-only foot graph cannot connect is taken in a straight line (x detour) up to this length */
  straightWalkMetres: 2000,
  /** when walking beats every ride, the ride still offered uses walks of at most this many seconds */
  shortWalkSeconds: 5 * 60,
};

const WALK_SPEED = modeSpeedMs('foot');

interface AccessSet {
  offsets: StopOffset[];
  legs(stop: number, depMs: number, arrMs: number): PlanLeg[];
}

/**
 * One plan request -> the best options across modes: walk, bike, car (road router), walk +
 * transit, bike + transit, park and ride (car to a stop near a major road, then transit). Access
 * and egress legs start at the exact coordinates (snapped to the road network) and follow it.
 */
export class MultimodalPlanner {
  private readonly deps: MultimodalDeps;
  private readonly snap: SnapFn | undefined;
  private readonly fallback: ReturnType<typeof nearestNodeSnapper> | undefined;
  private readonly searches = new Map<string, BoundedSearch>();
  private pnr: number[] | undefined;

  constructor(deps: MultimodalDeps) {
    this.deps = deps;
    this.snap = deps.snap ?? (deps.network ? coreSnap(deps.network, MULTIMODAL_DEFAULTS.maxSnapMetres) : undefined);
    this.fallback = deps.network ? nearestNodeSnapper(deps.network) : undefined;
  }

  /** one search per use, so that legs built later still read their own search's tree */
  private search(mode: ModeName, backward: boolean, tag = ''): BoundedSearch {
    const key = `${mode}:${backward}:${tag}`;
    let s = this.searches.get(key);
    if (!s) {
      s = new BoundedSearch(this.deps.network!, mode);
      this.searches.set(key, s);
    }
    if (mode === 'car') s.refresh();
    return s;
  }

  private anchors(p: { lon: number; lat: number }, mode: ModeName): Anchor[] {
    return anchorsOf(this.deps.network!, this.snap, this.fallback!, p.lon, p.lat, mode, MULTIMODAL_DEFAULTS.maxSnapMetres);
  }

  async plan(req: PlanRequest, now = Date.now()): Promise<PlanResult> {
    const transit = this.deps.transit;
    const tz = transit.timezone;
    const { epoch } = transit.resolveDeparture(req.departAt, now);
    const modes = new Set<PlanMode>(req.modes ?? ['walk', 'bike', 'car', 'transit', 'bike+transit', 'park+ride']);
    const notes: string[] = [];
    const options: PlanOption[] = [];
    const origin: PlanPlace = { name: 'origin', lon: req.from.lon, lat: req.from.lat };
    const dest: PlanPlace = { name: 'destination', lon: req.to.lon, lat: req.to.lat };
    if (!this.deps.network) notes.push('no road network: walks are straight lines x 1.3 at 5 km/h; bike, car and park+ride are not offered');

    // pure modes through the road router (or our own searches)
    for (const [mode, road] of [['walk', 'foot'], ['bike', 'bike'], ['car', 'car']] as const) {
      if (!modes.has(mode)) continue;
      if (mode === 'walk' && (haversineMetres(origin.lon, origin.lat, dest.lon, dest.lat) / WALK_SPEED) > MULTIMODAL_DEFAULTS.maxWalkOnlySeconds) {
        notes.push(`walk: too far to walk (over ${MULTIMODAL_DEFAULTS.maxWalkOnlySeconds / 3600} h)`);
        continue;
      }
      const leg = await this.roadLeg(origin, dest, road, epoch);
      if (!leg) {
        notes.push(`${mode}: no route`);
        continue;
      }
      if (mode === 'walk' && leg.seconds > MULTIMODAL_DEFAULTS.maxWalkOnlySeconds) {
        notes.push(`walk: ${Math.round(leg.seconds / 60)} min is longer than offered`);
        continue;
      }
      options.push(optionFromLegs(transit.feed, mode, [leg]));
    }

    // transit combinations: computed synchronously so the searches' state stays ours
    const maxWalk = req.maxWalkMinutes * 60;
    const egress = this.walkSet(dest, maxWalk, true);
    if (egress.offsets.length === 0) notes.push('transit: no stop within walking distance of the destination');
    const combos: [PlanMode, () => AccessSet | undefined][] = [
      ['transit', () => this.walkSet(origin, maxWalk, false)],
      ['bike+transit', () => this.rideSet(origin, dest, 'bike', MULTIMODAL_DEFAULTS.bikeAccessSeconds, MULTIMODAL_DEFAULTS.bikeParkSeconds, undefined)],
      ['park+ride', () => this.rideSet(origin, dest, 'car', MULTIMODAL_DEFAULTS.carAccessSeconds, MULTIMODAL_DEFAULTS.parkSeconds, this.parkAndRide())],
    ];
    for (const [mode, makeAccess] of combos) {
      if (!modes.has(mode) || egress.offsets.length === 0) continue;
      if (mode !== 'transit' && !this.deps.network) continue;
      const access = makeAccess();
      if (!access || access.offsets.length === 0) {
        notes.push(`${mode}: no stop reachable from the origin`);
        continue;
      }
      const { ctx, journeys } = transit.query(access.offsets, egress.offsets, epoch, { maxTrips: req.maxTrips, transferSlack: req.transferSlackSeconds });
      const builders: LegBuilders = {
        access: (stop, d, a) => access.legs(stop, d, a),
        egress: (stop, d, a) => egress.legs(stop, d, a),
        walk: (u, v, d, a) => transit.walkLeg(u, v, d, a),
      };
      let found = journeys.filter((j) => j.legs.some((l) => l.kind === 'transit')).map((j) => toPlanOption(transit.feed, ctx.day, j, mode, builders));
      // walking between the access and egress stops beat every vehicle: that is a walk option
      const walkOnly = journeys.find((j) => !j.legs.some((l) => l.kind === 'transit'));
      if (walkOnly && found.length === 0 && mode === 'transit') {
        // still offer the best ride: with short walks (5 min) at both ends the walk-only path cannot form
        const shortWalk = Math.min(maxWalk, MULTIMODAL_DEFAULTS.shortWalkSeconds);
        const a2 = this.walkSet(origin, shortWalk, false, 'short');
        const e2 = this.walkSet(dest, shortWalk, true, 'short');
        const egressStops = new Set(e2.offsets.map((o) => o.stop));
        const rideAccess = a2.offsets.filter((o) => !egressStops.has(o.stop));
        if (rideAccess.length && e2.offsets.length) {
          const again = transit.query(rideAccess, e2.offsets, epoch, { maxTrips: req.maxTrips, transferSlack: req.transferSlackSeconds });
          const b2: LegBuilders = { ...builders, access: (stop, d, a) => a2.legs(stop, d, a), egress: (stop, d, a) => e2.legs(stop, d, a) };
          found = again.journeys.filter((j) => j.legs.some((l) => l.kind === 'transit')).map((j) => toPlanOption(transit.feed, again.ctx.day, j, mode, b2));
        }
      }
      if (walkOnly && mode === 'transit' && !options.some((o) => o.mode === 'walk')) {
        options.push({ ...toPlanOption(transit.feed, ctx.day, walkOnly, 'walk', builders), mode: 'walk' });
        notes.push('walk: via stops near both ends (shorter than any transit journey)');
      }
      if (found.length === 0) notes.push(`${mode}: no connection`);
      else if (walkOnly) notes.push(`${mode}: walking is faster`);
      // the earliest arrival, and up to two alternatives with fewer changes
      options.push(...found.slice(-3));
    }
    options.sort((a, b) => a.arrivalMs - b.arrivalMs || a.transfers - b.transfers || a.seconds - b.seconds);
    return { from: req.from, to: req.to, departAt: isoLocal(epoch, tz), options, notes };
  }

  /** a single road leg from a to b (router first, own search otherwise) */
  private async roadLeg(a: PlanPlace, b: PlanPlace, mode: 'foot' | 'bike' | 'car', epoch: number): Promise<PlanLeg | null> {
    const feed = this.deps.transit.feed;
    const legMode = mode === 'foot' ? 'walk' : mode;
    if (this.deps.roadRoute) {
      const r = await this.deps.roadRoute({ lon: a.lon, lat: a.lat }, { lon: b.lon, lat: b.lat }, mode, epoch);
      if (!r) return null;
      return makeLeg(feed, legMode, a, b, epoch, epoch + r.seconds * 1000, r.coordinates, Math.round(r.metres));
    }
    if (!this.deps.network) {
      if (mode !== 'foot') return null;
      const m = haversineMetres(a.lon, a.lat, b.lon, b.lat) * MULTIMODAL_DEFAULTS.detour;
      return makeLeg(feed, 'walk', a, b, epoch, epoch + (m / WALK_SPEED) * 1000, undefined, Math.round(m));
    }
    const from = this.anchors(a, mode);
    const to = this.anchors(b, mode);
    // the extract has roads only: where the foot graph cannot connect two close points, walk straight
    const straight = (): PlanLeg | null => {
      const m = haversineMetres(a.lon, a.lat, b.lon, b.lat) * MULTIMODAL_DEFAULTS.detour;
      return mode === 'foot' && m <= MULTIMODAL_DEFAULTS.straightWalkMetres ? makeLeg(feed, 'walk', a, b, epoch, epoch + (m / WALK_SPEED) * 1000, undefined, Math.round(m)) : null;
    };
    if (!from.length || !to.length) return straight();
    const s = this.search(mode, false, 'road');
    s.run(from, 4 * 3600);
    let best = -1;
    let bestT = Infinity;
    for (const an of to) {
      const t = s.distanceTo(an.node) + an.seconds;
      if (t < bestT) {
        bestT = t;
        best = an.node;
      }
    }
    if (best < 0 || !Number.isFinite(bestT)) return straight();
    const edges = s.pathEdges(best);
    const metres = edges.reduce((sum, e) => sum + this.deps.network!.data.edgeLength[e], 0);
    return makeLeg(feed, legMode, a, b, epoch, epoch + bestT * 1000, pathGeometry(this.deps.network!, edges, [a.lon, a.lat], [b.lon, b.lat]), Math.round(metres));
  }

  /** stops within walking time of a point, with their walk legs (backward = towards the point) */
  private walkSet(p: PlanPlace, maxSeconds: number, backward: boolean, tag = ''): AccessSet {
    const transit = this.deps.transit;
    const feed = transit.feed;
    const near = stopsNear(feed, transit.footpaths.stopIndex.index, p.lon, p.lat, maxSeconds * WALK_SPEED);
    const net = this.deps.network;
    const offsets: StopOffset[] = [];
    const via = new Map<number, number>();
    const walkSecs = new Map<number, number>();
    let search: BoundedSearch | undefined;
    const anchors = net ? this.anchors(p, 'foot') : [];
    if (net && anchors.length) {
      search = this.search('foot', backward, tag);
      search.run(anchors, maxSeconds, backward);
    }
    const stopAnchors = transit.footpaths.stopIndex.anchors;
    for (const n of near) {
      let best = (n.metres * MULTIMODAL_DEFAULTS.detour) / WALK_SPEED;
      let node = -1;
      if (search && stopAnchors[n.stop].length) {
        // as for footpaths: a short straight walk stays allowed where the road-only graph has no way
        best = n.metres <= FOOTPATH_DEFAULTS.crowFlyMetres ? best : Infinity;
        for (const an of stopAnchors[n.stop]) {
          const t = search.distanceTo(an.node) + an.seconds;
          if (t < best) {
            best = t;
            node = an.node;
          }
        }
      }
      if (best <= maxSeconds) {
        offsets.push({ stop: n.stop, seconds: best });
        walkSecs.set(n.stop, best);
        if (node >= 0) via.set(n.stop, node);
      }
    }
    return {
      offsets,
      legs: (stop, d, a) => {
        const sp = stopPlace(feed, stop);
        const node = via.get(stop);
        // walking speed is constant, so the walk's length follows from its time (partial edges included)
        const metres = Math.round((walkSecs.get(stop) ?? 0) * WALK_SPEED);
        if (!search || node === undefined || !net) return [makeLeg(feed, 'walk', backward ? sp : p, backward ? p : sp, d, a, undefined, metres)];
        const edges = search.pathEdges(node, backward);
        const coords = backward ? pathGeometry(net, edges, [sp.lon, sp.lat], [p.lon, p.lat]) : pathGeometry(net, edges, [p.lon, p.lat], [sp.lon, sp.lat]);
        return [makeLeg(feed, 'walk', backward ? sp : p, backward ? p : sp, d, a, coords, metres)];
      },
    };
  }

  /** stops reachable by bike or car (then parking) from the origin */
  private rideSet(p: PlanPlace, towards: PlanPlace, mode: 'bike' | 'car', maxSeconds: number, parkSeconds: number, only: number[] | undefined): AccessSet | undefined {
    const net = this.deps.network;
    if (!net) return undefined;
    const transit = this.deps.transit;
    const feed = transit.feed;
    const anchors = this.anchors(p, mode);
    if (!anchors.length) return undefined;
    const search = this.search(mode, false, 'ride');
    search.run(anchors, maxSeconds);
    const modeAnchors = (stop: number): Anchor[] => this.anchors({ lon: feed.stopLon[stop], lat: feed.stopLat[stop] }, mode);
    const candidates = only ?? stopsNear(feed, transit.footpaths.stopIndex.index, p.lon, p.lat, maxSeconds * modeSpeedMs(mode)).map((n) => n.stop);
    const offsets: StopOffset[] = [];
    const via = new Map<number, { node: number; ride: number }>();
    for (const stop of candidates) {
      // riding to a stop near the destination is not park-and-ride: keep stops on the origin's side
      if (haversineMetres(p.lon, p.lat, feed.stopLon[stop], feed.stopLat[stop]) > haversineMetres(towards.lon, towards.lat, feed.stopLon[stop], feed.stopLat[stop])) continue;
      let best = Infinity;
      let node = -1;
      for (const an of modeAnchors(stop)) {
        const t = search.distanceTo(an.node) + an.seconds;
        if (t < best) {
          best = t;
          node = an.node;
        }
      }
      if (node >= 0 && best <= maxSeconds) {
        offsets.push({ stop, seconds: best + parkSeconds });
        via.set(stop, { node, ride: best });
      }
    }
    return {
      offsets,
      legs: (stop, d, a) => {
        const sp = stopPlace(feed, stop);
        const v = via.get(stop)!;
        const edges = search.pathEdges(v.node);
        const metres = Math.round(edges.reduce((s, e) => s + net.data.edgeLength[e], 0));
        const rideEnd = d + v.ride * 1000;
        const ride = makeLeg(feed, mode, p, { ...sp, name: `${sp.name} (${mode === 'car' ? 'park and ride' : 'bike parking'})` }, d, rideEnd, pathGeometry(net, edges, [p.lon, p.lat], [sp.lon, sp.lat]), metres);
        const walk = makeLeg(feed, 'walk', ride.to, sp, rideEnd, a, [[sp.lon, sp.lat], [sp.lon, sp.lat]], 0);
        return [ride, walk];
      },
    };
  }

  private parkAndRide(): number[] {
    if (!this.pnr) this.pnr = parkAndRideStops(this.deps.transit, this.deps.network!, this.snap);
    return this.pnr;
  }
}

export function createMultimodalPlanner(deps: MultimodalDeps): MultimodalPlanner {
  if (!deps.transit) throw new UrbanflowError('CONFIG', 'multimodal planning needs a transit planner', { field: 'transit' });
  return new MultimodalPlanner(deps);
}
