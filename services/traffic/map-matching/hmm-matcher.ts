import { bearingDegrees, haversineMetres, type RoadNetwork } from '../../../core/graph/index.js';
import type { TrafficConfig } from '../config.js';
import { BoundedDijkstra } from './bounded-dijkstra.js';
import type { Candidate, CandidateFinder } from './candidates.js';

/** A decided position of a vehicle: on `edge` at `offset` metres, reached over `path` from the previous point. */
export interface MatchedPoint {
  time: number;
  edge: number;
  offset: number;
  /** edges driven strictly between the previous point's edge and this one; [] when on the same edge */
  path: number[];
  /** true when this point starts a new trace (nothing connects it to the previous point) */
  startsTrace: boolean;
}

interface Step {
  time: number;
  lon: number;
  lat: number;
  cands: Candidate[];
  /** Viterbi log score per candidate, -Infinity when dead */
  score: Float64Array;
  /** log emission probability per candidate (distance, and heading when the fix has one) */
  emission: Float64Array;
  /** best predecessor in the previous step, -1 at a trace start */
  back: Int32Array;
  /** edges between the predecessor's edge and this candidate's edge */
  paths: number[][];
}

/** What the matcher keeps per vehicle. Steps[0] is the last decided step (a single candidate) when there is one. */
export interface VehicleTrack {
  steps: Step[];
  /** steps[0] is decided (anchor) */
  anchored: boolean;
  lastSeen: number;
  keptLon: number;
  keptLat: number;
}

const NEG = -Infinity;

/**
 * Online map matching after Newson & Krumm (2009), "Hidden Markov map matching through noise and
 * sparseness": candidates are the roads near each ping, the emission probability is a Gaussian of
 * the ping-to-road distance (sigma), the transition probability an exponential of
 * |route distance - straight-line distance| (beta). Viterbi runs incrementally per vehicle: a step
 * is decided as soon as every surviving hypothesis agrees on it (convergence), or when more than
 * `windowSteps` steps are undecided (then the best hypothesis wins). Decided points flow out through
 * `emit` in time order. Work per ping: one candidate query and one bounded Dijkstra per previous
 * candidate (its results serve every new candidate of that step).
 */
export class HmmMatcher {
  private readonly dijkstra: BoundedDijkstra;
  private readonly cfg: TrafficConfig['matching'];
  private readonly halfInvSigma2: number;
  /** pings that went through candidate search and Viterbi (the rest were standing-vehicle repeats) */
  candidateQueries = 0;
  /** why traces ended early: a time gap, a ping with no road nearby, no feasible transition */
  readonly breaks = { gap: 0, offRoad: 0, unreachable: 0 };

  constructor(
    private readonly network: RoadNetwork,
    private readonly finder: CandidateFinder,
    config: TrafficConfig['matching'],
  ) {
    this.cfg = config;
    this.dijkstra = new BoundedDijkstra(network, config.maxCandidates);
    this.halfInvSigma2 = 0.5 / (config.sigmaMetres * config.sigmaMetres);
  }

  newTrack(): VehicleTrack {
    return { steps: [], anchored: false, lastSeen: -Infinity, keptLon: 0, keptLat: 0 };
  }

  /** Feed one ping (time order per vehicle is the caller's job). */
  push(track: VehicleTrack, time: number, lon: number, lat: number, emit: (p: MatchedPoint) => void, heading?: number, speed?: number): void {
    const cfg = this.cfg;
    const gap = (time - track.lastSeen) / 1000;
    track.lastSeen = time;
    if (track.steps.length > 0 && gap > cfg.maxGapSeconds) {
      this.breaks.gap++;
      this.flush(track, emit);
    }
    const prev = track.steps.length > 0 ? track.steps[track.steps.length - 1] : undefined;
    if (prev) {
      // a standing or crawling vehicle adds no information about where it is; keep the first fix
      const moved = haversineMetres(track.keptLon, track.keptLat, lon, lat);
      if (moved < cfg.minMoveMetres) return;
    }
    this.candidateQueries++;
    const cands = this.finder.within(lon, lat, cfg.searchRadiusMetres, cfg.maxCandidates);
    if (cands.length === 0) {
      // off the network (car park, tunnel, bad fix): the trace ends here
      if (prev) {
        this.breaks.offRoad++;
        this.flush(track, emit);
      }
      return;
    }
    track.keptLon = lon;
    track.keptLat = lat;
    const useHeading = heading !== undefined && this.cfg.headingWeight > 0 && (speed === undefined || speed >= this.cfg.headingMinSpeedMps);
    const step = this.makeStep(time, lon, lat, cands, useHeading ? heading : undefined);
    if (!prev) {
      this.startTrace(step);
      track.steps.push(step);
      this.decide(track, emit);
      return;
    }
    if (!this.transition(prev, step)) {
      // no candidate reachable from any hypothesis: decide what we have and start again here
      this.breaks.unreachable++;
      this.flush(track, emit);
      this.startTrace(step);
      track.steps.push(step);
      this.decide(track, emit);
      return;
    }
    track.steps.push(step);
    this.decide(track, emit);
  }

