import { strToU8, zipSync } from 'fflate';

/** Builds GTFS zips in memory for tests. Files are given as text; quirks are added by the caller. */
export function gtfsZip(files: Record<string, string>): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(files)) entries[name] = strToU8(text);
  return zipSync(entries);
}

/**
 * A small city: stops A..D on a line 1.1 km apart, E 40 m from C, F far away (Mannheim coordinates).
 * R1 A-B-C every 10 min 06:00-08:00 (service WK, Mon-Fri), R2 C-D (connects from R1),
 * R3 A-D slow direct bus, NIGHT trip running past midnight A 23:50, B 24:05, D 24:20, HOL only on 20161101.
 */
export const TINY = {
  'agency.txt': 'agency_id,agency_name,agency_url,agency_timezone\nT,Tiny Transit,http://example.org,Europe/Berlin\n',
  'stops.txt': [
    'stop_id,stop_name,stop_lat,stop_lon',
    'A,Alpha,49.4800,8.4600',
    'B,Beta,49.4900,8.4600',
    'C,"Gamma, Platz",49.5000,8.4600',
    'D,Delta,49.5100,8.4600',
    'E,Epsilon,49.5001,8.4605',
    'F,Far,49.6000,8.9000',
  ].join('\n') + '\n',
  'routes.txt': 'route_id,agency_id,route_short_name,route_long_name,route_type\nR1,T,1,Alpha-Gamma,900\nR2,T,2,Epsilon-Delta,704\nR3,T,3,Alpha-Delta slow,3\nRN,T,N,Night,3\n',
  'calendar.txt': 'service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20161024,20161130\nHOL,0,0,0,0,0,0,0,20161024,20161130\n',
  'calendar_dates.txt': 'service_id,date,exception_type\nWK,20161101,2\nHOL,20161101,1\n',
  'trips.txt': 'route_id,service_id,trip_id,trip_headsign\nR1,WK,r1a,Gamma\nR1,WK,r1b,Gamma\nR2,WK,r2a,Delta\nR2,WK,r2b,Delta\nR3,WK,r3a,Delta\nRN,WK,night,Delta\nR1,HOL,r1hol,Gamma\n',
  'stop_times.txt': [
    'trip_id,arrival_time,departure_time,stop_id,stop_sequence',
    'r1a,07:00:00,07:00:00,A,1',
    'r1a,07:05:00,07:05:00,B,2',
    'r1a,07:10:00,07:10:00,C,3',
    'r1b,07:20:00,07:20:00,A,1',
    'r1b,07:25:00,07:25:00,B,2',
    'r1b,07:30:00,07:30:00,C,3',
    'r2a,07:14:00,07:14:00,E,1',
    'r2a,07:18:00,07:18:00,D,2',
    'r2b,07:34:00,07:34:00,E,1',
    'r2b,07:38:00,07:38:00,D,2',
    'r3a,07:01:00,07:01:00,A,1',
    'r3a,07:40:00,07:40:00,D,2',
    'night,23:50:00,23:50:00,A,1',
    'night,24:05:00,24:05:00,B,2',
    'night,24:20:00,24:20:00,D,3',
    'r1hol,09:00:00,09:00:00,A,1',
    'r1hol,09:05:00,09:05:00,B,2',
    'r1hol,09:10:00,09:10:00,C,3',
  ].join('\n') + '\n',
};
