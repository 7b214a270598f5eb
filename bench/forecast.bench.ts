// Short-term speed forecasting on los-loop (207 LA freeway detectors, 5-minute steps): train on days 1-3
// (864 rows), score day 4. Contender: profile + robust learnt correction (with and without the adjacency
// matrix); baselines side by side: persistence (last value) and the time-of-day profile alone (historical average).
// Also times training and one online forecast step.
//
//   node bin/run-ts.mjs bench/forecast.bench.ts [--speeds CSV] [--adjacency CSV] [--train-rows 864]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createSpeedForecaster, evaluateForecaster, parseAdjacencyCsv, parseSpeedsCsv } from '../services/traffic/forecast/index.js';

const { values } = parseArgs({
  options: {
    speeds: { type: 'string', default: 'fixtures/traffic-obs/los-loop/los_speed_days1-4.csv' },
    adjacency: { type: 'string', default: 'fixtures/traffic-obs/los-loop/los_adj.csv' },
    'train-rows': { type: 'string', default: '864' },
  },
});
const table = parseSpeedsCsv(readFileSync(values.speeds, 'utf8'), values.speeds);
const n = table.sensorIds.length;
const adjacency = parseAdjacencyCsv(readFileSync(values.adjacency, 'utf8'), values.adjacency, n);
const trainRows = Number(values['train-rows']);
const horizons = [15, 30, 60];

process.stderr.write(`${n} sensors, ${table.rows.length} rows, training on ${trainRows}\n`);
const t0 = performance.now();
const withAdj = evaluateForecaster(table.rows, trainRows, { horizons, adjacency });
const t1 = performance.now();
const noAdj = evaluateForecaster(table.rows, trainRows, { horizons });
const t2 = performance.now();

// historical average: the profile alone (from the same trained forecaster's profile)
const f = createSpeedForecaster({ horizons, adjacency });
const tt0 = performance.now();
f.train({ rows: table.rows.slice(0, trainRows) });
const trainSeconds = (performance.now() - tt0) / 1000;
const ha = horizons.map((h) => {
  const s = h / 5;
  let ae = 0;
  let se = 0;
  let c = 0;
  for (let k = trainRows; k < table.rows.length; k++) {
    if (k - s < 0) continue;
    for (let i = 0; i < n; i++) {
      const y = table.rows[k][i];
      if (!Number.isFinite(y)) continue;
      const e = f.profile(i, k) - y;
      ae += Math.abs(e);
      se += e * e;
      c++;
    }
  }
  return { mae: ae / c, rmse: Math.sqrt(se / c) };
});
// one online step: forecast all sensors, all horizons, from the last 13 rows
const reps = 200;
const ts = performance.now();
for (let r = 0; r < reps; r++) f.forecast(table.rows.slice(trainRows - 13 + (r % 50), trainRows + (r % 50)), trainRows - 1 + (r % 50));
const stepMs = (performance.now() - ts) / reps;

const lines: string[] = [];
lines.push('| horizon | model + adjacency MAE / RMSE | model, no adjacency MAE / RMSE | persistence MAE / RMSE | historical average MAE / RMSE | MAE gain vs persistence |');
lines.push('|---|---|---|---|---|---|');
withAdj.horizons.forEach((h, k) => {
  const g = noAdj.horizons[k];
  lines.push(
    `| ${h.horizonMinutes} min | ${h.mae.toFixed(3)} / ${h.rmse.toFixed(3)} | ${g.mae.toFixed(3)} / ${g.rmse.toFixed(3)} | ${h.persistenceMae.toFixed(3)} / ${h.persistenceRmse.toFixed(3)} | ${ha[k].mae.toFixed(3)} / ${ha[k].rmse.toFixed(3)} | ${((1 - h.mae / h.persistenceMae) * 100).toFixed(1)} % |`,
  );
});
process.stdout.write(`${lines.join('\n')}\n`);
process.stdout.write(`evaluation with adjacency ${((t1 - t0) / 1000).toFixed(2)} s, without ${((t2 - t1) / 1000).toFixed(2)} s; training alone ${trainSeconds.toFixed(2)} s; one online forecast step (${n} sensors x 3 horizons) ${stepMs.toFixed(2)} ms\n`);
process.stdout.write(`shrinkage chosen ${JSON.stringify(withAdj.shrinkage)}, profile terms kept ${JSON.stringify(withAdj.usesProfile)}; machine 2-core node-svc, Node 20, ${new Date().toISOString()}\n`);
