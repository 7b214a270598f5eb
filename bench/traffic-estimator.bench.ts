// The per-edge filter on real detector speeds: 207 Los Angeles freeway loops, 5-minute means over
// four days (fixtures/traffic-obs/los-loop, METR-LA subset), each loop registered on an edge
// of its own. Some readings are replaced by faults (a stuck or broken loop). After every interval
// the service's estimate is compared with the next clean reading (5 minutes ahead), against the
// naive baseline "the last reading is the state" (what a system without a filter would publish).
//   node bin/run-ts.mjs bench/traffic-estimator.bench.ts [--faults 0.02]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMemoryBus } from '../core/bus/index.js';
import { manualClock } from '../core/clock/index.js';
import { MODE, RoadNetworkBuilder } from '../core/graph/index.js';
import { silentLogger } from '../core/log/index.js';
import { createMemoryStore } from '../core/store/index.js';
import { createTrafficService } from '../services/traffic/index.js';
import { rng } from '../tests/traffic/helpers/grid-city.js';

// the fixture copy (fixtures/traffic-obs/los-loop), else ../shared/data
const CANDIDATES = [
  join(import.meta.dirname, '..', 'fixtures', 'traffic-obs', 'los-loop', 'los_speed_days1-4.csv'),
  join(import.meta.dirname, '..', '..', 'shared', 'data', 'traffic-obs', 'los-loop', 'los_speed_days1-4.csv'),
];
const FILE = CANDIDATES.find((f) => existsSync(f));
if (!FILE) {
  console.log(`traffic-estimator: los_speed_days1-4.csv found in neither ${CANDIDATES.join(' nor ')}; nothing measured`);
  process.exit(0);
}
const i = process.argv.indexOf('--faults');
const FAULTS = i >= 0 ? Number(process.argv[i + 1]) : 0.02;
const MPH = 1.609344;
const LEN = 1000;
const STEP = 300_000;

const lines = readFileSync(FILE, 'utf8').trim().split('\n');
const sensors = lines[0].split(',');
const speeds = lines.slice(1).map((l) => l.split(',').map(Number)); // mph, [step][sensor]
const S = sensors.length;
const T = speeds.length;
process.stderr.write(`${S} sensors x ${T} intervals, fault rate ${FAULTS}\n`);

// one 1 km edge per sensor, free-flow speed = the sensor's 95th-percentile speed
const b = new RoadNetworkBuilder();
const ffKmh: number[] = [];
for (let s = 0; s < S; s++) {
  const col = speeds.map((r) => r[s]).sort((a, b) => a - b);
  ffKmh.push(col[Math.floor(0.95 * col.length)] * MPH);
  const a = b.addNode(-118 + s * 0.02, 34);
  const c = b.addNode(-118 + s * 0.02 + LEN / 92_000, 34);
  b.addEdge({ from: a, to: c, roadClass: 'motorway', modes: MODE.car, length: LEN, speedKmh: ffKmh[s] });
}
const network = b.build({ source: 'los-loop bench' });

const rand = rng(7);
const faulty: boolean[][] = speeds.map(() => Array.from({ length: S }, () => rand() < FAULTS));
const reading = (t: number, s: number) => (faulty[t][s] ? (rand() < 0.5 ? 2 : ffKmh[s] / MPH * 1.6) : speeds[t][s]);

const T0 = Date.UTC(2012, 2, 1, 8, 0, 0);
const clock = manualClock(T0);
const service = createTrafficService({ network, live: network.live, bus: createMemoryBus(), store: createMemoryStore(), clock, logger: silentLogger(), liveWriter: network.liveWriterForTraffic(), config: { schedules: { enabled: false } } });
await service.registerDetector(sensors.map((id, s) => ({ id, edge: s })));

let errFilter = 0, errNaive = 0, n = 0;
let errFilterAfterFault = 0, errNaiveAfterFault = 0, nFault = 0;
let ingestMs = 0;
const last = new Float64Array(S);
for (let t = 0; t < T - 1; t++) {
  clock.set(T0 + (t + 1) * STEP);
  const batch = sensors.map((id, s) => ({ detectorId: id, at: clock.now(), intervalSeconds: 300, speedKmh: reading(t, s) * MPH }));
  for (let s = 0; s < S; s++) last[s] = Math.min(batch[s].speedKmh, ffKmh[s]);
  const t0 = performance.now();
  await service.ingestDetectorReadings(batch);
  await service.tick();
  ingestMs += performance.now() - t0;
  if (t < 12) continue; // let the filter settle for an hour
  for (let s = 0; s < S; s++) {
    if (faulty[t + 1][s]) continue; // compare against clean readings only
    const truth = Math.min(speeds[t + 1][s] * MPH, ffKmh[s]);
    const f = Math.abs(service.edgeState(s).speedKmh - truth);
    const nv = Math.abs(last[s] - truth);
    errFilter += f;
    errNaive += nv;
    n++;
    if (faulty[t][s]) {
      errFilterAfterFault += f;
      errNaiveAfterFault += nv;
      nFault++;
    }
  }
}
const mph = (kmh: number) => (kmh / MPH).toFixed(2);
console.log(`detector fusion on los-loop (${S} real loops, ${T} five-minute intervals, ${(FAULTS * 100).toFixed(1)} % faulty readings), 5-minute-ahead error vs the next clean reading`);
console.log('| estimate | MAE all (mph) | MAE right after a faulty reading (mph) |');
console.log('|---|---:|---:|');
console.log(`| Kalman filter with gating (traffic service) | ${mph(errFilter / n)} | ${mph(errFilterAfterFault / Math.max(1, nFault))} |`);
console.log(`| last reading (baseline) | ${mph(errNaive / n)} | ${mph(errNaiveAfterFault / Math.max(1, nFault))} |`);
console.log(`ratio filter / baseline MAE: all ${(errFilter / errNaive).toFixed(3)}, after faults ${(errFilterAfterFault / Math.max(1e-9, errNaiveAfterFault)).toFixed(3)}; comparisons ${n}, after faults ${nFault}`);
console.log(`ingest + tick: ${((S * (T - 1)) / (ingestMs / 1000)).toFixed(0)} readings/s`);
