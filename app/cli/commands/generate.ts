import { existsSync, statSync } from 'node:fs';
import type { CliIo } from '../cli-io.js';
import { lonLatOption, numberOption, parseCliArgs, requireOption } from '../cli-io.js';
import { UrbanflowError } from '../../../core/errors/index.js';
import { generateCity, writeCity, CITY_FILES, DEFAULT_CENTRE, MIN_SIZE, MAX_SIZE } from '../../../core/sim/index.js';

const USAGE = `usage: urbanflow generate --size N --seed S --out DIR [--centre LON,LAT] [--image-width PX] [--skip FILE,...] [--json]
  --size         approximate number of directed road edges (${MIN_SIZE} .. ${MAX_SIZE})
  --seed         any integer; the same size, seed and centre give byte-identical files
  --out          output directory (created when missing)
  --centre       city centre as LON,LAT (default ${DEFAULT_CENTRE.join(',')})
  --image-width  width of city.png in pixels (default 1600)
  --skip         comma-separated file names not to write (e.g. city.geojson for a huge city)
  --json         print one JSON document with the counts and files
files: ${CITY_FILES.join(', ')}`;

/** urbanflow generate: write a simulated city (snapshot, GeoJSON, GTFS, demand, zones, hubs, customers, picture). */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, {
    size: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    centre: { type: 'string' },
    'image-width': { type: 'string' },
    skip: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const size = numberOption(values.size, 'size');
  const seed = numberOption(values.seed, 'seed');
  if (!Number.isInteger(seed)) throw new UrbanflowError('INVALID_INPUT', `--seed must be an integer, got '${values.seed}'`, { field: 'seed' });
  const out = requireOption(values.out, 'out');
  // refuse an unusable output path before spending seconds on the city
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UrbanflowError('INVALID_INPUT', `--out ${out} exists and is not a directory`, { field: 'out' });
  const centre = values.centre === undefined ? undefined : lonLatOption(values.centre, 'centre');
  const imageWidth = numberOption(values['image-width'], 'image-width', 1600);
  if (!Number.isInteger(imageWidth) || imageWidth < 16 || imageWidth > 16000) {
    throw new UrbanflowError('INVALID_INPUT', `--image-width must be an integer between 16 and 16000, got '${values['image-width']}'`, { field: 'image-width' });
  }
  const skip = values.skip ? values.skip.split(',').map((s) => s.trim()).filter(Boolean) : [];
  for (const s of skip) {
    if (!(CITY_FILES as readonly string[]).includes(s)) throw new UrbanflowError('INVALID_INPUT', `--skip: unknown file '${s}' (files: ${CITY_FILES.join(', ')})`, { field: 'skip' });
  }

  const t0 = performance.now();
  const bar = io.progress('generate');
  let city;
  try {
    city = generateCity({ size, seed, centre, onProgress: (f, note) => bar.update(f, note) });
  } catch (e) {
    // generateCity names the field as the API spells it; the CLI user typed an option
    if (e instanceof UrbanflowError && e.code === 'INVALID_INPUT') throw new UrbanflowError('INVALID_INPUT', `--${e.field}: ${e.message}`, { field: e.field });
    throw e;
  }
  bar.done(`${city.network.edgeCount} edges`);
  const generateMs = performance.now() - t0;
  const wbar = io.progress('write');
  const files = await writeCity(city, out, { imageWidth, skip, onProgress: (f, note) => wbar.update(f, note) });
  wbar.done();
  const totalMs = performance.now() - t0;
  const trips = Math.round(city.demand.reduce((a, x) => a + x.trips, 0) * 10) / 10;
  const counts = {
    nodes: city.network.nodeCount,
    edges: city.network.edgeCount,
    bridges: city.bridges.length,
    zones: city.zones.length,
    odPairs: city.demand.length,
    trips,
    busLines: city.busLines.length,
    hubs: city.hubs.length,
    customers: city.customers.length,
  };
  if (values.json) {
    io.stdout(JSON.stringify({ size, seed, centre: city.centre, out, counts, files: files.map((f) => ({ name: f.name, path: f.path, bytes: f.bytes })), generateMs: Math.round(generateMs), totalMs: Math.round(totalMs) }));
  } else {
    io.stdout(`simulated city (size ${size}, seed ${seed}, centre ${city.centre.join(',')}) in ${(totalMs / 1000).toFixed(2)} s`);
    io.stdout(`  ${counts.nodes} nodes, ${counts.edges} edges, ${counts.bridges} bridge edges`);
    io.stdout(`  ${counts.zones} zones, ${counts.odPairs} OD pairs, ${trips} peak-hour trips`);
    io.stdout(`  ${counts.busLines} bus lines, ${counts.hubs} hubs, ${counts.customers} customers`);
    io.stdout('files:');
    for (const f of files) io.stdout(`  ${f.path.padEnd(40)} ${f.bytes} bytes`);
  }
  return 0;
}
