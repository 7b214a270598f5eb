import { numberOption, parseCliArgs, requireOption, type CliIo } from '../cli-io.js';
import { UrbanflowError } from '../../../core/errors/index.js';
import { createVrpToolkit } from '../../../services/logistics/index.js';

const HELP = `usage: urbanflow solve --instance FILE [--format solomon|lilim|cvrplib] [--time-limit SECONDS]
                       [--iterations N] [--seed N] [--objective vehicles-distance|distance] [--json]

Solves a vehicle-routing instance and checks the result with the independent checker before printing it.
  --time-limit   wall-clock seconds (default 10; checked between iterations)
  --iterations   iteration budget; with a seed it makes the run reproducible on any machine
  --objective    vehicles-distance (fewest vehicles, then distance; default for Solomon and Li & Lim)
                 or distance (default for CVRPLIB)
Routes list customer ids in the instance's own numbering (CVRPLIB: node id - 1, as in .sol files), hub excluded.`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, {
    instance: { type: 'string' },
    format: { type: 'string' },
    'time-limit': { type: 'string' },
    iterations: { type: 'string' },
    seed: { type: 'string' },
    objective: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const vrp = createVrpToolkit();
  const file = requireOption(values.instance, 'instance');
  const format = vrp.parseFormat(values.format);
  const iterations = values.iterations === undefined ? undefined : numberOption(values.iterations, 'iterations');
  if (iterations !== undefined && !(Number.isInteger(iterations) && iterations >= 0)) {
    throw new UrbanflowError('INVALID_INPUT', '--iterations must be a non-negative integer', { field: 'iterations' });
  }
  const seconds = values['time-limit'] === undefined && iterations !== undefined ? undefined : numberOption(values['time-limit'], 'time-limit', 10);
  if (seconds !== undefined && !(seconds > 0)) throw new UrbanflowError('INVALID_INPUT', '--time-limit must be positive', { field: 'time-limit' });
  const seed = numberOption(values.seed, 'seed', 1);
  if (!Number.isInteger(seed)) throw new UrbanflowError('INVALID_INPUT', '--seed must be an integer', { field: 'seed' });
  const objective = values.objective;
  if (objective !== undefined && objective !== 'vehicles-distance' && objective !== 'distance') {
    throw new UrbanflowError('INVALID_INPUT', `--objective must be vehicles-distance or distance, got '${objective}'`, { field: 'objective' });
  }

  const inst = vrp.readInstanceFile(file, format);
  const bar = io.progress(`solve ${inst.name}`);
  const result = vrp.solve(inst, {
    objective: objective ?? (inst.format === 'cvrplib' ? 'distance' : 'vehicles-distance'),
    seed,
    iterations,
    timeLimitMs: seconds === undefined ? undefined : seconds * 1000,
    onProgress: (f, best) => bar.update(f, `${best.veh || ''} ${best.cost.toFixed(1)}`),
  });
  bar.done(`${result.vehicles} vehicles, distance ${result.distance.toFixed(2)}`);

  // independent check from the instance alone, before anything is printed
  const report = vrp.check(inst, result);
  if (!report.feasible) {
    throw new UrbanflowError('INTERNAL', `the solver returned an infeasible solution: ${report.violations.slice(0, 5).join('; ')}`);
  }
  const out = {
    instance: inst.name,
    vehicles: result.vehicles,
    distance: Math.round(report.distance * 100) / 100,
    routes: result.routes.map((r) => r.stops),
    unassigned: result.unassigned,
    seconds: Math.round(result.seconds * 1000) / 1000,
    iterations: result.iterations,
    seed,
    feasible: report.feasible,
  };
  if (values.json) {
    io.stdout(JSON.stringify(out));
  } else {
    io.stdout(`${inst.name}: ${out.vehicles} vehicles, distance ${out.distance}, ${out.seconds} s, ${out.iterations} iterations (checked feasible)`);
    out.routes.forEach((r, i) => io.stdout(`route ${i + 1}: ${r.join(' ')}`));
    for (const u of out.unassigned) io.stdout(`unassigned ${u.job}: ${u.reason}`);
  }
  return 0;
}
