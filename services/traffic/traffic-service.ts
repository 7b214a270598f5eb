import {
  detectorReadingSchema,
  detectorRegistrationSchema,
  MAX_DETECTOR_BATCH,
  MAX_PROBE_BATCH,
  type Actor,
  type CongestionLevel,
  type Detector,
  type DetectorIngestResult,
  type DetectorReadingInput,
  type DetectorRegistration,
  type EdgeState,
  type Incident,
  type ProbeIngestResult,
  type ProbePing,
  type ReportIncidentInput,
} from '../../core/contracts/traffic.js';
import type { Bbox } from '../../core/contracts/common.js';
import type { BusEvents } from '../../core/contracts/bus-events.js';
import { UrbanflowError, invalidInput, notFound } from '../../core/errors/index.js';
import { getEdgeBboxIndex, MODE, type LiveWeightsWriter } from '../../core/graph/index.js';
import type { ServiceDeps } from '../../core/service-deps.js';
import { resolveTrafficConfig, type TrafficConfig, type TrafficConfigOverride } from './config.js';
import { snapperCandidateFinder, type CandidateFinder } from './map-matching/candidates.js';
import { ProbeMatcher } from './map-matching/probe-matcher.js';
import type { TravelTimeObservation } from './map-matching/traversals.js';
import { DetectorRegistry } from './estimation/detectors.js';
import { EdgeFilter } from './estimation/edge-filter.js';
import { LiveState } from './estimation/live-state.js';
import { levelAtLeast } from './estimation/levels.js';
import { PriorModel } from './estimation/prior.js';
import { TimeOfDayProfile, type EdgeProfileRecord } from './estimation/profile.js';
import { IncidentManager } from './incidents/incident-manager.js';
import { TrafficSchedules, type TrafficJob } from './schedules.js';
import { parseWith } from './validate.js';
import { roadReassigner } from './reassignment.js';
import { DetectorEdgeForecaster, type EdgeForecaster } from './forecast-link.js';
import type { RoadDemand } from './assignment/index.js';

export const PROFILE_COLLECTION = 'traffic-profile';

/**
 * Re-assignment with current capacities: given each edge's remaining capacity share (0 = closed),
 * return travel times per edge in seconds (or null when there is nothing to assign).
 */
export type ReassignFn = (capacityFactor: Float64Array, now: number) => Promise<Float64Array | null>;


export interface TrafficServiceDeps extends ServiceDeps {
  /** the one writer of live travel times (network.liveWriterForTraffic()) */
  liveWriter: LiveWeightsWriter;
  config?: TrafficConfigOverride;
  /** candidate roads for map matching; default: core/graph/snap */
  candidates?: CandidateFinder;
  /** origin-destination demand on zones (road nodes) for the re-assignment job (the assignment module's road-network function) */
  demand?: RoadDemand;
  /** a re-assignment of your own instead (tests, other models); without it and without demand the job reports 'skipped' */
  reassign?: ReassignFn;
  /** the forecast job and forecastSpeed; default: the forecast module on the detector edges (forecast-link.ts) */
  forecaster?: EdgeForecaster;
}

export interface EdgesPage {
  type: 'FeatureCollection';
  features: EdgeFeature[];
  total: number;
  nextCursor: number | null;
}

export interface EdgeFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  properties: EdgeState & { name: string; roadClass: string; from: number; to: number };
}

export interface TickReport {
  job: TrafficJob;
  at: number;
  /** estimation: edges whose live time changed (and were published) */
  changed?: number;
  expiredIncidents?: number;
  evictedVehicles?: number;
  skipped?: string;
  horizonsMinutes?: number[];
}

export interface TrafficStats {
  vehicles: number;
  activeEdges: number;
  profiledEdges: number;
  detectors: number;
  activeIncidents: number;
  probes: { received: number; stale: number; observations: number; rejected: number; matched: number; traceBreaks: { gap: number; offRoad: number; unreachable: number } };
  detectorReadings: { received: number; rejected: number };
  liveVersion: number;
}

