import type { RoadNetwork } from '../graph/road-network.js';
import { MODE } from '../graph/modes.js';
import type { Random } from './random.js';
import { STREET, type CityLayout } from './layout.js';
import type { SimDemand, SimZone } from './types.js';

/**
 * Traffic analysis zones (a grid of block squares) and peak-hour car demand between them from a
 * singly constrained gravity model. The total is sized against the capacity of the main roads so
 * that arterials, bridges and ramps load up without the whole network gridlocking.
 */

/** Share of the arterials' capacity-kilometres the peak hour asks for (calibrated with AON, see docs/sim.md). */
export const DEMAND_LOAD_FACTOR = 0.45;
/** Peak-hour car trips per resident at most (through and visitor traffic included): above it the population is scaled up (a denser city). */
const MAX_TRIPS_PER_RESIDENT = 0.3;
/** The largest zone grid per side (30 x 30 = 900 zones, 810,000 OD pairs at most). */
const MAX_ZONES_PER_SIDE = 30;

export interface ZonesResult {
  zones: SimZone[];
  demand: SimDemand[];
}

export function buildZones(layout: CityLayout, network: RoadNetwork, carNode: Uint8Array, rnd: Random): ZonesResult {
  const { n, k, xs, ys, colKind, rowKind } = layout;
  const r = rnd.stream('zones');
  const zs = Math.max(k, Math.ceil(n / MAX_ZONES_PER_SIDE));
  const nz = Math.ceil(n / zs);
  const block = (xs[n - 1] - xs[0]) / (n - 1);
  const halfWidthKm = (xs[n - 1] - xs[0]) / 2000;
  const arterial = (kind: number) => kind === STREET.primary || kind === STREET.secondary;
  const zones: SimZone[] = [];
  const zx: number[] = [];
  const zy: number[] = [];
  const d = network.data;
  for (let j = 0; j < nz; j++) {
    for (let i = 0; i < nz; i++) {
      const c0 = i * zs, c1 = Math.min(n, (i + 1) * zs) - 1;
      const r0 = j * zs, r1 = Math.min(n, (j + 1) * zs) - 1;
      const cx = (xs[c0] + xs[c1]) / 2, cy = (ys[r0] + ys[r1]) / 2;
      // the zone's node: a car junction near its centre, arterial crossings first (they carry the load)
      let best = -1, bestScore = Infinity;
      for (let rr = r0; rr <= r1; rr++) {
        for (let cc = c0; cc <= c1; cc++) {
          const v = rr * n + cc;
          if (!carNode[v]) continue;
          const rank = (arterial(colKind[cc]) ? 0 : 1) + (arterial(rowKind[rr]) ? 0 : 1);
          const score = rank * 1e7 + Math.hypot(xs[cc] - cx, ys[rr] - cy);
          if (score < bestScore) {
            bestScore = score;
            best = v;
          }
        }
      }
      if (best < 0) continue;
      const areaKm2 = ((c1 - c0 + 1) * block * (r1 - r0 + 1) * block) / 1e6;
      const distKm = Math.hypot(cx, cy) / 1000;
      const popDensity = 7000 * Math.exp((-1.2 * distKm) / halfWidthKm) * r.uniform(0.7, 1.3);
      const jobDensity = 9000 * Math.exp((-2.5 * distKm) / halfWidthKm) * r.uniform(0.5, 1.5);
      zones.push({
        id: zones.length + 1,
        node: best,
        lon: d.nodeLon[best],
        lat: d.nodeLat[best],
        population: Math.max(50, Math.round(areaKm2 * popDensity)),
        jobs: Math.max(20, Math.round(areaKm2 * jobDensity)),
      });
      zx.push(xs[best % n]);
      zy.push(ys[Math.floor(best / n)]);
    }
  }

  // gravity model: trips from i split over destinations by jobs x exp(-distance / scale)
  const z = zones.length;
  const scaleKm = Math.max(1.5, halfWidthKm / 2);
  const share = new Float64Array(z * z);
  let weightedKm = 0;
  let raw = 0;
  for (let i = 0; i < z; i++) {
    let sum = 0;
    for (let j = 0; j < z; j++) {
      if (i === j) continue;
      const km = Math.hypot(zx[i] - zx[j], zy[i] - zy[j]) / 1000;
      const w = zones[j].jobs * Math.exp(-km / scaleKm);
      share[i * z + j] = w;
      sum += w;
    }
    if (sum <= 0) continue;
    for (let j = 0; j < z; j++) {
      if (i === j) continue;
      const t = (zones[i].population * share[i * z + j]) / sum;
      share[i * z + j] = t;
      raw += t;
      // street distance is about 1.3 x the straight line in a grid
      weightedKm += t * 1.3 * (Math.hypot(zx[i] - zx[j], zy[i] - zy[j]) / 1000);
    }
  }

  // size the total against what the arterials can carry in an hour (the ring and the motorways
  // are extra capacity on top, so they relieve the grid rather than set the total)
  let capacityKm = 0;
  for (let e = 0; e < d.edgeCount; e++) {
    if (!(d.edgeModes[e] & MODE.car)) continue;
    const cls = network.roadClass(e);
    if (cls === 'primary' || cls === 'secondary') capacityKm += (d.edgeCapacity[e] * d.edgeLength[e]) / 1000;
  }
  const meanKm = raw > 0 ? weightedKm / raw : 1;
  const total = (DEMAND_LOAD_FACTOR * capacityKm) / Math.max(0.5, meanKm);
  const factor = raw > 0 ? total / raw : 0;
  // small cities get more trips than their few blocks of residents could make: make them denser
  const population = zones.reduce((a, zone) => a + zone.population, 0);
  if (total > MAX_TRIPS_PER_RESIDENT * population) {
    const k = total / (MAX_TRIPS_PER_RESIDENT * population);
    for (const zone of zones) {
      zone.population = Math.round(zone.population * k);
      zone.jobs = Math.round(zone.jobs * k);
    }
  }
  const demand: SimDemand[] = [];
  for (let i = 0; i < z; i++) {
    for (let j = 0; j < z; j++) {
      if (i === j) continue;
      const t = Math.round(share[i * z + j] * factor * 10) / 10;
      if (t > 0) demand.push({ origin: i + 1, destination: j + 1, trips: t });
    }
  }
  return { zones, demand };
}
