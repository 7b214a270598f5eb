// Map matching throughput on the real Rhein-Neckar network: HMM (Newson & Krumm, online Viterbi,
// as the traffic service runs it) against a naive baseline (nearest car edge per ping, no HMM),
// side by side in one run on one core, with their accuracy on the same simulated noisy drives.
//   node bin/run-ts.mjs bench/map-matching.bench.ts [--vehicles 300] [--edges 40] [--noise 5]
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { loadDefaultNetwork } from '../core/graph/default-network.js';
import { MODE } from '../core/graph/index.js';
import { getSnapper } from '../core/graph/snap/index.js';
import { createMemoryBus } from '../core/bus/index.js';
import { manualClock } from '../core/clock/index.js';
import { silentLogger } from '../core/log/index.js';
import { createMemoryStore } from '../core/store/index.js';
import { resolveTrafficConfig } from '../services/traffic/config.js';
import { getSegmentCandidateFinder, snapperCandidateFinder, type CandidateFinder } from '../services/traffic/map-matching/candidates.js';
import { ProbeMatcher } from '../services/traffic/map-matching/probe-matcher.js';
import { createTrafficService } from '../services/traffic/index.js';
import { drive, randomPath, rng } from '../tests/traffic/helpers/grid-city.js';
import { evaluateMatching, quantile } from '../tests/traffic/helpers/match-eval.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const VEHICLES = arg('vehicles', 300);
const EDGES = arg('edges', 40);
const NOISE = arg('noise', 5);
const REPEAT = arg('repeat', 3);
const log = (s: string) => process.stderr.write(s + '\n');

log('loading the Rhein-Neckar network ...');
const network = await loadDefaultNetwork({ progress: (f) => process.stderr.write(`\r  import ${(f * 100).toFixed(0)} %`) });
log(`\n  ${network.nodeCount} nodes, ${network.edgeCount} edges`);
const d = network.data;
const T0 = Date.UTC(2026, 10, 23, 7, 0, 0);

// simulated drives: random car paths (no U-turns), 50-100 % of free-flow speed, 1 Hz fixes, Gaussian noise
const rand = rng(42);
type Ping = { vehicleId: string; time: number; lon: number; lat: number };
const pings: Ping[] = [];
const paths = new Map<string, number[]>();
let tries = 0;
while (paths.size < VEHICLES && tries++ < VEHICLES * 50) {
  const start = Math.floor(rand() * d.edgeCount);
  if ((d.edgeModes[start] & MODE.car) === 0) continue;
  const path = randomPath(network, EDGES, rand, start);
  if (path.length < EDGES) continue;
  const id = `veh-${paths.size}`;
  const factor = new Map(path.map((e) => [e, 0.5 + 0.5 * rand()]));
  const sim = drive(network, path, { vehicleId: id, start: T0 + Math.floor(rand() * 300_000), noise: NOISE, speedOf: (e) => (d.edgeLength[e] / d.edgeFreeFlowSeconds[e]) * factor.get(e)!, rand });
  paths.set(id, path);
  pings.push(...sim.pings);
}
pings.sort((a, b) => a.time - b.time);
log(`${paths.size} drives of ${EDGES} edges, ${pings.length} pings, noise ${NOISE} m per axis`);

/** edge recall (share of driven edges in the matched sequence) and wrong share (matched edges not driven) */
function accuracy(matched: Map<string, number[]>): { recall: number; wrong: number } {
  let driven = 0, hit = 0, wrong = 0;
  for (const [id, path] of paths) {
    const m = new Set(matched.get(id) ?? []);
    const p = new Set(path);
    driven += path.length;
    for (const e of path) if (m.has(e)) hit++;
    for (const e of m) if (!p.has(e)) wrong++;
  }
  return { recall: hit / driven, wrong: wrong / driven };
}

const BATCH = 1000;
const cfg = resolveTrafficConfig().matching;

function runHmm(finder: CandidateFinder, record: boolean): { seconds: number; matched: Map<string, number[]>; observations: number; kept: number } {
  const matcher = new ProbeMatcher(network, finder, cfg);
  const matched = new Map<string, number[]>();
  if (record) {
    matcher.onMatched = (id, p) => {
      let seq = matched.get(id);
      if (!seq) matched.set(id, (seq = []));
      for (const e of p.path) seq.push(e);
      if (seq[seq.length - 1] !== p.edge) seq.push(p.edge);
    };
  }
  let observations = 0;
  const t = performance.now();
  for (let i = 0; i < pings.length; i += BATCH) matcher.ingest(pings.slice(i, i + BATCH), () => observations++);
  matcher.flushAll(() => observations++);
  return { seconds: (performance.now() - t) / 1000, matched, observations, kept: matcher.matchedPings };
}

