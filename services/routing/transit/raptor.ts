import { UrbanflowError } from '../../../core/errors/index.js';
import { NO_TIME, type RaptorTimetable, type RaptorFootpaths, type StopOffset } from './raptor-data.js';

/**
 * RAPTOR (Delling, Pajor, Werneck 2012): round k finds the earliest arrival at every stop with at
 * most k trips, scanning each route once per round. Footpaths are one hop after a trip (they are
 * not assumed transitively closed: a walk starts from the arrival by trip, kept apart from
 * arrivals on foot). Local and target pruning as in the paper. The answer of a query is the Pareto
 * set over (arrival, number of trips); rangeQuery is rRAPTOR over a departure window.
 * Depends on nothing outside this folder but core/errors.
 */
export interface RaptorQuery {
  access: StopOffset[];
  egress: StopOffset[];
  /** seconds after the service-day origin */
  departure: number;
  /** maximum number of trips (rounds); default 8 */
  maxTrips?: number;
  /** seconds added before boarding after a previous trip or walk; default 0 */
  transferSlack?: number;
}

export type RaptorLeg =
  | { kind: 'access'; toStop: number; departure: number; arrival: number }
  | { kind: 'egress'; fromStop: number; departure: number; arrival: number }
  | { kind: 'walk'; fromStop: number; toStop: number; departure: number; arrival: number }
  | { kind: 'transit'; route: number; tripSlot: number; boardPos: number; alightPos: number; fromStop: number; toStop: number; departure: number; arrival: number };

export interface RaptorJourney {
  departure: number;
  arrival: number;
  trips: number;
  legs: RaptorLeg[];
}

const K_ACCESS = 1;
const K_TRIP = 2;
const K_FOOT = 3;

export class Raptor {
  readonly tt: RaptorTimetable;
  readonly foot: RaptorFootpaths;
  private rounds = 0;
  private tau = new Int32Array(0);
  private kind = new Uint8Array(0);
  private footFrom = new Int32Array(0);
  private tripArr = new Int32Array(0);
  private tripSlot = new Int32Array(0);
  private tripRoute = new Int32Array(0);
  private tripBoard = new Int32Array(0);
  private tripAlight = new Int32Array(0);
  /** best[k*S+s]: earliest arrival at s with at most k trips (any iteration); bestTrip the same by trip only */
  private best = new Int32Array(0);
  private bestTrip = new Int32Array(0);
  private K = 0;
  private egressSecs: Int32Array;
  private accessSecs: Int32Array;
  private marked: Uint8Array;
  private markedList: Uint32Array;
  private markedCount = 0;
  private footSources: Uint32Array;
  /** round stamp per stop: already listed in footSources this round */
  private footStamp: Uint32Array;
  private stampNow = 0;
  private footSourceCount = 0;
  private queuePos: Int32Array;
  private queueList: Uint32Array;
  /** range queries: a journey may not leave the origin later than this (no boarding a first trip after it) */
  private latestStart = NO_TIME;
  /** targetBound[k]: best target arrival with at most k trips, the pruning bound of round k */
  private targetBound = new Int32Array(0);
  /** best target arrival found in each round (over all iterations of a range query) */
  private targetRound = new Int32Array(0);

  constructor(tt: RaptorTimetable, foot: RaptorFootpaths) {
    if (foot.offsets.length !== tt.stopCount + 1) throw new UrbanflowError('INTERNAL', 'footpaths do not match the timetable stops', { module: 'transit/raptor' });
    this.tt = tt;
    this.foot = foot;
    const S = tt.stopCount;
    this.egressSecs = new Int32Array(S).fill(-1);
    this.accessSecs = new Int32Array(S);
    this.marked = new Uint8Array(S);
    this.markedList = new Uint32Array(S);
    this.footSources = new Uint32Array(S);
    this.footStamp = new Uint32Array(S);
    this.queuePos = new Int32Array(tt.routeCount).fill(-1);
    this.queueList = new Uint32Array(tt.routeCount);
  }

