import type { CliIo } from '../cli-io.js';
import { parseCliArgs, requireOption } from '../cli-io.js';
import { UrbanflowError } from '../../../core/errors/index.js';
import { MODE_NAMES, type RoadNetwork } from '../../../core/graph/index.js';
import { writeSnapshot } from '../../../core/graph/snapshot.js';
import { keepLargestComponents } from '../../../core/graph/components.js';

const USAGE = `usage: urbanflow import (--osm FILE.osm.pbf | --geojson FILE.geojson | --tntp NET.tntp [--nodes NODE.tntp]) --out FILE.graph [--all-components | --largest] [--json]
  --osm             OpenStreetMap PBF extract (ways split at junctions, each mode's largest strongly connected component kept)
  --geojson         FeatureCollection of LineStrings with OSM-like properties (highway, oneway, maxspeed, lanes ...)
  --tntp, --nodes   TNTP network file and optional node-coordinate file
  --all-components  keep every component (OSM: skip the largest-component filter; GeoJSON/TNTP never filter unless --largest)
  --largest         GeoJSON/TNTP: keep each mode's largest strongly connected component
  --json            print one JSON document with the counts`;

/** urbanflow import: build a road network from a source file and write it as a binary snapshot. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, {
    osm: { type: 'string' },
    geojson: { type: 'string' },
    tntp: { type: 'string' },
    nodes: { type: 'string' },
    out: { type: 'string' },
    'all-components': { type: 'boolean', default: false },
    largest: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const sources = [values.osm, values.geojson, values.tntp].filter((s) => s !== undefined);
  if (sources.length !== 1) throw new UrbanflowError('INVALID_INPUT', 'give exactly one of --osm, --geojson, --tntp', { field: 'osm' });
  if (values.nodes && !values.tntp) throw new UrbanflowError('INVALID_INPUT', '--nodes only goes with --tntp', { field: 'nodes' });
  const out = requireOption(values.out, 'out');
  const t0 = performance.now();
  const warnings: string[] = [];
  let network: RoadNetwork;
  let components: Record<string, unknown> | undefined;

  if (values.osm) {
    const { importOsmPbf } = await import('../../../core/graph/osm/osm-import.js');
    const bar = io.progress('import');
    const { network: n, report } = await importOsmPbf(values.osm, { progress: (f) => { if (f < 1) bar.update(f); }, largestComponents: !values['all-components'] });
    bar.done();
    network = n;
    components = report.components;
    warnings.push(...report.warnings);
  } else if (values.geojson) {
    const { importGeoJson } = await import('../../../core/graph/geojson-import.js');
    const { network: n, report } = await importGeoJson(values.geojson);
    network = n;
    if (report.skipped > 0) warnings.push(`${report.skipped} features skipped (not a line, or no mode allowed)`);
  } else {
    const { importTntp } = await import('../../../core/graph/tntp-import.js');
    network = await importTntp(values.tntp!, values.nodes);
  }
  if (!values.osm && values.largest) {
    const kept = keepLargestComponents(network);
    network = kept.network;
    components = kept.stats;
  }
  if (network.edgeCount === 0) throw new UrbanflowError('INVALID_FILE', `${sources[0]}: no routable roads found`, { field: sources[0] });
  await writeSnapshot(network, out);
  const seconds = (performance.now() - t0) / 1000;
  const perMode = Object.fromEntries(MODE_NAMES.map((m) => [m, countMode(network, m)]));
  for (const w of warnings) io.stderr(`warning: ${w}`);
  if (values.json) {
    io.stdout(JSON.stringify({ out, nodes: network.nodeCount, edges: network.edgeCount, edgesPerMode: perMode, components, warnings, seconds }));
  } else {
    io.stdout(`wrote ${out}: ${network.nodeCount} nodes, ${network.edgeCount} edges in ${seconds.toFixed(2)} s`);
    for (const m of MODE_NAMES) {
      const c = components?.[m] as { largestNodes: number; largestEdges: number; components: number } | undefined;
      io.stdout(`  ${m.padEnd(5)} ${String(perMode[m]).padStart(7)} edges${c ? `  (largest of ${c.components} components: ${c.largestNodes} nodes, ${c.largestEdges} edges)` : ''}`);
    }
  }
  return 0;
}

function countMode(network: RoadNetwork, mode: (typeof MODE_NAMES)[number]): number {
  let k = 0;
  for (let e = 0; e < network.edgeCount; e++) if (network.allows(e, mode)) k++;
  return k;
}
