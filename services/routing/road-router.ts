import type { RoadNetwork } from '../../core/graph/road-network.js';
import type { ReadonlyLiveWeights } from '../../core/graph/live-weights.js';
import type { ModeName } from '../../core/graph/modes.js';
import type { Clock } from '../../core/clock/clock.js';
import { UrbanflowError } from '../../core/errors/index.js';
import type { LonLat, RoadRoute, TruckProfile } from '../../core/contracts/routing.js';
import { buildCchTopology, type CchTopology } from './cch/topology.js';
import { customize, SlicedCustomization, type CchMetric } from './cch/metric.js';
import { CchQuery, type RankTerminal } from './cch/query.js';
import { DijkstraSearch, type Terminal } from './dijkstra.js';
import { buildReferenceGraph, referenceSearch, type ReferenceGraph } from './reference.js';
import { applyBlocked, arcCost, modeWeights, usesLiveTimes, type ArcWeights } from './weights.js';
import { buildBlocked } from './restrictions.js';
import { directPiece, sourceTerminals, targetTerminals, type EndTerminal } from './terminals.js';
import { edgeSlice, pieceShare, stitch, type Piece } from './route-shape.js';
import { buildInstructions } from './instructions.js';
import type { Snap, Snapper } from './snap.js';
import { bannedTurnIn, TurnSearch, turnTable, type TurnTable } from './turns.js';

export type Forecast = (edge: number, minutesAhead: number) => number;

export interface RoadRouterOptions {
  network: RoadNetwork;
  live: ReadonlyLiveWeights;
  snapper: Snapper;
  clock: Clock;
  forecast?: Forecast;
  /**
   * A profile whose last customisation took longer than this (ms) is re-customised in slices in
   * the background after live changes; meanwhile its queries run an exact Dijkstra. Default 300.
   */
  syncCustomiseLimitMs?: number;
}

/** Which costs a search uses: a mode, an optional truck profile, live or free-flow times. */
export interface Profile {
  mode: ModeName;
  truck?: TruckProfile;
  basis: 'live' | 'free-flow';
}

export interface Leg {
  seconds: number;
  metres: number;
  pieces: Piece[];
}

export interface LegOptions {
  algorithm?: 'fast' | 'reference';
  blocked?: Uint8Array | null;
  costAt?: (code: number, t: number) => number;
  /** keep only some ways off the origin (guidance: carry on in the direction of travel) */
  sourceFilter?: (t: EndTerminal) => boolean;
}

interface ProfileEntry {
  weights: ArcWeights;
  metric: CchMetric | null;
  /** live version the weights were read at (-1 for static modes) */
  version: number;
  metricVersion: number;
  limits: Uint8Array | null;
  reference: ReferenceGraph | null;
  referenceVersion: number;
  /** wall time of the last full customisation (sync) or the summed slices (background), ms */
  lastCustomMs: number;
  job: { c: SlicedCustomization; version: number; workMs: number } | null;
  /** the metric buffer not in use, recycled by the next background customisation */
  spare: CchMetric | null;
}

const MAX_PROFILES = 8;

/**
 * The road search engine behind the routing service: per-profile weights and CCH
 * customisations (kept in step with live travel times), snapping to terminals, and one leg
 * search by the fast index, the Dijkstra fallback or the ngraph.path reference.
 */
export class RoadRouter {
  readonly network: RoadNetwork;
  readonly live: ReadonlyLiveWeights;
  readonly snapper: Snapper;
  readonly clock: Clock;
  readonly forecast?: Forecast;
  private topo: CchTopology | null = null;
  private cchQuery: CchQuery | null = null;
  readonly dijkstra: DijkstraSearch;
  private readonly profiles = new Map<string, ProfileEntry>();
  private turns: TurnTable | null | undefined;
  private turnSearch: TurnSearch | null = null;
  /** counters for stats and tests */
  readonly counters = { customisations: 0, backgroundCustomisations: 0, fastQueries: 0, fallbacks: 0, staleIndexSearches: 0, turnFallbacks: 0, referenceQueries: 0 };
  private readonly syncLimitMs: number;
  private closed = false;
  private waiters: (() => void)[] = [];

  constructor(o: RoadRouterOptions) {
    this.network = o.network;
    this.live = o.live;
    this.snapper = o.snapper;
    this.clock = o.clock;
    this.forecast = o.forecast;
    this.dijkstra = new DijkstraSearch(o.network);
    this.syncLimitMs = o.syncCustomiseLimitMs ?? 300;
  }

