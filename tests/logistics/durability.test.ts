import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedStore } from '../../core/store/index.js';
import { createMemoryBus } from '../../core/bus/index.js';
import { manualClock } from '../../core/clock/index.js';
import { silentLogger } from '../../core/log/index.js';
import { createLogisticsService } from '../../services/logistics/index.js';
import { gridNetwork } from '../helpers/grid-network.js';
import { haversineMatrix } from './haversine-matrix.js';

describe('logistics durability', () => {
  it('every acknowledged order survives a SIGKILL and a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uf-logistics-'));
    try {
      const child = spawn(process.execPath, ['bin/run-ts.mjs', 'tests/logistics/durable-child.ts', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      const acked: string[] = [];
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      await new Promise<void>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d) => {
          buf += d;
          const lines = buf.split('\n');
          buf = lines.pop()!;
          for (const l of lines) if (l.startsWith('ack ')) acked.push(l.slice(4));
          if (acked.length >= 25) {
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${err}`))));
      });
      await new Promise((r) => child.once('exit', r).once('close', r));
      expect(acked.length).toBeGreaterThanOrEqual(25);

      const network = gridNetwork(3);
      const store = await createEmbeddedStore({ dir });
      const service = createLogisticsService({
        network, live: network.live, bus: createMemoryBus(), store, clock: manualClock(Date.UTC(2026, 10, 23, 7)), logger: silentLogger(),
        travelMatrix: haversineMatrix(), config: { optimizeOnOrder: false, iterations: 200 },
      });
      await service.start({ schedules: false });
      const ids = new Set(service.listOrders().map((o) => o.id));
      for (const id of acked) expect(ids.has(id), `acknowledged order ${id} lost`).toBe(true);
      expect(service.listVehicles().map((v) => v.id)).toEqual(['V1']);
      // and the recovered state is usable: the orders get planned and the plan is durable too
      const r = await service.optimize();
      expect(r.plans.find((p) => p.vehicleId === 'V1')!.stops.length).toBeGreaterThan(0);
      await store.close();
      const again = await createEmbeddedStore({ dir });
      expect((await again.list('logistics-plans')).length).toBe(1);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