/** The traffic service's front door (see docs/traffic.md). */
export interface TrafficService {
  ingestProbes(pings: readonly ProbePing[]): Promise<ProbeIngestResult>;
  registerDetector(detectors: DetectorRegistration | readonly DetectorRegistration[]): Promise<Detector[]>;
  listDetectors(): Detector[];
  ingestDetectorReadings(readings: readonly DetectorReadingInput[]): Promise<DetectorIngestResult>;
  edgeState(edge: number): EdgeState;
  edgeFeature(edge: number): EdgeFeature;
  edgesInBbox(bbox: Bbox, opts?: { limit?: number; cursor?: number; minLevel?: CongestionLevel }): EdgesPage;
  /** true when the edge's shape box meets the bbox (used to filter updates per subscriber) */
  edgeIntersects(edge: number, bbox: Bbox): boolean;
  reportIncident(input: ReportIncidentInput, actor: Actor): Promise<Incident>;
  clearIncident(id: string, actor: Actor): Promise<Incident>;
  listIncidents(status?: 'active' | 'all'): Incident[];
  getIncident(id: string): Incident;
  /** expected speed (km/h) of an edge minutesAhead from now, for routing; 0 when it will be closed */
  forecastSpeed(edge: number, minutesAhead: number): number;
  /** live updates as published on the bus (every process receives them, so sockets emit locally) */
  onUpdate(handler: (u: BusEvents['traffic:update']) => void): () => void;
  /** load detectors, incidents and the learnt profile from the store (live weights of active incidents applied); arm cron unless schedules is false */
  start(opts?: { schedules?: boolean }): Promise<void>;
  stop(): Promise<void>;
  tick(job?: TrafficJob): Promise<TickReport>;
  stats(): TrafficStats;
  readonly config: TrafficConfig;
}

const MS = 1000;

