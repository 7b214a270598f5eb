import { MODE, type RoadNetwork } from '../../../core/graph/index.js';
import { resolveTrafficConfig, type TrafficConfig } from '../../../services/traffic/config.js';
import type { CandidateFinder } from '../../../services/traffic/map-matching/candidates.js';
import { ProbeMatcher } from '../../../services/traffic/map-matching/probe-matcher.js';
import { drive, randomPath, rng } from './grid-city.js';

export interface MatchQuality {
  drives: number;
  /** share of driven edges found in the matched sequence */
  recall: number;
  /** matched edges not driven, per driven edge */
  wrong: number;
  /** observations on edges with a known true time, and their relative errors sorted */
  errors: number[];
  /** observations on edges not driven */
  spurious: number;
}

/** Simulate noisy drives on random car paths and measure how well the HMM recovers them. */
export function evaluateMatching(
  network: RoadNetwork,
  finder: CandidateFinder,
  opts: { drives: number; edges: number; noise: number; seed: number; speedFactor?: () => number; cfg?: TrafficConfig['matching']; interval?: number; headingNoiseDeg?: number },
): MatchQuality {
  const d = network.data;
  const rand = rng(opts.seed);
  const cfg = opts.cfg ?? resolveTrafficConfig().matching;
  let drives = 0, driven = 0, hit = 0, wrong = 0, spurious = 0;
  const errors: number[] = [];
  for (let guard = 0; drives < opts.drives && guard < opts.drives * 100; guard++) {
    const start = Math.floor(rand() * d.edgeCount);
    if ((d.edgeModes[start] & MODE.car) === 0) continue;
    const path = randomPath(network, opts.edges, rand, start);
    if (path.length < opts.edges) continue;
    drives++;
    const f = new Map(path.map((e) => [e, opts.speedFactor ? opts.speedFactor() : 0.5 + 0.5 * rand()]));
    const sim = drive(network, path, { vehicleId: `v${drives}`, start: 1_800_000_000_000, noise: opts.noise, interval: opts.interval, headingNoiseDeg: opts.headingNoiseDeg, speedOf: (e) => (d.edgeLength[e] / d.edgeFreeFlowSeconds[e]) * f.get(e)!, rand });
    const matcher = new ProbeMatcher(network, finder, cfg);
    const matched: number[] = [];
    matcher.onMatched = (_id, p) => {
      for (const e of p.path) matched.push(e);
      if (matched[matched.length - 1] !== p.edge) matched.push(p.edge);
    };
    const obs: { edge: number; seconds: number }[] = [];
    matcher.ingest(sim.pings, (o) => obs.push(o));
    matcher.flushAll((o) => obs.push(o));
    const m = new Set(matched);
    const p = new Set(path);
    driven += path.length;
    for (const e of path) if (m.has(e)) hit++;
    for (const e of m) if (!p.has(e)) wrong++;
    for (const o of obs) {
      const t = sim.truth.get(o.edge);
      if (t === undefined) spurious++;
      else errors.push(Math.abs(o.seconds - t) / t);
    }
  }
  errors.sort((a, b) => a - b);
  return { drives, recall: hit / driven, wrong: wrong / driven, errors, spurious };
}

export const quantile = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))];
