import type { ServiceDeps } from '../../core/service-deps.js';
import { getSnapper } from '../../core/graph/snap/index.js';
import { MODE } from '../../core/graph/modes.js';
import { UrbanflowError } from '../../core/errors/index.js';
import {
  guidanceStartSchema,
  isochroneRequestSchema,
  matrixRequestSchema,
  routeRequestSchema,
  type GuidanceStartInput,
  type IsochroneRequestInput,
  type IsochroneResult,
  type MatrixRequestInput,
  type MatrixResult,
  type RoadMode,
  type RouteRequestInput,
  type RouteResult,
  type RoadRoute,
  type SnapInfo,
  type TruckProfile,
} from '../../core/contracts/routing.js';
import { RoadRouter, type Forecast, type Leg, type Profile } from './road-router.js';
import { buildBlocked } from './restrictions.js';
import { findAlternatives } from './alternatives.js';
import { isochrone as isochroneOf } from './isochrone.js';
import { GuidanceManager, type GuidanceListener, type GuidanceSession } from './guidance.js';
import { sourceTerminals, targetTerminals, directPiece } from './terminals.js';
import { usesLiveTimes } from './weights.js';
import { bannedTurnIn } from './turns.js';
import type { Snap, Snapper } from './snap.js';
import { parseOrThrow } from './validate.js';
import { createTransitApi, type TransitApiDeps } from './multimodal/index.js';
import type { TransitApi } from '../../core/contracts/routing-transit.js';

export interface RoutingServiceDeps extends ServiceDeps {
  /** default: core/graph/snap's shared snapper */
  snapper?: Snapper;
  /** predicted seconds of an edge `minutesAhead` from now (traffic's forecaster), for departures within the hour */
  forecast?: Forecast;
  /** re-customise the fast index right after live times change, off the request path (default true) */
  eagerCustomise?: boolean;
  /** see RoadRouterOptions.syncCustomiseLimitMs (default 300 ms) */
  syncCustomiseLimitMs?: number;
  /** a GTFS feed (path, bytes or parsed): enables service.transit (plan, transit, GTFS-Realtime) */
  transit?: Omit<TransitApiDeps, 'network' | 'roadRoute' | 'bus'>;
}

export interface RoutingStats {
  nodes: number;
  edges: number;
  cchArcs: number | null;
  liveVersion: number;
  guidanceSessions: number;
  counters: RoadRouter['counters'];
}

export interface RoutingService {
  route(request: RouteRequestInput): RouteResult;
  /** many-to-many seconds and metres, row-major (i -> j at i*n + j) */
  matrix(points: [number, number][], mode?: RoadMode, opts?: Omit<MatrixRequestInput, 'points' | 'mode'>): MatrixResult;
  isochrone(request: IsochroneRequestInput): IsochroneResult;
  /** start live guidance; events go to the listener until session.close() */
  openGuidance(request: GuidanceStartInput, listener: GuidanceListener): { session: GuidanceSession; route: RoadRoute };
  /** build the fast index now instead of on the first query */
  warm(modes?: RoadMode[]): void;
  stats(): RoutingStats;
  /** resolves once no background re-customisation is running (large networks) */
  indexReady(): Promise<void>;
  close(): void;
  /** public transport and multimodal planning (services/routing/multimodal); undefined without a GTFS feed */
  transit?: TransitApi;
}

export type { GuidanceListener, GuidanceSession };

const DEPARTURE_SLACK_MS = 60_000;

function hasTurnBans(router: RoadRouter, mode: RoadMode): boolean {
  const table = router.turnTable();
  if (!table) return false;
  const bit = MODE[mode];
  for (const m of table.values()) for (const modes of m.values()) if (modes & bit) return true;
  return false;
}

