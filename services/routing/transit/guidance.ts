import type { PlanLeg, PlanOption, TransitAlert } from '../../../core/contracts/routing-transit.js';
import { isoLocal, parseGtfsDate } from './gtfs-time.js';
import type { TransitPlanner } from './transit-planner.js';

/**
 * Live guidance for transit travellers: re-reads each planned trip under the current realtime
 * state and tells whether the journey still holds. A connection is broken when the traveller
 * reaches the next boarding stop (previous alighting + the planned walk) after that trip's
 * departure, or when a trip is cancelled or skips the planned stop. Then the next best option
 * is planned from where the traveller will be at that moment to the planned final stop (plus
 * the planned egress).
 */
export interface LiveLegTimes {
  leg: number;
  cancelled: boolean;
  skipped: boolean;
  departureMs: number;
  arrivalMs: number;
}

export function liveTimes(planner: TransitPlanner, option: PlanOption): LiveLegTimes[] {
  const feed = planner.feed;
  const out: LiveLegTimes[] = [];
  option.legs.forEach((leg, i) => {
    if (leg.mode !== 'transit' || !leg.tripId || !leg.serviceDate || !leg.from.stopId || !leg.to.stopId) return;
    const trip = feed.tripIds.indexOf(leg.tripId);
    const date = parseGtfsDate(leg.serviceDate);
    const ctx = planner.dayContext(localDateOf(planner, leg.departureMs));
    const slot = trip < 0 ? -1 : ctx.slotOf(trip, date);
    if (slot < 0) {
      out.push({ leg: i, cancelled: true, skipped: false, departureMs: leg.departureMs, arrivalMs: leg.arrivalMs });
      return;
    }
    const tt = ctx.day.tt;
    // the slot's route: the one whose trip range holds it
    let lo = 0;
    let hi = tt.routeCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (tt.routeTripOffsets[mid] <= slot) lo = mid;
      else hi = mid - 1;
    }
    const r = lo;
    const so = tt.routeStopOffsets[r];
    const n = tt.routeStopOffsets[r + 1] - so;
    const row = tt.routeTimeBase[r] + (slot - tt.routeTripOffsets[r]) * n;
    const boardStop = planner.stop(leg.from.stopId);
    const alightStop = planner.stop(leg.to.stopId);
    let bp = -1;
    let ap = -1;
    for (let p = 0; p < n; p++) {
      if (bp < 0 && tt.routeStops[so + p] === boardStop) bp = p;
      else if (bp >= 0 && tt.routeStops[so + p] === alightStop) {
        ap = p;
        break;
      }
    }
    if (bp < 0 || ap < 0) {
      out.push({ leg: i, cancelled: true, skipped: false, departureMs: leg.departureMs, arrivalMs: leg.arrivalMs });
      return;
    }
    const ms = (t: number) => ctx.day.origin + t * 1000;
    out.push({
      leg: i, cancelled: false,
      skipped: (tt.noBoard[row + bp] === 1 && bp !== n - 1) || (tt.noAlight[row + ap] === 1 && ap !== 0),
      departureMs: ms(tt.dep[row + bp]), arrivalMs: ms(tt.arr[row + ap]),
    });
  });
  return out;
}

function localDateOf(planner: TransitPlanner, ms: number): number {
  return planner.resolveDeparture(ms).date;
}

/** null when the planned journey still works; otherwise what broke and the next best option */
export function checkTransitJourney(planner: TransitPlanner, option: PlanOption, now = Date.now()): TransitAlert | null {
  const tz = planner.timezone;
  const live = liveTimes(planner, option);
  let readyAt = option.legs[0]?.departureMs ?? now;
  let broken: { leg: number; reason: TransitAlert['reason']; at: number; stopId: string } | undefined;
  let prevLive: LiveLegTimes | undefined;
  for (let i = 0; i < option.legs.length && !broken; i++) {
    const leg = option.legs[i];
    const lt = live.find((l) => l.leg === i);
    if (!lt) {
      // walks (and other non-transit legs) keep their planned duration
      readyAt += leg.arrivalMs - leg.departureMs;
      continue;
    }
    if (lt.cancelled || lt.skipped) {
      broken = { leg: i, reason: lt.cancelled ? 'cancelled' : 'skipped-stop', at: readyAt, stopId: leg.from.stopId! };
      break;
    }
    if (prevLive && readyAt > lt.departureMs) {
      broken = { leg: i, reason: 'missed-connection', at: readyAt, stopId: leg.from.stopId! };
      break;
    }
    readyAt = lt.arrivalMs;
    prevLive = lt;
  }
  if (!broken) return null;
  const lastTransit = [...option.legs].reverse().find((l: PlanLeg) => l.mode === 'transit');
  const target = lastTransit?.to.stopId;
  let alternative: PlanOption | null = null;
  if (target) {
    const res = planner.stopToStop({ fromStop: broken.stopId, toStop: target, departAt: Math.max(now, broken.at), maxTrips: 8, transferSlackSeconds: 0 });
    const best = res.journeys[res.journeys.length - 1];
    if (best) {
      // keep the planned egress after the final stop
      const tail = option.legs.slice(option.legs.indexOf(lastTransit!) + 1);
      let t = best.arrivalMs;
      const shifted = tail.map((l) => {
        const d = l.arrivalMs - l.departureMs;
        const out = { ...l, departureMs: t, arrivalMs: t + d, departure: isoLocal(t, tz), arrival: isoLocal(t + d, tz) };
        t += d;
        return out;
      });
      const legs = [...best.legs, ...shifted];
      alternative = { ...best, legs, arrivalMs: t, arrival: isoLocal(t, tz), seconds: Math.round((t - best.departureMs) / 1000) };
    }
  }
  const leg = option.legs[broken.leg];
  const what = broken.reason === 'cancelled' ? `trip ${leg.tripId} (${leg.routeName}) is cancelled`
    : broken.reason === 'skipped-stop' ? `trip ${leg.tripId} (${leg.routeName}) no longer stops at ${leg.from.name}`
      : `you reach ${leg.from.name} at ${isoLocal(broken.at, tz)}, after ${leg.routeName} leaves`;
  return {
    brokenLeg: broken.leg, reason: broken.reason,
    message: `Connection broken: ${what}.${alternative ? ` Next best: arrive ${alternative.arrival}.` : ' No alternative found.'}`,
    plannedArrival: null, alternative,
  };
}
