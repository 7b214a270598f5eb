import { NO_TIME, type RaptorTimetable, type RaptorFootpaths, type StopOffset } from './raptor-data.js';

/**
 * Connection Scan (Dibbelt et al. 2013), earliest arrival: the baseline RAPTOR is measured against
 * and the oracle its tests compare with. Same semantics as our RAPTOR: one footpath hop after each
 * trip (from the arrival by trip), access and egress walks given as stop offsets, unlimited trips.
 */
export class ConnectionScan {
  readonly tt: RaptorTimetable;
  readonly foot: RaptorFootpaths;
  private readonly cFrom: Uint32Array;
  private readonly cTo: Uint32Array;
  private readonly cDep: Int32Array;
  private readonly cArr: Int32Array;
  private readonly cSlot: Uint32Array;
  /** bit 1 = cannot board at cFrom, bit 2 = cannot alight at cTo */
  private readonly cFlags: Uint8Array;
  private readonly S: Int32Array;
  private readonly T: Int32Array;
  private readonly boarded: Uint8Array;

  constructor(tt: RaptorTimetable, foot: RaptorFootpaths) {
    this.tt = tt;
    this.foot = foot;
    let count = 0;
    for (let r = 0; r < tt.routeCount; r++) {
      const n = tt.routeStopOffsets[r + 1] - tt.routeStopOffsets[r];
      count += (tt.routeTripOffsets[r + 1] - tt.routeTripOffsets[r]) * (n - 1);
    }
    const from = new Uint32Array(count);
    const to = new Uint32Array(count);
    const dep = new Int32Array(count);
    const arr = new Int32Array(count);
    const slot = new Uint32Array(count);
    const flags = new Uint8Array(count);
    const seq = new Uint32Array(count);
    let c = 0;
    for (let r = 0; r < tt.routeCount; r++) {
      const so = tt.routeStopOffsets[r];
      const n = tt.routeStopOffsets[r + 1] - so;
      for (let t = tt.routeTripOffsets[r]; t < tt.routeTripOffsets[r + 1]; t++) {
        const rb = tt.routeTimeBase[r] + (t - tt.routeTripOffsets[r]) * n;
        for (let i = 0; i + 1 < n; i++) {
          from[c] = tt.routeStops[so + i];
          to[c] = tt.routeStops[so + i + 1];
          dep[c] = tt.dep[rb + i];
          arr[c] = tt.arr[rb + i + 1];
          slot[c] = t;
          flags[c] = (tt.noBoard[rb + i] ? 1 : 0) | (tt.noAlight[rb + i + 1] ? 2 : 0);
          seq[c] = i;
          c++;
        }
      }
    }
    // departure order; ties: arrival first, then position along the trip (zero-length hops)
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort((a, b) => dep[a] - dep[b] || arr[a] - arr[b] || seq[a] - seq[b]);
    this.cFrom = order.map((i) => from[i]);
    this.cTo = order.map((i) => to[i]);
    this.cDep = Int32Array.from(order, (i) => dep[i]);
    this.cArr = Int32Array.from(order, (i) => arr[i]);
    this.cSlot = order.map((i) => slot[i]);
    this.cFlags = Uint8Array.from(order, (i) => flags[i]);
    this.S = new Int32Array(tt.stopCount);
    this.T = new Int32Array(tt.stopCount);
    let slots = 0;
    for (let r = 0; r < tt.routeCount; r++) slots = Math.max(slots, tt.routeTripOffsets[r + 1]);
    this.boarded = new Uint8Array(slots);
  }

  get connectionCount(): number {
    return this.cDep.length;
  }

  /** earliest arrival at the destination (after the egress walk), or NO_TIME when unreachable */
  earliestArrival(access: StopOffset[], egress: StopOffset[], departure: number): number {
    const { S, T, boarded, cFrom, cTo, cDep, cArr, cSlot, cFlags, foot } = this;
    S.fill(NO_TIME);
    T.fill(NO_TIME);
    boarded.fill(0);
    const eg = new Map<number, number>();
    for (const e of egress) eg.set(e.stop, Math.min(eg.get(e.stop) ?? NO_TIME, Math.round(e.seconds)));
    let target = NO_TIME;
    const reach = (s: number, t: number) => {
      if (t < S[s]) {
        S[s] = t;
        const e = eg.get(s);
        if (e !== undefined && t + e < target) target = t + e;
      }
    };
    for (const a of access) reach(a.stop, departure + Math.round(a.seconds));
    // first connection departing at or after the departure time
    let lo = 0;
    let hi = cDep.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cDep[mid] < departure) lo = mid + 1;
      else hi = mid;
    }
    for (let c = lo; c < cDep.length; c++) {
      if (cDep[c] >= target) break;
      const slot = cSlot[c];
      if (boarded[slot] === 0) {
        if ((cFlags[c] & 1) !== 0 || S[cFrom[c]] > cDep[c]) continue;
        boarded[slot] = 1;
      }
      if ((cFlags[c] & 2) !== 0) continue;
      const v = cTo[c];
      const a = cArr[c];
      if (a < T[v]) {
        T[v] = a;
        reach(v, a);
        for (let j = foot.offsets[v]; j < foot.offsets[v + 1]; j++) reach(foot.to[j], a + foot.seconds[j]);
      }
    }
    return target;
  }
}
