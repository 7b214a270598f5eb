import type { CliIo } from '../cli-io.js';
import { numberOption, parseCliArgs, requireOption, readInputText } from '../cli-io.js';
import { UrbanflowError } from '../../../core/errors/index.js';
import { evaluateForecaster, parseAdjacencyCsv, parseSpeedsCsv } from '../../../services/traffic/index.js';

const USAGE = `usage: urbanflow forecast --speeds SPEEDS.csv [--adjacency ADJ.csv] --train-rows N [--step-minutes 5] [--horizons 15,30,60] [--start-slot 0] [--json]
  --speeds        CSV: header of sensor ids, one row of speeds per time step (no timestamp column); 0 = missing
  --adjacency     CSV: sensors x sensors weights, same order, no header (neighbours' deviations become features)
  --train-rows    train on the rows before N, score MAE / RMSE on the rows from N on, beside persistence
  --step-minutes  minutes between rows (default 5)
  --horizons      minutes ahead, comma-separated (default 15,30,60)
  --start-slot    time-of-day step of the first row (default 0 = midnight)
  --json          print one JSON document`;


/** urbanflow forecast: train the short-term speed forecaster and score it against persistence. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, {
    speeds: { type: 'string' },
    adjacency: { type: 'string' },
    'train-rows': { type: 'string' },
    'step-minutes': { type: 'string' },
    horizons: { type: 'string' },
    'start-slot': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const speedsFile = requireOption(values.speeds, 'speeds');
  const trainRows = numberOption(values['train-rows'], 'train-rows');
  const stepMinutes = numberOption(values['step-minutes'], 'step-minutes', 5);
  const startSlot = numberOption(values['start-slot'], 'start-slot', 0);
  if (!Number.isInteger(startSlot) || startSlot < 0) throw new UrbanflowError('INVALID_INPUT', `--start-slot must be a non-negative integer, got '${values['start-slot']}'`, { field: 'start-slot' });
  if (!(stepMinutes > 0) || !Number.isInteger(1440 / stepMinutes)) {
    throw new UrbanflowError('INVALID_INPUT', `--step-minutes must divide a day (1440 minutes), got '${values['step-minutes']}'`, { field: 'step-minutes' });
  }
  const horizons = (values.horizons ?? '15,30,60').split(',').map((s) => Number(s.trim()));
  for (const h of horizons) {
    if (!Number.isInteger(h / stepMinutes) || h <= 0) {
      throw new UrbanflowError('INVALID_INPUT', `--horizons must be positive multiples of --step-minutes (${stepMinutes}), got '${values.horizons}'`, { field: 'horizons' });
    }
  }
  const bar = io.progress('forecast');
  bar.update(0, 'reading');
  const table = parseSpeedsCsv(await readInputText(speedsFile, 'speeds'), speedsFile);
  if (!Number.isInteger(trainRows) || trainRows < 3 || trainRows >= table.rows.length) {
    throw new UrbanflowError('INVALID_INPUT', `--train-rows must be an integer between 3 and ${table.rows.length - 1} (the file has ${table.rows.length} rows), got '${values['train-rows']}'`, { field: 'train-rows' });
  }
  const adjacency = values.adjacency ? parseAdjacencyCsv(await readInputText(values.adjacency, 'adjacency'), values.adjacency, table.sensorIds.length) : undefined;
  bar.update(0.1, 'training');
  const t0 = performance.now();
  const ev = evaluateForecaster(table.rows, trainRows, { stepMinutes, horizons, adjacency, startSlot });
  const seconds = (performance.now() - t0) / 1000;
  bar.done(`${ev.sensors} sensors, ${ev.testRows} test rows`);
  const beats = ev.horizons.every((h) => h.mae < h.persistenceMae && h.rmse < h.persistenceRmse);
  if (values.json) {
    io.stdout(
      JSON.stringify({
        sensors: ev.sensors,
        train_rows: ev.trainRows,
        test_rows: ev.testRows,
        zero_readings_as_missing: table.zeroReadings,
        adjacency: Boolean(adjacency),
        seconds: Math.round(seconds * 1000) / 1000,
        beats_persistence: beats,
        horizons: ev.horizons.map((h, k) => ({
          minutes: h.horizonMinutes,
          count: h.count,
          mae: h.mae,
          rmse: h.rmse,
          persistence_mae: h.persistenceMae,
          persistence_rmse: h.persistenceRmse,
          shrinkage: ev.shrinkage[k],
          uses_profile: ev.usesProfile[k],
        })),
      }),
    );
  } else {
    io.stdout(`speed forecast on ${speedsFile}: ${ev.sensors} sensors, trained on ${ev.trainRows} rows, scored on ${ev.testRows} (${seconds.toFixed(1)} s)`);
    io.stdout('  horizon     MAE   persistence      RMSE   persistence');
    for (const h of ev.horizons) {
      io.stdout(`  ${String(h.horizonMinutes).padStart(4)} min  ${h.mae.toFixed(3).padStart(6)}  ${h.persistenceMae.toFixed(3).padStart(12)}  ${h.rmse.toFixed(3).padStart(8)}  ${h.persistenceRmse.toFixed(3).padStart(12)}`);
    }
    io.stdout(beats ? '  beats persistence at every horizon (MAE and RMSE)' : '  does NOT beat persistence at every horizon');
    if (table.zeroReadings > 0) io.stdout(`  ${table.zeroReadings} zero readings treated as missing`);
  }
  return 0;
}