function runNaive(record: boolean): { seconds: number; matched: Map<string, number[]> } {
  const snapper = getSnapper(network);
  const matched = new Map<string, number[]>();
  const radius = cfg.searchRadiusMetres;
  const t = performance.now();
  for (const p of pings) {
    const s = snapper.nearest(p.lon, p.lat, 'car', radius);
    if (record && s) {
      let seq = matched.get(p.vehicleId);
      if (!seq) matched.set(p.vehicleId, (seq = []));
      if (seq[seq.length - 1] !== s.edge) seq.push(s.edge);
    }
  }
  return { seconds: (performance.now() - t) / 1000, matched };
}

async function runService(): Promise<number> {
  const clock = manualClock(pings[pings.length - 1].time);
  const writer = network.liveWriterForTraffic();
  const service = createTrafficService({ network, live: network.live, bus: createMemoryBus(), store: createMemoryStore(), clock, logger: silentLogger(), liveWriter: writer, config: { schedules: { enabled: false } } });
  const t = performance.now();
  for (let i = 0; i < pings.length; i += BATCH) await service.ingestProbes(pings.slice(i, i + BATCH));
  await service.tick();
  const s = (performance.now() - t) / 1000;
  writer.reset();
  return s;
}

// warm-up (JIT, snapper and segment index build) outside the timings
log('building indexes and warming up ...');
getSnapper(network);
getSegmentCandidateFinder(network);
runNaive(false);
runHmm(snapperCandidateFinder(network), false);

const best = (xs: number[]) => Math.min(...xs);
const times = { hmm: [] as number[], hmmOwn: [] as number[], naive: [] as number[], service: [] as number[] };
let hmmRes = runHmm(snapperCandidateFinder(network), true);
let ownRes = runHmm(getSegmentCandidateFinder(network), true);
let naiveRes = runNaive(true);
for (let r = 0; r < REPEAT; r++) {
  log(`round ${r + 1}/${REPEAT}`);
  times.naive.push(runNaive(false).seconds);
  times.hmm.push((hmmRes = runHmm(snapperCandidateFinder(network), r === REPEAT - 1)).seconds);
  times.hmmOwn.push((ownRes = runHmm(getSegmentCandidateFinder(network), false)).seconds);
  times.service.push(await runService());
}
if (naiveRes.matched.size === 0) naiveRes = runNaive(true);
const accH = accuracy(hmmRes.matched);
const accN = accuracy(runNaive(true).matched);
void ownRes;

const rate = (s: number) => pings.length / s;
const rows = [
  ['HMM (core/graph/snap candidates)', rate(best(times.hmm)), accH],
  ['HMM (own segment-index candidates)', rate(best(times.hmmOwn)), accH],
  ['traffic service ingestProbes (validation + HMM + filter) + tick', rate(best(times.service)), accH],
  ['naive nearest edge per ping (baseline)', rate(best(times.naive)), accN],
] as const;
console.log(`map matching on Rhein-Neckar (${network.edgeCount} edges): ${pings.length} pings, ${paths.size} vehicles, noise ${NOISE} m, best of ${REPEAT}`);
console.log('| matcher | pings/s | edge recall | wrong edges |');
console.log('|---|---:|---:|---:|');
for (const [name, r, a] of rows) console.log(`| ${name} | ${Math.round(r).toLocaleString('en')} | ${(a.recall * 100).toFixed(1)} % | ${(a.wrong * 100).toFixed(1)} % |`);
console.log(`ratio HMM / naive throughput: ${(rate(best(times.hmm)) / rate(best(times.naive))).toFixed(3)}; travel-time observations per run: ${hmmRes.observations}`);
console.log(`pings through the HMM (candidates + Viterbi): ${hmmRes.kept} of ${pings.length} (${((hmmRes.kept / pings.length) * 100).toFixed(1)} %; the rest moved < ${cfg.minMoveMetres} m since the last kept fix); per such ping: ${Math.round(hmmRes.kept / best(times.hmm)).toLocaleString('en')} /s`);
console.log(`load average during the run (2 cores, shared): ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`target 10,000 pings/s: ${rate(best(times.hmm)) >= 10_000 ? 'met' : 'NOT met'}`);

// accuracy against the sampling interval (the same matcher; drives are random walks, which turn more
// often than real trips, so sparse sampling loses more here than on direct journeys)
log('accuracy by sampling interval ...');
console.log('');
console.log('| fix interval | heading in the fixes | edge recall | wrong edges | median travel-time error | p90 |');
console.log('|---:|---|---:|---:|---:|---:|');
for (const interval of [1, 5, 10, 20, 30]) {
  for (const headingNoiseDeg of [undefined, 20]) {
    const q = evaluateMatching(network, snapperCandidateFinder(network), { drives: 40, edges: 40, noise: NOISE, seed: 77, interval, headingNoiseDeg });
    const h = headingNoiseDeg === undefined ? 'no' : `yes (±${headingNoiseDeg}°)`;
    console.log(`| ${interval} s | ${h} | ${(q.recall * 100).toFixed(1)} % | ${(q.wrong * 100).toFixed(1)} % | ${(quantile(q.errors, 0.5) * 100).toFixed(1)} % | ${(quantile(q.errors, 0.9) * 100).toFixed(1)} % |`);
  }
}
