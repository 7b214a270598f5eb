import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTntpFlow, parseTntpNet, parseTntpTrips } from '../../../core/tntp/index.js';
import { assign, assignmentNetworkFromTntp, beckmann, linkTime } from '../../../services/traffic/assignment/index.js';

const dir = 'fixtures/tntp/SiouxFalls';
const net = assignmentNetworkFromTntp(parseTntpNet(readFileSync(`${dir}/SiouxFalls_net.tntp`, 'utf8'), 'SiouxFalls_net.tntp'));
const trips = parseTntpTrips(readFileSync(`${dir}/SiouxFalls_trips.tntp`, 'utf8'), 'SiouxFalls_trips.tntp');
const best = parseTntpFlow(readFileSync(`${dir}/SiouxFalls_flow.tntp`, 'utf8'), 'SiouxFalls_flow.tntp');
const demand = { zoneCount: 24, classes: [{ vehicleClass: { name: 'car' }, od: trips.od }] };
/** upstream README: 42.31335287107440 in units of 1e5 */
const BEST_OBJECTIVE = 4_231_335.28710744;

describe('user equilibrium on SiouxFalls', () => {
  const b = assign(net, demand, { algorithm: 'b', gap: 1e-12 });

  it('Algorithm B converges below 1e-10 relative gap', () => {
    expect(b.converged).toBe(true);
    expect(b.relativeGap).toBeLessThan(1e-10);
    expect(b.unreachableTrips).toBe(0);
  });

  it('reaches the best-known Beckmann objective to 1e-9 relative', () => {
    expect(Math.abs(b.beckmannObjective - BEST_OBJECTIVE) / BEST_OBJECTIVE).toBeLessThan(1e-9);
    // and the best-known flows themselves give that objective (checks our integral)
    const x = Float64Array.from(best, (r) => r.volume);
    expect(Math.abs(beckmann(net, x) - BEST_OBJECTIVE) / BEST_OBJECTIVE).toBeLessThan(1e-12);
  });

  it('link volumes equal the best-known flow file to 1e-3 vehicles, costs are BPR at those volumes', () => {
    expect(best).toHaveLength(net.linkCount);
    for (let a = 0; a < net.linkCount; a++) {
      expect(best[a].from).toBe(net.linkFrom[a] + 1);
      expect(Math.abs(b.volumes[a] - best[a].volume)).toBeLessThan(1e-3);
      expect(b.costs[a]).toBeCloseTo(linkTime(net, a, b.volumes[a]), 12);
    }
  });

  it('flows are conserved: each zone sends its trips and receives its trips', () => {
    const net0 = new Float64Array(net.nodeCount);
    for (let a = 0; a < net.linkCount; a++) {
      net0[net.linkFrom[a]] += b.volumes[a];
      net0[net.linkTo[a]] -= b.volumes[a];
    }
    for (let z = 0; z < 24; z++) {
      let out = 0;
      let inn = 0;
      for (let d = 0; d < 24; d++) {
        out += trips.od[z * 24 + d];
        inn += trips.od[d * 24 + z];
      }
      expect(net0[z]).toBeCloseTo(out - inn, 6);
    }
  });

  it('biconjugate Frank-Wolfe reaches 1e-4 and an objective no better than the equilibrium', () => {
    const bfw = assign(net, demand, { algorithm: 'bfw', gap: 1e-4 });
    expect(bfw.converged).toBe(true);
    expect(bfw.relativeGap).toBeLessThan(1e-4);
    expect(bfw.beckmannObjective).toBeGreaterThanOrEqual(b.beckmannObjective - 1e-6);
    expect((bfw.beckmannObjective - BEST_OBJECTIVE) / BEST_OBJECTIVE).toBeLessThan(1e-4);
    // BFW needs far fewer iterations than plain FW for the same gap
    const fw = assign(net, demand, { algorithm: 'fw', gap: 1e-3 });
    expect(fw.relativeGap).toBeLessThan(1e-3);
  });

  it('a warm start from the equilibrium stays at it', () => {
    const again = assign(net, demand, { algorithm: 'b', gap: 1e-10, warmStart: b.state });
    expect(again.iterations).toBe(0);
    expect(again.relativeGap).toBeLessThan(1e-10);
  });

  it('a toll factor in the metadata moves flow off a tolled link', () => {
    const tolled = assignmentNetworkFromTntp(
      parseTntpNet(
        readFileSync(`${dir}/SiouxFalls_net.tntp`, 'utf8')
          .replace('<END OF METADATA>', '<TOLL FACTOR> 1\n<END OF METADATA>')
          // link 10-15 (a busy one) gets a toll of 5
          .replace(/^(\s*10\s+15\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+)0(\s)/m, '$15$2'),
        'tolled_net.tntp',
      ),
    );
    const a = best.findIndex((r) => r.from === 10 && r.to === 15);
    expect(tolled.toll[a]).toBe(5);
    const r = assign(tolled, demand, { gap: 1e-8 });
    expect(r.relativeGap).toBeLessThan(1e-8);
    expect(r.volumes[a]).toBeLessThan(b.volumes[a] - 100);
  });
});

describe('warm start safety', () => {
  it('is ignored when the demand changed, even with the same totals per origin', () => {
    const base = assign(net, demand, { gap: 1e-8 });
    // swap two destinations of origin 1 (same total)
    const od = trips.od.slice();
    [od[1], od[9]] = [od[9], od[1]];
    const other = { zoneCount: 24, classes: [{ vehicleClass: { name: 'car' }, od }] };
    const warm = assign(net, other, { gap: 1e-8, warmStart: base.state });
    const cold = assign(net, other, { gap: 1e-8 });
    expect(warm.relativeGap).toBeLessThan(1e-8);
    for (let a = 0; a < net.linkCount; a++) expect(Math.abs(warm.volumes[a] - cold.volumes[a])).toBeLessThan(1e-2);
  });
});
