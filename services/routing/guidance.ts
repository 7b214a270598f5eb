import { randomUUID } from 'node:crypto';
import type { EventBus } from '../../core/bus/event-bus.js';
import type { BusEvents } from '../../core/contracts/bus-events.js';
import type { Logger } from '../../core/log/logger.js';
import type { GuidanceEta, GuidancePosition, GuidanceProgress, GuidanceReroute, GuidanceStart, RoadRoute } from '../../core/contracts/routing.js';
import type { Leg, Profile, RoadRouter } from './road-router.js';
import type { Snap } from './snap.js';
import { arcCost } from './weights.js';
import { pieceShare, type Piece } from './route-shape.js';
import { twinEdge } from './terminals.js';

export interface GuidanceListener {
  eta(p: GuidanceEta): void;
  reroute(p: GuidanceReroute): void;
  progress(p: GuidanceProgress): void;
}

export interface GuidanceSession {
  readonly id: string;
  /** the route being followed now (replaced on reroute) */
  readonly route: RoadRoute;
  position(p: GuidancePosition): void;
  /** seconds still to go on the current route, on current travel times */
  remainingSeconds(): number;
  close(): void;
}

/** How far (m) a reported position may be from the route before the traveller counts as off it. */
const OFF_ROUTE_METRES = 60;

interface State {
  id: string;
  req: GuidanceStart;
  profile: Profile;
  dest: Snap;
  pieces: Piece[];
  route: RoadRoute;
  /** index of the piece being travelled and the share of it already done */
  index: number;
  done: number;
  listener: GuidanceListener;
}

/**
 * Live guidance sessions (in memory, one per socket). Traffic updates and incidents that touch
 * the rest of a session's route trigger a fresh search from the current position: the new
 * route is pushed when it saves more than the session's thresholds (or the old one is closed),
 * otherwise the new arrival time is.
 */
