import { UrbanflowError } from '../../../core/errors/index.js';
import type { RoadNetwork } from '../../../core/graph/road-network.js';
import type { PlanLeg, PlanOption, TransitRequest, TransitResult } from '../../../core/contracts/routing-transit.js';
import type { GtfsFeed } from './gtfs-feed.js';
import { buildTripPatterns, buildDayTimetable, type DayTimetable, type TripPatterns } from './day-timetable.js';
import { localFields, parseIsoInZone, isoLocal } from './gtfs-time.js';
import { networkFootpaths, straightLineFootpaths, FOOTPATH_DEFAULTS, type Footpaths } from './footpaths.js';
import { Raptor, type RaptorJourney } from './raptor.js';
import { ConnectionScan } from './csa.js';
import type { StopOffset } from './raptor-data.js';
import { RealtimeState, type RealtimeStats } from './realtime.js';
import { makeLeg, stopPlace, toPlanOption, type LegBuilders } from './journey-format.js';
import { BoundedSearch, coreSnap, pathGeometry, type SnapFn } from './road-search.js';

export interface TransitPlannerOptions {
  feed: GtfsFeed;
  /** road network for footpaths between stops (foot Dijkstra); without it, straight line x detour */
  network?: RoadNetwork;
  /** snapping; default core/graph/snap's getSnapper(network).nearest */
  snap?: SnapFn;
  /** longest walk between two stops, seconds (default 600) */
  footpathSeconds?: number;
  /** precomputed footpaths (tests, benchmarks) */
  footpaths?: Footpaths;
  /** day timetables kept in memory */
  cacheDays?: number;
  onProgress?: (fraction: number, note: string) => void;
}

export interface DayContext {
  day: DayTimetable;
  raptor: Raptor;
  csa(): ConnectionScan;
  /** trip slot of (feed trip, service date), or -1 */
  slotOf(trip: number, date: number): number;
}

export interface TransitQueryOptions {
  maxTrips?: number;
  transferSlack?: number;
}

/**
 * One feed, ready to answer: patterns built once, footpaths once, a small cache of per-day
 * RAPTOR timetables (rebuilt when realtime data changes), stop lookups and output formatting.
 */
export class TransitPlanner {
  readonly feed: GtfsFeed;
  readonly patterns: TripPatterns;
  readonly footpaths: Footpaths;
  readonly realtime: RealtimeState;
  readonly network: RoadNetwork | undefined;
  private readonly days = new Map<number, DayContext>();
  private readonly cacheDays: number;
  private readonly stopById = new Map<string, number>();
  private reverseFoot: { offsets: Uint32Array; from: Uint32Array; seconds: Uint32Array } | undefined;
  private walkSearch: BoundedSearch | undefined;

  constructor(opts: TransitPlannerOptions) {
    this.feed = opts.feed;
    this.network = opts.network;
    this.patterns = buildTripPatterns(opts.feed);
    this.footpaths = opts.footpaths
      ?? (opts.network
        ? networkFootpaths(opts.feed, opts.network, { maxSeconds: opts.footpathSeconds, snap: opts.snap ?? coreSnap(opts.network), onProgress: (f) => opts.onProgress?.(f, 'footpaths') })
        : straightLineFootpaths(opts.feed, { maxSeconds: opts.footpathSeconds }));
    this.realtime = new RealtimeState(opts.feed);
    this.cacheDays = opts.cacheDays ?? 4;
    opts.feed.stopIds.forEach((id, i) => this.stopById.set(id, i));
  }

  get timezone(): string {
    return this.feed.timezone;
  }

  stop(id: string, field = 'stop'): number {
    const s = this.stopById.get(id);
    if (s === undefined) throw new UrbanflowError('NOT_FOUND', `${field}: no stop with stop_id '${id}' in the feed`, { field });
    return s;
  }

