import type { CliIo } from '../cli-io.js';
import { lonLatOption, numberOption, parseCliArgs } from '../cli-io.js';
import { readSnapshot } from '../../../core/graph/snapshot.js';
import { loadDefaultNetwork } from '../../../core/graph/default-network.js';
import { isUrbanflowError, UrbanflowError } from '../../../core/errors/index.js';
import { ROAD_MODES, type RoadMode, type RouteResult } from '../../../core/contracts/routing.js';
import { createStandaloneRouting } from '../standalone-routing.js';

const USAGE = `usage: urbanflow route [--graph FILE.graph] --from LON,LAT --to LON,LAT [--via LON,LAT ...]
                      [--mode car|truck|bike|foot] [--algorithm fast|reference] [--alternatives 0-3]
                      [--truck-weight T] [--truck-height M] [--max-snap METRES] [--json]
Road route between two points: time (s), distance (m), geometry and turn-by-turn instructions.
Without --graph the default Rhein-Neckar network is used. Exit status 1 when there is no route.`;

/** urbanflow route: one road route from the command line (see docs/routing.md). */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, {
    graph: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    via: { type: 'string', multiple: true },
    mode: { type: 'string', default: 'car' },
    algorithm: { type: 'string', default: 'fast' },
    alternatives: { type: 'string' },
    'truck-weight': { type: 'string' },
    'truck-height': { type: 'string' },
    'max-snap': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const from = lonLatOption(values.from, 'from');
  const to = lonLatOption(values.to, 'to');
  const via = (values.via ?? []).map((v) => lonLatOption(v, 'via'));
  const mode = values.mode as RoadMode;
  if (!ROAD_MODES.includes(mode)) throw new UrbanflowError('INVALID_INPUT', `--mode must be one of ${ROAD_MODES.join(', ')}, got '${values.mode}'`, { field: 'mode' });
  const algorithm = values.algorithm;
  if (algorithm !== 'fast' && algorithm !== 'reference') throw new UrbanflowError('INVALID_INPUT', `--algorithm must be fast or reference, got '${algorithm}'`, { field: 'algorithm' });
  const alternatives = numberOption(values.alternatives, 'alternatives', 0);
  if (!Number.isInteger(alternatives) || alternatives < 0 || alternatives > 3) throw new UrbanflowError('INVALID_INPUT', `--alternatives must be an integer from 0 to 3, got ${alternatives}`, { field: 'alternatives' });
  const truckWeight = numberOption(values['truck-weight'], 'truck-weight', 0);
  const truckHeight = numberOption(values['truck-height'], 'truck-height', 0);
  const maxSnap = numberOption(values['max-snap'], 'max-snap', 500);

  const load = io.progress(values.graph ? 'loading graph' : 'loading default network');
  const network = values.graph ? await readSnapshot(values.graph) : await loadDefaultNetwork({ progress: (f) => load.update(f) });
  load.done(`${network.nodeCount} nodes, ${network.edgeCount} edges`);
  const service = createStandaloneRouting(network);
  let result: RouteResult;
  const t0 = performance.now();
  try {
    result = service.route({
      from: { lon: from[0], lat: from[1] },
      to: { lon: to[0], lat: to[1] },
      via: via.map(([lon, lat]) => ({ lon, lat })),
      mode,
      algorithm,
      alternatives,
      truck: mode === 'truck' ? { weight: truckWeight, height: truckHeight } : undefined,
      maxSnapMetres: maxSnap,
    });
  } catch (e) {
    // a point off the network is bad input from the command line's point of view
    if (isUrbanflowError(e) && (e.code === 'NOT_ON_NETWORK' || e.code === 'INVALID_INPUT')) {
      throw new UrbanflowError('INVALID_INPUT', `--${e.field ?? 'input'}: ${e.message}`, { field: e.field });
    }
    throw e;
  } finally {
    service.close();
  }
  const ms = performance.now() - t0;
  if (values.json) {
    io.stdout(JSON.stringify({ ...result, computeMs: Math.round(ms * 10) / 10 }));
    return result.found ? 0 : 1;
  }
  if (!result.found) {
    io.stdout(`no route: ${result.reason}`);
    return 1;
  }
  const r = result.best;
  const lines = [
    `${mode} route (${algorithm}, ${ms.toFixed(1)} ms incl. index build)`,
    `time: ${r.seconds.toFixed(1)} s (${formatDuration(r.seconds)})   distance: ${r.metres.toFixed(0)} m   edges: ${r.edges.length}`,
    `snapped: from edge ${result.snapped.from.edge} (${result.snapped.from.distance} m away), to edge ${result.snapped.to.edge} (${result.snapped.to.distance} m away)`,
    `geometry: LineString of ${r.geometry.coordinates.length} points from ${fmt(r.geometry.coordinates[0])} to ${fmt(r.geometry.coordinates.at(-1)!)} (--json prints them)`,
    'instructions:',
    ...r.instructions.map((i, k) => `  ${String(k + 1).padStart(3)}. ${i.text.padEnd(48)} ${i.distance.toFixed(0).padStart(6)} m ${i.duration.toFixed(0).padStart(5)} s`),
  ];
  result.alternatives.forEach((a, k) => lines.push(`alternative ${k + 1}: ${a.seconds.toFixed(1)} s, ${a.metres.toFixed(0)} m`));
  io.stdout(lines.join('\n'));
  return 0;
}

function fmt(p: [number, number]): string {
  return `${p[0].toFixed(5)},${p[1].toFixed(5)}`;
}

function formatDuration(s: number): string {
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${Math.round(s - 60 * m)} s` : `${Math.round(s)} s`;
}