  private ensureRounds(k: number): void {
    if (k + 1 <= this.rounds) return;
    const n = (k + 1) * this.tt.stopCount;
    this.rounds = k + 1;
    this.tau = new Int32Array(n);
    this.kind = new Uint8Array(n);
    this.footFrom = new Int32Array(n);
    this.tripArr = new Int32Array(n);
    this.tripSlot = new Int32Array(n);
    this.tripRoute = new Int32Array(n);
    this.tripBoard = new Int32Array(n);
    this.tripAlight = new Int32Array(n);
    this.best = new Int32Array(n);
    this.bestTrip = new Int32Array(n);
  }

  private reset(q: RaptorQuery): number {
    const K = q.maxTrips ?? 8;
    if (!Number.isInteger(K) || K < 0 || K > 64) throw new UrbanflowError('INVALID_INPUT', 'maxTrips must be an integer from 0 to 64', { field: 'maxTrips' });
    this.ensureRounds(K);
    const used = (K + 1) * this.tt.stopCount;
    this.tau.fill(NO_TIME, 0, used);
    this.tripArr.fill(NO_TIME, 0, used);
    this.kind.fill(0, 0, used);
    this.best.fill(NO_TIME, 0, used);
    this.bestTrip.fill(NO_TIME, 0, used);
    this.egressSecs.fill(-1);
    this.K = K;
    this.targetBound = new Int32Array(K + 1).fill(NO_TIME);
    this.targetRound = new Int32Array(K + 1).fill(NO_TIME);
    for (const a of q.access) {
      if (a.stop < 0 || a.stop >= this.tt.stopCount || !(a.seconds >= 0)) throw new UrbanflowError('INVALID_INPUT', `bad access stop ${a.stop}`, { field: 'access' });
    }
    for (const e of q.egress) {
      if (e.stop < 0 || e.stop >= this.tt.stopCount || !(e.seconds >= 0)) throw new UrbanflowError('INVALID_INPUT', `bad egress stop ${e.stop}`, { field: 'egress' });
      if (this.egressSecs[e.stop] < 0 || e.seconds < this.egressSecs[e.stop]) this.egressSecs[e.stop] = Math.round(e.seconds);
    }
    return K;
  }

  /** Pareto-optimal journeys over (arrival, trips) departing no earlier than q.departure. */
  query(q: RaptorQuery): RaptorJourney[] {
    const K = this.reset(q);
    this.latestStart = NO_TIME;
    const targetByRound = this.iterate(q.departure, q.access, K, q.transferSlack ?? 0);
    const out: RaptorJourney[] = [];
    let last = NO_TIME;
    for (let k = 0; k <= K; k++) {
      if (targetByRound[k] < last) {
        last = targetByRound[k];
        out.push(this.reconstruct(k, q.egress));
      }
    }
    return out;
  }

  /** The single earliest-arrival journey (the last of the Pareto set), or undefined. */
  earliestArrival(q: RaptorQuery): RaptorJourney | undefined {
    const all = this.query(q);
    return all[all.length - 1];
  }