  /** departure as (epoch ms, service date, seconds after that day's origin) */
  resolveDeparture(departAt: number | string | undefined, now = Date.now(), field = 'departAt'): { epoch: number; date: number } {
    let epoch: number;
    if (departAt === undefined) epoch = now;
    else if (typeof departAt === 'number') epoch = departAt;
    else {
      epoch = parseIsoInZone(departAt, this.timezone);
      if (Number.isNaN(epoch)) throw new UrbanflowError('INVALID_INPUT', `${field} must be an ISO 8601 time like 2016-11-01T08:00, got '${departAt}'`, { field });
    }
    if (!Number.isFinite(epoch)) throw new UrbanflowError('INVALID_INPUT', `${field} must be a valid time`, { field });
    return { epoch, date: localFields(epoch, this.timezone).date };
  }

  /** the RAPTOR data for a service date (cached; realtime-aware) */
  dayContext(date: number): DayContext {
    let ctx = this.days.get(date);
    if (ctx) {
      this.days.delete(date);
      this.days.set(date, ctx);
      return ctx;
    }
    const day = buildDayTimetable(this.feed, this.patterns, date, { realtime: this.realtime.size > 0 ? this.realtime.lookup : undefined });
    const raptor = new Raptor(day.tt, this.footpaths.foot);
    let csa: ConnectionScan | undefined;
    let slots: Map<string, number> | undefined;
    ctx = {
      day, raptor,
      csa: () => (csa ??= new ConnectionScan(day.tt, this.footpaths.foot)),
      slotOf: (trip, d) => {
        if (!slots) {
          slots = new Map();
          for (let i = 0; i < day.slotTrip.length; i++) slots.set(`${day.slotTrip[i]}|${day.slotDate[i]}`, i);
        }
        return slots.get(`${trip}|${d}`) ?? -1;
      },
    };
    this.days.set(date, ctx);
    while (this.days.size > this.cacheDays) this.days.delete(this.days.keys().next().value!);
    return ctx;
  }

  /** RAPTOR from access stops to egress stops; Pareto set over (arrival, trips) */
  query(access: StopOffset[], egress: StopOffset[], departEpoch: number, opts: TransitQueryOptions = {}): { ctx: DayContext; journeys: RaptorJourney[] } {
    const date = localFields(departEpoch, this.timezone).date;
    const ctx = this.dayContext(date);
    const departure = Math.floor((departEpoch - ctx.day.origin) / 1000);
    const journeys = ctx.raptor.query({ access, egress, departure, maxTrips: opts.maxTrips, transferSlack: opts.transferSlack });
    return { ctx, journeys };
  }

  /** walking offsets around a stop: the stop itself plus its footpaths (forward or backward) */
  stopWalks(stop: number, backward: boolean): StopOffset[] {
    const out: StopOffset[] = [{ stop, seconds: 0 }];
    if (!backward) {
      const f = this.footpaths.foot;
      for (let j = f.offsets[stop]; j < f.offsets[stop + 1]; j++) out.push({ stop: f.to[j], seconds: f.seconds[j] });
      return out;
    }
    const r = this.reverse();
    for (let j = r.offsets[stop]; j < r.offsets[stop + 1]; j++) out.push({ stop: r.from[j], seconds: r.seconds[j] });
    return out;
  }

  private reverse() {
    if (this.reverseFoot) return this.reverseFoot;
    const f = this.footpaths.foot;
    const S = this.feed.stopIds.length;
    const offsets = new Uint32Array(S + 1);
    for (let i = 0; i < f.to.length; i++) offsets[f.to[i] + 1]++;
    for (let s = 0; s < S; s++) offsets[s + 1] += offsets[s];
    const cur = offsets.slice(0, S);
    const from = new Uint32Array(f.to.length);
    const seconds = new Uint32Array(f.to.length);
    for (let u = 0; u < S; u++) {
      for (let j = f.offsets[u]; j < f.offsets[u + 1]; j++) {
        const k = cur[f.to[j]]++;
        from[k] = u;
        seconds[k] = f.seconds[j];
      }
    }
    return (this.reverseFoot = { offsets, from, seconds });
  }

