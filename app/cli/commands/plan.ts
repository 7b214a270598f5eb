import type { CliIo } from '../cli-io.js';
import { lonLatOption, numberOption, parseCliArgs, requireOption } from '../cli-io.js';
import { readSnapshot } from '../../../core/graph/snapshot.js';
import { loadDefaultNetwork } from '../../../core/graph/default-network.js';
import { isUrbanflowError, UrbanflowError } from '../../../core/errors/index.js';
import { PLAN_MODES, type PlanMode, type PlanResult } from '../../../core/contracts/routing.js';
import { createStandaloneRouting } from '../standalone-routing.js';
import { describeOption } from './transit.js';

const USAGE = `usage: urbanflow plan --gtfs FEED.zip --from LON,LAT --to LON,LAT --depart ISO [--graph FILE.graph]
                     [--modes walk,bike,car,transit,bike+transit,park+ride] [--max-walk MINUTES]
                     [--max-trips N] [--slack SECONDS] [--json]
Multimodal journey plan: the best options across walking, cycling, driving, walk + transit, bike + transit
and park and ride, each as legs (mode, from, to, times, geometry, route and trip). --depart is local to the
feed's timezone unless it carries an offset. Without --graph the default Rhein-Neckar network is used.
Exit status 1 when no option is found.`;

/** urbanflow plan: one multimodal plan from the command line (see docs/transit.md). */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, {
    gtfs: { type: 'string' },
    graph: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    depart: { type: 'string' },
    modes: { type: 'string' },
    'max-walk': { type: 'string' },
    'max-trips': { type: 'string' },
    slack: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const gtfs = requireOption(values.gtfs, 'gtfs');
  const from = lonLatOption(values.from, 'from');
  const to = lonLatOption(values.to, 'to');
  const depart = requireOption(values.depart, 'depart');
  // the feed's time zone is needed to read the time, but the shape can be checked before loading it
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(depart)) throw new UrbanflowError('INVALID_INPUT', `--depart must be an ISO local time like 2016-11-08T08:00, got '${depart}'`, { field: 'depart' });
  const modes = values.modes?.split(',').map((m) => m.trim()) as PlanMode[] | undefined;
  for (const m of modes ?? []) {
    if (!PLAN_MODES.includes(m)) throw new UrbanflowError('INVALID_INPUT', `--modes: '${m}' is not one of ${PLAN_MODES.join(', ')}`, { field: 'modes' });
  }
  const maxWalk = numberOption(values['max-walk'], 'max-walk', 15);
  const maxTrips = numberOption(values['max-trips'], 'max-trips', 6);
  const slack = numberOption(values.slack, 'slack', 60);

  const load = io.progress(values.graph ? 'loading graph' : 'loading default network');
  const network = values.graph ? await readSnapshot(values.graph) : await loadDefaultNetwork({ progress: (f) => load.update(f) });
  load.done(`${network.nodeCount} nodes, ${network.edgeCount} edges`);
  const bar = io.progress('loading GTFS, footpaths');
  const service = createStandaloneRouting(network, { transit: { gtfs, onProgress: (f, note) => bar.update(f, note) } });
  const api = service.transit!;
  const info = api.info();
  bar.done(`${info.stops} stops, ${info.footpaths.links} footpaths (${info.footpaths.method})`);
  let result: PlanResult;
  const t0 = performance.now();
  try {
    result = await api.plan({
      from: { lon: from[0], lat: from[1] }, to: { lon: to[0], lat: to[1] }, departAt: depart,
      modes, maxWalkMinutes: maxWalk, maxTrips, transferSlackSeconds: slack,
    });
  } catch (e) {
    if (isUrbanflowError(e) && (e.code === 'INVALID_INPUT' || e.code === 'NOT_ON_NETWORK')) {
      const field = ({ departAt: 'depart', maxWalkMinutes: 'max-walk', maxTrips: 'max-trips', transferSlackSeconds: 'slack' } as Record<string, string>)[e.field ?? ''] ?? e.field?.split('.')[0] ?? 'input';
      throw new UrbanflowError('INVALID_INPUT', `--${field}: ${e.message}`, { field });
    }
    throw e;
  } finally {
    service.close();
  }
  const ms = performance.now() - t0;
  if (values.json) {
    io.stdout(JSON.stringify({ ...result, computeMs: Math.round(ms) }));
    return result.options.length ? 0 : 1;
  }
  io.stdout(`plan from ${from.join(',')} to ${to.join(',')} departing ${result.departAt} (${ms.toFixed(0)} ms)`);
  for (const o of result.options) {
    io.stdout('');
    for (const line of describeOption(o)) io.stdout(line);
  }
  if (result.notes.length) io.stdout(`\nnotes: ${result.notes.join('; ')}`);
  return result.options.length ? 0 : 1;
}