  /** Decide every pending step along the best hypothesis (trace end, gap, idle vehicle). */
  flush(track: VehicleTrack, emit: (p: MatchedPoint) => void): void {
    const steps = track.steps;
    if (steps.length === 0) return;
    const last = steps[steps.length - 1];
    const best = argmax(last.score);
    if (best >= 0) this.finalize(track, steps.length - 1, best, emit);
    track.steps = [];
    track.anchored = false;
  }

  private makeStep(time: number, lon: number, lat: number, cands: Candidate[], heading: number | undefined): Step {
    const n = cands.length;
    const emission = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = cands[i];
      emission[i] = -c.distance * c.distance * this.halfInvSigma2;
      if (heading !== undefined) {
        // a moving vehicle's heading tells the two directions of a road apart at once
        const diff = ((edgeBearingAt(this.network, c.edge, c.fraction) - heading) * Math.PI) / 180;
        emission[i] -= this.cfg.headingWeight * (1 - Math.cos(diff));
      }
    }
    return { time, lon, lat, cands, emission, score: new Float64Array(n), back: new Int32Array(n).fill(-1), paths: new Array<number[]>(n) };
  }

  private startTrace(step: Step): void {
    for (let i = 0; i < step.cands.length; i++) {
      step.score[i] = step.emission[i];
      step.paths[i] = [];
    }
  }

  /** Viterbi recursion from prev into step; false when every candidate is unreachable. */
  private transition(prev: Step, step: Step): boolean {
    const cfg = this.cfg;
    const d = this.network.data;
    const straight = haversineMetres(prev.lon, prev.lat, step.lon, step.lat);
    const dt = Math.max(0.001, (step.time - prev.time) / 1000);
    const slack = 2 * cfg.searchRadiusMetres;
    const limit = Math.min(straight * cfg.routeDetourFactor + slack, cfg.maxSpeedMps * dt + slack);
    const targets = new Uint32Array(step.cands.length);
    for (let j = 0; j < step.cands.length; j++) targets[j] = d.edgeFrom[step.cands[j].edge];
    const invBeta = 1 / cfg.betaMetres;
    // one bounded search per live previous candidate, kept in its own slot
    for (let i = 0; i < prev.cands.length; i++) {
      if (prev.score[i] === NEG) continue;
      const a = prev.cands[i];
      this.dijkstra.search(i, d.edgeTo[a.edge], d.edgeLength[a.edge] - a.offset, limit, targets, a.edge, cfg.uTurnPenaltyMetres);
    }
    let any = false;
    const bestVia = new Int32Array(step.cands.length).fill(-1);
    const viaSameEdge = new Uint8Array(step.cands.length);
    for (let j = 0; j < step.cands.length; j++) {
      const b = step.cands[j];
      let best = NEG;
      for (let i = 0; i < prev.cands.length; i++) {
        const s = prev.score[i];
        if (s === NEG) continue;
        const a = prev.cands[i];
        let route: number;
        let same = 0;
        if (a.edge === b.edge && b.offset >= a.offset - cfg.backwardToleranceMetres) {
          route = Math.max(0, b.offset - a.offset);
          same = 1;
        } else {
          route = this.dijkstra.distance(i, targets[j]) + b.offset;
          if (route === Infinity) continue;
          // entering b straight back along the edge we arrived on is a U-turn
          const via = this.dijkstra.predEdge(i, targets[j]);
          const last = via >= 0 ? via : a.edge;
          if (d.edgeFrom[last] === d.edgeTo[b.edge] && d.edgeTo[last] === d.edgeFrom[b.edge]) route += cfg.uTurnPenaltyMetres;
        }
        if (route > limit || route / dt > cfg.maxSpeedMps) continue;
        const v = s - Math.abs(route - straight) * invBeta;
        if (v > best) {
          best = v;
          bestVia[j] = i;
          viaSameEdge[j] = same;
        }
      }
      if (best === NEG) {
        step.score[j] = NEG;
        step.paths[j] = [];
        continue;
      }
      any = true;
      step.score[j] = best + step.emission[j];
      step.back[j] = bestVia[j];
      step.paths[j] = viaSameEdge[j] ? [] : this.dijkstra.path(bestVia[j], targets[j]);
    }
    if (any) normalise(step.score);
    return any;
  }

  /** Decide the latest step on which all live hypotheses agree; force the oldest when the window is full. */
  private decide(track: VehicleTrack, emit: (p: MatchedPoint) => void): void {
    const steps = track.steps;
    const lastIdx = steps.length - 1;
    const first = track.anchored ? 1 : 0;
    // walk the live hypotheses back until they merge
    let alive: number[] = [];
    const last = steps[lastIdx];
    for (let i = 0; i < last.score.length; i++) if (last.score[i] !== NEG) alive.push(i);
    for (let k = lastIdx; k >= first; k--) {
      if (alive.length === 1) {
        this.finalize(track, k, alive[0], emit);
        return;
      }
      if (k === first) break;
      const back = steps[k].back;
      const next = new Set<number>();
      for (const i of alive) next.add(back[i]);
      alive = [...next];
    }
    const pending = steps.length - first;
    if (pending > this.cfg.windowSteps) {
      // window full: the best current hypothesis decides the oldest pending step
      let c = argmax(last.score);
      for (let k = lastIdx; k > first; k--) c = steps[k].back[c];
      this.finalize(track, first, c, emit);
    }
  }

  /** Emit steps first..k along the chain ending in candidate c of step k; step k becomes the anchor. */
  private finalize(track: VehicleTrack, k: number, c: number, emit: (p: MatchedPoint) => void): void {
    const steps = track.steps;
    const first = track.anchored ? 1 : 0;
    const chain = new Int32Array(k + 1);
    chain[k] = c;
    for (let s = k; s > first; s--) chain[s - 1] = steps[s].back[chain[s]];
    for (let s = first; s <= k; s++) {
      const step = steps[s];
      const i = chain[s];
      const cand = step.cands[i];
      emit({ time: step.time, edge: cand.edge, offset: cand.offset, path: step.paths[i], startsTrace: step.back[i] < 0 });
    }
    const decided = steps[k];
    const cand = decided.cands[c];
    const anchor: Step = {
      time: decided.time,
      lon: decided.lon,
      lat: decided.lat,
      cands: [cand],
      emission: Float64Array.of(0),
      score: Float64Array.of(0),
      back: Int32Array.of(-1),
      paths: [[]],
    };
    const rest = steps.slice(k + 1);
    // hypotheses that do not pass through the decided candidate are dead
    if (rest.length > 0) {
      const nxt = rest[0];
      for (let j = 0; j < nxt.back.length; j++) {
        if (nxt.back[j] === c) nxt.back[j] = 0;
        else {
          nxt.score[j] = NEG;
          nxt.back[j] = -1;
        }
      }
      for (let s = 1; s < rest.length; s++) {
        const st = rest[s];
        const pv = rest[s - 1];
        for (let j = 0; j < st.back.length; j++) {
          if (st.score[j] !== NEG && (st.back[j] < 0 || pv.score[st.back[j]] === NEG)) st.score[j] = NEG;
        }
      }
    }
    track.steps = [anchor, ...rest];
    track.anchored = true;
  }
}