  /** a walk leg between two stops, along the foot network when there is one */
  walkLeg(fromStop: number, toStop: number, depMs: number, arrMs: number): PlanLeg {
    const feed = this.feed;
    const a = stopPlace(feed, fromStop);
    const b = stopPlace(feed, toStop);
    const net = this.network;
    const anchors = this.footpaths.stopIndex.anchors;
    if (net && anchors[fromStop].length && anchors[toStop].length) {
      const search = (this.walkSearch ??= new BoundedSearch(net, 'foot'));
      search.run(anchors[fromStop], FOOTPATH_DEFAULTS.maxSeconds * 3);
      let best = -1;
      let bestT = Infinity;
      for (const an of anchors[toStop]) {
        const t = search.distanceTo(an.node) + an.seconds;
        if (t < bestT) {
          bestT = t;
          best = an.node;
        }
      }
      if (best >= 0 && Number.isFinite(bestT)) {
        const edges = search.pathEdges(best);
        const metres = edges.reduce((s, e) => s + net.data.edgeLength[e], 0);
        return makeLeg(feed, 'walk', a, b, depMs, arrMs, pathGeometry(net, edges, [a.lon, a.lat], [b.lon, b.lat]), Math.round(metres));
      }
    }
    return makeLeg(feed, 'walk', a, b, depMs, arrMs);
  }

  /** legs builders for stop-to-stop journeys: walks from/to the named stops */
  stopLegBuilders(origin: number, destination: number): LegBuilders {
    return {
      access: (stop, dep, arr) => (stop === origin ? [] : [this.walkLeg(origin, stop, dep, arr)]),
      egress: (stop, dep, arr) => (stop === destination ? [] : [this.walkLeg(stop, destination, dep, arr)]),
      walk: (u, v, dep, arr) => this.walkLeg(u, v, dep, arr),
    };
  }

  /** earliest-arrival (and Pareto) journeys between two stop ids */
  stopToStop(req: Pick<TransitRequest, 'fromStop' | 'toStop' | 'departAt'> & Partial<TransitRequest>, now = Date.now()): TransitResult {
    const from = this.stop(req.fromStop, 'fromStop');
    const to = this.stop(req.toStop, 'toStop');
    const { epoch } = this.resolveDeparture(req.departAt, now);
    const access = this.stopWalks(from, false);
    const egress = this.stopWalks(to, true);
    const opts = { maxTrips: req.maxTrips ?? 8, transferSlack: req.transferSlackSeconds ?? 0 };
    let ctx: DayContext;
    let journeys: RaptorJourney[];
    if ((req.windowMinutes ?? 0) > 0) {
      ctx = this.dayContext(localFields(epoch, this.timezone).date);
      const departure = Math.floor((epoch - ctx.day.origin) / 1000);
      journeys = ctx.raptor.rangeQuery({ access, egress, departure, ...opts }, Math.round(req.windowMinutes! * 60));
    } else {
      ({ ctx, journeys } = this.query(access, egress, epoch, opts));
    }
    const builders = this.stopLegBuilders(from, to);
    const options: PlanOption[] = journeys
      .filter((j) => j.legs.some((l) => l.kind === 'transit') || from === to)
      .map((j) => toPlanOption(this.feed, ctx.day, j, 'transit', builders));
    return { fromStop: stopPlace(this.feed, from), toStop: stopPlace(this.feed, to), departAt: isoLocal(epoch, this.timezone), journeys: options, found: options.length > 0 };
  }

  /** applies a GTFS-Realtime TripUpdates message; day timetables are rebuilt on next use */
  applyRealtime(bytes: Uint8Array): RealtimeStats {
    const stats = this.realtime.applyProtobuf(bytes);
    this.days.clear();
    return stats;
  }
}

export function createTransitPlanner(opts: TransitPlannerOptions): TransitPlanner {
  return new TransitPlanner(opts);
}