export function createTrafficService(deps: TrafficServiceDeps): TrafficService {
  const { network, bus, store, clock, logger, liveWriter } = deps;
  const cfg = resolveTrafficConfig(deps.config);
  const d = network.data;
  const finder = deps.candidates ?? snapperCandidateFinder(network);
  const profile = new TimeOfDayProfile(cfg.profile);
  const prior = new PriorModel(network, profile);
  const filter = new EdgeFilter(d.edgeFreeFlowSeconds, prior, cfg.filter);
  const detectors = new DetectorRegistry(network, store, cfg.detectors);
  const incidents = new IncidentManager(network, store, bus, finder, cfg.incidents, logger);
  const live = new LiveState(network, liveWriter, filter, incidents, detectors, cfg);
  const matcher = new ProbeMatcher(network, finder, cfg.matching);
  const forecaster: EdgeForecaster = deps.forecaster ?? new DetectorEdgeForecaster(() => detectors.list().map((x) => x.edge), (e, t) => live.state(e, t).speedKmh, cfg.forecast);
  const reassign: ReassignFn | undefined = deps.reassign ?? (deps.demand ? roadReassigner(network, deps.demand, cfg.assignment, logger) : undefined);
  const counters = { received: 0, stale: 0, observations: 0, rejected: 0, readings: 0, readingsRejected: 0 };
  /** edges observed since the last estimation tick */
  let touched = new Set<number>();
  let lastProfileSave = clock.now();
  let loaded: Promise<void> | undefined;
  let edgeBounds: Float64Array | undefined;

  // A traversal time is bounded by two interpolated boundary crossings, each off by about one GPS
  // sigma along the road: on a 20 m junction edge that is a large share of the time, on a 200 m
  // edge a small one. The observation noise says so, so short edges neither over-trust one
  // traversal nor gate honest ones out.
  const probeVar = cfg.filter.probeSigmaLog ** 2;
  const boundary = 2 * cfg.matching.sigmaMetres;
  const observeProbe = (o: TravelTimeObservation) => {
    counters.observations++;
    const rel = boundary / Math.max(d.edgeLength[o.edge], 1);
    const sigma = Math.min(1.5, Math.sqrt(probeVar + rel * rel));
    const outcome = filter.observe(o.edge, o.exit, o.seconds, sigma, 'probe');
    if (outcome === 'accepted' || outcome === 'reset') {
      profile.learn(o.edge, o.exit, Math.log(o.seconds));
      touched.add(o.edge);
    } else counters.rejected++;
  };

  function checkEdge(edge: number, field = 'edge'): void {
    if (!Number.isInteger(edge) || edge < 0 || edge >= network.edgeCount) {
      throw new UrbanflowError('NOT_FOUND', `edge ${edge} not found (edges are 0..${network.edgeCount - 1})`, { field });
    }
  }

  function checkTime(t: number, field: string, now: number): void {
    if (t > now + cfg.probes.maxFutureSeconds * MS) throw invalidInput(field, `${field} is in the future (more than ${cfg.probes.maxFutureSeconds} s ahead of the server clock)`);
    if (t < now - cfg.probes.maxAgeSeconds * MS) throw invalidInput(field, `${field} is older than ${cfg.probes.maxAgeSeconds} s`);
  }

  /** Fast hand-written check of a ping batch (10k pings through zod would dominate the ingest cost). */
  function validatePings(pings: readonly ProbePing[], now: number): void {
    if (!Array.isArray(pings)) throw invalidInput('pings', 'pings must be an array');
    if (pings.length > MAX_PROBE_BATCH) throw invalidInput('pings', `pings must hold at most ${MAX_PROBE_BATCH} pings, got ${pings.length}`);
    for (let i = 0; i < pings.length; i++) {
      const p = pings[i] as Partial<ProbePing> | null;
      const f = (k: string) => `pings[${i}].${k}`;
      if (!p || typeof p !== 'object') throw invalidInput(`pings[${i}]`, `pings[${i}] must be an object`);
      if (typeof p.vehicleId !== 'string' || p.vehicleId.length === 0 || p.vehicleId.length > 128) throw invalidInput(f('vehicleId'), `${f('vehicleId')} must be a non-empty string of at most 128 characters`);
      if (typeof p.lon !== 'number' || !(p.lon >= -180 && p.lon <= 180)) throw invalidInput(f('lon'), `${f('lon')} must be a number between -180 and 180`);
      if (typeof p.lat !== 'number' || !(p.lat >= -90 && p.lat <= 90)) throw invalidInput(f('lat'), `${f('lat')} must be a number between -90 and 90`);
      if (typeof p.time !== 'number' || !Number.isFinite(p.time)) throw invalidInput(f('time'), `${f('time')} must be a number (ms since the epoch)`);
      checkTime(p.time, f('time'), now);
      if (p.speed !== undefined && (typeof p.speed !== 'number' || !(p.speed >= 0 && p.speed <= 100))) throw invalidInput(f('speed'), `${f('speed')} must be between 0 and 100 m/s`);
      if (p.heading !== undefined && (typeof p.heading !== 'number' || !(p.heading >= 0 && p.heading <= 360))) throw invalidInput(f('heading'), `${f('heading')} must be between 0 and 360`);
    }
  }

  async function publishUpdate(update: BusEvents['traffic:update'] | undefined): Promise<number> {
    if (!update) return 0;
    try {
      await bus.publish('traffic:update', update);
    } catch (e) {
      // live weights are already written; subscribers catch up on the next change
      logger.warn({ err: e }, 'traffic:update publish failed');
    }
    return update.edges.length;
  }

  /** live weights for incident changes right away, so routing sees a closure before the call returns */
  async function applyIncidentChanges(now: number): Promise<void> {
    const dirty = incidents.takeDirty();
    if (dirty.size > 0) await publishUpdate(live.refresh(dirty, now));
  }

  async function estimationTick(): Promise<TickReport> {
    const now = clock.now();
    const expiredIncidents = await incidents.expire(now);
    const evictedVehicles = matcher.evictIdle(now, observeProbe);
    const edges = new Set<number>(touched);
    touched = new Set();
    for (const e of filter.active) edges.add(e);
    for (const e of filter.retireIdle(now)) edges.add(e);
    for (const e of incidents.takeDirty()) edges.add(e);
    for (const e of incidents.effectEdges()) edges.add(e);
    for (const e of prior.nonFreeEdges()) edges.add(e);
    const changed = await publishUpdate(live.refresh(edges, now));
    if (cfg.profile.saveEveryMinutes > 0 && now - lastProfileSave >= cfg.profile.saveEveryMinutes * 60 * MS) {
      lastProfileSave = now;
      await saveProfile();
    }
    return { job: 'estimation', at: now, changed, expiredIncidents, evictedVehicles };
  }

  async function assignmentTick(): Promise<TickReport> {
    const now = clock.now();
    if (!reassign) return { job: 'assignment', at: now, skipped: 'no assignment configured (no demand)' };
    const factor = new Float64Array(network.edgeCount);
    for (let e = 0; e < factor.length; e++) factor[e] = incidents.capacityFactor(e);
    const times = await reassign(factor, now);
    if (!times) return { job: 'assignment', at: now, skipped: 'assignment returned nothing' };
    if (times.length !== network.edgeCount) throw new UrbanflowError('INTERNAL', `assignment returned ${times.length} times for ${network.edgeCount} edges`);
    prior.setAssignment(times);
    const all = new Set<number>();
    for (let e = 0; e < network.edgeCount; e++) all.add(e);
    const changed = await publishUpdate(live.refresh(all, now));
    return { job: 'assignment', at: now, changed };
  }

  async function forecastTick(): Promise<TickReport> {
    const now = clock.now();
    const r = await forecaster.refresh(now);
    if (!r) return { job: 'forecast', at: now, skipped: 'no forecast model yet (it learns from detector edges; the decay forecast is in use)' };
    try {
      await bus.publish('traffic:forecast', { at: now, horizonsMinutes: r.horizonsMinutes });
    } catch (e) {
      logger.warn({ err: e }, 'traffic:forecast publish failed');
    }
    return { job: 'forecast', at: now, horizonsMinutes: r.horizonsMinutes };
  }

  /** one record per edge, only edges learnt since the last save: the store keeps the latest of each */
  async function saveProfile(): Promise<void> {
    const dirty = profile.takeDirty();
    for (let i = 0; i < dirty.length; i += 500) {
      await Promise.all(
        dirty.slice(i, i + 500).map((e) => {
          const r = profile.record(e);
          return r ? store.put(PROFILE_COLLECTION, String(e), r) : undefined;
        }),
      );
    }
  }

  const schedules = new TrafficSchedules(cfg.schedules, { estimation: estimationTick, assignment: assignmentTick, forecast: forecastTick }, logger);

  /** Incidents reported, cleared or expired by another process reach this one through the bus. */
  let unsubscribeIncidents: (() => void) | undefined;
  function followIncidents(): void {
    unsubscribeIncidents ??= bus.subscribe('traffic:incident', (ev) => {
      void incidents
        .syncFromStore(ev.incident.id)
        .then((changed) => (changed ? applyIncidentChanges(clock.now()) : undefined))
        .catch((e) => logger.warn({ err: e, id: ev.incident.id }, 'incident sync failed'));
    });
  }

  async function load(): Promise<void> {
    followIncidents();
    const now = clock.now();
    const det = await detectors.load();
    let prof = 0;
    for (const r of await store.list<EdgeProfileRecord>(PROFILE_COLLECTION)) if (profile.loadRecord(r, network.edgeCount)) prof++;
    const inc = await incidents.load(now);
    await applyIncidentChanges(now);
    logger.info({ detectors: det, profiledEdges: prof, incidents: inc }, 'traffic service loaded');
  }

  function bounds(): Float64Array {
    if (edgeBounds) return edgeBounds;
    const b = new Float64Array(4 * network.edgeCount);
    const { geomOffsets, geomCoords } = d;
    for (let e = 0; e < network.edgeCount; e++) {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (let i = geomOffsets[e]; i < geomOffsets[e + 1]; i++) {
        const x = geomCoords[2 * i], y = geomCoords[2 * i + 1];
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
      b[4 * e] = x0;
      b[4 * e + 1] = y0;
      b[4 * e + 2] = x1;
      b[4 * e + 3] = y1;
    }
    return (edgeBounds = b);
  }

  function feature(edge: number, now: number): EdgeFeature {
    return {
      type: 'Feature',
      id: edge,
      geometry: { type: 'LineString', coordinates: network.edgeGeometry(edge) },
      properties: { ...live.state(edge, now), name: network.edgeName(edge), roadClass: network.roadClass(edge), from: d.edgeFrom[edge], to: d.edgeTo[edge] },
    };
  }

  return {
    config: cfg,

    async ingestProbes(pings) {
      const now = clock.now();
      validatePings(pings, now);
      const before = counters.observations;
      const r = matcher.ingest(pings, observeProbe, now);
      counters.received += r.accepted;
      counters.stale += r.stale;
      return { accepted: r.accepted, stale: r.stale, observations: counters.observations - before, vehicles: r.vehicles };
    },

    async registerDetector(input) {
      const list = Array.isArray(input) ? input : [input as DetectorRegistration];
      if (list.length === 0) throw invalidInput('detectors', 'detectors must hold at least one detector');
      const regs = list.map((r, i) => parseWith(detectorRegistrationSchema, r, `detectors[${i}]`));
      return detectors.register(regs, clock.now());
    },

    listDetectors() {
      return detectors.list();
    },

    async ingestDetectorReadings(input) {
      if (!Array.isArray(input) || input.length === 0) throw invalidInput('readings', 'readings must be a non-empty array');
      if (input.length > MAX_DETECTOR_BATCH) throw invalidInput('readings', `readings must hold at most ${MAX_DETECTOR_BATCH} readings`);
      const now = clock.now();
      const readings = input.map((r, i) => {
        const p = parseWith(detectorReadingSchema, r, `readings[${i}]`);
        checkTime(p.at, `readings[${i}].at`, now);
        return p;
      });
      const obs = detectors.convert(readings);
      let rejected = 0;
      for (const o of obs) {
        if (o.seconds === undefined) continue;
        const outcome = filter.observe(o.edge, o.at, o.seconds, cfg.filter.detectorSigmaLog, 'detector');
        if (outcome === 'accepted' || outcome === 'reset') {
          profile.learn(o.edge, o.at, Math.log(o.seconds));
          touched.add(o.edge);
        } else rejected++;
      }
      counters.readings += readings.length;
      counters.readingsRejected += rejected;
      return { accepted: readings.length - rejected, rejected };
    },

    edgeState(edge) {
      checkEdge(edge);
      return live.state(edge, clock.now());
    },

    edgeFeature(edge) {
      checkEdge(edge);
      return feature(edge, clock.now());
    },

    edgesInBbox(bbox, opts = {}) {
      const limit = Math.min(Math.max(1, opts.limit ?? 1000), 5000);
      const cursor = Math.max(0, opts.cursor ?? 0);
      const now = clock.now();
      let ids = getEdgeBboxIndex(network).search(bbox[0], bbox[1], bbox[2], bbox[3]).filter((e) => (d.edgeModes[e] & MODE.car) !== 0);
      if (opts.minLevel && opts.minLevel !== 'free') {
        const min = opts.minLevel;
        ids = ids.filter((e) => levelAtLeast(live.level(e, now), min));
      }
      const page = ids.slice(cursor, cursor + limit);
      const next = cursor + page.length < ids.length ? cursor + page.length : null;
      return { type: 'FeatureCollection', features: page.map((e) => feature(e, now)), total: ids.length, nextCursor: next };
    },

    edgeIntersects(edge, bbox) {
      const b = bounds();
      return b[4 * edge] <= bbox[2] && b[4 * edge + 2] >= bbox[0] && b[4 * edge + 1] <= bbox[3] && b[4 * edge + 3] >= bbox[1];
    },

    async reportIncident(input, actor) {
      const now = clock.now();
      const inc = await incidents.report(input, actor, now);
      await applyIncidentChanges(now);
      return inc;
    },

    async clearIncident(id, actor) {
      const now = clock.now();
      const inc = await incidents.clear(id, actor, now);
      await applyIncidentChanges(now);
      return inc;
    },

    listIncidents(status = 'active') {
      return incidents.list(status);
    },

    getIncident(id) {
      const inc = incidents.get(id);
      if (!inc) throw notFound('incident', id);
      return inc;
    },

    forecastSpeed(edge, minutesAhead) {
      checkEdge(edge);
      if (!(minutesAhead >= 0 && minutesAhead <= 24 * 60)) throw invalidInput('minutesAhead', `minutesAhead must be between 0 and 1440, got ${minutesAhead}`);
      const now = clock.now();
      const target = now + minutesAhead * 60 * MS;
      const eff = incidents.effect(edge);
      const stillThere = eff ? eff.ids.some((id) => (incidents.get(id)?.expiresAt ?? 0) > target) : false;
      if (eff?.closed && stillThere) return 0;
      const len = d.edgeLength[edge];
      const ff = d.edgeFreeFlowSeconds[edge];
      let seconds: number;
      const fc = forecaster.speedKmh(edge, minutesAhead, now);
      if (fc !== undefined && fc > 0) seconds = len / (fc / 3.6);
      else {
        const p = { mean: 0, variance: 0 };
        filter.predict(edge, target, p);
        seconds = Math.exp(p.mean);
      }
      if (eff && stillThere && !eff.closed) seconds = Math.max(seconds, ff * eff.factor);
      seconds = Math.max(seconds, ff);
      return Math.round((len / seconds) * 3.6 * 100) / 100;
    },

    onUpdate(handler) {
      return bus.subscribe('traffic:update', handler);
    },

    async start(opts = {}) {
      loaded ??= load();
      await loaded;
      if (opts.schedules !== false) schedules.start();
    },

    async stop() {
      unsubscribeIncidents?.();
      unsubscribeIncidents = undefined;
      loaded = undefined;
      await schedules.stop();
      await saveProfile();
    },

    async tick(job = 'estimation') {
      if (job !== 'estimation' && job !== 'assignment' && job !== 'forecast') throw invalidInput('job', `job must be estimation, assignment or forecast, got '${String(job)}'`);
      return (await schedules.run(job)) as TickReport;
    },

    stats() {
      return {
        vehicles: matcher.vehicleCount,
        activeEdges: filter.active.size,
        profiledEdges: profile.edgeCount,
        detectors: detectors.size,
        activeIncidents: incidents.active().length,
        probes: { received: counters.received, stale: counters.stale, observations: counters.observations, rejected: counters.rejected, matched: matcher.matchedPings, traceBreaks: { ...matcher.breaks } },
        detectorReadings: { received: counters.readings, rejected: counters.readingsRejected },
        liveVersion: liveWriter.version,
      };
    },
  };
}