  /**
   * rRAPTOR: journeys for every departure in [q.departure, q.departure + windowSeconds],
   * Pareto-optimal over (later departure, earlier arrival, fewer trips).
   */
  rangeQuery(q: RaptorQuery, windowSeconds: number): RaptorJourney[] {
    if (!(windowSeconds >= 0)) throw new UrbanflowError('INVALID_INPUT', 'window must be a non-negative number of seconds', { field: 'window' });
    const K = this.reset(q);
    const slack = q.transferSlack ?? 0;
    const tt = this.tt;
    // candidate departures: every boardable trip departure at an access stop within the window
    const deps = new Set<number>();
    for (const a of q.access) {
      for (let j = tt.stopRouteOffsets[a.stop]; j < tt.stopRouteOffsets[a.stop + 1]; j++) {
        const r = tt.stopRoutes[j];
        const pos = tt.stopRoutePos[j];
        const n = tt.routeStopOffsets[r + 1] - tt.routeStopOffsets[r];
        const trips = tt.routeTripOffsets[r + 1] - tt.routeTripOffsets[r];
        for (let t = 0; t < trips; t++) {
          const idx = tt.routeTimeBase[r] + t * n + pos;
          const d = tt.dep[idx] - a.seconds;
          if (d >= q.departure && d <= q.departure + windowSeconds && tt.noBoard[idx] === 0) deps.add(d);
        }
      }
    }
    const times = [...deps].sort((x, y) => y - x);
    // journeys that would wait at the first stop past the window are not in its range
    this.latestStart = q.departure + windowSeconds;
    const found: RaptorJourney[] = [];
    const seenArrival = new Array<number>(K + 1).fill(NO_TIME);
    for (const t of times) {
      const targetByRound = this.iterate(t, q.access, K, slack);
      for (let k = 0; k <= K; k++) {
        if (targetByRound[k] < seenArrival[k]) {
          seenArrival[k] = targetByRound[k];
          const j = this.reconstruct(k, q.egress);
          // the journey really leaves when its first vehicle (less the access walk) does
          const first = j.legs.find((l) => l.kind === 'transit');
          const access = j.legs[0].kind === 'access' ? j.legs[0].arrival - j.legs[0].departure : 0;
          j.departure = first ? first.departure - access : t;
          if (j.departure <= q.departure + windowSeconds) found.push(j);
        }
      }
    }
    // walking alone can start at any moment: keep it once, the latest such journey found
    const walks = found.filter((j) => j.trips === 0);
    const rides = found.filter((j) => j.trips > 0);
    if (walks.length) rides.push(walks.reduce((a, b) => (b.departure > a.departure ? b : a)));
    found.length = 0;
    found.push(...rides);
    // keep the Pareto set over (departure later, arrival earlier, fewer trips)
    const keep = found.filter((a) => !found.some((b) => b !== a && b.departure >= a.departure && b.arrival <= a.arrival && b.trips <= a.trips
      && (b.departure > a.departure || b.arrival < a.arrival || b.trips < a.trips)));
    const uniq = new Map<string, RaptorJourney>();
    for (const j of keep) uniq.set(`${j.departure}|${j.arrival}|${j.trips}`, j);
    return [...uniq.values()].sort((a, b) => a.departure - b.departure || a.arrival - b.arrival);
  }

  /** one RAPTOR run from `departure`, on top of the current labels; returns the target arrival per round */
  private iterate(departure: number, access: StopOffset[], K: number, slack: number): number[] {
    const tt = this.tt;
    const S = tt.stopCount;
    const { tau, kind, best, egressSecs, marked, markedList } = this;
    const targetByRound = new Array<number>(K + 1).fill(NO_TIME);
    this.markedCount = 0;
    for (const a of access) {
      const t = departure + Math.round(a.seconds);
      if (t < best[a.stop]) {
        this.lower(best, 0, a.stop, t);
        tau[a.stop] = t;
        this.accessSecs[a.stop] = Math.round(a.seconds);
        kind[a.stop] = K_ACCESS;
        this.mark(a.stop);
        const e = egressSecs[a.stop];
        if (e >= 0) this.reachTarget(0, t + e);
      }
    }
    for (let k = 1; k <= K && this.markedCount > 0; k++) {
      // collect routes through marked stops, each from its earliest marked position
      let queued = 0;
      const { queuePos, queueList } = this;
      for (let m = 0; m < this.markedCount; m++) {
        const s = markedList[m];
        marked[s] = 0;
        for (let j = tt.stopRouteOffsets[s]; j < tt.stopRouteOffsets[s + 1]; j++) {
          const r = tt.stopRoutes[j];
          const p = tt.stopRoutePos[j];
          if (queuePos[r] < 0) {
            queuePos[r] = p;
            queueList[queued++] = r;
          } else if (p < queuePos[r]) queuePos[r] = p;
        }
      }
      this.markedCount = 0;
      this.footSourceCount = 0;
      this.stampNow++;
      const prevBase = (k - 1) * S;
      const base = k * S;
      for (let q = 0; q < queued; q++) {
        const r = queueList[q];
        const start = queuePos[r];
        queuePos[r] = -1;
        this.scanRoute(r, start, prevBase, base, slack, k);
      }
      // footpaths from this round's trip arrivals (one hop)
      const foot = this.foot;
      for (let f = 0; f < this.footSourceCount; f++) {
        const u = this.footSources[f];
        const tu = this.tripArr[base + u];
        const bound = this.targetBound[k];
        for (let j = foot.offsets[u]; j < foot.offsets[u + 1]; j++) {
          const t = tu + foot.seconds[j];
          if (t >= bound) break;
          const v = foot.to[j];
          if (t < best[base + v]) {
            this.lower(best, k, v, t);
            tau[base + v] = t;
            kind[base + v] = K_FOOT;
            this.footFrom[base + v] = u;
            this.mark(v);
            const e = egressSecs[v];
            if (e >= 0) this.reachTarget(k, t + e);
          }
        }
      }
    }
    // stops still marked after the last round must not stay flagged for the next iteration
    for (let m = 0; m < this.markedCount; m++) marked[markedList[m]] = 0;
    this.markedCount = 0;
    for (let k = 0; k <= K; k++) targetByRound[k] = Math.min(this.targetRound[k], k > 0 ? targetByRound[k - 1] : NO_TIME);
    return targetByRound;
  }

