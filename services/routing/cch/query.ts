import type { CchTopology } from './topology.js';
import { unpackArc, type CchMetric } from './metric.js';

/** A search end in rank space with the partial-edge cost (and metres) already paid. */
export interface RankTerminal {
  rank: number;
  seconds: number;
  metres: number;
}

export interface CchPath {
  seconds: number;
  metres: number;
  /** original arc codes in travel order */
  arcs: number[];
  /** which terminals were used (index into the arrays passed) */
  sourceIndex: number;
  targetIndex: number;
}

/**
 * Elimination-tree queries on a customised CCH: the upward search space of a vertex is exactly
 * its ancestors in the elimination tree, so a query walks two root paths in rank order (no
 * priority queue) and meets on the common part, pruning where a label already exceeds the best
 * meeting cost. One CchQuery per thread of use: it owns its workspace.
 */
export class CchQuery {
  private readonly distF: Float64Array;
  private readonly distB: Float64Array;
  private readonly lenF: Float64Array;
  private readonly lenB: Float64Array;
  private readonly predF: Int32Array;
  private readonly predB: Int32Array;
  private readonly markF: Uint32Array;
  private readonly markB: Uint32Array;
  private round = 0;
  // bucket storage for many-to-many
  private bucketHead: Int32Array;
  private bNext = new Int32Array(1024);
  private bTarget = new Int32Array(1024);
  private bDist = new Float64Array(1024);
  private bLen = new Float64Array(1024);
  private bPred = new Int32Array(1024);

  constructor(private readonly topo: CchTopology) {
    const n = topo.n;
    this.distF = new Float64Array(n);
    this.distB = new Float64Array(n);
    this.lenF = new Float64Array(n);
    this.lenB = new Float64Array(n);
    this.predF = new Int32Array(n);
    this.predB = new Int32Array(n);
    this.markF = new Uint32Array(n);
    this.markB = new Uint32Array(n);
    this.bucketHead = new Int32Array(n).fill(-1);
  }

  private nextRound(): number {
    this.round++;
    if (this.round === 0xffffffff) {
      this.round = 1;
      this.markF.fill(0);
      this.markB.fill(0);
    }
    return this.round;
  }

  /** ranks of all ancestors of the terminals, ascending; seeds their labels */
  private collect(terms: RankTerminal[], mark: Uint32Array, dist: Float64Array, len: Float64Array, pred: Int32Array, round: number): number[] {
    const parent = this.topo.parent;
    const list: number[] = [];
    for (const t of terms) {
      let v = t.rank;
      while (v >= 0 && mark[v] !== round) {
        mark[v] = round;
        dist[v] = Infinity;
        len[v] = 0;
        pred[v] = -1;
        list.push(v);
        v = parent[v];
      }
    }
    if (terms.length > 1) list.sort((a, b) => a - b);
    for (const t of terms) {
      if (t.seconds < dist[t.rank]) {
        dist[t.rank] = t.seconds;
        len[t.rank] = t.metres;
      }
    }
    return list;
  }

  /** Cheapest path from any source to any target; null when none. */
  query(mt: CchMetric, sources: RankTerminal[], targets: RankTerminal[], wantPath = true): CchPath | null {
    const { upOff, upHead } = this.topo;
    const { wUp, wDown, lenUp, lenDown } = mt;
    const round = this.nextRound();
    const { distF, distB, lenF, lenB, predF, predB, markF, markB } = this;
    const fl = this.collect(sources, markF, distF, lenF, predF, round);
    const bl = this.collect(targets, markB, distB, lenB, predB, round);
    let best = Infinity;
    let meet = -1;
    let i = 0;
    let j = 0;
    while (i < fl.length || j < bl.length) {
      const a = i < fl.length ? fl[i] : Infinity;
      const b = j < bl.length ? bl[j] : Infinity;
      const v = a <= b ? a : b;
      const inF = a === v;
      const inB = b === v;
      if (inF) i++;
      if (inB) j++;
      const df = inF ? distF[v] : Infinity;
      const db = inB ? distB[v] : Infinity;
      if (inF && inB && df + db < best) {
        best = df + db;
        meet = v;
      }
      if (df < best) {
        const lf = lenF[v];
        for (let k = upOff[v], end = upOff[v + 1]; k < end; k++) {
          const c = df + wUp[k];
          const h = upHead[k];
          if (c < distF[h]) {
            distF[h] = c;
            lenF[h] = lf + lenUp[k];
            predF[h] = k;
          }
        }
      }
      if (db < best) {
        const lb = lenB[v];
        for (let k = upOff[v], end = upOff[v + 1]; k < end; k++) {
          const c = db + wDown[k];
          const h = upHead[k];
          if (c < distB[h]) {
            distB[h] = c;
            lenB[h] = lb + lenDown[k];
            predB[h] = k;
          }
        }
      }
    }
    if (meet < 0) return null;
    const arcTail = this.topo.arcTail;
    const arcs: number[] = [];
    const upChain: number[] = [];
    let v = meet;
    while (predF[v] >= 0) {
      upChain.push(predF[v]);
      v = arcTail[predF[v]];
    }
    const src = v;
    if (wantPath) for (let k = upChain.length - 1; k >= 0; k--) unpackArc(mt, upChain[k], true, arcs);
    v = meet;
    while (predB[v] >= 0) {
      const a = predB[v];
      if (wantPath) unpackArc(mt, a, false, arcs);
      v = arcTail[a];
    }
    const dst = v;
    return {
      seconds: best,
      metres: lenF[meet] + lenB[meet],
      arcs,
      sourceIndex: pickTerminal(sources, src, distF),
      targetIndex: pickTerminal(targets, dst, distB),
    };
  }