  topology(): CchTopology {
    if (!this.topo) {
      this.topo = buildCchTopology(this.network);
      this.cchQuery = new CchQuery(this.topo);
    }
    return this.topo;
  }

  hasTopology(): boolean {
    return this.topo !== null;
  }

  get query(): CchQuery {
    this.topology();
    return this.cchQuery!;
  }

  turnTable(): TurnTable | null {
    if (this.turns === undefined) this.turns = turnTable(this.network);
    return this.turns;
  }

  static key(p: Profile): string {
    const t = p.mode === 'truck' && p.truck && (p.truck.weight > 0 || p.truck.height > 0) ? `:${p.truck.weight}:${p.truck.height}` : '';
    return `${p.mode}${t}@${usesLiveTimes(p.mode) ? p.basis : 'static'}`;
  }

  /** Weights of a profile, re-read from the live times when they moved. */
  weights(p: Profile): ArcWeights {
    return this.entry(p).weights;
  }

  private entry(p: Profile): ProfileEntry {
    const key = RoadRouter.key(p);
    let ent = this.profiles.get(key);
    const live = usesLiveTimes(p.mode) && p.basis === 'live';
    const version = live ? this.live.version : -1;
    if (!ent) {
      if (this.profiles.size >= MAX_PROFILES) {
        const oldest = this.profiles.keys().next().value as string;
        this.profiles.delete(oldest);
      }
      const limits = p.mode === 'truck' && p.truck ? buildBlocked(this.network, { truck: p.truck }) : null;
      const base = modeWeights(this.network, p.mode, live ? this.live.seconds : this.network.data.edgeFreeFlowSeconds);
      ent = {
        weights: applyBlocked(base, limits),
        metric: null,
        version,
        metricVersion: -2,
        limits,
        reference: null,
        referenceVersion: -2,
        lastCustomMs: 0,
        job: null,
        spare: null,
      };
      this.profiles.set(key, ent);
    } else if (ent.version !== version) {
      modeWeights(this.network, p.mode, this.live.seconds, ent.weights);
      if (ent.limits) for (let e = 0; e < ent.limits.length; e++) if (ent.limits[e]) ent.weights.fwd[e] = Infinity;
      ent.version = version;
    }
    return ent;
  }

  /**
   * The customised CCH of a profile, current with the live times; null while a large network's
   * index is being re-customised in the background (callers then search exactly without it).
   */
  metric(p: Profile): CchMetric | null {
    const ent = this.entry(p);
    if (ent.metric && ent.metricVersion === ent.version) return ent.metric;
    if (!ent.metric || ent.lastCustomMs <= this.syncLimitMs) return this.customizeNow(ent);
    this.startBackground(p, ent);
    return null;
  }

  /** The profile's index now, customising synchronously if needed (matrices). */
  metricNow(p: Profile): CchMetric {
    const ent = this.entry(p);
    if (ent.metric && ent.metricVersion === ent.version) return ent.metric;
    return this.customizeNow(ent);
  }

  private customizeNow(ent: ProfileEntry): CchMetric {
    const t0 = performance.now();
    ent.metric = customize(this.topology(), this.network, ent.weights, ent.metric ?? undefined);
    ent.metricVersion = ent.version;
    ent.lastCustomMs = performance.now() - t0;
    this.counters.customisations++;
    return ent.metric;
  }

  private startBackground(p: Profile, ent: ProfileEntry): void {
    if (this.closed || (ent.job && ent.job.version === ent.version)) return;
    if (ent.job) return; // one at a time: the finished job re-checks the version
    const w = ent.weights;
    const copy = { fwd: Float64Array.from(w.fwd), rev: w.rev ? Float64Array.from(w.rev) : null };
    const job = { c: new SlicedCustomization(this.topology(), this.network, copy, ent.spare ?? undefined), version: ent.version, workMs: 0 };
    ent.spare = null;
    ent.job = job;
    const tick = () => {
      if (this.closed || ent.job !== job) return this.settle();
      const t0 = performance.now();
      const done = job.c.step(40);
      job.workMs += performance.now() - t0;
      if (!done) {
        setImmediate(tick);
        return;
      }
      ent.spare = ent.metric;
      ent.metric = job.c.metric;
      ent.metricVersion = job.version;
      ent.lastCustomMs = job.workMs;
      ent.job = null;
      this.counters.backgroundCustomisations++;
      // live times moved while we worked: go again for the newest version
      this.entry(p);
      if (ent.metricVersion !== ent.version) this.startBackground(p, ent);
      this.settle();
    };
    setImmediate(tick);
  }

