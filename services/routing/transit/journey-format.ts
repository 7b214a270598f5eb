import type { PlanLeg, PlanOption, PlanPlace, PlanMode } from '../../../core/contracts/routing-transit.js';
import type { GtfsFeed } from './gtfs-feed.js';
import type { DayTimetable } from './day-timetable.js';
import { isoLocal, serviceDayOrigin } from './gtfs-time.js';
import type { RaptorJourney, RaptorLeg } from './raptor.js';
import { haversineMetres } from '../../../core/graph/geo.js';

/** Turns RAPTOR's index-based journeys into PlanOption legs (ids, names, ISO times, geometry). */
export interface LegBuilders {
  /** legs from the origin to a stop (walk, bike or car), ending at arrivalMs */
  access(stop: number, departureMs: number, arrivalMs: number): PlanLeg[];
  /** legs from a stop to the destination, starting at departureMs */
  egress(stop: number, departureMs: number, arrivalMs: number): PlanLeg[];
  /** walk between two stops */
  walk(fromStop: number, toStop: number, departureMs: number, arrivalMs: number): PlanLeg;
}

export function stopPlace(feed: GtfsFeed, s: number): PlanPlace {
  return { name: feed.stopNames[s], lon: feed.stopLon[s], lat: feed.stopLat[s], stopId: feed.stopIds[s] };
}

export function routeName(feed: GtfsFeed, route: number): string {
  return feed.routeShortNames[route] || feed.routeLongNames[route] || feed.routeIds[route];
}

export function makeLeg(feed: GtfsFeed, mode: PlanLeg['mode'], from: PlanPlace, to: PlanPlace, depIn: number, arrIn: number, coords?: [number, number][], metres?: number): PlanLeg {
  const depMs = Math.round(depIn);
  const arrMs = Math.round(arrIn);
  const geometry = coords && coords.length >= 2 ? coords : [[from.lon, from.lat], [to.lon, to.lat]] as [number, number][];
  return {
    mode, from, to,
    departure: isoLocal(depMs, feed.timezone), arrival: isoLocal(arrMs, feed.timezone),
    departureMs: depMs, arrivalMs: arrMs, seconds: Math.round((arrMs - depMs) / 1000),
    metres: metres ?? Math.round(haversineMetres(from.lon, from.lat, to.lon, to.lat)),
    geometry: { type: 'LineString', coordinates: geometry },
  };
}

export function transitLeg(feed: GtfsFeed, day: DayTimetable, leg: Extract<RaptorLeg, { kind: 'transit' }>): PlanLeg {
  const tt = day.tt;
  const tz = feed.timezone;
  const trip = day.slotTrip[leg.tripSlot];
  const date = day.slotDate[leg.tripSlot];
  const r = leg.route;
  const n = tt.routeStopOffsets[r + 1] - tt.routeStopOffsets[r];
  const row = tt.routeTimeBase[r] + (leg.tripSlot - tt.routeTripOffsets[r]) * n;
  const ms = (t: number) => day.origin + t * 1000;
  const stops: NonNullable<PlanLeg['stops']> = [];
  const coords: [number, number][] = [];
  let metres = 0;
  for (let i = leg.boardPos; i <= leg.alightPos; i++) {
    const s = tt.routeStops[tt.routeStopOffsets[r] + i];
    stops.push({ stopId: feed.stopIds[s], name: feed.stopNames[s], arrival: isoLocal(ms(tt.arr[row + i]), tz), departure: isoLocal(ms(tt.dep[row + i]), tz) });
    if (coords.length) metres += haversineMetres(coords[coords.length - 1][0], coords[coords.length - 1][1], feed.stopLon[s], feed.stopLat[s]);
    coords.push([feed.stopLon[s], feed.stopLat[s]]);
  }
  const route = feed.tripRoute[trip];
  const scheduledBoard = (serviceDayOrigin(date, tz) - day.origin) / 1000 + feed.stDeparture[feed.tripStopOffsets[trip] + leg.boardPos];
  const base = makeLeg(feed, 'transit', stopPlace(feed, leg.fromStop), stopPlace(feed, leg.toStop), ms(leg.departure), ms(leg.arrival), coords, Math.round(metres));
  return {
    ...base,
    routeId: feed.routeIds[route], routeName: routeName(feed, route), routeType: feed.routeTypes[route],
    tripId: feed.tripIds[trip], headsign: feed.tripHeadsigns[trip], serviceDate: String(date),
    delaySeconds: Math.round(leg.departure - scheduledBoard), stops,
  };
}

export function toPlanOption(feed: GtfsFeed, day: DayTimetable, j: RaptorJourney, mode: PlanMode, b: LegBuilders): PlanOption {
  const ms = (t: number) => day.origin + t * 1000;
  const legs: PlanLeg[] = [];
  for (const l of j.legs) {
    if (l.kind === 'access') legs.push(...b.access(l.toStop, ms(l.departure), ms(l.arrival)));
    else if (l.kind === 'egress') legs.push(...b.egress(l.fromStop, ms(l.departure), ms(l.arrival)));
    else if (l.kind === 'walk') legs.push(b.walk(l.fromStop, l.toStop, ms(l.departure), ms(l.arrival)));
    else legs.push(transitLeg(feed, day, l));
  }
  return optionFromLegs(feed, mode, legs);
}

/** consecutive walks (a footpath then the egress walk, say) become one walk leg */
export function mergeWalks(legs: PlanLeg[]): PlanLeg[] {
  const out: PlanLeg[] = [];
  for (const l of legs) {
    const prev = out[out.length - 1];
    if (prev && prev.mode === 'walk' && l.mode === 'walk') {
      const coords = [...prev.geometry.coordinates, ...l.geometry.coordinates.slice(1)];
      out[out.length - 1] = {
        ...prev, to: l.to, arrival: l.arrival, arrivalMs: l.arrivalMs, seconds: Math.round((l.arrivalMs - prev.departureMs) / 1000),
        metres: (prev.metres ?? 0) + (l.metres ?? 0), geometry: { type: 'LineString', coordinates: coords },
      };
    } else out.push(l);
  }
  return out;
}

export function optionFromLegs(feed: GtfsFeed | { timezone: string }, mode: PlanMode, legsIn: PlanLeg[]): PlanOption {
  const tz = feed.timezone;
  const legs = mergeWalks(legsIn.filter((l) => !(l.mode === 'walk' && l.seconds === 0 && (l.metres ?? 0) === 0 && l.from.lon === l.to.lon && l.from.lat === l.to.lat)));
  const dep = legs[0].departureMs;
  const arr = legs[legs.length - 1].arrivalMs;
  const trips = legs.filter((l) => l.mode === 'transit').length;
  return {
    mode, departure: isoLocal(dep, tz), arrival: isoLocal(arr, tz), departureMs: dep, arrivalMs: arr,
    seconds: Math.round((arr - dep) / 1000), transfers: Math.max(0, trips - 1),
    walkMetres: Math.round(legs.filter((l) => l.mode === 'walk').reduce((s, l) => s + (l.metres ?? 0), 0)),
    legs,
  };
}