  /**
   * Many-to-many by buckets: one backward tree walk per target leaves (target, seconds, metres)
   * at every ancestor; one forward walk per source scans the buckets it passes. Each point is a
   * list of terminals (a snapped point reaches the network at up to two nodes).
   */
  matrix(
    mt: CchMetric,
    sources: RankTerminal[][],
    targets: RankTerminal[][],
    /**
     * optional check of each cell's path (original arc codes, and which terminals it used);
     * a cell whose path fails is returned as NaN for the caller to recompute another way
     */
    check?: (s: number, sourceTerminal: number, arcs: number[], t: number, targetTerminal: number) => boolean,
  ): { seconds: Float64Array; metres: Float64Array } {
    const { upOff, upHead } = this.topo;
    const { wUp, wDown, lenUp, lenDown } = mt;
    const ns = sources.length;
    const nt = targets.length;
    const seconds = new Float64Array(ns * nt).fill(Infinity);
    const metres = new Float64Array(ns * nt).fill(Infinity);
    const { distF, distB, lenF, lenB, predF, predB, markF, markB } = this;
    let count = 0;
    const touched: number[] = [];
    for (let t = 0; t < nt; t++) {
      const round = this.nextRound();
      const bl = this.collect(targets[t], markB, distB, lenB, predB, round);
      for (const v of bl) {
        const db = distB[v];
        if (db === Infinity) continue;
        const lb = lenB[v];
        for (let k = upOff[v], end = upOff[v + 1]; k < end; k++) {
          const c = db + wDown[k];
          const h = upHead[k];
          if (c < distB[h]) {
            distB[h] = c;
            lenB[h] = lb + lenDown[k];
            predB[h] = k;
          }
        }
        if (count === this.bNext.length) this.growBuckets();
        if (this.bucketHead[v] < 0) touched.push(v);
        this.bNext[count] = this.bucketHead[v];
        this.bTarget[count] = t;
        this.bDist[count] = db;
        this.bLen[count] = lb;
        this.bPred[count] = predB[v];
        this.bucketHead[v] = count++;
      }
    }
    const { bucketHead, bNext, bTarget, bDist, bLen, bPred } = this;
    const meet = check ? new Int32Array(nt) : null;
    const arcTail = this.topo.arcTail;
    for (let s = 0; s < ns; s++) {
      const round = this.nextRound();
      const fl = this.collect(sources[s], markF, distF, lenF, predF, round);
      const row = s * nt;
      meet?.fill(-1);
      for (const v of fl) {
        const df = distF[v];
        if (df === Infinity) continue;
        const lf = lenF[v];
        for (let e = bucketHead[v]; e >= 0; e = bNext[e]) {
          const c = df + bDist[e];
          const cell = row + bTarget[e];
          if (c < seconds[cell]) {
            seconds[cell] = c;
            metres[cell] = lf + bLen[e];
            if (meet) meet[bTarget[e]] = v;
          }
        }
        for (let k = upOff[v], end = upOff[v + 1]; k < end; k++) {
          const c = df + wUp[k];
          const h = upHead[k];
          if (c < distF[h]) {
            distF[h] = c;
            lenF[h] = lf + lenUp[k];
            predF[h] = k;
          }
        }
      }
      if (!check || !meet) continue;
      // unpack each cell's path while this source's predecessors are at hand
      for (let t = 0; t < nt; t++) {
        const m = meet[t];
        if (m < 0) continue;
        const arcs: number[] = [];
        const upChain: number[] = [];
        let v = m;
        while (predF[v] >= 0) {
          upChain.push(predF[v]);
          v = arcTail[predF[v]];
        }
        const srcRank = v;
        for (let k = upChain.length - 1; k >= 0; k--) unpackArc(mt, upChain[k], true, arcs);
        v = m;
        for (;;) {
          let a = -1;
          for (let e = bucketHead[v]; e >= 0; e = bNext[e]) {
            if (bTarget[e] === t) {
              a = bPred[e];
              break;
            }
          }
          if (a < 0) break;
          unpackArc(mt, a, false, arcs);
          v = arcTail[a];
        }
        const si = pickTerminal(sources[s], srcRank, distF);
        const ti = pickTerminal(targets[t], v, distB);
        if (!check(s, si, arcs, t, ti)) seconds[row + t] = NaN;
      }
    }
    for (const v of touched) this.bucketHead[v] = -1;
    return { seconds, metres };
  }

  private growBuckets(): void {
    const size = this.bNext.length * 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.bNext = grow(this.bNext, (k) => new Int32Array(k));
    this.bTarget = grow(this.bTarget, (k) => new Int32Array(k));
    this.bDist = grow(this.bDist, (k) => new Float64Array(k));
    this.bLen = grow(this.bLen, (k) => new Float64Array(k));
    this.bPred = grow(this.bPred, (k) => new Int32Array(k));
  }
}

function pickTerminal(terms: RankTerminal[], rank: number, dist: Float64Array): number {
  let best = -1;
  for (let i = 0; i < terms.length; i++) {
    if (terms[i].rank === rank && (best < 0 || terms[i].seconds < terms[best].seconds)) best = i;
  }
  void dist;
  return best;
}