  /** resolves when no background customisation is running */
  idle(): Promise<void> {
    if (![...this.profiles.values()].some((e) => e.job)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private settle(): void {
    if ([...this.profiles.values()].some((e) => e.job) && !this.closed) return;
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }

  close(): void {
    this.closed = true;
    for (const e of this.profiles.values()) e.job = null;
    this.settle();
  }

  /** true when some customisation here took longer than the synchronous limit (a large network) */
  isLarge(): boolean {
    for (const e of this.profiles.values()) if (e.lastCustomMs > this.syncLimitMs) return true;
    return false;
  }

  /**
   * On a large network a truck profile that has no index yet is searched on the plain truck
   * index with its limits as blocked edges (exact: a path that avoids them is optimal), instead of
   * waiting for a customisation of its own.
   */
  effective(p: Profile, blocked: Uint8Array | null): { p: Profile; blocked: Uint8Array | null } {
    if (p.mode !== 'truck' || !p.truck || !(p.truck.weight > 0 || p.truck.height > 0)) return { p, blocked };
    const own = this.profiles.get(RoadRouter.key(p));
    if ((own && own.metric) || !this.isLarge()) return { p, blocked };
    const limits = buildBlocked(this.network, { truck: p.truck });
    if (!limits) return { p: { ...p, truck: undefined }, blocked };
    if (blocked) for (let e = 0; e < limits.length; e++) if (blocked[e]) limits[e] = 1;
    return { p: { ...p, truck: undefined }, blocked: limits };
  }

  /** Re-customise every live profile already in use (called after live changes, off the request path). */
  refreshLive(): number {
    let n = 0;
    for (const [key, ent] of this.profiles) {
      if (!key.endsWith('@live') || !ent.metric) continue;
      const [mode, w, h] = key.split('@')[0].split(':');
      const p: Profile = { mode: mode as ModeName, basis: 'live', truck: w ? { weight: Number(w), height: Number(h) } : undefined };
      this.metric(p);
      n++;
    }
    return n;
  }

  private referenceGraph(p: Profile, blocked: Uint8Array | null): ReferenceGraph {
    const ent = this.entry(p);
    if (blocked) return buildReferenceGraph(this.network, ent.weights, blocked);
    if (!ent.reference || ent.referenceVersion !== ent.version) {
      ent.reference = buildReferenceGraph(this.network, ent.weights);
      ent.referenceVersion = ent.version;
    }
    return ent.reference;
  }

  /** Snap a point for a mode or throw NOT_ON_NETWORK naming the field. */
  snap(point: LonLat, mode: ModeName, maxDistance: number, field: string): Snap {
    const s = this.snapper.nearest(point.lon, point.lat, mode, maxDistance);
    if (!s) {
      throw new UrbanflowError('NOT_ON_NETWORK', `${field} is more than ${maxDistance} m from any road usable by ${mode}`, {
        field,
        module: 'services/routing',
        details: { lon: point.lon, lat: point.lat, mode, maxDistance },
      });
    }
    return s;
  }

  /** Cheapest leg between two snapped points, or null when none. */
  leg(p: Profile, from: Snap, to: Snap, opts: LegOptions = {}): Leg | null {
    const net = this.network;
    const w = this.entry(p).weights;
    const blocked = opts.blocked ?? null;
    const src = sourceTerminals(net, from, w, blocked).filter(opts.sourceFilter ?? (() => true));
    const dst = targetTerminals(net, to, w, blocked);
    let direct = directPiece(net, from, to, w, blocked);
    if (direct && opts.sourceFilter && !src.some((t) => t.piece.code === direct!.piece.code)) direct = null;
    let best: Leg | null = direct ? { seconds: direct.seconds, metres: direct.metres, pieces: [direct.piece] } : null;
    if (src.length === 0 || dst.length === 0) return best;
    let found: { seconds: number; arcs: number[]; si: number; ti: number } | null = null;
    const turns = this.turnTable();
    const modeBit = 1 << ['car', 'truck', 'bike', 'foot'].indexOf(p.mode);
    if (opts.algorithm === 'reference') {
      this.counters.referenceQueries++;
      const r = referenceSearch(this.referenceGraph(p, blocked), src, dst);
      if (r) found = { seconds: r.seconds, arcs: r.arcs, si: r.sourceIndex, ti: r.targetIndex };
    } else if (opts.costAt) {
      found = this.dijkstraLeg(w, src, dst, blocked, opts.costAt);
    } else {
      this.counters.fastQueries++;
      const topo = this.topology();
      const mt = this.metric(p);
      if (!mt) {
        this.counters.staleIndexSearches++;
        found = this.dijkstraLeg(w, src, dst, blocked);
      }
      const rs: RankTerminal[] = src.map((t) => ({ rank: topo.rank[t.node], seconds: t.seconds, metres: t.metres }));
      const rt: RankTerminal[] = dst.map((t) => ({ rank: topo.rank[t.node], seconds: t.seconds, metres: t.metres }));
      const r = mt ? this.query.query(mt, rs, rt) : null;
      if (r) found = { seconds: r.seconds, arcs: r.arcs, si: r.sourceIndex, ti: r.targetIndex };
      // the index knows nothing of per-request blocks: a path that avoids them is still optimal,
      // one that uses them is replaced by an exact search that honours them
      if (found && blocked && found.arcs.some((c) => blocked[c >>> 1] === 1)) {
        this.counters.fallbacks++;
        found = this.dijkstraLeg(w, src, dst, blocked);
      }
    }
    if (found && turns && bannedTurnIn(turns, modeBit, [src[found.si].piece.code, ...found.arcs, dst[found.ti].piece.code])) {
      this.counters.turnFallbacks++;
      if (!this.turnSearch) this.turnSearch = new TurnSearch(net);
      const r = this.turnSearch.run(w, turns, modeBit, src, dst, blocked, opts.costAt);
      found = r ? { seconds: r.seconds, arcs: r.arcs, si: r.sourceIndex, ti: r.targetIndex } : null;
    }
    if (found && (!best || found.seconds < best.seconds)) {
      const pieces: Piece[] = [src[found.si].piece];
      for (const c of found.arcs) pieces.push({ code: c, from: c & 1 ? 1 : 0, to: c & 1 ? 0 : 1 });
      pieces.push(dst[found.ti].piece);
      const kept = pieces.filter((x) => pieceShare(x) > 0);
      const metres = kept.reduce((s, x) => s + pieceShare(x) * net.data.edgeLength[x.code >>> 1], 0);
      best = { seconds: found.seconds, metres, pieces: kept.length > 0 ? kept : [pieces[0]] };
    }
    return best;
  }

  dijkstraLeg(w: ArcWeights, src: EndTerminal[], dst: EndTerminal[], blocked: Uint8Array | null, costAt?: (code: number, t: number) => number) {
    const r = this.dijkstra.run(w, src as Terminal[], dst as Terminal[], { blocked, costAt });
    if (!r) return null;
    let si = -1;
    for (let i = 0; i < src.length; i++) if (src[i].node === r.source && (si < 0 || src[i].seconds < src[si].seconds)) si = i;
    let ti = -1;
    for (let i = 0; i < dst.length; i++) if (dst[i].node === r.target && (ti < 0 || dst[i].seconds < dst[ti].seconds)) ti = i;
    return { seconds: r.seconds, arcs: r.arcs, si, ti };
  }

  /** Turn legs into the public route shape: geometry, instructions, legs, times. */
  assemble(p: Profile, legs: Leg[], departAt: number, weightsKind: RoadRoute['weights'], costAt?: (code: number, t: number) => number): RoadRoute {
    const net = this.network;
    const w = this.entry(p).weights;
    const pieces: Piece[] = [];
    const viaAfter = new Set<number>();
    for (let i = 0; i < legs.length; i++) {
      pieces.push(...legs[i].pieces);
      if (i + 1 < legs.length) viaAfter.add(pieces.length - 1);
    }
    const slices = pieces.map((x) => edgeSlice(net, x.code >>> 1, x.from, x.to));
    const pieceMetres = pieces.map((x) => pieceShare(x) * net.data.edgeLength[x.code >>> 1]);
    let t = 0;
    const pieceSeconds = pieces.map((x) => {
      const c = pieceShare(x) * (costAt ? costAt(x.code, t) : arcCost(w, x.code));
      t += c;
      return c;
    });
    const seconds = legs.reduce((s, l) => s + l.seconds, 0);
    const metres = legs.reduce((s, l) => s + l.metres, 0);
    return {
      seconds,
      metres,
      departAt,
      arriveAt: departAt + Math.round(seconds * 1000),
      geometry: { type: 'LineString', coordinates: stitch(slices) },
      instructions: buildInstructions(net, pieces, slices, pieceSeconds, pieceMetres, viaAfter),
      edges: pieces.map((x) => x.code >>> 1),
      reversed: pieces.map((x) => (x.code & 1) === 1),
      legs: legs.map((l) => ({ seconds: l.seconds, metres: l.metres })),
      weights: weightsKind,
    };
  }
}
