import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../app/cli/main.js';
import { captureIo } from '../helpers/capture-io.js';
import { writeSnapshot } from '../../core/graph/snapshot.js';
import { gridCity } from './grid-city.js';


const network = gridCity({ cols: 12, rows: 12, seed: 4 });
const d = network.data;
const at = (v: number) => `${d.nodeLon[v]},${d.nodeLat[v]}`;
let file = '';
beforeAll(async () => {
  file = join(await mkdtemp(join(tmpdir(), 'uf-route-cli-')), 'grid.graph');
  await writeSnapshot(network, file);
});
afterEach(() => {
  process.exitCode = 0;
});

describe('urbanflow route', () => {
  it('--json prints one RouteResult; fast and reference agree', async () => {
    const fast = captureIo();
    expect(await main(['route', '--graph', file, '--from', at(13), '--to', at(130), '--json'], fast.io)).toBe(0);
    expect(fast.out).toHaveLength(1);
    const r = JSON.parse(fast.out[0]);
    expect(r.found).toBe(true);
    expect(r.best.seconds).toBeGreaterThan(0);
    expect(r.best.metres).toBeGreaterThan(1000);
    expect(r.best.geometry.type).toBe('LineString');
    expect(r.best.instructions[0].type).toBe('depart');
    const ref = captureIo();
    expect(await main(['route', '--graph', file, '--from', at(13), '--to', at(130), '--algorithm', 'reference', '--json'], ref.io)).toBe(0);
    expect(JSON.parse(ref.out[0]).best.seconds).toBeCloseTo(r.best.seconds, 6);
  });

  it('human output lists time, distance and instructions', async () => {
    const c = captureIo();
    expect(await main(['route', '--graph', file, '--from', at(13), '--to', at(130), '--mode', 'foot'], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/time: [\d.]+ s/);
    expect(text).toMatch(/distance: \d+ m/);
    expect(text).toMatch(/Head /);
    expect(text).toMatch(/Arrive at your destination/);
  });

  it('bad arguments and points off the network exit 2 with one line naming the option', async () => {
    for (const [args, pattern] of [
      [['--from', '8,49'], /--to is required/],
      [['--from', '8,95', '--to', at(5)], /--from latitude must be between -90 and 90/],
      [['--from', at(1), '--to', at(5), '--mode', 'boat'], /--mode must be one of/],
      [['--from', at(1), '--to', '9.9,49.45'], /--to: to is more than 500 m from any road/],
    ] as [string[], RegExp][]) {
      const c = captureIo();
      expect(await main(['route', '--graph', file, ...args], c.io)).toBe(2);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]).toMatch(pattern);
    }
  });
});
