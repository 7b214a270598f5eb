import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODE, RoadNetworkBuilder } from '../../core/graph/index.js';
import { rng } from './helpers/grid-city.js';
import { trafficHarness } from './helpers/service.js';

// Real loop-detector speeds (fixtures/traffic-obs/los-loop: Los Angeles freeways, 5-minute means).
const FILE = join(import.meta.dirname, '..', '..', 'fixtures', 'traffic-obs', 'los-loop', 'los_speed_days1-4.csv');
const MPH = 1.609344;

describe('detector fusion on real loop speeds', () => {
  it('tracks 30 real loops for a day and refuses injected faults that would fool a last-reading estimate', async () => {
    const lines = readFileSync(FILE, 'utf8').trim().split('\n');
    const S = 30;
    const ids = lines[0].split(',').slice(0, S);
    const speeds = lines.slice(1, 1 + 288).map((l) => l.split(',').slice(0, S).map(Number));
    const b = new RoadNetworkBuilder();
    const ff: number[] = [];
    for (let s = 0; s < S; s++) {
      const col = speeds.map((r) => r[s]).sort((x, y) => x - y);
      ff.push(col[Math.floor(0.95 * col.length)] * MPH);
      const a = b.addNode(-118 + s * 0.02, 34);
      const c = b.addNode(-118 + s * 0.02 + 0.011, 34);
      b.addEdge({ from: a, to: c, roadClass: 'motorway', modes: MODE.car, length: 1000, speedKmh: ff[s] });
    }
    const h = trafficHarness(b.build());
    await h.service.registerDetector(ids.map((id, s) => ({ id, edge: s })));
    const rand = rng(5);
    let errF = 0, errN = 0, n = 0, faultErrF = 0, faultErrN = 0, nf = 0, rejected = 0, faults = 0;
    const T0 = Date.UTC(2012, 2, 1, 0, 0, 0);
    for (let t = 0; t < speeds.length - 1; t++) {
      h.clock.set(T0 + (t + 1) * 300_000);
      const faulty = ids.map(() => t > 12 && rand() < 0.03);
      const readings = ids.map((id, s) => ({ detectorId: id, at: h.clock.now(), speedKmh: faulty[s] ? 3 : speeds[t][s] * MPH }));
      faults += faulty.filter(Boolean).length;
      rejected += (await h.service.ingestDetectorReadings(readings)).rejected;
      await h.service.tick();
      if (t < 12) continue;
      for (let s = 0; s < S; s++) {
        const truth = Math.min(speeds[t + 1][s] * MPH, ff[s]);
        const f = Math.abs(h.service.edgeState(s).speedKmh - truth);
        const last = Math.abs(Math.min(readings[s].speedKmh, ff[s]) - truth);
        errF += f;
        errN += last;
        n++;
        if (faulty[s]) {
          faultErrF += f;
          faultErrN += last;
          nf++;
        }
      }
    }
    expect(faults).toBeGreaterThan(100);
    // every broken-loop reading was refused (a few real slowdowns may be too, until they persist)
    expect(rejected).toBeGreaterThanOrEqual(faults);
    expect(rejected).toBeLessThan(faults * 1.5);
    // overall, the filtered state predicts the next interval better than the last reading does
    expect(errF / n).toBeLessThan(errN / n);
    // and right after a fault it is not fooled: several times better than publishing the reading
    expect(faultErrF / nf).toBeLessThan(0.25 * (faultErrN / nf));
    expect(faultErrF / nf).toBeLessThan(8 * MPH);
  });
});
