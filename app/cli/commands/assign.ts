import { writeFile } from 'node:fs/promises';
import type { CliIo } from '../cli-io.js';
import { numberOption, parseCliArgs, requireOption, readInputText } from '../cli-io.js';
import { UrbanflowError } from '../../../core/errors/index.js';
import { formatTntpFlow, parseTntpNet, parseTntpTrips } from '../../../core/tntp/index.js';
import { assign, assignmentNetworkFromTntp, type AssignmentAlgorithm } from '../../../services/traffic/index.js';

const USAGE = `usage: urbanflow assign --net NET.tntp --trips TRIPS.tntp [--gap 1e-6] [--max-iterations N] [--algorithm b|bfw|fw] [--out FLOWS.tsv] [--json]
  --net             TNTP network file (*_net.tntp)
  --trips           TNTP trips file (*_trips.tntp), same zones
  --gap             target relative gap (TSTT - SPTT) / SPTT (default 1e-6)
  --max-iterations  iteration limit (default 1000 for b, 10000 for bfw/fw)
  --algorithm       b = Algorithm B, bush-based (default); bfw = biconjugate Frank-Wolfe; fw = Frank-Wolfe
  --out             write link volumes and costs in the TNTP flow layout (From To Volume Cost, net-file order)
  --json            print one JSON document`;


/** urbanflow assign: static user equilibrium on a TNTP network. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, {
    net: { type: 'string' },
    trips: { type: 'string' },
    gap: { type: 'string' },
    'max-iterations': { type: 'string' },
    algorithm: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const netFile = requireOption(values.net, 'net');
  const tripsFile = requireOption(values.trips, 'trips');
  const gap = numberOption(values.gap, 'gap', 1e-6);
  if (!(gap > 0 && gap < 1)) throw new UrbanflowError('INVALID_INPUT', `--gap must be between 0 and 1, got '${values.gap}'`, { field: 'gap' });
  const algorithm = (values.algorithm ?? 'b') as AssignmentAlgorithm;
  if (!['b', 'bfw', 'fw'].includes(algorithm)) throw new UrbanflowError('INVALID_INPUT', `--algorithm must be b, bfw or fw, got '${values.algorithm}'`, { field: 'algorithm' });
  const maxIterations = values['max-iterations'] === undefined ? undefined : numberOption(values['max-iterations'], 'max-iterations');
  if (maxIterations !== undefined && !(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new UrbanflowError('INVALID_INPUT', `--max-iterations must be a positive integer, got '${values['max-iterations']}'`, { field: 'max-iterations' });
  }

  const net = parseTntpNet(await readInputText(netFile, 'net'), netFile);
  const trips = parseTntpTrips(await readInputText(tripsFile, 'trips'), tripsFile);
  if (trips.zones !== net.metadata.zones) {
    throw new UrbanflowError('INVALID_FILE', `${tripsFile}: ${trips.zones} zones, but ${netFile} has ${net.metadata.zones}`, { field: 'trips' });
  }
  const network = assignmentNetworkFromTntp(net);
  const bar = io.progress('assign');
  const start = Math.log10(1);
  const goal = Math.log10(gap);
  const result = assign(network, { zoneCount: trips.zones, classes: [{ vehicleClass: { name: 'car' }, od: trips.od }] }, {
    algorithm,
    gap,
    maxIterations,
    onIteration: (i) => bar.update(Math.min(1, (Math.log10(Math.max(i.relativeGap, 1e-300)) - start) / (goal - start)), `iteration ${i.iteration} gap ${i.relativeGap.toExponential(2)}`),
  });
  bar.done(`${result.iterations} iterations, gap ${result.relativeGap.toExponential(2)}`);

  if (values.out) {
    const rows = net.links.map((l, a) => ({ from: l.init, to: l.term, volume: result.volumes[a], cost: result.costs[a] }));
    await writeFile(values.out, formatTntpFlow(rows));
  }
  const summary = {
    algorithm,
    iterations: result.iterations,
    relative_gap: result.relativeGap,
    converged: result.converged,
    beckmann_objective: result.beckmannObjective,
    total_system_travel_time: result.totalSystemTravelTime,
    unreachable_trips: result.unreachableTrips,
    seconds: Math.round(result.seconds * 1000) / 1000,
    ...(values.out ? { out: values.out } : {}),
  };
  if (values.json) io.stdout(JSON.stringify(summary));
  else {
    io.stdout(`${algorithm === 'b' ? 'Algorithm B' : algorithm === 'bfw' ? 'biconjugate Frank-Wolfe' : 'Frank-Wolfe'} on ${netFile}: ${result.converged ? 'converged' : 'stopped'} after ${result.iterations} iterations in ${summary.seconds} s`);
    io.stdout(`  relative gap              ${result.relativeGap.toExponential(3)}`);
    io.stdout(`  Beckmann objective        ${result.beckmannObjective.toFixed(6)}`);
    io.stdout(`  total system travel time  ${result.totalSystemTravelTime.toFixed(6)}`);
    if (result.unreachableTrips > 0) io.stdout(`  unreachable trips         ${result.unreachableTrips} (not assigned)`);
    if (values.out) io.stdout(`  link flows written to ${values.out}`);
  }
  return 0;
}