function argmax(a: Float64Array): number {
  let best = -1;
  let v = NEG;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > v) {
      v = a[i];
      best = i;
    }
  }
  return best;
}

function normalise(a: Float64Array): void {
  let m = NEG;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  if (m === NEG) return;
  for (let i = 0; i < a.length; i++) if (a[i] !== NEG) a[i] -= m;
}

/** Direction of travel (degrees from north) of an edge at a fraction of its shape. */
export function edgeBearingAt(network: RoadNetwork, edge: number, fraction: number): number {
  const { geomOffsets, geomCoords: c } = network.data;
  const first = geomOffsets[edge];
  const last = geomOffsets[edge + 1] - 1;
  if (last - first === 1) return bearingDegrees(c[2 * first], c[2 * first + 1], c[2 * last], c[2 * last + 1]);
  let total = 0;
  for (let i = first; i < last; i++) total += haversineMetres(c[2 * i], c[2 * i + 1], c[2 * i + 2], c[2 * i + 3]);
  let target = fraction * total;
  for (let i = first; i < last; i++) {
    const len = haversineMetres(c[2 * i], c[2 * i + 1], c[2 * i + 2], c[2 * i + 3]);
    if (target <= len || i === last - 1) return bearingDegrees(c[2 * i], c[2 * i + 1], c[2 * i + 2], c[2 * i + 3]);
    target -= len;
  }
  return 0;
}