export class GuidanceManager {
  private readonly sessions = new Map<string, State>();
  private readonly closedIncidents = new Map<string, number[]>();
  private blocked: Uint8Array | null = null;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly router: RoadRouter,
    bus: EventBus,
    private readonly logger?: Logger,
  ) {
    this.unsubscribe.push(bus.subscribe('traffic:update', (p) => this.onUpdate(p)));
    this.unsubscribe.push(bus.subscribe('traffic:incident', (p) => this.onIncident(p)));
  }

  get size(): number {
    return this.sessions.size;
  }

  open(req: GuidanceStart, profile: Profile, from: Snap, dest: Snap, leg: Leg, listener: GuidanceListener): GuidanceSession {
    const now = this.router.clock.now();
    const st: State = {
      id: randomUUID(),
      req,
      profile,
      dest,
      pieces: leg.pieces,
      route: this.router.assemble(profile, [leg], now, 'live'),
      index: 0,
      done: 0,
      listener,
    };
    void from;
    this.sessions.set(st.id, st);
    const position = (p: GuidancePosition) => this.position(st, p);
    const remaining = () => this.remaining(st);
    const close = () => {
      this.sessions.delete(st.id);
    };
    return {
      id: st.id,
      get route() {
        return st.route;
      },
      position,
      remainingSeconds: remaining,
      close,
    };
  }

  close(): void {
    for (const u of this.unsubscribe) u();
    this.sessions.clear();
  }

  private remaining(st: State): number {
    const w = this.router.weights(st.profile);
    let s = 0;
    for (let i = st.index; i < st.pieces.length; i++) {
      const p = st.pieces[i];
      if (this.blocked && this.blocked[p.code >>> 1]) return Infinity;
      const share = pieceShare(p) * (i === st.index ? 1 - st.done : 1);
      if (share <= 0) continue;
      s += share * arcCost(w, p.code);
    }
    return s;
  }

  private remainingMetres(st: State): number {
    const len = this.router.network.data.edgeLength;
    let m = 0;
    for (let i = st.index; i < st.pieces.length; i++) m += pieceShare(st.pieces[i]) * len[st.pieces[i].code >>> 1] * (i === st.index ? 1 - st.done : 1);
    return m;
  }

  /** where the traveller is now, as a snap on the current piece */
  private here(st: State): Snap {
    const p = st.pieces[st.index];
    const f = p.from + (p.to - p.from) * st.done;
    const e = p.code >>> 1;
    const pt = this.router.network.edgeGeometry(e)[0];
    return { edge: e, fraction: f, offset: f * this.router.network.data.edgeLength[e], lon: pt[0], lat: pt[1], distance: 0 };
  }

  private position(st: State, pos: GuidancePosition): void {
    const snap = this.router.snapper.nearest(pos.lon, pos.lat, st.profile.mode, OFF_ROUTE_METRES);
    let found = -1;
    if (snap) {
      for (let i = st.index; i < st.pieces.length; i++) {
        const e = st.pieces[i].code >>> 1;
        if (e === snap.edge || twinEdge(this.router.network, snap.edge) === e) {
          found = i;
          break;
        }
      }
    }
    if (found < 0) {
      st.listener.progress({ sessionId: st.id, edgeIndex: st.index, offRoute: true, remainingSeconds: this.remaining(st), remainingMetres: this.remainingMetres(st) });
      if (snap) this.rerouteFrom(st, snap, 'off-route');
      return;
    }
    const p = st.pieces[found];
    const e = p.code >>> 1;
    const f = e === snap!.edge ? snap!.fraction : 1 - snap!.fraction;
    const span = p.to - p.from;
    st.index = found;
    st.done = span !== 0 ? Math.min(1, Math.max(0, (f - p.from) / span)) : 1;
    const rem = this.remaining(st);
    st.listener.progress({ sessionId: st.id, edgeIndex: found, offRoute: false, remainingSeconds: rem, remainingMetres: this.remainingMetres(st) });
  }

  private rerouteFrom(st: State, from: Snap, cause: GuidanceReroute['cause']): void {
    const leg = this.router.leg(st.profile, from, st.dest, { blocked: this.blocked });
    if (!leg) return;
    this.adopt(st, leg, this.remaining(st), cause);
  }

  private adopt(st: State, leg: Leg, previous: number, cause: GuidanceReroute['cause']): void {
    st.pieces = leg.pieces;
    st.index = 0;
    st.done = 0;
    st.route = this.router.assemble(st.profile, [leg], this.router.clock.now(), 'live');
    const saved = previous === Infinity ? null : previous - leg.seconds;
    st.listener.reroute({ sessionId: st.id, route: st.route, previousSeconds: previous === Infinity ? null : previous, savedSeconds: saved, cause });
  }

  /** Re-plan one session after a traffic event that touched its remaining route. */
  evaluate(st: State, cause: 'traffic:update' | 'traffic:incident'): void {
    const previous = this.remaining(st);
    const cur = st.pieces[st.index];
    const leg = this.router.leg(st.profile, this.here(st), st.dest, {
      blocked: this.blocked,
      sourceFilter: (t) => t.piece.code === cur.code,
    });
    const now = this.router.clock.now();
    if (leg) {
      const saved = previous - leg.seconds;
      if (previous === Infinity || (saved > st.req.rerouteSeconds && saved > st.req.rerouteFraction * previous)) {
        this.adopt(st, leg, previous, cause);
        return;
      }
    }
    st.listener.eta({ sessionId: st.id, remainingSeconds: previous, arriveAt: previous < Infinity ? now + Math.round(previous * 1000) : Infinity, cause });
  }

  private touches(st: State, edges: Iterable<number>): boolean {
    const rest = new Set<number>();
    for (let i = st.index; i < st.pieces.length; i++) rest.add(st.pieces[i].code >>> 1);
    for (const e of edges) if (rest.has(e)) return true;
    return false;
  }

  private each(edges: number[], cause: 'traffic:update' | 'traffic:incident'): void {
    for (const st of [...this.sessions.values()]) {
      try {
        if (this.touches(st, edges)) this.evaluate(st, cause);
      } catch (e) {
        this.logger?.warn({ err: e, session: st.id }, 'guidance re-evaluation failed');
      }
    }
  }

  private onUpdate(p: BusEvents['traffic:update']): void {
    if (this.sessions.size === 0) return;
    this.each(p.edges.map((x) => x.edge), 'traffic:update');
  }

  private onIncident(p: BusEvents['traffic:incident']): void {
    const inc = p.incident;
    if (inc.closed && (p.action === 'opened' || p.action === 'updated')) this.closedIncidents.set(inc.id, inc.edges);
    else this.closedIncidents.delete(inc.id);
    this.rebuildBlocked();
    if (this.sessions.size > 0) this.each(inc.edges, 'traffic:incident');
  }

  private rebuildBlocked(): void {
    if (this.closedIncidents.size === 0) {
      this.blocked = null;
      return;
    }
    const m = new Uint8Array(this.router.network.edgeCount);
    for (const edges of this.closedIncidents.values()) for (const e of edges) if (e >= 0 && e < m.length) m[e] = 1;
    this.blocked = m;
  }
}
