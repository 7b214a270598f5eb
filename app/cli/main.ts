import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { processIo, type CliIo } from './cli-io.js';
import { isUrbanflowError } from '../../core/errors/index.js';

/** Every command lives in app/cli/commands/<name>.ts and exports run(argv, io). */
const COMMANDS: Record<string, string> = {
  serve: 'run everything (HTTP, socket.io, schedules); default on the Rhein-Neckar network',
  import: 'import an OSM .pbf into a graph snapshot',
  info: 'describe a graph snapshot',
  generate: 'write a simulated city (snapshot, GeoJSON, GTFS, demand, hubs)',
  token: 'print a signed access token for a role',
  assign: 'user-equilibrium traffic assignment on a TNTP network',
  forecast: 'train and evaluate the short-term speed forecaster on a speeds CSV',
  route: 'road route between two points',
  transit: 'earliest-arrival public transport journey between two stops',
  plan: 'multimodal journey plan between two points',
  solve: 'solve a vehicle-routing instance (Solomon, Li & Lim, CVRPLIB)',
  multi: 'NTCIP 1203 MULTI tools (render)',
  map: 'draw the network, live congestion or a route as a PNG',
};

function usage(): string {
  const lines = ['usage: urbanflow <command> [options]   (urbanflow <command> --help for more)', '', 'commands:'];
  for (const [name, what] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${what}`);
  return lines.join('\n');
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  if (!(name in COMMANDS)) {
    io.stderr(`urbanflow: unknown command '${name}'`);
    process.exitCode = 2;
    return 2;
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const file = join(here, 'commands', `${name}.ts`);
  if (!existsSync(file)) {
    io.stderr(`urbanflow: command '${name}' is not available in this build`);
    process.exitCode = 2;
    return 2;
  }
  try {
    const mod = (await import(pathToFileURL(file).href)) as { run(argv: string[], io: CliIo): Promise<number> };
    const status = await mod.run(rest, io);
    process.exitCode = status;
    return status;
  } catch (e) {
    // bad arguments and bad input files: one line naming the problem, status 2
    if (isUrbanflowError(e) && (e.code === 'INVALID_INPUT' || e.code === 'INVALID_FILE' || e.code === 'CONFIG')) {
      io.stderr(`urbanflow ${name}: ${e.message}`);
      process.exitCode = 2;
      return 2;
    }
    io.stderr(`urbanflow ${name}: ${(e as Error).stack ?? String(e)}`);
    process.exitCode = 1;
    return 1;
  }
}
