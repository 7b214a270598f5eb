import type { Detector, DetectorReading, DetectorRegistration } from '../../../core/contracts/traffic.js';
import { UrbanflowError, invalidInput } from '../../../core/errors/index.js';
import type { RoadNetwork } from '../../../core/graph/index.js';
import type { Store } from '../../../core/store/store.js';
import type { TrafficConfig } from '../config.js';

export const DETECTOR_COLLECTION = 'traffic-detectors';

/** A reading turned into what the estimator uses. */
export interface DetectorObservation {
  edge: number;
  at: number;
  /** edge travel time implied by the measured speed; undefined when the reading has no speed */
  seconds?: number;
  /** vehicles per hour, undefined when not measured */
  flow?: number;
}

/**
 * The detector registry (durable: written to the store before a registration is acknowledged)
 * and the conversion of readings into travel-time observations. A point speed stands for the
 * whole edge (time = length / speed). Without a speed, flow and occupancy give one through the
 * effective vehicle length: v = q * L / occupancy.
 */
export class DetectorRegistry {
  private readonly detectors = new Map<string, Detector>();
  /** last counted flow per edge and when, for volume/capacity */
  readonly flow: Float64Array;
  readonly flowAt: Float64Array;

  constructor(
    private readonly network: RoadNetwork,
    private readonly store: Store,
    private readonly cfg: TrafficConfig['detectors'],
  ) {
    this.flow = new Float64Array(network.edgeCount);
    this.flowAt = new Float64Array(network.edgeCount).fill(NaN);
  }

  async load(): Promise<number> {
    const all = await this.store.list<Detector>(DETECTOR_COLLECTION);
    for (const d of all) if (d && typeof d.id === 'string' && d.edge >= 0 && d.edge < this.network.edgeCount) this.detectors.set(d.id, d);
    return this.detectors.size;
  }

  get size(): number {
    return this.detectors.size;
  }

  get(id: string): Detector | undefined {
    return this.detectors.get(id);
  }

  list(): Detector[] {
    return [...this.detectors.values()];
  }

  /** Validate every registration first, then persist them all; re-registering an id moves it. */
  async register(regs: readonly DetectorRegistration[], now: number): Promise<Detector[]> {
    regs.forEach((r, i) => {
      if (!Number.isInteger(r.edge) || r.edge < 0 || r.edge >= this.network.edgeCount) {
        throw invalidInput(`detectors[${i}].edge`, `detectors[${i}].edge must be an edge id between 0 and ${this.network.edgeCount - 1}, got ${r.edge}`);
      }
    });
    const out: Detector[] = [];
    for (const r of regs) {
      const d: Detector = { id: r.id, edge: r.edge, registeredAt: now };
      if (r.name !== undefined) d.name = r.name;
      if (r.lon !== undefined) d.lon = r.lon;
      if (r.lat !== undefined) d.lat = r.lat;
      await this.store.put(DETECTOR_COLLECTION, r.id, d);
      this.detectors.set(r.id, d);
      out.push(d);
    }
    return out;
  }

  /** Check every reading (unknown detector -> NOT_FOUND naming readings[i].detectorId), then convert. */
  convert(readings: readonly DetectorReading[]): DetectorObservation[] {
    readings.forEach((r, i) => {
      if (!this.detectors.has(r.detectorId)) {
        throw new UrbanflowError('NOT_FOUND', `readings[${i}].detectorId: detector '${r.detectorId}' is not registered (POST /api/traffic/detectors first)`, {
          field: `readings[${i}].detectorId`,
        });
      }
    });
    const len = this.network.data.edgeLength;
    const out: DetectorObservation[] = [];
    for (const r of readings) {
      const d = this.detectors.get(r.detectorId)!;
      let speed = r.speedKmh;
      if (speed === undefined && r.flow !== undefined && r.occupancy !== undefined && r.occupancy > 0) {
        speed = (r.flow * (this.cfg.effectiveVehicleLengthMetres / 1000)) / r.occupancy;
      }
      const o: DetectorObservation = { edge: d.edge, at: r.at };
      // a standing queue reads 0 km/h: count it as walking pace so the time stays finite
      if (speed !== undefined) o.seconds = len[d.edge] / (Math.max(speed, 2) / 3.6);
      if (r.flow !== undefined) {
        o.flow = r.flow;
        if (!(this.flowAt[d.edge] > r.at)) {
          this.flow[d.edge] = r.flow;
          this.flowAt[d.edge] = r.at;
        }
      }
      out.push(o);
    }
    return out;
  }

  /** detector flow of an edge if measured within the validity window, else undefined */
  recentFlow(edge: number, now: number): number | undefined {
    const at = this.flowAt[edge];
    if (Number.isNaN(at) || now - at > this.cfg.flowValiditySeconds * 1000) return undefined;
    return this.flow[edge];
  }
}