export function createRoutingServiceImpl(deps: RoutingServiceDeps): RoutingService {
  const network = deps.network;
  const router = new RoadRouter({
    network,
    live: deps.live,
    snapper: deps.snapper ?? getSnapper(network),
    clock: deps.clock,
    forecast: deps.forecast,
    syncCustomiseLimitMs: deps.syncCustomiseLimitMs,
  });
  const guidance = new GuidanceManager(router, deps.bus, deps.logger);
  let pending: ReturnType<typeof setTimeout> | null = null;
  const stopLive =
    deps.eagerCustomise === false
      ? () => undefined
      : deps.live.onChange(() => {
          if (pending) return;
          // coalesce bursts of commits into one customisation, after the current tick
          pending = setTimeout(() => {
            pending = null;
            try {
              const t0 = performance.now();
              const n = router.refreshLive();
              if (n > 0) deps.logger.debug({ profiles: n, ms: Math.round(performance.now() - t0) }, 'routing index re-customised');
            } catch (e) {
              deps.logger.error({ err: e }, 'routing re-customisation failed');
            }
          }, 0);
        });

  const profileOf = (mode: RoadMode, truck: TruckProfile | undefined, basis: Profile['basis'] = 'live'): Profile => ({ mode, truck: mode === 'truck' ? truck : undefined, basis });
  const info = (s: Snap): SnapInfo => ({ edge: s.edge, lon: s.lon, lat: s.lat, distance: Math.round(s.distance * 10) / 10, fraction: s.fraction });

  function route(input: RouteRequestInput): RouteResult {
    const req = parseOrThrow(routeRequestSchema, input);
    const now = deps.clock.now();
    const departAt = req.departAt ?? now;
    const ahead = (departAt - now) / 60_000;
    let basis: Profile['basis'] = 'live';
    let weightsKind: RoadRoute['weights'] = usesLiveTimes(req.mode) ? 'live' : 'mode-speed';
    let costAt: ((code: number, t: number) => number) | undefined;
    if (usesLiveTimes(req.mode) && departAt - now > DEPARTURE_SLACK_MS) {
      if (ahead <= 60 && deps.forecast) {
        const f = deps.forecast;
        const w0 = () => router.weights(profileOf(req.mode, req.truck));
        const w = w0();
        // time-dependent: an edge costs what the forecast says for the minute it is entered
        costAt = (code, t) => (code & 1 ? Infinity : w.fwd[code >>> 1] === Infinity ? Infinity : f(code >>> 1, ahead + t / 60));
        weightsKind = 'forecast';
      } else if (ahead > 60) {
        basis = 'free-flow';
        weightsKind = 'free-flow';
      }
    }
    const points = [{ pt: req.from, field: 'from' }, ...(req.via ?? []).map((pt, i) => ({ pt, field: `via[${i}]` })), { pt: req.to, field: 'to' }];
    const snaps = points.map(({ pt, field }) => router.snap(pt, req.mode, req.maxSnapMetres, field));
    const { p, blocked } = router.effective(profileOf(req.mode, req.truck, basis), buildBlocked(network, { edges: req.avoid?.edges, areas: req.avoid?.areas }));
    const legs: Leg[] = [];
    for (let i = 0; i + 1 < snaps.length; i++) {
      const leg = router.leg(p, snaps[i], snaps[i + 1], { algorithm: req.algorithm, blocked, costAt });
      if (!leg || !(leg.seconds < Infinity)) {
        return { found: false, mode: req.mode, reason: `no ${req.mode} route from ${points[i].field} to ${points[i + 1].field}${blocked ? ' avoiding the given edges and areas' : ''}` };
      }
      legs.push(leg);
    }
    const best = router.assemble(p, legs, departAt, weightsKind, costAt);
    const alternatives: RoadRoute[] = [];
    if (req.alternatives > 0 && legs.length === 1 && !costAt) {
      for (const alt of findAlternatives(router, p, snaps[0], snaps[1], legs[0], req.alternatives, blocked)) {
        alternatives.push(router.assemble(p, [alt], departAt, weightsKind));
      }
    }
    return {
      found: true,
      mode: req.mode,
      algorithm: req.algorithm,
      best,
      alternatives,
      snapped: { from: info(snaps[0]), to: info(snaps[snaps.length - 1]), via: snaps.slice(1, -1).map(info) },
    };
  }

  function matrix(points: [number, number][], mode: RoadMode = 'car', opts: Omit<MatrixRequestInput, 'points' | 'mode'> = {}): MatrixResult {
    const req = parseOrThrow(matrixRequestSchema, { ...opts, points, mode });
    const p = profileOf(req.mode, req.truck);
    const w = router.weights(p);
    const snaps = req.points.map(([lon, lat], i) => router.snap({ lon, lat }, req.mode, req.maxSnapMetres, `points[${i}]`));
    const n = snaps.length;
    const topo = router.topology();
    const mt = router.metricNow(p);
    const rank = (t: { node: number; seconds: number; metres: number }) => ({ rank: topo.rank[t.node], seconds: t.seconds, metres: t.metres });
    const srcT = snaps.map((s) => sourceTerminals(network, s, w, null));
    const dstT = snaps.map((s) => targetTerminals(network, s, w, null));
    // the index is node-based: with turn bans, check each cell's path and redo offenders exactly
    const table = hasTurnBans(router, req.mode) ? router.turnTable() : null;
    const bit = MODE[req.mode];
    const check = table
      ? (i: number, si: number, arcs: number[], j: number, ti: number) => !bannedTurnIn(table, bit, [srcT[i][si].piece.code, ...arcs, dstT[j][ti].piece.code])
      : undefined;
    const { seconds, metres } = router.query.matrix(mt, srcT.map((l) => l.map(rank)), dstT.map((l) => l.map(rank)), check);
    for (let c = 0; c < n * n; c++) {
      if (!Number.isNaN(seconds[c]) || Math.floor(c / n) === c % n) continue;
      const leg = router.leg(p, snaps[Math.floor(c / n)], snaps[c % n]);
      seconds[c] = leg ? leg.seconds : Infinity;
      metres[c] = leg ? leg.metres : Infinity;
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) {
          seconds[i * n + j] = 0;
          metres[i * n + j] = 0;
          continue;
        }
        const d = directPiece(network, snaps[i], snaps[j], w, null);
        if (d && d.seconds < seconds[i * n + j]) {
          seconds[i * n + j] = d.seconds;
          metres[i * n + j] = d.metres;
        }
      }
    }
    return { n, mode: req.mode, seconds, metres };
  }

  function isochrone(input: IsochroneRequestInput): IsochroneResult {
    const req = parseOrThrow(isochroneRequestSchema, input);
    const p = profileOf(req.mode, req.truck);
    const from = router.snap(req.from, req.mode, req.maxSnapMetres, 'from');
    return isochroneOf(router, p, from, req.minutes, req.mode);
  }

  function openGuidance(input: GuidanceStartInput, listener: GuidanceListener) {
    const req = parseOrThrow(guidanceStartSchema, input);
    if (req.via && req.via.length > 0) throw new UrbanflowError('INVALID_INPUT', 'via is not supported in guidance sessions: guide leg by leg', { field: 'via' });
    const p = profileOf(req.mode, req.truck);
    const from = router.snap(req.from, req.mode, req.maxSnapMetres, 'from');
    const to = router.snap(req.to, req.mode, req.maxSnapMetres, 'to');
    const blocked = buildBlocked(network, { edges: req.avoid?.edges, areas: req.avoid?.areas });
    const leg = router.leg(p, from, to, { blocked });
    if (!leg || !(leg.seconds < Infinity)) throw new UrbanflowError('NO_ROUTE', `no ${req.mode} route from from to to`, { field: 'to', module: 'services/routing' });
    const session = guidance.open(req, p, from, to, leg, listener);
    return { session, route: session.route };
  }

  // transit and multimodal planning: pure walk/bike/car options come from this router
  const transit = deps.transit
    ? createTransitApi({
      ...deps.transit,
      network,
      bus: deps.bus,
      clock: deps.clock,
      store: deps.store,
      roadRoute: (from, to, mode, departAt) => {
        try {
          const r = route({ from, to, mode, departAt: Math.round(departAt) });
          return r.found ? { seconds: r.best.seconds, metres: r.best.metres, coordinates: r.best.geometry.coordinates } : null;
        } catch {
          return null;
        }
      },
    })
    : undefined;

  return {
    transit,
    route,
    matrix,
    isochrone,
    openGuidance,
    warm(modes: RoadMode[] = ['car']) {
      router.topology();
      for (const m of modes) router.metricNow(profileOf(m, undefined));
    },
    stats: () => ({
      nodes: network.nodeCount,
      edges: network.edgeCount,
      cchArcs: router.hasTopology() ? router.topology().arcCount : null,
      liveVersion: deps.live.version,
      guidanceSessions: guidance.size,
      counters: { ...router.counters },
    }),
    indexReady: () => router.idle(),
    close() {
      router.close();
      stopLive();
      if (pending) clearTimeout(pending);
      guidance.close();
    },
  };
}