  private reachTarget(k: number, t: number): void {
    if (t < this.targetRound[k]) this.targetRound[k] = t;
    for (let k2 = k; k2 <= this.K && this.targetBound[k2] > t; k2++) this.targetBound[k2] = t;
  }

  /** arr[k2*S+s] = min(arr[k2*S+s], t) for every round k2 >= k (a label with k trips bounds all later rounds) */
  private lower(arr: Int32Array, k: number, s: number, t: number): void {
    const S = this.tt.stopCount;
    for (let i = k * S + s, k2 = k; k2 <= this.K && arr[i] > t; k2++, i += S) arr[i] = t;
  }

  private mark(s: number): void {
    if (this.marked[s] === 0) {
      this.marked[s] = 1;
      this.markedList[this.markedCount++] = s;
    }
  }

  private scanRoute(r: number, start: number, prevBase: number, base: number, slack: number, k: number): void {
    const tt = this.tt;
    const { tau, kind, best, bestTrip, egressSecs, tripArr } = this;
    const stopsAt = tt.routeStopOffsets[r];
    const n = tt.routeStopOffsets[r + 1] - stopsAt;
    const firstSlot = tt.routeTripOffsets[r];
    const trips = tt.routeTripOffsets[r + 1] - firstSlot;
    const tb = tt.routeTimeBase[r];
    const arr = tt.arr;
    const dep = tt.dep;
    const noBoard = tt.noBoard;
    const noAlight = tt.noAlight;
    let cur = -1;
    let boardPos = -1;
    const bound = this.targetBound[k];
    for (let i = start; i < n; i++) {
      const s = tt.routeStops[stopsAt + i];
      if (cur >= 0) {
        const idx = tb + cur * n + i;
        const a = arr[idx];
        const lb = base + s;
        if (noAlight[idx] === 0 && a < bestTrip[lb] && a < this.targetBound[k]) {
          this.lower(bestTrip, k, s, a);
          tripArr[lb] = a;
          this.tripSlot[lb] = firstSlot + cur;
          this.tripRoute[lb] = r;
          this.tripBoard[lb] = boardPos;
          this.tripAlight[lb] = i;
          if (this.footStamp[s] !== this.stampNow) {
            this.footStamp[s] = this.stampNow;
            this.footSources[this.footSourceCount++] = s;
          }
          if (a < best[lb]) {
            this.lower(best, k, s, a);
            tau[lb] = a;
            kind[lb] = K_TRIP;
            this.mark(s);
            const e = egressSecs[s];
            if (e >= 0) this.reachTarget(k, a + e);
          }
        }
      }
      // can we catch an earlier trip here? (not worth it when already past the target's best)
      const prev = tau[prevBase + s];
      if (prev >= bound) continue;
      const ready = k > 1 || kind[prevBase + s] !== K_ACCESS ? prev + slack : prev;
      if (cur >= 0 && (cur === 0 || dep[tb + (cur - 1) * n + i] < ready)) continue;
      // binary search for the first trip departing at or after `ready`
      let lo = 0;
      let hi = cur >= 0 ? cur : trips;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (dep[tb + mid * n + i] < ready) lo = mid + 1;
        else hi = mid;
      }
      const limit = cur >= 0 ? cur : trips;
      while (lo < limit && noBoard[tb + lo * n + i] !== 0) lo++;
      if (lo < limit && k === 1 && kind[prevBase + s] === K_ACCESS && dep[tb + lo * n + i] - this.accessSecs[s] > this.latestStart) continue;
      if (lo < limit) {
        cur = lo;
        boardPos = i;
      }
    }
  }

  private reconstruct(k: number, egress: StopOffset[]): RaptorJourney {
    const tt = this.tt;
    const S = tt.stopCount;
    // the (round <= k, egress stop) pair giving the best target arrival; ties go to fewer rounds
    let bestStop = -1;
    let bestT = NO_TIME;
    let round = 0;
    for (let r = 0; r <= k; r++) {
      for (const e of egress) {
        const t = this.tau[r * S + e.stop];
        if (t === NO_TIME) continue;
        const v = t + this.egressSecs[e.stop];
        if (v < bestT) {
          bestT = v;
          bestStop = e.stop;
          round = r;
        }
      }
    }
    if (bestStop < 0) throw new UrbanflowError('INTERNAL', 'RAPTOR: no label at the target', { module: 'transit/raptor' });
    const legs: RaptorLeg[] = [];
    legs.push({ kind: 'egress', fromStop: bestStop, departure: bestT - this.egressSecs[bestStop], arrival: bestT });
    let s = bestStop;
    let trips = 0;
    for (let guard = 0; guard < 2 * (k + 2); guard++) {
      const lb = round * S + s;
      const kd = this.kind[lb];
      if (kd === K_ACCESS) {
        const t = this.tau[lb];
        legs.push({ kind: 'access', toStop: s, departure: t - this.accessSecs[s], arrival: t });
        break;
      }
      let tl = lb;
      if (kd === K_FOOT) {
        const u = this.footFrom[lb];
        tl = round * S + u;
        const depart = this.tripArr[tl];
        legs.push({ kind: 'walk', fromStop: u, toStop: s, departure: depart, arrival: depart + this.footSeconds(u, s) });
      } else if (kd !== K_TRIP) {
        throw new UrbanflowError('INTERNAL', `RAPTOR: broken label at round ${round}, stop ${s}`, { module: 'transit/raptor' });
      }
      legs.push(this.transitLeg(tl));
      trips++;
      s = tt.routeStops[tt.routeStopOffsets[this.tripRoute[tl]] + this.tripBoard[tl]];
      round--;
    }
    legs.reverse();
    // leave as late as possible: the access walk ends when the first vehicle departs
    const first = legs[0];
    const next = legs[1];
    if (first.kind === 'access' && next && next.kind === 'transit') {
      first.arrival = next.departure;
      first.departure = next.departure - (this.accessSecs[first.toStop]);
    }
    return { departure: legs[0].departure, arrival: bestT, trips, legs };
  }

  private footSeconds(u: number, v: number): number {
    const f = this.foot;
    let best = NO_TIME;
    for (let j = f.offsets[u]; j < f.offsets[u + 1]; j++) if (f.to[j] === v && f.seconds[j] < best) best = f.seconds[j];
    return best;
  }

  private transitLeg(lb: number): RaptorLeg {
    const tt = this.tt;
    const r = this.tripRoute[lb];
    const slot = this.tripSlot[lb];
    const n = tt.routeStopOffsets[r + 1] - tt.routeStopOffsets[r];
    const rowBase = tt.routeTimeBase[r] + (slot - tt.routeTripOffsets[r]) * n;
    const bp = this.tripBoard[lb];
    const ap = this.tripAlight[lb];
    return {
      kind: 'transit', route: r, tripSlot: slot, boardPos: bp, alightPos: ap,
      fromStop: tt.routeStops[tt.routeStopOffsets[r] + bp], toStop: tt.routeStops[tt.routeStopOffsets[r] + ap],
      departure: tt.dep[rowBase + bp], arrival: tt.arr[rowBase + ap],
    };
  }
}
