import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../app/cli/main.js';
import { captureIo } from '../../helpers/capture-io.js';
import { writeSnapshot } from '../../../core/graph/snapshot.js';
import { generateCity, buildGtfsZip } from '../../../core/sim/index.js';
import type { PlanResult, TransitResult } from '../../../core/contracts/routing-transit.js';


const city = generateCity({ size: 2500, seed: 11 });
const line = city.busLines.reduce((a, b) => (b.stops.length > a.stops.length ? b : a));
const first = line.stops[0];
const last = line.stops[line.stops.length - 1];
let graph = '';
let gtfs = '';
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'uf-transit-cli-'));
  graph = join(dir, 'city.graph');
  gtfs = join(dir, 'gtfs.zip');
  await writeSnapshot(city.network, graph);
  await writeFile(gtfs, buildGtfsZip(city));
});
afterEach(() => {
  process.exitCode = 0;
});

describe('urbanflow transit', () => {
  it('--json prints one TransitResult with legs; text lists board and alight stops', async () => {
    const c = captureIo();
    expect(await main(['transit', '--gtfs', gtfs, '--from-stop', first.id, '--to-stop', last.id, '--depart', '2026-03-03T08:00', '--json'], c.io)).toBe(0);
    expect(c.out).toHaveLength(1);
    const r = JSON.parse(c.out[0]) as TransitResult;
    expect(r.found).toBe(true);
    const ride = r.journeys[0].legs.find((l) => l.mode === 'transit')!;
    expect(ride.tripId).toBeTruthy();
    expect(r.journeys[0].legs[0].from.stopId).toBe(first.id);
    const t = captureIo();
    expect(await main(['transit', '--gtfs', gtfs, '--from-stop', first.id, '--to-stop', last.id, '--depart', '2026-03-03T08:00'], t.io)).toBe(0);
    expect(t.out.join('\n')).toMatch(new RegExp(`board .*\\(${first.id}\\)`));
  });

  it('bad arguments and files exit 2 with one line naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['transit', '--from-stop', first.id, '--to-stop', last.id, '--depart', '2026-03-03T08:00'], /--gtfs is required/],
      [['transit', '--gtfs', gtfs, '--from-stop', 'nowhere', '--to-stop', last.id, '--depart', '2026-03-03T08:00'], /--from-stop: .*no stop with stop_id 'nowhere'/],
      [['transit', '--gtfs', gtfs, '--from-stop', first.id, '--to-stop', last.id, '--depart', 'tomorrow'], /--depart must be an ISO local time/],
      [['transit', '--gtfs', graph, '--from-stop', first.id, '--to-stop', last.id, '--depart', '2026-03-03T08:00'], /GTFS: not a readable zip|required file/],
      [['transit', '--gtfs', '/no/such.zip', '--from-stop', first.id, '--to-stop', last.id, '--depart', '2026-03-03T08:00'], /cannot be read/],
    ];
    for (const [argv, re] of cases) {
      const c = captureIo();
      expect(await main(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]).toMatch(re);
    }
  });
});

describe('urbanflow plan', () => {
  it('--json prints one PlanResult with a walk + transit option', async () => {
    const c = captureIo();
    const from = `${first.lon + 0.001},${first.lat}`;
    const to = `${last.lon},${last.lat + 0.0005}`;
    expect(await main(['plan', '--graph', graph, '--gtfs', gtfs, `--from=${from}`, `--to=${to}`, '--depart', '2026-03-03T08:00', '--modes', 'transit,walk', '--json'], c.io)).toBe(0);
    expect(c.out).toHaveLength(1);
    const r = JSON.parse(c.out[0]) as PlanResult;
    const t = r.options.find((o) => o.mode === 'transit');
    expect(t, r.notes.join('; ')).toBeDefined();
    expect(t!.legs[0].mode).toBe('walk');
    const bad = captureIo();
    expect(await main(['plan', '--graph', graph, '--gtfs', gtfs, `--from=${from}`, `--to=${to}`, '--depart', '2026-03-03T08:00', '--modes', 'rocket'], bad.io)).toBe(2);
    expect(bad.err[0]).toMatch(/--modes: 'rocket' is not one of/);
  });
});
