/**
 * Time-of-day speed profiles per sensor from whole or partial days of history, smoothed over
 * neighbouring slots. Sums are kept per day so that a profile leaving one day out (used when
 * that day's own values are the training targets) costs nothing extra.
 */
export class DailyProfiles {
  readonly days: number;
  /** [day][sensor][slot] */
  private readonly sum: Float64Array;
  private readonly cnt: Float64Array;
  private readonly sensorMean: Float64Array;
  /** smoothed profile of all days, [sensor * slots + slot] */
  readonly all: Float64Array;
  private readonly excl: Float64Array[];

  constructor(
    rows: readonly Float64Array[],
    readonly sensors: number,
    readonly slots: number,
    readonly startSlot: number,
    readonly window: number,
  ) {
    const days = Math.max(1, Math.ceil((startSlot + rows.length) / slots));
    this.days = days;
    this.sum = new Float64Array(days * sensors * slots);
    this.cnt = new Float64Array(days * sensors * slots);
    const ms = new Float64Array(sensors);
    const mc = new Float64Array(sensors);
    rows.forEach((row, t) => {
      const abs = startSlot + t;
      const d = Math.floor(abs / slots);
      const s = abs % slots;
      for (let i = 0; i < sensors; i++) {
        const v = row[i];
        if (!Number.isFinite(v)) continue;
        const k = (d * sensors + i) * slots + s;
        this.sum[k] += v;
        this.cnt[k]++;
        ms[i] += v;
        mc[i]++;
      }
    });
    this.sensorMean = Float64Array.from(ms, (v, i) => (mc[i] > 0 ? v / mc[i] : NaN));
    this.all = this.build(-1);
    this.excl = Array.from({ length: days }, (_, d) => this.build(d));
  }

  /** profile value for a sensor at an absolute slot; excludeDay >= 0 leaves that day out */
  at(sensor: number, absSlot: number, excludeDay = -1): number {
    const s = ((absSlot % this.slots) + this.slots) % this.slots;
    const p = excludeDay >= 0 && excludeDay < this.days ? this.excl[excludeDay] : this.all;
    return p[sensor * this.slots + s];
  }

  dayOf(absSlot: number): number {
    return Math.floor(absSlot / this.slots);
  }

  private build(exclude: number): Float64Array {
    const { sensors, slots, window, days } = this;
    const out = new Float64Array(sensors * slots);
    const s = new Float64Array(slots);
    const c = new Float64Array(slots);
    for (let i = 0; i < sensors; i++) {
      s.fill(0);
      c.fill(0);
      for (let d = 0; d < days; d++) {
        if (d === exclude) continue;
        const base = (d * sensors + i) * slots;
        for (let k = 0; k < slots; k++) {
          s[k] += this.sum[base + k];
          c[k] += this.cnt[base + k];
        }
      }
      for (let k = 0; k < slots; k++) {
        let ss = 0;
        let cc = 0;
        for (let w = -window; w <= window; w++) {
          const q = (k + w + slots) % slots;
          ss += s[q];
          cc += c[q];
        }
        // no data in the window (e.g. only the excluded day had it): fall back to the full profile, then the sensor mean
        out[i * slots + k] = cc > 0 ? ss / cc : exclude >= 0 ? NaN : this.sensorMean[i];
      }
    }
    if (exclude >= 0) {
      const full = this.all;
      for (let k = 0; k < out.length; k++) if (!Number.isFinite(out[k])) out[k] = full[k];
    }
    return out;
  }
}
