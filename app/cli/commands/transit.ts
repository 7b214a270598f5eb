import type { CliIo } from '../cli-io.js';
import { numberOption, parseCliArgs, requireOption } from '../cli-io.js';
import { readSnapshot } from '../../../core/graph/snapshot.js';
import { RoadNetworkBuilder } from '../../../core/graph/road-network-builder.js';
import { isUrbanflowError, UrbanflowError } from '../../../core/errors/index.js';
import type { PlanLeg, PlanOption, TransitResult } from '../../../core/contracts/routing.js';
import { createStandaloneRouting } from '../standalone-routing.js';

const USAGE = `usage: urbanflow transit --gtfs FEED.zip --from-stop ID --to-stop ID --depart ISO-LOCAL-TIME
                        [--window MINUTES] [--max-trips N] [--slack SECONDS] [--graph FILE.graph] [--json]
Earliest-arrival public transport journey (RAPTOR) between two GTFS stop ids, with the Pareto set over
arrival time and number of changes. --depart is local to the feed's timezone (2016-11-08T08:00) unless it
carries an offset. --window > 0 lists every Pareto-optimal departure in that many minutes (range query).
Walks between nearby stops: on --graph's foot network when given, else straight line x 1.3 (up to 10 min).
Exit status 1 when no journey is found.`;

/** urbanflow transit: one public transport query from the command line (see docs/transit.md). */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, {
    gtfs: { type: 'string' },
    'from-stop': { type: 'string' },
    'to-stop': { type: 'string' },
    depart: { type: 'string' },
    window: { type: 'string' },
    'max-trips': { type: 'string' },
    slack: { type: 'string' },
    graph: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const gtfs = requireOption(values.gtfs, 'gtfs');
  const fromStop = requireOption(values['from-stop'], 'from-stop');
  const toStop = requireOption(values['to-stop'], 'to-stop');
  const depart = requireOption(values.depart, 'depart');
  // the feed's time zone is needed to read the time, but the shape can be checked before loading it
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(depart)) throw new UrbanflowError('INVALID_INPUT', `--depart must be an ISO local time like 2016-11-08T08:00, got '${depart}'`, { field: 'depart' });
  const windowMinutes = numberOption(values.window, 'window', 0);
  const maxTrips = numberOption(values['max-trips'], 'max-trips', 8);
  const slack = numberOption(values.slack, 'slack', 0);

  const network = values.graph ? await readSnapshot(values.graph) : new RoadNetworkBuilder().build({ source: 'none' });
  const bar = io.progress('loading GTFS');
  const t0 = performance.now();
  const service = createStandaloneRouting(network, { transit: { gtfs, networkFootpaths: Boolean(values.graph), onProgress: (f, note) => bar.update(f, note) } });
  const api = service.transit!;
  const info = api.info();
  bar.done(`${info.stops} stops, ${info.trips} trips, ${info.stopTimes} stop times in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  let result: TransitResult;
  const q0 = performance.now();
  try {
    result = api.transit({ fromStop, toStop, departAt: depart, windowMinutes, maxTrips, transferSlackSeconds: slack });
  } catch (e) {
    if (isUrbanflowError(e) && (e.code === 'NOT_FOUND' || e.code === 'INVALID_INPUT')) {
      const field = ({ fromStop: 'from-stop', toStop: 'to-stop', departAt: 'depart', windowMinutes: 'window', maxTrips: 'max-trips', transferSlackSeconds: 'slack' } as Record<string, string>)[e.field ?? ''] ?? e.field ?? 'input';
      throw new UrbanflowError('INVALID_INPUT', `--${field}: ${e.message}`, { field });
    }
    throw e;
  } finally {
    service.close();
  }
  const ms = performance.now() - q0;
  if (values.json) {
    io.stdout(JSON.stringify({ ...result, footpaths: info.footpaths.method, computeMs: Math.round(ms * 10) / 10 }));
    return result.found ? 0 : 1;
  }
  io.stdout(`${result.fromStop.name} (${result.fromStop.stopId}) -> ${result.toStop.name} (${result.toStop.stopId}), departing ${result.departAt}`);
  io.stdout(`footpaths: ${info.footpaths.method}; query ${ms.toFixed(1)} ms (day timetable built on first use)`);
  if (!result.found) {
    io.stdout('no journey found');
    return 1;
  }
  for (const [i, j] of result.journeys.entries()) {
    io.stdout('');
    io.stdout(`journey ${i + 1}: ${hhmm(j.departure)} -> ${hhmm(j.arrival)}  (${Math.round(j.seconds / 60)} min, ${j.transfers} change${j.transfers === 1 ? '' : 's'})`);
    for (const l of j.legs) io.stdout(`  ${describeLeg(l)}`);
  }
  return 0;
}

function hhmm(iso: string): string {
  return iso.slice(11, 16);
}

export function describeLeg(l: PlanLeg): string {
  const t = `${hhmm(l.departure)}-${hhmm(l.arrival)}`;
  if (l.mode === 'transit') {
    const delay = l.delaySeconds ? ` (+${Math.round(l.delaySeconds / 60)} min)` : '';
    return `${t}  ${(l.routeName ?? '').padEnd(4)} trip ${l.tripId} to ${l.headsign}: board ${l.from.name} (${l.from.stopId}) ${hhmm(l.departure)}${delay}, alight ${l.to.name} (${l.to.stopId}) ${hhmm(l.arrival)}, ${(l.stops?.length ?? 2) - 1} stops`;
  }
  const place = (p: PlanLeg['from']) => (p.stopId ? `${p.name} (${p.stopId})` : p.name);
  return `${t}  ${l.mode} ${l.metres ?? 0} m from ${place(l.from)} to ${place(l.to)}`;
}

export function describeOption(o: PlanOption): string[] {
  return [`${o.mode}: ${hhmm(o.departure)} -> ${hhmm(o.arrival)}  (${Math.round(o.seconds / 60)} min, ${o.transfers} change${o.transfers === 1 ? '' : 's'}, walk ${o.walkMetres} m)`, ...o.legs.map((l) => `  ${describeLeg(l)}`)];
}
