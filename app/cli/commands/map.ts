import { writeFile } from 'node:fs/promises';
import type { CliIo } from '../cli-io.js';
import { lonLatOption, numberOption, parseCliArgs, requireOption } from '../cli-io.js';
import { loadNetworkFile, loadDefaultNetwork } from '../../../core/graph/default-network.js';
import { isUrbanflowError, UrbanflowError } from '../../../core/errors/index.js';
import { bboxSchema } from '../../../core/contracts/common.js';
import { ROAD_MODES, type RoadMode, type RouteResult } from '../../../core/contracts/routing.js';
import { renderNetworkMap, renderRouteMap, MAX_MAP_WIDTH, MIN_MAP_WIDTH, type MapBbox, type MapImage } from '../../../core/viz/map-image.js';
import { createStandaloneRouting } from '../standalone-routing.js';

const USAGE = `usage: urbanflow map [--graph FILE] [--bbox minLon,minLat,maxLon,maxLat] [--width PX]
                    [--route FROM_LON,FROM_LAT:TO_LON,TO_LAT] [--mode car|truck|bike|foot]
                    [--colour class|speed] --out FILE.png [--json]
Draws the road network (by road class, or by free-flow speed with --colour speed) as a PNG, or,
with --route, a route with up to two alternatives (computed by the routing service) on a grey network.
Without --graph the default Rhein-Neckar network is used; --graph takes a snapshot or an .osm.pbf.
Default width 1600 px; the height follows the bbox (default: the network, or the route padded 15 %).
Exit status 1 when there is no route. See docs/maps.md.`;

/** urbanflow map: pictures of the network and of routes (docs/maps.md). */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, {
    graph: { type: 'string' },
    bbox: { type: 'string' },
    width: { type: 'string' },
    route: { type: 'string' },
    mode: { type: 'string' },
    colour: { type: 'string', default: 'class' },
    out: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  // all arguments are checked before the network is loaded
  const out = requireOption(values.out, 'out');
  if (!/\.png$/i.test(out)) throw new UrbanflowError('INVALID_INPUT', `--out must name a .png file, got '${out}'`, { field: 'out' });
  const width = numberOption(values.width, 'width', 1600);
  if (!Number.isInteger(width) || width < MIN_MAP_WIDTH || width > MAX_MAP_WIDTH) {
    throw new UrbanflowError('INVALID_INPUT', `--width must be an integer between ${MIN_MAP_WIDTH} and ${MAX_MAP_WIDTH}, got '${values.width}'`, { field: 'width' });
  }
  let bbox: MapBbox | undefined;
  if (values.bbox !== undefined) {
    const parsed = bboxSchema.safeParse(values.bbox);
    if (!parsed.success) throw new UrbanflowError('INVALID_INPUT', `--bbox ${parsed.error.issues[0].message}, got '${values.bbox}'`, { field: 'bbox' });
    bbox = parsed.data;
  }
  const mode = (values.mode ?? 'car') as RoadMode;
  if (!ROAD_MODES.includes(mode)) throw new UrbanflowError('INVALID_INPUT', `--mode must be one of ${ROAD_MODES.join(', ')}, got '${values.mode}'`, { field: 'mode' });
  const colourBy = values.colour;
  if (colourBy !== 'class' && colourBy !== 'speed') throw new UrbanflowError('INVALID_INPUT', `--colour must be class or speed, got '${colourBy}'`, { field: 'colour' });
  let ends: [[number, number], [number, number]] | undefined;
  if (values.route !== undefined) {
    const parts = values.route.split(':');
    if (parts.length !== 2) throw new UrbanflowError('INVALID_INPUT', `--route must be FROM_LON,FROM_LAT:TO_LON,TO_LAT, got '${values.route}'`, { field: 'route' });
    ends = [lonLatOption(parts[0], 'route'), lonLatOption(parts[1], 'route')];
  }

  const load = io.progress(values.graph ? 'loading graph' : 'loading default network');
  const network = values.graph ? await loadNetworkFile(values.graph, { progress: (f) => load.update(f) }) : await loadDefaultNetwork({ progress: (f) => load.update(f) });
  load.done(`${network.nodeCount} nodes, ${network.edgeCount} edges`);

  let image: MapImage;
  let routeInfo: Record<string, unknown> | undefined;
  let seconds: number;
  if (ends) {
    const service = createStandaloneRouting(network);
    let result: RouteResult;
    const t0 = performance.now();
    try {
      result = service.route({ from: { lon: ends[0][0], lat: ends[0][1] }, to: { lon: ends[1][0], lat: ends[1][1] }, mode, alternatives: 2 });
    } catch (e) {
      // a point off the network is bad input from the command line's point of view
      if (isUrbanflowError(e) && (e.code === 'NOT_ON_NETWORK' || e.code === 'INVALID_INPUT')) {
        throw new UrbanflowError('INVALID_INPUT', `--route: ${e.message}`, { field: 'route' });
      }
      throw e;
    } finally {
      service.close();
    }
    const routeMs = performance.now() - t0;
    if (!result.found) {
      if (values.json) io.stdout(JSON.stringify({ found: false, mode, reason: result.reason, file: null }));
      else io.stdout(`no ${mode} route: ${result.reason} (no picture written)`);
      return 1;
    }
    const best = result.best;
    const t1 = performance.now();
    image = renderRouteMap(network, {
      route: best.geometry.coordinates,
      alternatives: result.alternatives.map((a) => a.geometry.coordinates),
      markers: { from: ends[0], to: ends[1] },
      bbox,
      width,
      caption: `${mode} ${(best.metres / 1000).toFixed(1)} km ${Math.round(best.seconds / 60)} min`,
    });
    seconds = (performance.now() - t1) / 1000;
    routeInfo = {
      mode,
      seconds: round(best.seconds, 1),
      metres: Math.round(best.metres),
      alternatives: result.alternatives.map((a) => ({ seconds: round(a.seconds, 1), metres: Math.round(a.metres) })),
      computeSeconds: round(routeMs / 1000, 3),
    };
  } else {
    const t1 = performance.now();
    image = renderNetworkMap(network, { bbox, width, colourBy, mode: values.mode === undefined ? undefined : mode, caption: colourBy === 'speed' ? 'FREE-FLOW SPEED' : undefined });
    seconds = (performance.now() - t1) / 1000;
  }

  try {
    await writeFile(out, image.png);
  } catch (e) {
    throw new UrbanflowError('INVALID_FILE', `${out}: cannot write the picture (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { field: 'out', cause: e });
  }
  const report = {
    file: out,
    width: image.width,
    height: image.height,
    bytes: image.png.length,
    bbox: image.bbox.map((v) => round(v, 6)),
    edgesDrawn: image.edgesDrawn,
    seconds: round(seconds, 3),
    ...(routeInfo ? { route: routeInfo } : {}),
  };
  if (values.json) io.stdout(JSON.stringify(report));
  else {
    const lines = [`wrote ${out}: ${image.width}x${image.height} px, ${image.edgesDrawn} edges drawn in ${seconds.toFixed(2)} s`];
    if (routeInfo) lines.push(`route: ${routeInfo.metres} m, ${routeInfo.seconds} s, ${(routeInfo.alternatives as unknown[]).length} alternative(s)`);
    io.stdout(lines.join('\n'));
  }
  return 0;
}

function round(v: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}
