import type { TrafficConfig } from '../config.js';

const DAY_MS = 86_400_000;

/** The persisted form of one edge: [bin, mean log seconds, samples] for each bin that has data. */
export interface EdgeProfileRecord {
  edge: number;
  binsPerDay: number;
  rows: [number, number, number][];
}


/**
 * A time-of-day travel-time profile learnt from history: per edge and time-of-day bin the mean
 * log travel time of accepted observations (a running mean, so it keeps learning). Sparse: only
 * edges that were ever observed hold arrays. A bin serves as the prior once it has minSamples.
 */
export class TimeOfDayProfile {
  private readonly sums = new Map<number, { mean: Float32Array; n: Uint16Array }>();
  /** edges learnt since the last takeDirty(): only those are written back to the store */
  private dirty = new Set<number>();
  private readonly bins: number;
  private readonly binMs: number;

  constructor(private readonly cfg: TrafficConfig['profile']) {
    this.bins = cfg.binsPerDay;
    this.binMs = DAY_MS / cfg.binsPerDay;
  }

  get edgeCount(): number {
    return this.sums.size;
  }

  bin(t: number): number {
    const ms = ((t % DAY_MS) + DAY_MS) % DAY_MS;
    return Math.min(this.bins - 1, Math.floor(ms / this.binMs));
  }

  learn(edge: number, t: number, logSeconds: number): void {
    let s = this.sums.get(edge);
    if (!s) this.sums.set(edge, (s = { mean: new Float32Array(this.bins), n: new Uint16Array(this.bins) }));
    const b = this.bin(t);
    const n = Math.min(s.n[b] + 1, 1000); // cap the count so the mean keeps adapting (window ~1000 samples)
    s.mean[b] += (logSeconds - s.mean[b]) / n;
    s.n[b] = n;
    this.dirty.add(edge);
  }

  takeDirty(): number[] {
    const d = [...this.dirty];
    this.dirty = new Set();
    return d;
  }

  /** one edge's persisted record */
  record(edge: number): EdgeProfileRecord | undefined {
    const s = this.sums.get(edge);
    if (!s) return undefined;
    const rows: [number, number, number][] = [];
    for (let b = 0; b < this.bins; b++) if (s.n[b] > 0) rows.push([b, Math.round(s.mean[b] * 1e5) / 1e5, s.n[b]]);
    return { edge, binsPerDay: this.bins, rows };
  }

  /** load one edge's record; false when it does not fit (other bin size, unknown edge) */
  loadRecord(r: EdgeProfileRecord, edgeCount: number): boolean {
    if (!r || r.binsPerDay !== this.bins || !Number.isInteger(r.edge) || r.edge < 0 || r.edge >= edgeCount || !Array.isArray(r.rows)) return false;
    const s = { mean: new Float32Array(this.bins), n: new Uint16Array(this.bins) };
    for (const [b, mean, count] of r.rows) {
      if (b >= 0 && b < this.bins && Number.isFinite(mean) && count > 0) {
        s.mean[b] = mean;
        s.n[b] = Math.min(count, 1000);
      }
    }
    this.sums.set(r.edge, s);
    return true;
  }

  /** mean log travel time for the edge at time t, or undefined when the bin has too few samples */
  logPrior(edge: number, t: number): number | undefined {
    const s = this.sums.get(edge);
    if (!s) return undefined;
    const b = this.bin(t);
    return s.n[b] >= this.cfg.minSamples ? s.mean[b] : undefined;
  }

  has(edge: number): boolean {
    return this.sums.has(edge);
  }

  edges(): IterableIterator<number> {
    return this.sums.keys();
  }
}
